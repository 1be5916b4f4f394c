"""Blockcerts v2 (MerkleProof2017): the document hash against the Merkle
receipt, the receipt up to its root, the issuer key and revocation list, the
root against the anchoring transaction and the transaction's sender against the
issuer's keys (see coach.wallet.anchor; offline the anchor check stays open and
names chain and transaction). Blockcerts v3 (MerkleProof2019) is in
coach.wallet.blockcerts_v3.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import datetime
from typing import Any

from coach.wallet.anchor import (
    EXPLORER_HOSTS,
    EXPLORERS,
    check_anchor,
    check_sender,
    issuer_keys,
)
from coach.wallet.dates import parse_time
from coach.wallet.jsonld import ContextStore, JsonLdProcessingError, canonize, undefined_terms
from coach.wallet.report import Report, achievement, party
from coach.wallet.resolver import DocumentResolver, ResolutionError, fetch_json_object
from coach.wallet.result import VerificationResult
from coach.wallet.subject import identity_matches

#: EXPLORERS and EXPLORER_HOSTS live in coach.wallet.anchor; named here for older callers.
__all__ = ["EXPLORERS", "EXPLORER_HOSTS", "merkle_root", "verify_blockcerts"]


def merkle_root(target_hash: str, proof: Any) -> str:
    """Fold a MerkleProof2017 receipt path from the target hash to the root (hex)."""
    current = bytes.fromhex(target_hash)
    for step in proof if isinstance(proof, list) else []:
        if not isinstance(step, dict):
            raise ValueError("a Merkle proof step is not an object")
        if "left" in step:
            current = hashlib.sha256(bytes.fromhex(str(step["left"])) + current).digest()
        elif "right" in step:
            current = hashlib.sha256(current + bytes.fromhex(str(step["right"]))).digest()
        else:
            raise ValueError("a Merkle proof step is neither left nor right")
    return current.hex()


def _chain(anchor: dict[str, Any], key: str | None) -> str:
    chain = anchor.get("chain")
    if isinstance(chain, str):
        return chain
    address = (key or "").removeprefix("ecdsa-koblitz-pubkey:")
    if anchor.get("type") == "ETHData":
        return "ethereumMainnet"
    return "bitcoinTestnet" if address[:1] in ("m", "n", "2") else "bitcoinMainnet"


def _check_key(
    report: Report, issuer: dict[str, Any] | None, key: str | None, issued: datetime | None
) -> None:
    if issuer is None:
        report.unknown("key", "the issuer profile could not be fetched", "unknown_key")
        return
    if not key:
        report.failed("key", "unknown_key", "the certificate names no issuing key")
        return
    address = key.removeprefix("ecdsa-koblitz-pubkey:").lower()
    for entry in issuer_keys(issuer):
        ident = str(entry.get("id") or "").removeprefix("ecdsa-koblitz-pubkey:").lower()
        if ident != address:
            continue
        revoked = parse_time(entry.get("revoked"))
        created = parse_time(entry.get("created"))
        expires = parse_time(entry.get("expires"))
        if revoked is not None and (issued is None or issued >= revoked):
            report.failed(
                "key", "key_not_authorized", f"the key {key} was revoked on {entry['revoked']}"
            )
        elif created is not None and issued is not None and issued < created:
            report.failed("key", "key_not_authorized", f"issued before the key {key} existed")
        elif expires is not None and issued is not None and issued >= expires:
            report.failed("key", "key_not_authorized", f"issued after the key {key} expired")
        else:
            report.passed("key", f"the issuer profile lists {key}")
        return
    report.failed("key", "key_not_authorized", f"the issuer profile does not list {key}")


def verify_blockcerts(
    document: dict[str, Any],
    *,
    resolver: DocumentResolver,
    now: datetime,
    learner_identity: str | None,
    store: ContextStore,
) -> VerificationResult:
    """All checks of a Blockcerts certificate."""
    report = Report()
    signature = document.get("signature")
    if not isinstance(signature, dict) or signature.get("type") not in (
        "MerkleProof2017",
        ["MerkleProof2017", "Extension"],
    ):
        report.failed("format", "no_proof", "no MerkleProof2017 signature")
        return report.result("blockcerts-v2")
    report.passed("format", "Blockcerts v2 (Open Badges 2.0 + MerkleProof2017)")

    unsigned = {k: copy.deepcopy(v) for k, v in document.items() if k != "signature"}
    try:
        undefined = undefined_terms(unsigned, store)
    except JsonLdProcessingError as exc:
        reason = "context_not_allowed" if exc.context_error else "malformed"
        report.failed("context", reason, str(exc))  # type: ignore[arg-type]
        undefined = None
    if undefined:
        report.failed(
            "context", "context_not_allowed", "undefined terms: " + ", ".join(undefined[:8])
        )
    elif undefined is not None:
        report.passed("context", "Open Badges 2.0 and Blockcerts contexts, every term defined")

    target = str(signature.get("targetHash", ""))
    if not report.has_failed("context"):
        try:
            local = hashlib.sha256(canonize(unsigned, store).encode("utf-8")).hexdigest()
        except JsonLdProcessingError as exc:
            report.failed("hash", "malformed", f"could not canonicalise: {exc}")
        else:
            if local == target.lower():
                report.passed("hash", "the document hash matches the receipt's targetHash")
            else:
                report.failed("hash", "bad_signature", "the document was altered after issuing")
    root = str(signature.get("merkleRoot", "")).lower()
    try:
        computed = merkle_root(target, signature.get("proof", []))
    except ValueError as exc:
        report.failed("merkle", "bad_signature", f"unreadable Merkle receipt: {exc}")
    else:
        if computed == root:
            report.passed("merkle", "the receipt leads from the hash to the Merkle root")
        else:
            report.failed("merkle", "bad_signature", "the Merkle receipt does not lead to its root")

    verification = document.get("verification", {})
    key = None
    if isinstance(verification, dict):
        key = verification.get("publicKey", verification.get("creator"))
    anchors = signature.get("anchors", [])
    anchor = (
        anchors[0] if isinstance(anchors, list) and anchors and isinstance(anchors[0], dict) else {}
    )
    chain = _chain(anchor, key if isinstance(key, str) else None)
    transaction = check_anchor(report, chain, str(anchor.get("sourceId", "")), root, resolver)

    badge = document.get("badge") if isinstance(document.get("badge"), dict) else {}
    issuer_ref = badge.get("issuer") if isinstance(badge, dict) else None
    issuer: dict[str, Any] | None = None
    issuer_url = issuer_ref.get("id") if isinstance(issuer_ref, dict) else issuer_ref
    try:
        issuer = fetch_json_object(str(issuer_url), resolver)
    except (ResolutionError, ValueError):
        issuer = None
    issued = parse_time(document.get("issuedOn"))
    _check_key(report, issuer, key if isinstance(key, str) else None, issued)
    check_sender(report, transaction, issuer, issued)

    expires = parse_time(document.get("expires"))
    if expires is not None and now >= expires:
        report.failed("validity", "expired", f"expired on {document.get('expires')}")
    else:
        report.passed("validity", f"issued on {document.get('issuedOn')}")
    if issuer is None:
        report.unknown("status", "the issuer profile could not be fetched", "status_unavailable")
    elif not isinstance(issuer.get("revocationList"), str):
        report.passed("status", "the issuer publishes no revocation list")
    else:
        try:
            listing = fetch_json_object(issuer["revocationList"], resolver)
        except (ResolutionError, ValueError) as exc:
            report.unknown("status", f"revocation list not fetched: {exc}", "status_unavailable")
        else:
            revoked = listing.get("revokedAssertions", [])
            ids = {r.get("id") if isinstance(r, dict) else r for r in revoked if r}
            if document.get("id") in ids:
                report.failed(
                    "status", "revoked", "the certificate is on the issuer's revocation list"
                )
            else:
                report.passed("status", "not on the issuer's revocation list")
    recipient = document.get("recipient")
    if learner_identity is None:
        report.passed("subject", "no learner identity given: the recipient was not compared")
    elif isinstance(recipient, dict) and identity_matches(recipient, learner_identity):
        report.passed("subject", "the recipient identity matches the learner")
    else:
        report.failed("subject", "subject_mismatch", "the certificate was issued to someone else")
    return report.result(
        "blockcerts-v2",
        issuer=party(issuer_ref),
        achievement=achievement(badge),
        issued_on=document.get("issuedOn") if isinstance(document.get("issuedOn"), str) else None,
    )
