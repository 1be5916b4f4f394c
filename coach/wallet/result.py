"""The outcome of verifying one credential (shape fixed by DESIGN.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["valid", "invalid", "indeterminate"]

#: Reason codes of the outside contract (``coach wallet verify --json``).
ReasonCode = Literal[
    "malformed",
    "unsupported_format",
    "no_proof",
    "unsupported_proof",
    "bad_signature",
    "unknown_key",
    "key_not_authorized",
    "context_not_allowed",
    "schema_invalid",
    "expired",
    "not_yet_valid",
    "revoked",
    "suspended",
    "status_unavailable",
    "subject_mismatch",
    "anchor_unavailable",
    "anchor_issuer_mismatch",
    "issuer_key_revoked",
    "proof_not_yet_valid",
    "proof_expired",
]

#: Check ids; the contract requires at least these, formats may add more
#: (``merkle``, ``anchor``, ``claims``, ...).
CheckId = str

CredentialFormat = Literal[
    "ob3-data-integrity",
    "ob3-vc-jwt",
    "ob2-signed",
    "ob2-hosted",
    "clr2",
    "blockcerts-v2",
    "blockcerts-v3",
    "vc",
    "unknown",
]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Check(_Value):
    """One verification step; ``ok`` is None when it could not be carried out."""

    id: CheckId
    ok: bool | None
    detail: str


class Party(_Value):
    """The issuer of a credential, as the credential names it."""

    id: str | None = None
    name: str | None = None


class AchievementSummary(_Value):
    """What the credential says was achieved (used to link it to the catalogue)."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    achievement_type: str | None = None
    credits: float | None = None
    alignments: tuple[str, ...] = ()


class VerificationResult(_Value):
    """``valid``: every applicable check passed; ``indeterminate``: nothing failed
    but something could not be checked; ``invalid``: ``reasons`` says why."""

    status: Status
    format: CredentialFormat
    reasons: tuple[ReasonCode, ...] = ()
    checks: tuple[Check, ...] = ()
    issuer: Party | None = None
    achievement: AchievementSummary | None = None
    subject_id: str | None = None
    issued_on: str | None = Field(default=None, description="ISO 8601 date or time.")
    expires_on: str | None = None
    parts: tuple[VerificationResult, ...] = Field(
        default=(), description="For CLR bundles: each credential inside."
    )
    explanation: str = Field(default="", description="Plain words for a learner.")
