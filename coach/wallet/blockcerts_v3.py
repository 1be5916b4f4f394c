"""Blockcerts v3: a W3C VC secured by a MerkleProof2019 receipt.

Checks, each reported separately:

- ``format`` / ``context``: a VC whose contexts are pinned and define every term;
- ``proof``: the receipt decodes (coach.wallet.merkleproof2019), its purpose is
  ``assertionMethod`` and its own dates hold at ``now``;
- ``hash``: sha256 of the URDNA2015 canonical document without ``proof`` is the
  receipt's targetHash;
- ``merkle``: the path folds from targetHash to merkleRoot;
- ``anchor``: the first anchor's transaction records merkleRoot (offline: open,
  naming chain and transaction; never ``valid``);
- ``key``: the proof's ``verificationMethod`` is listed by the issuer (profile
  or DID document) and was not revoked or expired at issuance;
- ``sender``: the anchoring transaction was sent from one of the issuer
  profile's ``publicKey`` addresses, valid at the transaction's time;
- ``validity``, ``status`` (Bitstring / StatusList2021 entries, the Blockcerts
  ``RevocationList`` and the issuer's ``revocationList``), ``subject``.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import datetime
from typing import Any

from coach.wallet.anchor import (
    AnchorFormatError,
    Transaction,
    check_anchor,
    check_sender,
    parse_blink,
)
from coach.wallet.blockcerts import merkle_root
from coach.wallet.dataintegrity import proof_date_problem, proofs_of
from coach.wallet.dates import parse_time, window
from coach.wallet.jsonld import ContextStore, JsonLdProcessingError, canonize
from coach.wallet.keys import KeyResolutionError, resolve_did
from coach.wallet.merkleproof2019 import MerkleReceipt, ProofValueError, decode_proof_value
from coach.wallet.report import Report, achievement
from coach.wallet.resolver import DocumentResolver, ResolutionError, fetch_json_object
from coach.wallet.result import VerificationResult
from coach.wallet.status import StatusOutcome, check_status, record_status
from coach.wallet.vc import (
    check_context,
    check_subject,
    check_validity,
    issuer_id,
    summary_fields,
    types_of,
)


def _check_receipt(report: Report, proof: dict[str, Any], now: datetime) -> MerkleReceipt | None:
    try:
        receipt = decode_proof_value(proof.get("proofValue"))
    except ProofValueError as exc:
        report.failed("proof", "malformed", f"unreadable MerkleProof2019 receipt: {exc}")
        return None
    if proof.get("proofPurpose") != "assertionMethod":
        report.failed("proof", "bad_signature", "the proof's purpose is not assertionMethod")
        return receipt
    problem = proof_date_problem(proof, now)
    if problem is not None:
        report.failed("proof", problem[0], problem[1])
        return receipt
    report.passed(
        "proof",
        f"MerkleProof2019 receipt: {len(receipt.path)} path step(s), "
        f"anchored in {', '.join(receipt.anchors)}",
    )
    return receipt


def _check_hash(
    report: Report, document: dict[str, Any], receipt: MerkleReceipt, store: ContextStore
) -> None:
    if report.has_failed("context"):
        report.unknown("hash", "not computed: the document's vocabulary was refused")
        return
    unsigned = {k: copy.deepcopy(v) for k, v in document.items() if k != "proof"}
    try:
        local = hashlib.sha256(canonize(unsigned, store).encode("utf-8")).hexdigest()
    except JsonLdProcessingError as exc:
        if exc.missing_context:
            report.unknown("hash", f"not computed: {exc}")
        else:
            report.failed("hash", "malformed", f"could not canonicalise: {exc}")
        return
    if local == receipt.target_hash:
        report.passed("hash", "the document hash matches the receipt's targetHash")
    else:
        report.failed("hash", "bad_signature", "the document was altered after issuing")


def _check_merkle(report: Report, receipt: MerkleReceipt) -> None:
    steps = [{side: value} for side, value in receipt.path]
    try:
        computed = merkle_root(receipt.target_hash, steps)
    except ValueError as exc:
        report.failed("merkle", "bad_signature", f"unreadable Merkle path: {exc}")
        return
    if computed == receipt.merkle_root:
        report.passed("merkle", "the receipt leads from the hash to the Merkle root")
    else:
        report.failed("merkle", "bad_signature", "the Merkle path does not lead to its root")


def _anchor(
    report: Report, receipt: MerkleReceipt, resolver: DocumentResolver
) -> Transaction | None:
    try:
        chain, tx = parse_blink(receipt.anchors[0])
    except AnchorFormatError as exc:
        report.unknown("anchor", f"{receipt.anchors[0]}: {exc}", "anchor_unavailable")
        return None
    return check_anchor(report, chain, tx, receipt.merkle_root, resolver)


def _issuer_documents(
    issuer: str | None, resolver: DocumentResolver
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str]:
    """(controller document, issuer profile, why missing): the document listing the
    issuer's verification methods and the profile listing its blockchain keys."""
    if issuer is None:
        return None, None, "the certificate names no issuer"
    if issuer.startswith("did:"):
        try:
            did_document = resolve_did(issuer, resolver)
        except KeyResolutionError as exc:
            return None, None, f"the issuer's DID could not be resolved: {exc}"
        profile = None
        services = did_document.get("service", [])
        for service in services if isinstance(services, list) else []:
            if isinstance(service, dict) and service.get("type") == "IssuerProfile":
                try:
                    profile = fetch_json_object(service.get("serviceEndpoint"), resolver)
                except (ResolutionError, ValueError):
                    profile = None
        return did_document, profile, "the issuer profile named by the DID could not be fetched"
    try:
        profile = fetch_json_object(issuer, resolver)
    except (ResolutionError, ValueError) as exc:
        return None, None, f"the issuer profile could not be fetched: {exc}"
    return profile, profile, ""


def _check_method(
    report: Report,
    method_id: Any,
    controller: dict[str, Any] | None,
    issuer: str | None,
    issued: datetime | None,
    why: str,
) -> None:
    if method_id is None:
        report.passed(
            "key", "the proof names no verificationMethod: the anchoring key stands for the issuer"
        )
        return
    if not isinstance(method_id, str):
        report.failed("key", "malformed", "verificationMethod is not a string")
        return
    if method_id.split("#", 1)[0] != issuer:
        report.failed(
            "key", "key_not_authorized", f"{method_id} does not belong to the issuer {issuer}"
        )
        return
    if controller is None:
        report.unknown("key", f"{method_id} not checked: {why}", "unknown_key")
        return
    methods = controller.get("verificationMethod", [])
    found = None
    for method in methods if isinstance(methods, list) else []:
        ident = method.get("id") if isinstance(method, dict) else None
        if isinstance(ident, str) and (ident == method_id or f"{issuer}{ident}" == method_id):
            found = method
    if found is None:
        report.failed("key", "key_not_authorized", f"the issuer does not list {method_id}")
        return
    revoked, expires = parse_time(found.get("revoked")), parse_time(found.get("expires"))
    if revoked is not None and (issued is None or issued >= revoked):
        report.failed("key", "issuer_key_revoked", f"{method_id} was revoked on {found['revoked']}")
    elif expires is not None and (issued is None or issued >= expires):
        report.failed("key", "issuer_key_revoked", f"{method_id} expired on {found['expires']}")
    else:
        report.passed("key", f"the issuer lists {method_id}")


def _revocation_list(url: Any, credential_id: Any, resolver: DocumentResolver) -> StatusOutcome:
    """Blockcerts revocation list: ``revokedAssertions`` must not name the credential."""
    try:
        listing = fetch_json_object(url, resolver)
    except (ResolutionError, ValueError) as exc:
        return StatusOutcome(None, "status_unavailable", f"revocation list not fetched: {exc}")
    revoked = listing.get("revokedAssertions", [])
    ids = {r.get("id") if isinstance(r, dict) else r for r in revoked if r}
    if credential_id in ids:
        return StatusOutcome(False, "revoked", f"the certificate is on the revocation list {url}")
    return StatusOutcome(True, None, f"not on the revocation list {url}")


def _status(
    document: dict[str, Any],
    profile: dict[str, Any] | None,
    *,
    resolver: DocumentResolver,
    store: ContextStore,
    now: datetime,
) -> StatusOutcome:
    entry = document.get("credentialStatus")
    if isinstance(entry, dict) and entry.get("type") == "RevocationList":
        return _revocation_list(entry.get("id"), document.get("id"), resolver)
    if entry is not None:
        return check_status(
            document, issuer_id=issuer_id(document), resolver=resolver, store=store, now=now
        )
    if profile is not None and isinstance(profile.get("revocationList"), str):
        return _revocation_list(profile["revocationList"], document.get("id"), resolver)
    if profile is None:
        return StatusOutcome(
            None, "status_unavailable", "no credentialStatus, and the issuer profile is unknown"
        )
    return StatusOutcome(True, None, "no credentialStatus and no issuer revocation list")


def verify_blockcerts_v3(
    document: dict[str, Any],
    *,
    resolver: DocumentResolver,
    now: datetime,
    learner_identity: str | None,
    store: ContextStore,
) -> VerificationResult:
    """All checks of a Blockcerts v3 certificate."""
    report = Report()
    proofs = proofs_of(document)
    kinds = [p.get("type") if isinstance(p, dict) else None for p in proofs]
    if kinds != ["MerkleProof2019"]:
        report.failed(
            "proof",
            "unsupported_proof",
            f"Blockcerts v3 with proofs {kinds!r}: only a single MerkleProof2019 is supported",
        )
        return report.result("blockcerts-v3", **summary_fields(document))
    proof: dict[str, Any] = proofs[0]
    if "VerifiableCredential" in types_of(document):
        report.passed("format", "Blockcerts v3 (VC + MerkleProof2019)")
    else:
        report.failed("format", "malformed", "type does not include VerifiableCredential")
    check_context(report, document, store)

    receipt = _check_receipt(report, proof, now)
    transaction = None
    if receipt is not None:
        _check_hash(report, document, receipt, store)
        _check_merkle(report, receipt)
        transaction = _anchor(report, receipt, resolver)

    issuer = issuer_id(document)
    start, _ = window(document)
    issued = parse_time(start)
    controller, profile, why = _issuer_documents(issuer, resolver)
    _check_method(report, proof.get("verificationMethod"), controller, issuer, issued, why)
    if receipt is not None:
        check_sender(report, transaction, profile, issued)
    check_validity(report, document, now)
    record_status(report, _status(document, profile, resolver=resolver, store=store, now=now))
    subject = document.get("credentialSubject")
    check_subject(report, subject, learner_identity)

    fields = summary_fields(document)
    if fields["achievement"] is None and isinstance(subject, dict):
        fields["achievement"] = achievement(subject.get("claim"))
    return report.result("blockcerts-v3", **fields)
