"""Open Badges 2.0 assertions: hosted (the assertion must be served at its own
id, on the issuer's origin) and signed (RS256 JWS whose key the issuer profile
lists). Revocation comes from the issuer profile's revocationList."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.serialization import load_pem_public_key

from coach.wallet.dates import check_window
from coach.wallet.jwt_vc import check_signature
from coach.wallet.parse import BadgeInputError, jws_header_and_signature
from coach.wallet.report import Report, achievement, party
from coach.wallet.resolver import DocumentResolver, ResolutionError, fetch_json_object
from coach.wallet.result import VerificationResult
from coach.wallet.subject import identity_matches


def _origin(url: Any) -> str:
    parts = urlsplit(url if isinstance(url, str) else "")
    return f"{parts.scheme}://{parts.netloc}"


def _embedded_or_fetched(value: Any, resolver: DocumentResolver) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    try:
        return fetch_json_object(value, resolver)
    except (ResolutionError, ValueError):
        return None


def _common(
    report: Report,
    assertion: dict[str, Any],
    issuer: dict[str, Any] | None,
    *,
    resolver: DocumentResolver,
    now: datetime,
    learner_identity: str | None,
) -> None:
    state, detail = check_window(assertion, now)
    if state == "ok":
        report.passed("validity", detail)
    else:
        report.failed("validity", state if state != "ok" else "malformed", detail)  # type: ignore[arg-type]
    if assertion.get("revoked") is True:
        report.failed("status", "revoked", "the assertion is marked revoked")
    elif issuer is None:
        report.unknown("status", "issuer profile not available", "status_unavailable")
    elif "revocationList" not in issuer:
        report.passed("status", "the issuer publishes no revocation list")
    else:
        try:
            listing = fetch_json_object(issuer["revocationList"], resolver)
        except (ResolutionError, ValueError) as exc:
            report.unknown("status", f"revocation list not fetched: {exc}", "status_unavailable")
        else:
            revoked = listing.get("revokedAssertions", [])
            ids = {r.get("id") if isinstance(r, dict) else r for r in revoked or []}
            if assertion.get("id") in ids or assertion.get("uid") in ids:
                report.failed("status", "revoked", "the assertion is on the revocation list")
            else:
                report.passed("status", "not on the issuer's revocation list")
    recipient = assertion.get("recipient")
    if learner_identity is None:
        report.passed("subject", "no learner identity given: the recipient was not compared")
    elif not isinstance(recipient, dict):
        report.unknown("subject", "the assertion names no recipient")
    elif identity_matches(recipient, learner_identity):
        report.passed("subject", "the recipient identity matches the learner")
    else:
        report.failed("subject", "subject_mismatch", "the badge was awarded to someone else")


def _summary(
    badge: dict[str, Any] | None, issuer: dict[str, Any] | None, assertion: dict[str, Any]
) -> dict[str, Any]:
    return {
        "issuer": party(issuer) if issuer else None,
        "achievement": achievement(badge),
        "issued_on": assertion.get("issuedOn")
        if isinstance(assertion.get("issuedOn"), str)
        else None,
        "expires_on": assertion.get("expires")
        if isinstance(assertion.get("expires"), str)
        else None,
    }


def verify_assertion(
    assertion: dict[str, Any],
    *,
    resolver: DocumentResolver,
    now: datetime,
    learner_identity: str | None,
) -> VerificationResult:
    """A hosted OB 2.0 assertion (JSON)."""
    report = Report()
    verification = assertion.get("verification")
    kind = verification.get("type") if isinstance(verification, dict) else None
    if kind not in ("hosted", "HostedBadge"):
        report.failed(
            "format", "no_proof", f"OB 2.0 verification type {kind!r}: expected hosted or a JWS"
        )
        return report.result("ob2-hosted")
    report.passed("format", "Open Badges 2.0 hosted assertion")
    badge = _embedded_or_fetched(assertion.get("badge"), resolver)
    issuer = _embedded_or_fetched(badge.get("issuer") if badge else None, resolver)
    ident = assertion.get("id")
    try:
        hosted = fetch_json_object(ident, resolver)
    except (ResolutionError, ValueError) as exc:
        report.unknown("proof", f"the hosted copy could not be fetched: {exc}")
    else:
        if hosted == assertion:
            report.passed("proof", f"the issuer serves this assertion at {ident}")
        else:
            report.failed("proof", "bad_signature", "the hosted copy differs from this badge")
    allowed = verification.get("allowedOrigins") if isinstance(verification, dict) else None
    origins = allowed if isinstance(allowed, list) else [allowed] if allowed else []
    issuer_origin = _origin(issuer.get("id")) if issuer else None
    if issuer is None:
        report.unknown("key", "the issuer profile is not available", "unknown_key")
    elif _origin(ident) == issuer_origin or _origin(ident) in [_origin(o) for o in origins]:
        report.passed("key", f"the assertion is hosted on the issuer's origin {issuer_origin}")
    else:
        report.failed(
            "key", "key_not_authorized", "the assertion is hosted off the issuer's origin"
        )
    _common(
        report, assertion, issuer, resolver=resolver, now=now, learner_identity=learner_identity
    )
    return report.result("ob2-hosted", **_summary(badge, issuer, assertion))


def verify_signed(
    token: str,
    assertion: dict[str, Any],
    *,
    resolver: DocumentResolver,
    now: datetime,
    learner_identity: str | None,
) -> VerificationResult:
    """A signed OB 2.0 assertion (compact JWS, RS256)."""
    report = Report()
    header_b64, payload_b64, sig_b64 = token.split(".")
    try:
        header, signature = jws_header_and_signature(header_b64, sig_b64)
    except (ValueError, BadgeInputError) as exc:
        report.failed("format", "malformed", f"unreadable JWS: {exc}")
        return report.result("ob2-signed")
    report.passed("format", "Open Badges 2.0 signed assertion")
    badge = _embedded_or_fetched(assertion.get("badge"), resolver)
    issuer = _embedded_or_fetched(badge.get("issuer") if badge else None, resolver)
    verification = assertion.get("verification")
    creator = verification.get("creator") if isinstance(verification, dict) else None
    alg = header.get("alg") if isinstance(header, dict) else None
    if alg != "RS256":
        report.failed("proof", "unsupported_proof", f"algorithm {alg!r} is not accepted for OB 2.0")
        report.unknown("key", "not resolved: the algorithm is refused")
    else:
        try:
            key_doc = fetch_json_object(creator, resolver)
            public_key = load_pem_public_key(str(key_doc.get("publicKeyPem", "")).encode())
        except (ResolutionError, ValueError) as exc:
            report.unknown("proof", "signature not checked: the key could not be fetched")
            report.unknown("key", f"key {creator} not available: {exc}", "unknown_key")
        else:
            owner = key_doc.get("owner")
            listed = issuer.get("publicKey") if issuer else None
            listed_ids = listed if isinstance(listed, list) else [listed]
            listed_ids = [k.get("id") if isinstance(k, dict) else k for k in listed_ids]
            if issuer is None:
                report.unknown("key", "the issuer profile is not available", "unknown_key")
            elif owner != issuer.get("id") or creator not in listed_ids:
                report.failed(
                    "key", "key_not_authorized", "the issuer profile does not list this key"
                )
            else:
                report.passed("key", f"{creator} is listed by the issuer {owner}")
            signing_input = f"{header_b64}.{payload_b64}".encode("ascii")
            if check_signature("RS256", public_key, signing_input, signature):
                report.passed("proof", "RS256 signature verified")
            else:
                report.failed("proof", "bad_signature", "RS256 signature does not match")
    _common(
        report, assertion, issuer, resolver=resolver, now=now, learner_identity=learner_identity
    )
    return report.result("ob2-signed", **_summary(badge, issuer, assertion))


def verify_hosted_url(
    url: str, *, resolver: DocumentResolver, now: datetime, learner_identity: str | None
) -> VerificationResult:
    """A baked image that only names its hosted assertion."""
    try:
        assertion = fetch_json_object(url, resolver)
    except (ResolutionError, ValueError) as exc:
        report = Report()
        report.passed("format", "Open Badges 2.0 baked image naming a hosted assertion")
        report.unknown("proof", f"the hosted assertion {url} could not be fetched: {exc}")
        return report.result("ob2-hosted")
    return verify_assertion(
        assertion, resolver=resolver, now=now, learner_identity=learner_identity
    )
