"""VC-JWT (compact JWS): OB 3.0 / VC 1.1 ``vc`` claim, or a VC 2.0 payload.

Algorithms: RS256, ES256, EdDSA only (never ``none``, never HMAC: a public key
must never serve as an HMAC secret). The key comes from ``kid`` (DID URL or
HTTPS key) resolved against the issuer; a ``jwk`` in the header only counts
when it equals a key the issuer has authorised.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from coach.wallet.dates import parse_time
from coach.wallet.jsonld import ContextStore
from coach.wallet.keys import (
    KeyResolutionError,
    ResolvedKey,
    jwk_to_public_key,
    resolve_did,
    resolve_method,
)
from coach.wallet.parse import BadgeInputError, jws_header_and_signature
from coach.wallet.report import Report
from coach.wallet.resolver import DocumentResolver
from coach.wallet.result import VerificationResult
from coach.wallet.schema import builtin_errors
from coach.wallet.status import check_status, record_status
from coach.wallet.vc import (
    check_context,
    check_subject,
    check_validity,
    issuer_id,
    summary_fields,
    types_of,
)

ALLOWED_ALGORITHMS = ("RS256", "ES256", "EdDSA")


def _same_key(a: PublicKeyTypes, b: PublicKeyTypes) -> bool:
    fmt = PublicFormat.SubjectPublicKeyInfo
    return a.public_bytes(Encoding.DER, fmt) == b.public_bytes(Encoding.DER, fmt)


def check_signature(alg: str, key: PublicKeyTypes, signing_input: bytes, sig: bytes) -> bool:
    """Verify a JWS signature for one of the allowed algorithms."""
    try:
        if alg == "EdDSA" and isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(sig, signing_input)
            return True
        if alg == "ES256" and isinstance(key, ec.EllipticCurvePublicKey):
            if key.curve.name != "secp256r1" or len(sig) != 64:
                return False
            der = encode_dss_signature(
                int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
            )
            key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
            return True
        if alg == "RS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())
            return True
    except InvalidSignature:
        return False
    return False


def _credential_of(payload: dict[str, Any]) -> dict[str, Any] | None:
    vc = payload.get("vc")
    if isinstance(vc, dict):
        return vc
    if "@context" in payload and "type" in payload:
        return payload  # VC 2.0 secured with JOSE: the payload is the credential
    return None


def _resolve_key(
    header: dict[str, Any], iss: str | None, resolver: DocumentResolver
) -> ResolvedKey:
    kid = header.get("kid")
    if isinstance(kid, str) and kid.startswith("#") and iss:
        kid = iss + kid
    if isinstance(kid, str) and kid:
        key = resolve_method(kid, resolver)
    elif iss and iss.startswith("did:"):
        document = resolve_did(iss, resolver)
        methods = document.get("assertionMethod", [])
        first = methods[0] if isinstance(methods, list) and methods else None
        ref = first.get("id") if isinstance(first, dict) else first
        if not isinstance(ref, str):
            raise KeyResolutionError(f"{iss} authorises no assertion key", "unknown_key")
        key = resolve_method(iss + ref if ref.startswith("#") else ref, resolver)
    else:
        raise KeyResolutionError("the JWT names no key (kid) and no DID issuer", "unknown_key")
    if iss is not None and key.controller != iss:
        raise KeyResolutionError(
            f"the key belongs to {key.controller}, not the issuer {iss}", "key_not_authorized"
        )
    if "jwk" in header:
        embedded = jwk_to_public_key(header["jwk"])
        if not _same_key(embedded, key.public_key):
            raise KeyResolutionError(
                "the header's jwk is not the key the issuer authorised", "key_not_authorized"
            )
    return key


def _claims(
    report: Report, payload: dict[str, Any], credential: dict[str, Any], now: datetime
) -> None:
    problems: list[str] = []
    iss = payload.get("iss")
    if iss is not None and iss != issuer_id(credential):
        problems.append(f"iss {iss!r} is not the credential's issuer {issuer_id(credential)!r}")
    jti = payload.get("jti")
    if jti is not None and credential.get("id") is not None and jti != credential.get("id"):
        problems.append(f"jti {jti!r} is not the credential id")
    subject = credential.get("credentialSubject")
    first = subject[0] if isinstance(subject, list) and subject else subject
    sub = payload.get("sub")
    if sub is not None and isinstance(first, dict) and first.get("id") not in (None, sub):
        problems.append(f"sub {sub!r} is not the credential subject")
    for claim, fields in (
        ("nbf", ("validFrom", "issuanceDate")),
        ("exp", ("validUntil", "expirationDate")),
    ):
        value = payload.get(claim)
        if value is None:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            problems.append(f"{claim} is not a number")
            continue
        stated = next((credential[f] for f in fields if f in credential), None)
        when = parse_time(stated) if stated is not None else None
        if stated is not None and (when is None or abs(when.timestamp() - value) > 1):
            problems.append(f"{claim} does not match {stated!r}")
    if problems:
        report.failed("claims", "malformed", "; ".join(problems))
    else:
        report.passed("claims", "iss, sub, jti, nbf and exp agree with the credential")
    # Compared as numbers: a timestamp outside the platform's datetime range
    # (a crafted 1e300) must give an answer, not an OverflowError.
    exp, nbf = payload.get("exp"), payload.get("nbf")
    moment = now.timestamp()
    if isinstance(exp, int | float) and not isinstance(exp, bool) and moment >= exp:
        report.failed("validity", "expired", "the JWT's exp has passed")
    if isinstance(nbf, int | float) and not isinstance(nbf, bool) and moment < nbf:
        report.failed("validity", "not_yet_valid", "the JWT's nbf is in the future")


def verify_compact(
    token: str,
    payload: dict[str, Any],
    *,
    resolver: DocumentResolver,
    now: datetime,
    learner_identity: str | None,
    store: ContextStore,
) -> VerificationResult:
    """All checks of a VC-JWT."""
    report = Report()
    header_b64, payload_b64, sig_b64 = token.split(".")
    try:
        header, signature = jws_header_and_signature(header_b64, sig_b64)
    except (ValueError, BadgeInputError) as exc:
        report.failed("format", "malformed", f"unreadable JWT header or signature: {exc}")
        return report.result("ob3-vc-jwt")
    credential = _credential_of(payload)
    if not isinstance(header, dict) or credential is None:
        report.failed("format", "malformed", "the JWT carries no verifiable credential")
        return report.result("ob3-vc-jwt")
    if "VerifiableCredential" not in types_of(credential):
        report.failed("format", "malformed", "the vc claim's type lacks VerifiableCredential")
    else:
        report.passed("format", "VC-JWT: " + ", ".join(types_of(credential)))
    check_context(report, credential, store)
    errors = builtin_errors(credential, with_proof=False)
    if errors:
        report.failed("schema", "schema_invalid", "; ".join(errors))
    else:
        report.passed("schema", "structure conforms")

    alg = header.get("alg")
    iss = payload.get("iss") if isinstance(payload.get("iss"), str) else issuer_id(credential)
    if alg not in ALLOWED_ALGORITHMS:
        report.failed("proof", "unsupported_proof", f"algorithm {alg!r} is not accepted")
        report.unknown("key", "not resolved: the algorithm is refused")
    elif "crit" in header or header.get("b64") is False:
        # No JWS extension is understood here, so a critical one must be refused.
        report.failed("proof", "unsupported_proof", "the JWS uses extensions (crit / b64)")
        report.unknown("key", "not resolved: the JWS is refused")
    else:
        try:
            key = _resolve_key(header, iss, resolver)
        except KeyResolutionError as exc:
            if exc.reason == "unavailable":
                report.unknown("proof", "signature not checked: the key could not be fetched")
                report.unknown("key", str(exc), "unknown_key")
            else:
                report.unknown("proof", "signature not checked: the key was not accepted")
                report.failed("key", exc.reason, str(exc))
        else:
            report.passed("key", f"{key.id} is authorised by {key.controller}")
            signing_input = f"{header_b64}.{payload_b64}".encode("ascii")
            if check_signature(str(alg), key.public_key, signing_input, signature):
                report.passed("proof", f"{alg} signature verified")
            else:
                report.failed("proof", "bad_signature", f"{alg} signature does not match")
    _claims(report, payload, credential, now)
    if not report.has_failed("validity"):
        check_validity(report, credential, now)
    record_status(
        report,
        check_status(credential, issuer_id=iss, resolver=resolver, store=store, now=now),
    )
    check_subject(report, credential.get("credentialSubject"), learner_identity)
    return report.result("ob3-vc-jwt", **summary_fields(credential))
