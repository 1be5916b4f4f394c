"""Embedded Data Integrity proofs: ``DataIntegrityProof`` with the
``eddsa-rdfc-2022`` cryptosuite, the older ``Ed25519Signature2020``, and
``EcdsaSecp256k1Signature2019`` (Blockcerts status lists and issuers).

All sign sha256(canonical proof options) || sha256(canonical document), the
canonical form being RDFC-1.0 (URDNA2015) N-Quads. The Ed25519 suites carry a
base58btc ``proofValue``; EcdsaSecp256k1Signature2019 a detached JWS (``jws``:
header ``{"alg":"ES256K","b64":false,"crit":["b64"]}``, signing input
``header.`` + those 64 bytes, signature R || S). A proof is also judged by
its own dates: ``created`` later than ``now`` (beyond a small clock-skew
allowance) or ``expires`` already passed makes the proof fail, whatever the
signature says; ``now`` is passed in, never read from the clock here.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from coach.wallet.dates import parse_time
from coach.wallet.jsonld import ContextStore, JsonLdProcessingError, canonize
from coach.wallet.keys import KeyResolutionError, decode_multibase, resolve_method
from coach.wallet.parse import BadgeInputError, b64url_decode
from coach.wallet.resolver import DocumentResolver
from coach.wallet.result import ReasonCode


@dataclass(frozen=True)
class ProofOutcome:
    """What checking one proof found: the proof and key checks separately."""

    proof_ok: bool | None
    proof_reason: ReasonCode | None
    proof_detail: str
    key_ok: bool | None
    key_reason: ReasonCode | None
    key_detail: str
    controller: str | None = None


def proofs_of(document: dict[str, Any]) -> list[Any]:
    """The document's proofs as a list (one object or a proof set)."""
    proof = document.get("proof")
    if proof is None:
        return []
    return proof if isinstance(proof, list) else [proof]


def _suite(proof: dict[str, Any]) -> str | None:
    kind = proof.get("type")
    if kind == "Ed25519Signature2020":
        return "Ed25519Signature2020"
    if kind == "DataIntegrityProof" and proof.get("cryptosuite") == "eddsa-rdfc-2022":
        return "eddsa-rdfc-2022"
    if kind == "EcdsaSecp256k1Signature2019":
        return "EcdsaSecp256k1Signature2019"
    return None


_ES256K_HEADER = {"alg": "ES256K", "b64": False, "crit": ["b64"]}


def _check_jws(jws: str, key: PublicKeyTypes, data: bytes) -> str | None:
    """Why a detached ES256K JWS over ``data`` fails, or None when it verifies."""
    parts = jws.split(".")
    if len(parts) != 3 or parts[1]:
        return "jws is not a detached compact JWS"
    try:
        header = json.loads(b64url_decode(parts[0]))
        signature = b64url_decode(parts[2])
    except (ValueError, BadgeInputError):
        return "jws header or signature is not base64url JSON"
    if header != _ES256K_HEADER:
        return f"unexpected JWS header {header!r}"
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256k1":
        return "EcdsaSecp256k1Signature2019 needs a secp256k1 key"
    if len(signature) != 64:
        return "the ES256K signature is not 64 bytes"
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        key.verify(der, parts[0].encode("ascii") + b"." + data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return "EcdsaSecp256k1Signature2019 signature does not match the content"
    return None


#: How far a proof's ``created`` may lie ahead of ``now`` (issuers' clocks drift).
CLOCK_SKEW = timedelta(minutes=5)


def proof_date_problem(proof: dict[str, Any], now: datetime) -> tuple[ReasonCode, str] | None:
    """Why the proof's own ``created`` / ``expires`` rule it out at ``now``, or None."""
    for field in ("created", "expires"):
        raw = proof.get(field)
        if raw is not None and parse_time(raw) is None:
            return "malformed", f"the proof's {field} {raw!r} is not a date-time"
    created = parse_time(proof.get("created"))
    expires = parse_time(proof.get("expires"))
    if created is not None and created > now + CLOCK_SKEW:
        return "proof_not_yet_valid", f"the proof was created in the future ({proof['created']})"
    if expires is not None and now >= expires:
        return "proof_expired", f"the proof expired on {proof['expires']}"
    return None


def verify_data_integrity(
    document: dict[str, Any],
    proof: Any,
    *,
    resolver: DocumentResolver,
    store: ContextStore,
    issuer_id: str | None,
    now: datetime | None = None,
) -> ProofOutcome:
    """Check one embedded proof of ``document`` (which may hold several).

    With ``now`` the proof's own dates are checked too (see proof_date_problem);
    a signature that verifies does not save a proof outside its dates.
    """
    result = _verify_signature(document, proof, resolver=resolver, store=store, issuer_id=issuer_id)
    if now is None or not isinstance(proof, dict) or result.proof_ok is False:
        return result
    problem = proof_date_problem(proof, now)
    if problem is None:
        return result
    reason, detail = problem
    return replace(result, proof_ok=False, proof_reason=reason, proof_detail=detail)


def _verify_signature(
    document: dict[str, Any],
    proof: Any,
    *,
    resolver: DocumentResolver,
    store: ContextStore,
    issuer_id: str | None,
) -> ProofOutcome:
    def outcome(
        ok: bool | None, reason: ReasonCode | None, detail: str, **key: Any
    ) -> ProofOutcome:
        return ProofOutcome(
            ok,
            reason,
            detail,
            key.get("key_ok"),
            key.get("key_reason"),
            key.get("key_detail", "key not checked: the proof could not be read"),
            key.get("controller"),
        )

    if not isinstance(proof, dict):
        return outcome(False, "malformed", "the proof is not an object")
    suite = _suite(proof)
    if suite is None:
        name = proof.get("cryptosuite") or proof.get("type")
        return outcome(False, "unsupported_proof", f"unsupported proof type {name!r}")
    if proof.get("proofPurpose") != "assertionMethod":
        return outcome(False, "bad_signature", "the proof's purpose is not assertionMethod")
    method_id = proof.get("verificationMethod")
    value_field = "jws" if suite == "EcdsaSecp256k1Signature2019" else "proofValue"
    value = proof.get(value_field)
    if not isinstance(method_id, str) or not isinstance(value, str):
        return outcome(False, "malformed", f"the proof lacks verificationMethod or {value_field}")

    try:
        key = resolve_method(method_id, resolver)
    except KeyResolutionError as exc:
        if exc.reason == "unavailable":
            return outcome(
                None,
                None,
                "signature not checked: the key could not be fetched",
                key_ok=None,
                key_reason="unknown_key",
                key_detail=str(exc),
            )
        return outcome(
            None,
            None,
            "signature not checked: the key was not accepted",
            key_ok=False,
            key_reason=exc.reason,
            key_detail=str(exc),
        )
    key_fields: dict[str, Any] = {
        "key_ok": True,
        "key_reason": None,
        "key_detail": f"{method_id} is authorised for assertionMethod",
        "controller": key.controller,
    }
    if issuer_id is not None and key.controller != issuer_id:
        key_fields.update(
            key_ok=False,
            key_reason="key_not_authorized",
            key_detail=f"the key belongs to {key.controller}, not the issuer {issuer_id}",
        )
    if suite != "EcdsaSecp256k1Signature2019" and not isinstance(
        key.public_key, ed25519.Ed25519PublicKey
    ):
        return outcome(False, "unsupported_proof", f"{suite} needs an Ed25519 key", **key_fields)

    unsecured = {k: copy.deepcopy(v) for k, v in document.items() if k != "proof"}
    options = {k: copy.deepcopy(v) for k, v in proof.items() if k not in ("proofValue", "jws")}
    options["@context"] = copy.deepcopy(document.get("@context"))
    try:
        canonical_document = canonize(unsecured, store)
        canonical_options = canonize(options, store)
    except JsonLdProcessingError as exc:
        if exc.missing_context:
            return outcome(None, None, f"signature not checked: {exc}", **key_fields)
        reason: ReasonCode = "context_not_allowed" if exc.context_error else "malformed"
        return outcome(False, reason, f"could not canonicalise: {exc}", **key_fields)
    signed = (
        hashlib.sha256(canonical_options.encode("utf-8")).digest()
        + hashlib.sha256(canonical_document.encode("utf-8")).digest()
    )
    if suite == "EcdsaSecp256k1Signature2019":
        problem = _check_jws(value, key.public_key, signed)
        if problem is not None:
            return outcome(False, "bad_signature", problem, **key_fields)
        return outcome(True, None, f"{suite} signature verified", **key_fields)
    if not isinstance(key.public_key, ed25519.Ed25519PublicKey):  # narrowed above
        return outcome(False, "unsupported_proof", f"{suite} needs an Ed25519 key", **key_fields)
    try:
        signature = decode_multibase(value)
    except KeyResolutionError:
        return outcome(False, "bad_signature", "proofValue is not base58btc", **key_fields)
    try:
        key.public_key.verify(signature, signed)
    except InvalidSignature:
        return outcome(
            False, "bad_signature", f"{suite} signature does not match the content", **key_fields
        )
    return outcome(True, None, f"{suite} signature verified", **key_fields)
