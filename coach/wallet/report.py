"""Collecting checks into a VerificationResult, and plain-words explanations."""

from __future__ import annotations

from typing import Any

from coach.wallet.result import (
    AchievementSummary,
    Check,
    CredentialFormat,
    Party,
    ReasonCode,
    Status,
    VerificationResult,
)

_WORDS: dict[str, str] = {
    "malformed": "the file is not a well-formed credential",
    "unsupported_format": "this kind of credential is not supported",
    "no_proof": "it carries no signature",
    "unsupported_proof": "its kind of signature is not supported",
    "bad_signature": "its signature does not match its content (it may have been altered)",
    "unknown_key": "the issuer's key could not be found",
    "key_not_authorized": "it was signed with a key the issuer has not authorised",
    "context_not_allowed": "it uses vocabulary this wallet does not trust",
    "schema_invalid": "it does not follow the credential's schema",
    "expired": "it has expired",
    "not_yet_valid": "it is not valid yet",
    "revoked": "the issuer has revoked it",
    "suspended": "the issuer has suspended it",
    "status_unavailable": "its revocation status could not be checked",
    "subject_mismatch": "it was issued to someone else",
    "anchor_unavailable": "its blockchain record could not be looked up",
    "anchor_issuer_mismatch": "its blockchain record was written by someone other than the issuer",
    "issuer_key_revoked": "the issuer's key had been revoked or had expired when it was issued",
    "proof_not_yet_valid": "its signature is dated in the future",
    "proof_expired": "its signature has expired",
}


class Report:
    """Accumulates checks; ``ok`` None means 'could not be checked'."""

    def __init__(self) -> None:
        self.checks: list[Check] = []
        self.reasons: list[ReasonCode] = []

    def _reason(self, reason: ReasonCode | None) -> None:
        if reason is not None and reason not in self.reasons:
            self.reasons.append(reason)

    def passed(self, check_id: str, detail: str) -> None:
        self.checks.append(Check(id=check_id, ok=True, detail=detail))

    def failed(self, check_id: str, reason: ReasonCode, detail: str) -> None:
        self.checks.append(Check(id=check_id, ok=False, detail=detail))
        self._reason(reason)

    def unknown(self, check_id: str, detail: str, reason: ReasonCode | None = None) -> None:
        self.checks.append(Check(id=check_id, ok=None, detail=detail))
        self._reason(reason)

    def has_failed(self, check_id: str | None = None) -> bool:
        return any(c.ok is False and (check_id is None or c.id == check_id) for c in self.checks)

    def status(self) -> Status:
        if any(c.ok is False for c in self.checks):
            return "invalid"
        if any(c.ok is None for c in self.checks) or not self.checks:
            return "indeterminate"
        return "valid"

    def result(self, fmt: CredentialFormat, **fields: Any) -> VerificationResult:
        status = self.status()
        parts = fields.get("parts", ())
        # A bundle is as good as its worst part.
        if any(p.status == "invalid" for p in parts):
            status = "invalid"
        elif status == "valid" and any(p.status != "valid" for p in parts):
            status = "indeterminate"
        reasons = list(self.reasons)
        for part in parts:
            for reason in part.reasons:
                if reason not in reasons:
                    reasons.append(reason)
        return VerificationResult(
            status=status,
            format=fmt,
            reasons=tuple(reasons),
            checks=tuple(self.checks),
            explanation=explain(status, reasons, self.checks),
            **fields,
        )


def explain(status: str, reasons: list[ReasonCode], checks: list[Check]) -> str:
    """One or two plain sentences for a learner."""
    if status == "valid":
        return "This credential is authentic: its signature, issuer and status all check out."
    words = [_WORDS[r] for r in reasons if r in _WORDS]
    if status == "invalid":
        return "This credential could not be trusted: " + "; ".join(words[:3]) + "."
    open_checks = [c.id for c in checks if c.ok is None]
    because = "; ".join(words[:2]) if words else "some checks could not be completed"
    return (
        f"Nothing wrong was found, but this credential could not be fully checked: {because}. "
        f"Unchecked: {', '.join(open_checks) or 'none'}."
    )


def _first_type(value: Any) -> str | None:
    if isinstance(value, list):
        return str(value[0]) if value else None
    return str(value) if isinstance(value, str) else None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # language maps / value objects
        for key in ("@value", "en", "en-US"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return None


def party(value: Any) -> Party | None:
    """The issuer as a credential names it (a string id or a profile object)."""
    if isinstance(value, str):
        return Party(id=value)
    if isinstance(value, dict):
        ident = value.get("id")
        return Party(id=ident if isinstance(ident, str) else None, name=_text(value.get("name")))
    return None


def achievement(value: Any) -> AchievementSummary | None:
    """Summary of an OB3 / CLR / OB2 achievement (BadgeClass) object."""
    if not isinstance(value, dict):
        return None
    credits_value = value.get("creditsAvailable")
    alignments: list[str] = []
    raw_alignments = value.get("alignment") or value.get("alignments") or []
    for item in raw_alignments if isinstance(raw_alignments, list) else []:
        if isinstance(item, dict):
            url = item.get("targetUrl") or item.get("targetCode") or item.get("targetName")
            if isinstance(url, str):
                alignments.append(url)
    ident = value.get("id")
    return AchievementSummary(
        id=ident if isinstance(ident, str) else None,
        name=_text(value.get("name")),
        description=_text(value.get("description")),
        achievement_type=_text(value.get("achievementType")) or _first_type(value.get("type")),
        credits=float(credits_value) if isinstance(credits_value, int | float) else None,
        alignments=tuple(alignments),
    )
