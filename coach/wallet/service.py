"""Importing a badge into a learner's wallet: check, verify, link, store (in that order).

Nothing is stored unless the bytes are a badge we can read: files over 2 MB,
non-JSON text, deeply nested or enormous JSON, wrong encodings and images that
carry no badge raise ``BadgeInputError`` (``coach.wallet.parse``); a file that
parses but is not a credential of a known format raises ``BadgeRejectedError``.
A readable credential is stored whatever its verdict (an invalid badge is worth
showing to its holder), with the verification result, the catalogue link and
its evidence, in one transaction.

WalletError
├── BadgeInputError       (coach.wallet.parse) the bytes are not a readable badge
└── BadgeRejectedError    readable, but not a credential the coach can keep
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

from coach.errors import WalletError
from coach.store.ports import NewWalletRecord, WalletRecord, WalletStore
from coach.wallet.linking import CatalogueLink, link_all
from coach.wallet.parse import MAX_BADGE_BYTES, BadgeInputError, ParsedBadge, load_badge_bytes
from coach.wallet.result import VerificationResult
from knowledge.schema import Catalogue

#: Verifies badge bytes (``coach.wallet.verify.verify_credential`` with its resolver bound).
Verifier = Callable[[bytes], VerificationResult]

_MEDIA_TYPES = {
    "json": "application/json",
    "jwt": "application/jwt",
    "png": "image/png",
    "svg": "image/svg+xml",
}

#: Verdicts that mean "this is not a credential at all": nothing is stored.
_NOT_A_CREDENTIAL = frozenset({"malformed", "unsupported_format"})


class BadgeRejectedError(WalletError):
    """The file was readable but is not a credential the wallet can keep."""


class ImportOutcome(BaseModel):
    """What ``import_badge`` did: the stored record, whether it is new, the verdict, the link."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    record: WalletRecord
    created: bool
    verification: VerificationResult
    link: CatalogueLink | None

    def to_json(self) -> dict[str, object]:
        return {
            **self.record.summary(),
            "created": self.created,
            "explanation": self.verification.explanation,
            "checks": [check.model_dump(mode="json") for check in self.verification.checks],
            "link": self.link.model_dump(mode="json") if self.link else None,
        }


def _earned_on(result: VerificationResult) -> dt.date | None:
    text = (result.issued_on or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _credits(
    catalogue: Catalogue, result: VerificationResult, link: CatalogueLink | None
) -> float | None:
    claimed = result.achievement.credits if result.achievement is not None else None
    if claimed is not None and claimed >= 0:
        return claimed
    return _catalogue_credits(catalogue, link.credential_id) if link is not None else None


def _catalogue_credits(catalogue: Catalogue, credential_id: str) -> float | None:
    credential = catalogue.credentials.get(credential_id)
    return credential.workload.credits if credential is not None else None


def read_badge(data: bytes) -> ParsedBadge:
    """The size and format checks alone (raises ``BadgeInputError``)."""
    if len(data) > MAX_BADGE_BYTES:
        raise BadgeInputError(f"the file is larger than {MAX_BADGE_BYTES // (1024 * 1024)} MB")
    return load_badge_bytes(data)


def import_badge(
    store: WalletStore,
    catalogue: Catalogue,
    learner_id: str,
    data: bytes,
    *,
    verify: Verifier,
    now: dt.datetime,
) -> ImportOutcome:
    """Check, verify, link and store ``data`` in ``learner_id``'s wallet.

    The same bytes imported twice return the first record with ``created=False``.
    Raises ``BadgeInputError`` / ``BadgeRejectedError`` (nothing stored) and the
    store's errors (``UnknownLearnerError``, ``StoreUnavailableError``).
    """
    parsed = read_badge(data)
    result = verify(data)
    rejected = _NOT_A_CREDENTIAL.intersection(result.reasons)
    if result.format == "unknown" or rejected:
        detail = result.explanation or ", ".join(sorted(rejected)) or "unknown format"
        raise BadgeRejectedError(f"this file is not a credential the wallet can keep: {detail}")
    links = link_all(catalogue, result)
    link = links[0] if links else None
    evidence: dict[str, Any] | None = None
    if link is not None:
        evidence = {"method": link.method, **link.evidence}
        if len(links) > 1:  # a CLR transcript: the other credentials it proves
            evidence["also"] = [
                {
                    "credential_id": other.credential_id,
                    "confidence": other.confidence,
                    "method": other.method,
                    "credits": _catalogue_credits(catalogue, other.credential_id),
                }
                for other in links[1:]
            ]
    before = {record.id for record in store.list_credentials(learner_id)}
    record = store.add_credential(
        learner_id,
        NewWalletRecord(
            data=data,
            media_type=_MEDIA_TYPES[parsed.container],
            format=result.format,
            status=result.status,
            verification=result.model_dump(mode="json"),
            verified_at=now,
            title=result.achievement.name if result.achievement else None,
            issuer_id=result.issuer.id if result.issuer else None,
            issuer_name=result.issuer.name if result.issuer else None,
            credential_id=link.credential_id if link else None,
            link_confidence=link.confidence if link else None,
            link_evidence=evidence,
            earned_on=_earned_on(result),
            credits=_credits(catalogue, result, link),
        ),
    )
    return ImportOutcome(
        record=record, created=record.id not in before, verification=result, link=link
    )
