"""A wallet verification result, explained in plain words for the learner."""

from __future__ import annotations

from coach.answer import Answer, Citation
from coach.wallet.result import VerificationResult
from knowledge.schema import Catalogue

_REASONS: dict[str, str] = {
    "malformed": "the file is not a well-formed credential",
    "unsupported_format": "it is in a format I cannot check",
    "no_proof": "it carries no signature, so nothing proves who issued it",
    "unsupported_proof": "its signature type is one I cannot check",
    "bad_signature": "its signature does not match its content: it was altered or forged",
    "unknown_key": "the key that signed it could not be found",
    "key_not_authorized": "it was signed with a key the issuer has not authorised",
    "context_not_allowed": "it refers to definitions (JSON-LD contexts) that are not allowed",
    "schema_invalid": "its structure breaks the standard's schema",
    "expired": "it has expired",
    "not_yet_valid": "it is not valid yet",
    "revoked": "the issuer has revoked it",
    "suspended": "the issuer has suspended it",
    "status_unavailable": "its revocation status could not be checked",
    "subject_mismatch": "it was issued to someone else",
    "anchor_unavailable": "its blockchain anchor could not be checked offline",
}

_STATUS: dict[str, str] = {
    "valid": "authentic: every check passed",
    "invalid": "NOT authentic",
    "indeterminate": "not fully checkable: nothing failed, but something could not be checked",
}


def catalogue_match(catalogue: Catalogue, result: VerificationResult) -> str | None:
    """The catalogue credential a verified badge is for (by achievement id), if any."""
    achievement_id = result.achievement.id if result.achievement else None
    if achievement_id:
        for credential in catalogue.credentials.values():
            if achievement_id in credential.achievement_ids:
                return credential.id
    return None


def explain_verification(
    catalogue: Catalogue, result: VerificationResult, *, record_id: str | None = None
) -> Answer:
    """What the verification found, why, and what it is in the catalogue.

    Badge fields (name, issuer name) are shown quoted as data; the verdict comes
    only from the checks.
    """
    name = result.achievement.name if result.achievement and result.achievement.name else None
    issuer = result.issuer.name or result.issuer.id if result.issuer else None
    lines = [f"This badge is {_STATUS[result.status]}."]
    if name:
        lines.append(
            f'It says it is "{name[:120]}"' + (f', issued by "{issuer[:120]}".' if issuer else ".")
        )
    if result.reasons:
        lines.append("Why: " + "; ".join(_REASONS.get(r, r) for r in result.reasons) + ".")
    failed = [c for c in result.checks if c.ok is False]
    unchecked = [c for c in result.checks if c.ok is None]
    if failed:
        lines.append("Failed checks: " + ", ".join(c.id for c in failed) + ".")
    if unchecked:
        lines.append("Not checked: " + ", ".join(c.id for c in unchecked) + ".")
    if result.expires_on:
        lines.append(f"Expires on: {result.expires_on}.")
    citations: list[Citation] = []
    if record_id:
        citations.append(Citation(id=record_id, title=f"wallet record ({result.format})"))
    matched = catalogue_match(catalogue, result) if result.status == "valid" else None
    if matched is not None:
        credential = catalogue.credentials[matched]
        lines.append(f"It matches {credential.title} in the catalogue.")
        citations.append(Citation(id=matched, title=credential.title, url=credential.url))
    elif result.status == "valid":
        lines.append("It does not match any credential in the catalogue.")
    return Answer(text=" ".join(lines), intent="verify_badge", citations=tuple(citations))
