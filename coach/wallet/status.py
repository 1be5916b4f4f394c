"""Credential status: W3C Bitstring Status List (and StatusList2021) and the
1EdTech revocation list. The list credential's own proof and dates are checked.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coach.wallet.dataintegrity import proofs_of, verify_data_integrity
from coach.wallet.dates import check_window
from coach.wallet.jsonld import ContextStore
from coach.wallet.report import Report
from coach.wallet.resolver import DocumentResolver, ResolutionError
from coach.wallet.result import ReasonCode

#: Bitstring Status List: lists shorter than this give issuers' holders no herd privacy.
MIN_LIST_BITS = 131_072
_MAX_LIST_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class StatusOutcome:
    ok: bool | None
    reason: ReasonCode | None
    detail: str


def _decode_list(encoded: str) -> bytes:
    text = encoded[1:] if encoded.startswith("u") else encoded
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    bits = inflater.decompress(raw, _MAX_LIST_BYTES + 1)
    if len(bits) > _MAX_LIST_BYTES or inflater.unconsumed_tail:
        raise ValueError("the status list is too large")
    return bits


def _fetch_list(url: str, resolver: DocumentResolver) -> dict[str, Any]:
    body = resolver.fetch(url)
    try:
        value = json.loads(body)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ResolutionError(f"{url} is not a JSON object")
    return value


def _check_list_credential(
    credential: dict[str, Any],
    *,
    issuer_id: str | None,
    resolver: DocumentResolver,
    store: ContextStore,
    now: datetime,
) -> str | None:
    """A problem with the status list credential itself, or None when it is sound."""
    proofs = proofs_of(credential)
    if not proofs:
        return "the status list credential carries no proof"
    list_issuer = credential.get("issuer")
    list_issuer_id = list_issuer.get("id") if isinstance(list_issuer, dict) else list_issuer
    for proof in proofs:
        result = verify_data_integrity(
            credential,
            proof,
            resolver=resolver,
            store=store,
            issuer_id=list_issuer_id if isinstance(list_issuer_id, str) else None,
            now=now,
        )
        if result.key_ok is not True:
            return f"the status list's key: {result.key_detail}"
        if result.proof_ok is not True:
            return f"the status list's proof: {result.proof_detail}"
    # The list need not be signed by the credential's issuer: the signed
    # credential names the list's URL, which is what ties the list to it.
    state, detail = check_window(credential, now)
    if state != "ok":
        return f"the status list credential is not current: {detail}"
    return None


def check_bitstring_entry(
    entry: dict[str, Any],
    *,
    issuer_id: str | None,
    resolver: DocumentResolver,
    store: ContextStore,
    now: datetime,
) -> StatusOutcome:
    """One BitstringStatusListEntry / StatusList2021Entry."""
    url = entry.get("statusListCredential")
    purpose = entry.get("statusPurpose", "revocation")
    try:
        index = int(str(entry.get("statusListIndex")))
    except ValueError:
        return StatusOutcome(False, "malformed", "statusListIndex is not a number")
    size = entry.get("statusSize", 1)
    if size not in (1, "1"):
        return StatusOutcome(None, "status_unavailable", f"statusSize {size!r} is not supported")
    if not isinstance(url, str) or index < 0:
        return StatusOutcome(False, "malformed", "the status entry lacks its list or index")
    try:
        credential = _fetch_list(url, resolver)
    except ResolutionError as exc:
        return StatusOutcome(None, "status_unavailable", f"status list not fetched: {exc}")
    problem = _check_list_credential(
        credential, issuer_id=issuer_id, resolver=resolver, store=store, now=now
    )
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("type") not in (
        "BitstringStatusList",
        "StatusList2021",
    ):
        problem = problem or "the status list credential has no BitstringStatusList subject"
    # Some issuers (Blockcerts) leave statusPurpose out of the list; only a stated
    # purpose that differs from the entry's is a problem.
    stated = subject.get("statusPurpose") if isinstance(subject, dict) else None
    if problem is None and stated is not None and stated != purpose:
        problem = f"the list is for {stated!r}, the entry for {purpose!r}"
    encoded = subject.get("encodedList") if isinstance(subject, dict) else None
    if not isinstance(encoded, str):
        return StatusOutcome(None, "status_unavailable", problem or "the list has no encodedList")
    try:
        bits = _decode_list(encoded)
    except (ValueError, OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        return StatusOutcome(None, "status_unavailable", f"the list cannot be decoded: {exc}")
    if index >= len(bits) * 8:
        return StatusOutcome(None, "status_unavailable", f"index {index} is beyond the list")
    is_set = bool(bits[index // 8] & (0x80 >> (index % 8)))
    where = f"{url} index {index}"
    if problem is not None:
        return StatusOutcome(None, "status_unavailable", f"{where}: {problem}")
    if is_set:
        reason: ReasonCode = "suspended" if purpose == "suspension" else "revoked"
        return StatusOutcome(False, reason, f"{where}: marked {purpose}")
    length = len(bits) * 8
    if length < MIN_LIST_BITS:
        return StatusOutcome(
            None,
            "status_unavailable",
            f"{where}: not marked, but the list is {length:,} bits, below the "
            f"{MIN_LIST_BITS:,}-bit minimum of the Bitstring Status List spec",
        )
    return StatusOutcome(True, None, f"{where}: not {purpose}")


def check_revocation_list(
    entry: dict[str, Any], credential_id: str | None, resolver: DocumentResolver
) -> StatusOutcome:
    """1EdTech revocation list (1EdTechRevocationList): the credential id must not be listed."""
    url = entry.get("id")
    if not isinstance(url, str):
        return StatusOutcome(False, "malformed", "the revocation list entry has no id")
    try:
        listing = _fetch_list(url, resolver)
    except ResolutionError as exc:
        return StatusOutcome(None, "status_unavailable", f"revocation list not fetched: {exc}")
    revoked = listing.get("revokedCredentials", [])
    for item in revoked if isinstance(revoked, list) else []:
        if isinstance(item, dict) and item.get("id") == credential_id:
            why = item.get("revocationReason", "")
            return StatusOutcome(False, "revoked", f"revoked by the issuer {why}".strip())
    return StatusOutcome(True, None, f"not on the revocation list {url}")


def record_status(report: Report, outcome: StatusOutcome) -> None:
    """Enter a combined status outcome as the ``status`` check (revoked when no reason given)."""
    if outcome.ok is True:
        report.passed("status", outcome.detail)
    elif outcome.ok is False:
        report.failed("status", outcome.reason or "revoked", outcome.detail)
    else:
        report.unknown("status", outcome.detail, outcome.reason)


def check_status(
    document: dict[str, Any],
    *,
    issuer_id: str | None,
    resolver: DocumentResolver,
    store: ContextStore,
    now: datetime,
) -> StatusOutcome:
    """All status entries of a credential, combined (worst wins)."""
    raw = document.get("credentialStatus")
    if raw is None:
        return StatusOutcome(True, None, "the credential declares no status")
    entries = raw if isinstance(raw, list) else [raw]
    outcomes: list[StatusOutcome] = []
    for entry in entries:
        if not isinstance(entry, dict):
            outcomes.append(StatusOutcome(False, "malformed", "a status entry is not an object"))
            continue
        kind = entry.get("type")
        if kind in ("BitstringStatusListEntry", "StatusList2021Entry"):
            outcomes.append(
                check_bitstring_entry(
                    entry, issuer_id=issuer_id, resolver=resolver, store=store, now=now
                )
            )
        elif kind == "1EdTechRevocationList":
            ident = document.get("id")
            outcomes.append(
                check_revocation_list(entry, ident if isinstance(ident, str) else None, resolver)
            )
        else:
            outcomes.append(
                StatusOutcome(None, "status_unavailable", f"unsupported status type {kind!r}")
            )
    failed = [o for o in outcomes if o.ok is False]
    if failed:
        return failed[0]
    unknown = [o for o in outcomes if o.ok is None]
    if unknown:
        return unknown[0]
    return StatusOutcome(True, None, "; ".join(o.detail for o in outcomes))
