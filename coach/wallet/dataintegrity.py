"""Embedded Data Integrity proofs: ``DataIntegrityProof`` with the
``eddsa-rdfc-2022`` cryptosuite and the older ``Ed25519Signature2020``.

Both sign sha256(canonical proof options) || sha256(canonical document), the
canonical form being RDFC-1.0 (URDNA2015) N-Quads.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from coach.wallet.jsonld import ContextStore, JsonLdProcessingError, canonize
from coach.wallet.keys import KeyResolutionError, decode_multibase, resolve_method
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
    return None


def verify_data_integrity(
    document: dict[str, Any],
    proof: Any,
    *,
    resolver: DocumentResolver,
    store: ContextStore,
    issuer_id: str | None,
) -> ProofOutcome:
    """Check one embedded proof of ``document`` (which may hold several)."""

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
    value = proof.get("proofValue")
    if not isinstance(method_id, str) or not isinstance(value, str):
        return outcome(False, "malformed", "the proof lacks verificationMethod or proofValue")

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
    if not isinstance(key.public_key, ed25519.Ed25519PublicKey):
        return outcome(False, "unsupported_proof", f"{suite} needs an Ed25519 key", **key_fields)

    unsecured = {k: copy.deepcopy(v) for k, v in document.items() if k != "proof"}
    options = {k: copy.deepcopy(v) for k, v in proof.items() if k != "proofValue"}
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
