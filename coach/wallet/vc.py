"""Verifiable Credentials with embedded Data Integrity proofs (OB 3.0, CLR 2.0
inner credentials, any VC 1.1 / 2.0), and the checks every VC shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coach.wallet.dataintegrity import proofs_of, verify_data_integrity
from coach.wallet.dates import check_window, window
from coach.wallet.jsonld import ContextStore, JsonLdProcessingError, undefined_terms
from coach.wallet.report import Report, achievement, party
from coach.wallet.resolver import DocumentResolver
from coach.wallet.result import CredentialFormat, VerificationResult
from coach.wallet.schema import builtin_errors, declared_schema_errors
from coach.wallet.status import check_status, record_status
from coach.wallet.subject import subject_matches

VC_CONTEXTS = ("https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2")
OB3_TYPES = ("OpenBadgeCredential", "AchievementCredential", "EndorsementCredential")
CLR_TYPES = ("ClrCredential",)


def types_of(document: dict[str, Any]) -> list[str]:
    value = document.get("type")
    items = value if isinstance(value, list) else [value]
    return [t for t in items if isinstance(t, str)]


def issuer_id(document: dict[str, Any]) -> str | None:
    value = document.get("issuer")
    ident = value.get("id") if isinstance(value, dict) else value
    return ident if isinstance(ident, str) else None


def check_context(report: Report, document: dict[str, Any], store: ContextStore) -> None:
    """Allow-listed contexts only, and no term left undefined."""
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first not in VC_CONTEXTS:
        report.failed("context", "malformed", "the first @context is not a W3C VC context")
        return
    try:
        undefined = undefined_terms(document, store)
    except JsonLdProcessingError as exc:
        if exc.missing_context:
            report.unknown("context", str(exc))
        elif exc.context_error is not None:
            report.failed("context", "context_not_allowed", str(exc))
        else:
            report.failed("context", "malformed", str(exc))
        return
    if undefined:
        report.failed(
            "context",
            "context_not_allowed",
            "terms not defined by the credential's contexts: " + ", ".join(undefined[:8]),
        )
        return
    report.passed("context", "every context is allow-listed and pinned; every term is defined")


def check_schema(report: Report, document: dict[str, Any], resolver: DocumentResolver) -> None:
    errors = builtin_errors(document)
    declared_errors, notes = declared_schema_errors(document, resolver)
    errors.extend(declared_errors)
    if errors:
        report.failed("schema", "schema_invalid", "; ".join(errors[:5]))
    else:
        report.passed("schema", "; ".join(["structure conforms", *notes]))


def check_validity(report: Report, document: dict[str, Any], now: datetime) -> None:
    state, detail = check_window(document, now)
    if state == "ok":
        report.passed("validity", detail)
    elif state == "malformed":
        report.failed("validity", "malformed", detail)
    else:
        report.failed("validity", state, detail)  # type: ignore[arg-type]


def check_subject(report: Report, subject: Any, learner_identity: str | None) -> None:
    if learner_identity is None:
        report.passed("subject", "no learner identity given: the subject was not compared")
        return
    matches, detail = subject_matches(subject, learner_identity)
    if matches is True:
        report.passed("subject", detail)
    elif matches is False:
        report.failed("subject", "subject_mismatch", detail)
    else:
        report.unknown("subject", detail)


def check_proofs(
    report: Report,
    document: dict[str, Any],
    *,
    resolver: DocumentResolver,
    store: ContextStore,
    now: datetime | None = None,
) -> None:
    """Every embedded proof must verify (a proof set), and its key must be the issuer's;
    with ``now``, each proof must also be within its own ``created`` / ``expires``."""
    proofs = proofs_of(document)
    if not proofs:
        report.failed("proof", "no_proof", "the credential carries no embedded proof")
        report.unknown("key", "no proof names a key")
        return
    outcomes = [
        verify_data_integrity(
            document,
            proof,
            resolver=resolver,
            store=store,
            issuer_id=issuer_id(document),
            now=now,
        )
        for proof in proofs
    ]
    for name, ok_attr, reason_attr, detail_attr in (
        ("proof", "proof_ok", "proof_reason", "proof_detail"),
        ("key", "key_ok", "key_reason", "key_detail"),
    ):
        details = "; ".join(str(getattr(o, detail_attr)) for o in outcomes)
        oks = [getattr(o, ok_attr) for o in outcomes]
        reasons = [getattr(o, reason_attr) for o in outcomes if getattr(o, reason_attr)]
        if any(ok is False for ok in oks):
            report.failed(name, reasons[0] if reasons else "bad_signature", details)
        elif any(ok is None for ok in oks):
            report.unknown(name, details, reasons[0] if reasons else None)
        else:
            report.passed(name, details)


def summary_fields(document: dict[str, Any]) -> dict[str, Any]:
    """issuer / achievement / subject / dates for the result."""
    subject = document.get("credentialSubject")
    first = subject[0] if isinstance(subject, list) and subject else subject
    start, end = window(document)
    subject_id = first.get("id") if isinstance(first, dict) else None
    return {
        "issuer": party(document.get("issuer")),
        "achievement": achievement(first.get("achievement")) if isinstance(first, dict) else None,
        "subject_id": subject_id if isinstance(subject_id, str) else None,
        "issued_on": start if isinstance(start, str) else None,
        "expires_on": end if isinstance(end, str) else None,
    }


def credential_format(document: dict[str, Any]) -> CredentialFormat:
    types = types_of(document)
    if any(t in CLR_TYPES for t in types):
        return "clr2"
    if any(t in OB3_TYPES for t in types):
        return "ob3-data-integrity"
    return "vc"


def verify_embedded_vc(
    document: dict[str, Any],
    *,
    resolver: DocumentResolver,
    now: datetime,
    learner_identity: str | None,
    store: ContextStore,
    parts: tuple[VerificationResult, ...] = (),
) -> VerificationResult:
    """All checks of a VC secured with embedded Data Integrity proofs."""
    report = Report()
    fmt = credential_format(document)
    if "VerifiableCredential" not in types_of(document):
        report.failed("format", "malformed", "type does not include VerifiableCredential")
    else:
        report.passed("format", f"{fmt}: {', '.join(types_of(document))}")
    check_context(report, document, store)
    check_schema(report, document, resolver)
    check_proofs(report, document, resolver=resolver, store=store, now=now)
    check_validity(report, document, now)
    record_status(
        report,
        check_status(
            document, issuer_id=issuer_id(document), resolver=resolver, store=store, now=now
        ),
    )
    check_subject(report, document.get("credentialSubject"), learner_identity)
    return report.result(fmt, parts=parts, **summary_fields(document))
