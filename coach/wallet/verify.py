"""Entry point: verify one credential file.

``verify_credential(data, resolver=..., now=..., learner_identity=None)`` detects
the format (JSON, compact JWT, baked PNG/SVG; OB 3.0 / VC with Data Integrity,
VC-JWT, OB 2.0 signed or hosted, CLR 2.0, Blockcerts v2/v3) and returns a
VerificationResult. Bad input gives ``invalid`` with reason ``malformed`` here;
callers that want an exception use ``coach.wallet.parse.load_badge_bytes``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from coach.errors import WalletError
from coach.wallet import blockcerts, clr, jwt_vc, ob2, vc
from coach.wallet.blockcerts_v3 import verify_blockcerts_v3
from coach.wallet.jsonld import ContextStore, default_store
from coach.wallet.parse import ParsedBadge, load_badge_bytes
from coach.wallet.report import Report
from coach.wallet.resolver import DocumentResolver
from coach.wallet.result import CredentialFormat, VerificationResult

#: Detail prefix of the safety net in verify_credential (tests look for it).
UNEXPECTED_STRUCTURE = "unexpected structure in the credential"


def _failure(fmt: CredentialFormat, reason: Any, check: str, detail: str) -> VerificationResult:
    report = Report()
    report.failed(check, reason, detail)
    return report.result(fmt)


def verify_parsed(
    parsed: ParsedBadge,
    *,
    resolver: DocumentResolver,
    now: datetime,
    learner_identity: str | None = None,
    contexts: ContextStore | None = None,
) -> VerificationResult:
    """Verify an already parsed badge (see verify_credential)."""
    store = contexts or default_store()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)  # a naive time is taken as UTC
    if parsed.kind == "url":
        return ob2.verify_hosted_url(
            str(parsed.url), resolver=resolver, now=now, learner_identity=learner_identity
        )
    if parsed.kind == "jwt" and _is_ob2(parsed.document or {}):
        return ob2.verify_signed(
            str(parsed.token),
            parsed.document or {},
            resolver=resolver,
            now=now,
            learner_identity=learner_identity,
        )
    if parsed.kind == "jwt":
        return jwt_vc.verify_compact(
            str(parsed.token),
            parsed.document or {},
            resolver=resolver,
            now=now,
            learner_identity=learner_identity,
            store=store,
        )
    document = parsed.document or {}
    kind = detect(document)
    if kind == "blockcerts" and "signature" not in document and "proof" in document:
        if not _has_merkle_proof(document):
            # A Blockcerts v3 document signed only with Data Integrity proofs is a plain VC.
            return vc.verify_embedded_vc(
                document,
                resolver=resolver,
                now=now,
                learner_identity=learner_identity,
                store=store,
            )
        return verify_blockcerts_v3(
            document, resolver=resolver, now=now, learner_identity=learner_identity, store=store
        )
    if kind == "blockcerts":
        return blockcerts.verify_blockcerts(
            document, resolver=resolver, now=now, learner_identity=learner_identity, store=store
        )
    if kind == "ob2":
        return ob2.verify_assertion(
            document, resolver=resolver, now=now, learner_identity=learner_identity
        )
    if kind == "clr":
        return clr.verify_clr(
            document, resolver=resolver, now=now, learner_identity=learner_identity, store=store
        )
    if kind == "vc":
        return vc.verify_embedded_vc(
            document, resolver=resolver, now=now, learner_identity=learner_identity, store=store
        )
    return _failure(
        "unknown", "unsupported_format", "format", "not a credential format this wallet reads"
    )


def _has_merkle_proof(document: dict[str, Any]) -> bool:
    proof = document.get("proof")
    proofs = proof if isinstance(proof, list) else [proof]
    merkle = ("MerkleProof2019", "ChainedProof2021", "ChainpointSHA256v2")
    return any(isinstance(p, dict) and p.get("type") in merkle for p in proofs)


def _is_ob2(payload: dict[str, Any]) -> bool:
    return "vc" not in payload and ("recipient" in payload or "badge" in payload)


def detect(document: dict[str, Any]) -> str:
    """'blockcerts' | 'ob2' | 'clr' | 'vc' | 'unknown' for a JSON document."""
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    urls = [c for c in contexts if isinstance(c, str)]
    types = document.get("type")
    type_list = [t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]
    signature = document.get("signature")
    proof = document.get("proof")
    if any("blockcerts" in u for u in urls) or (
        isinstance(signature, dict) and "merkleRoot" in signature
    ):
        return "blockcerts"
    if isinstance(proof, dict) and proof.get("type") in ("MerkleProof2019", "ChainpointSHA256v2"):
        return "blockcerts"
    if "ClrCredential" in type_list:
        return "clr"
    if "VerifiableCredential" in type_list or any("credentials" in u for u in urls):
        return "vc"
    if "Assertion" in type_list or any("openbadges" in u for u in urls):
        return "ob2"
    return "unknown"


def verify_credential(
    data: bytes,
    *,
    resolver: DocumentResolver,
    now: datetime,
    learner_identity: str | None = None,
    contexts: ContextStore | None = None,
) -> VerificationResult:
    """Verify one credential file's bytes; never raises for bad input.

    ``now`` is the moment validity is judged at; ``resolver`` answers every
    outside document (nothing else is fetched); ``contexts`` defaults to the
    configured pinned set (see coach.wallet.jsonld.configure_default_store).
    """
    try:
        parsed = load_badge_bytes(data)
    except WalletError as exc:
        return _failure("unknown", "malformed", "format", str(exc))
    try:
        return verify_parsed(
            parsed,
            resolver=resolver,
            now=now,
            learner_identity=learner_identity,
            contexts=contexts,
        )
    except RecursionError:
        return _failure("unknown", "malformed", "format", "the credential is nested too deeply")
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
        # Safety net: a value of an unexpected JSON type deep inside a credential
        # must give a result, not a crash. Tests assert this net is never reached.
        return _failure("unknown", "malformed", "format", f"{UNEXPECTED_STRUCTURE}: {exc!r}")
