"""A starter suite from a catalogue's own facts.

Prices, durations and "not in the catalogue" questions here; prerequisites and
stacking rules in ``generate_rules``; recognition records (who accredits, credit
transfer, countries, expiry, refused, lapsed and conflicting records) in
``generate_recognition``. Every expectation is read from the records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from evals.generate_recognition import recognition_cases
from evals.generate_rules import prerequisite_cases, stacking_cases
from knowledge.schema import Catalogue

#: The date generated suites are pinned to (what has lapsed depends on it).
DEFAULT_TODAY = dt.date(2026, 6, 1)

#: Things no catalogue here offers: the true answer is "not in the catalogue".
_ABSENT = (
    "Underwater Basket Weaving Diploma",
    "Certified Dragon Tamer",
    "Quantum Astrology Masterclass",
)


def generate_suite(
    catalogue: Catalogue, *, name: str, limit: int = 60, today: dt.date = DEFAULT_TODAY
) -> dict[str, Any]:
    """Ask cases whose expectations come straight from the catalogue records."""
    cases: list[dict[str, Any]] = []
    for cid, credential in list(catalogue.credentials.items())[:limit]:
        price = credential.price.amount
        cases.append(
            {
                "id": f"price-{cid}",
                "kind": "ask",
                "tags": ["price", "generated"],
                "question": f"How much is {credential.title}?",
                "expect": {
                    "any_of": [price, "free"] if price == 0 else [price],
                    "citations": [cid],
                },
            }
        )
        cases.append(
            {
                "id": f"duration-{cid}",
                "kind": "ask",
                "tags": ["duration", "generated"],
                "question": f"How long does {credential.title} take?",
                "expect": {"facts": [credential.duration_weeks], "citations": [cid]},
            }
        )
    for index, title in enumerate(_ABSENT, start=1):
        cases.append(
            {
                "id": f"absent-{index}",
                "kind": "ask",
                "tags": ["not-in-catalogue", "generated"],
                "question": f"How much does the {title} cost?",
                "expect": {"refusal": True, "absent": [title]},
            }
        )
    cases += prerequisite_cases(catalogue, limit)
    cases += stacking_cases(catalogue, limit)
    cases += recognition_cases(catalogue, today, limit)
    return {"name": name, "threshold": 0.8, "today": today.isoformat(), "cases": cases}
