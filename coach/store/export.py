"""The learner's complete record as JSON (``coach wallet export``, ``GET /api/wallet/export``).

One function both stores use, so the fake and the database export the same shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from coach.store.ports import Account, Identity, PlanRecord, Turn, WalletRecord

#: State keys that hold the self-assessment and the profile it produced.
ASSESSMENT_KEYS = ("assessment", "profile")

EXPORT_FORMAT = "stackwise-learner-export/1"


def build_export(
    learner_id: str,
    *,
    created_at: dt.datetime | None,
    identities: Sequence[Identity],
    accounts: Sequence[Account],
    state: Mapping[str, dict[str, Any]],
    turns: Sequence[Turn],
    plans: Sequence[PlanRecord],
    wallet: Sequence[WalletRecord],
    exported_at: dt.datetime,
) -> dict[str, Any]:
    """Everything stored about one learner (password hashes and session tokens excepted:
    they are secrets, not the learner's data)."""
    return {
        "format": EXPORT_FORMAT,
        "learner_id": learner_id,
        "created_at": created_at.isoformat() if created_at else None,
        "exported_at": exported_at.isoformat(),
        "identities": [identity.model_dump(mode="json") for identity in identities],
        "accounts": [
            {"username": a.username, "created_at": a.created_at.isoformat()} for a in accounts
        ],
        "credentials": [record.export() for record in wallet],
        "assessments": {key: state[key] for key in ASSESSMENT_KEYS if key in state},
        "plans": [plan.model_dump(mode="json") for plan in plans],
        "conversation": [turn.model_dump(mode="json") for turn in turns],
        "state": dict(state),
    }
