"""Blockchain anchors of Blockcerts (v2 MerkleProof2017, v3 MerkleProof2019).

An anchor is a transaction that records a Merkle root. Looking it up answers
three questions: which root it records (must be the receipt's), who sent it
(must be one of the issuer's keys, valid at that time) and when.

Transactions are read through the resolver port, so the offline map answers
them like any document. For each anchor two addresses are tried, in order:

1. its blink URI (``blink:btc:testnet:<txid>``, the Blockcerts v3 naming), whose
   document is a plain transaction record
   ``{"root": hex, "sender": address, "time": ISO 8601 or unix seconds}``;
2. the allow-listed block explorer URL (``EXPLORERS``), whose answer is either
   the explorer's own JSON (blockstream.info, etherscan) or such a record.

Offline, nothing is looked up and the anchor check stays open, naming chain
and transaction: a certificate is never ``valid`` without its anchor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from coach.wallet.dates import parse_time
from coach.wallet.report import Report
from coach.wallet.resolver import DocumentResolver, ResolutionError

#: Where each chain's transactions are looked up (the HTTP adapter allow-lists these hosts).
EXPLORERS: dict[str, str] = {
    "bitcoinMainnet": "https://blockstream.info/api/tx/{tx}",
    "bitcoinTestnet": "https://blockstream.info/testnet/api/tx/{tx}",
    "ethereumMainnet": (
        "https://api.etherscan.io/api?module=proxy&action=eth_getTransactionByHash&txhash={tx}"
    ),
    "ethereumSepolia": (
        "https://api-sepolia.etherscan.io/api?module=proxy&action=eth_getTransactionByHash"
        "&txhash={tx}"
    ),
}
EXPLORER_HOSTS = ("blockstream.info", "api.etherscan.io", "api-sepolia.etherscan.io")

#: Blink chain/network codes (Blockcerts v3) <-> the chain names of v2 anchors.
BLINK_CHAINS: dict[tuple[str, str], str] = {
    ("btc", "mainnet"): "bitcoinMainnet",
    ("btc", "testnet"): "bitcoinTestnet",
    ("eth", "mainnet"): "ethereumMainnet",
    ("eth", "ropsten"): "ethereumRopsten",
    ("eth", "rinkeby"): "ethereumRinkeby",
    ("eth", "goerli"): "ethereumGoerli",
    ("eth", "sepolia"): "ethereumSepolia",
    ("mocknet", "mocknet"): "mockchain",
}
_CHAIN_BLINKS = {chain: codes for codes, chain in BLINK_CHAINS.items()}


class AnchorFormatError(ValueError):
    """An anchor reference or a transaction answer that cannot be read."""


@dataclass(frozen=True)
class Transaction:
    """What the anchoring transaction says; None where the source did not say."""

    root: str | None
    sender: str | None
    time: datetime | None


def parse_blink(uri: str) -> tuple[str, str]:
    """(chain name, transaction id) of a blink URI like ``blink:btc:testnet:<txid>``."""
    parts = uri.split(":")
    if len(parts) != 4 or parts[0] != "blink" or not parts[3]:
        raise AnchorFormatError(f"not a blink anchor URI: {uri!r}")
    chain = BLINK_CHAINS.get((parts[1], parts[2]))
    if chain is None:
        raise AnchorFormatError(f"unknown chain in anchor {uri!r}")
    return chain, parts[3]


def blink_uri(chain: str, tx: str) -> str | None:
    """The blink URI naming ``tx`` on ``chain`` (None for chains blink does not name)."""
    codes = _CHAIN_BLINKS.get(chain)
    return f"blink:{codes[0]}:{codes[1]}:{tx}" if codes else None


def _hex(value: Any) -> str | None:
    return str(value).removeprefix("0x").lower() if isinstance(value, str) and value else None


def _time(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_time(value)


def parse_transaction(chain: str, body: bytes) -> Transaction:
    """Read a transaction record or an explorer's answer for ``chain``."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise AnchorFormatError("the transaction answer is not JSON") from exc
    if not isinstance(data, dict):
        raise AnchorFormatError("the transaction answer is not a JSON object")
    if "root" in data:  # a plain transaction record (offline maps, tests)
        sender = data.get("sender")
        return Transaction(
            _hex(data.get("root")),
            sender if isinstance(sender, str) else None,
            _time(data.get("time")),
        )
    if chain.startswith("ethereum"):
        result = data.get("result")
        if not isinstance(result, dict):
            raise AnchorFormatError("the explorer answer holds no transaction")
        sender = result.get("from")
        # eth_getTransactionByHash carries no time; the issuance date stands in.
        return Transaction(
            _hex(result.get("input")), sender if isinstance(sender, str) else None, None
        )
    root = None
    for out in data.get("vout", []) if isinstance(data.get("vout"), list) else []:
        script = out.get("scriptpubkey", "") if isinstance(out, dict) else ""
        if isinstance(script, str) and script.startswith("6a20") and len(script) == 68:
            root = script[4:].lower()
    sender = None
    inputs = data.get("vin")
    if isinstance(inputs, list) and inputs and isinstance(inputs[0], dict):
        prevout = inputs[0].get("prevout")
        address = prevout.get("scriptpubkey_address") if isinstance(prevout, dict) else None
        sender = address if isinstance(address, str) else None
    status = data.get("status")
    when = _time(status.get("block_time")) if isinstance(status, dict) else None
    return Transaction(root, sender, when)


def lookup_transaction(chain: str, tx: str, resolver: DocumentResolver) -> Transaction:
    """The anchoring transaction, by blink record first, then the chain's explorer.

    Raises ResolutionError (not available) or AnchorFormatError (unreadable answer).
    """
    tried: list[str] = []
    blink = blink_uri(chain, tx)
    if blink is not None:
        try:
            return parse_transaction(chain, resolver.fetch(blink))
        except ResolutionError as exc:
            tried.append(str(exc))
    template = EXPLORERS.get(chain)
    if template is None:
        raise ResolutionError("no explorer for this chain" + (f" ({tried[0]})" if tried else ""))
    if chain.startswith("ethereum") and not tx.startswith("0x"):
        tx = "0x" + tx  # blink URIs carry bare hex; the explorer API wants 0x
    return parse_transaction(chain, resolver.fetch(template.format(tx=tx)))


def check_anchor(
    report: Report, chain: str, tx: str, root: str, resolver: DocumentResolver
) -> Transaction | None:
    """Record the ``anchor`` check; the transaction when it was looked up."""
    name = f"{chain} transaction {tx}"
    if chain == "mockchain" or chain == "bitcoinRegtest":
        report.unknown(
            "anchor", f"{name}: a test chain, the anchor proves nothing", "anchor_unavailable"
        )
        return None
    try:
        transaction = lookup_transaction(chain, tx, resolver)
    except ResolutionError as exc:
        report.unknown("anchor", f"{name} not looked up: {exc}", "anchor_unavailable")
        return None
    except AnchorFormatError as exc:
        report.unknown("anchor", f"{name}: unreadable answer: {exc}", "anchor_unavailable")
        return None
    if transaction.root is None:
        report.unknown("anchor", f"{name} records no Merkle root", "anchor_unavailable")
    elif transaction.root == root.lower():
        report.passed("anchor", f"{name} records the Merkle root")
    else:
        report.failed("anchor", "bad_signature", f"{name} records another root")
    return transaction


def issuer_keys(issuer: dict[str, Any]) -> list[dict[str, Any]]:
    """The issuer profile's blockchain keys (``publicKey`` / ``publicKeys``), ``id`` set."""
    raw = issuer.get("publicKey", issuer.get("publicKeys", []))
    out: list[dict[str, Any]] = []
    for item in raw if isinstance(raw, list) else [raw]:
        if isinstance(item, str):
            out.append({"id": item})
        elif isinstance(item, dict):
            ident = item.get("id", item.get("publicKey"))
            if isinstance(ident, str):
                out.append({**item, "id": ident})
    return out


def address_of(key_id: str) -> str:
    """The blockchain address a key id names (``ecdsa-koblitz-pubkey:ADDR`` -> ``ADDR``)."""
    return key_id.removeprefix("ecdsa-koblitz-pubkey:").strip()


def same_address(a: str, b: str) -> bool:
    """Ethereum addresses compare case-insensitively (checksum case), Bitcoin's exactly."""
    if a.lower().startswith("0x") or b.lower().startswith("0x"):
        return a.lower() == b.lower()
    return a == b


def check_sender(
    report: Report,
    transaction: Transaction | None,
    issuer: dict[str, Any] | None,
    issued: datetime | None,
) -> None:
    """Record the ``sender`` check: the anchor was sent from a key of the issuer,
    valid when the transaction was made (its time, else the issuance date)."""
    if transaction is None:
        report.unknown("sender", "not checked: the anchoring transaction was not looked up")
        return
    if transaction.sender is None:
        report.unknown("sender", "the transaction answer does not name its sender")
        return
    if issuer is None:
        report.unknown("sender", "not checked: the issuer profile could not be fetched")
        return
    sender = transaction.sender
    when = transaction.time or issued
    for entry in issuer_keys(issuer):
        if not same_address(address_of(entry["id"]), sender):
            continue
        created = parse_time(entry.get("created"))
        revoked = parse_time(entry.get("revoked"))
        expires = parse_time(entry.get("expires"))
        if revoked is not None and (when is None or when >= revoked):
            report.failed(
                "sender",
                "issuer_key_revoked",
                f"the anchor was sent by {sender}, an issuer key revoked on {entry['revoked']}",
            )
        elif expires is not None and (when is None or when >= expires):
            report.failed(
                "sender",
                "issuer_key_revoked",
                f"the anchor was sent by {sender}, an issuer key that expired on "
                f"{entry['expires']}",
            )
        elif created is not None and when is not None and when < created:
            report.failed(
                "sender",
                "key_not_authorized",
                f"the anchor was sent by {sender} before the issuer listed that key "
                f"({entry['created']})",
            )
        else:
            report.passed("sender", f"the anchor was sent by {sender}, a key of the issuer")
        return
    report.failed(
        "sender",
        "anchor_issuer_mismatch",
        f"the anchor was sent by {sender}, which is not among the issuer's keys",
    )
