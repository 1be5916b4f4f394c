"""Blockcerts v2 fixtures from cert-verifier-js: hash, Merkle receipt, anchor, key, revocation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.wallet.blockcerts import EXPLORERS, merkle_root
from coach.wallet.jsonld import ContextStore
from coach.wallet.resolver import MapResolver
from coach.wallet.result import VerificationResult
from coach.wallet.verify import verify_credential
from tests.conftest import shared_data
from tests.wallet_verify.conftest import NOW

MAINNET_ISSUER = "https://blockcerts.learningmachine.com/issuer/5a4fe9931f607f0f3452a65e.json"
MAINNET_REVOCATION = (
    "https://blockcerts.learningmachine.com/issuer/5a4fe9931f607f0f3452a65e/revocation.json"
)


@pytest.fixture(scope="module")
def blockcerts() -> Path:
    return shared_data("vc", "blockcerts")


def _documents(root: Path) -> dict[str, bytes]:
    return {
        MAINNET_ISSUER: (root / "issuer-profile-mainnet-example.json").read_bytes(),
        MAINNET_REVOCATION: (root / "revocation-list-mainnet-example.json").read_bytes(),
    }


def _tx(document: dict[str, object]) -> str:
    signature = document["signature"]
    assert isinstance(signature, dict)
    return str(signature["anchors"][0]["sourceId"])


def _explorer_answer(
    root_hex: str, sender: str | None = None, block_time: int | None = None
) -> bytes:
    """What blockstream.info answers for a transaction with an OP_RETURN output."""
    answer: dict[str, object] = {"vout": [{"scriptpubkey": "6a20" + root_hex, "value": 0}]}
    if sender is not None:
        answer["vin"] = [{"prevout": {"scriptpubkey_address": sender}}]
    if block_time is not None:
        answer["status"] = {"confirmed": True, "block_time": block_time}
    return json.dumps(answer).encode()


def _creator(document: dict[str, object]) -> str:
    verification = document["verification"]
    assert isinstance(verification, dict)
    key = verification.get("publicKey", verification.get("creator"))
    return str(key).removeprefix("ecdsa-koblitz-pubkey:")


def _verify(path: Path, docs: dict[str, bytes], store: ContextStore) -> VerificationResult:
    return verify_credential(path.read_bytes(), resolver=MapResolver(docs), now=NOW, contexts=store)


def _check(result: VerificationResult, check_id: str) -> bool | None:
    return next(c.ok for c in result.checks if c.id == check_id)


MAINNET_VALID = ("v2", "mainnet-valid-2.0.json")


def _mainnet_anchored(
    blockcerts: Path, store: ContextStore, *, root: str | None = None, sender: str | None = None
) -> VerificationResult:
    """mainnet-valid-2.0.json with the explorer answering for its transaction:
    recording ``root`` (the receipt's own root by default), sent by ``sender``."""
    path = blockcerts.joinpath(*MAINNET_VALID)
    document = json.loads(path.read_text())
    docs = _documents(blockcerts)
    url = EXPLORERS["bitcoinMainnet"].format(tx=_tx(document))
    docs[url] = _explorer_answer(root or document["signature"]["merkleRoot"], sender=sender)
    return _verify(path, docs, store)


def test_valid_mainnet_certificate_offline_is_indeterminate_naming_chain_and_tx(
    blockcerts: Path, store: ContextStore
) -> None:
    result = _verify(blockcerts.joinpath(*MAINNET_VALID), _documents(blockcerts), store)
    assert result.status == "indeterminate"
    assert result.reasons == ("anchor_unavailable",)
    anchor = next(c for c in result.checks if c.id == "anchor")
    document = json.loads((blockcerts.joinpath(*MAINNET_VALID)).read_text())
    assert "bitcoinMainnet" in anchor.detail
    assert _tx(document) in anchor.detail
    for check_id in ("hash", "merkle", "key", "status", "context"):
        assert _check(result, check_id) is True, check_id


def test_valid_mainnet_certificate_with_the_anchor_looked_up_is_valid(
    blockcerts: Path, store: ContextStore
) -> None:
    document = json.loads(blockcerts.joinpath(*MAINNET_VALID).read_text())
    result = _mainnet_anchored(blockcerts, store, sender=_creator(document))
    assert result.status == "valid", result.checks
    assert result.format == "blockcerts-v2"
    assert _check(result, "sender") is True


def test_explorer_answer_without_a_sender_leaves_the_issuer_open(
    blockcerts: Path, store: ContextStore
) -> None:
    result = _mainnet_anchored(blockcerts, store)
    assert _check(result, "anchor") is True
    assert _check(result, "sender") is None
    assert result.status == "indeterminate"


def test_anchor_recording_another_root_is_invalid(blockcerts: Path, store: ContextStore) -> None:
    result = _mainnet_anchored(blockcerts, store, root="00" * 32)
    assert result.status == "invalid"
    assert _check(result, "anchor") is False


def test_revoked_certificate_is_revoked(blockcerts: Path, store: ContextStore) -> None:
    result = _verify(blockcerts / "v2" / "mainnet-revoked-2.0.json", _documents(blockcerts), store)
    assert result.status == "invalid"
    assert "revoked" in result.reasons


@pytest.mark.parametrize(
    ("name", "check_id"),
    [
        ("testnet-tampered-hashes-2.0.json", "hash"),
        ("ethereum-tampered-2.0.json", "hash"),
        ("mainnet-invalid-merkle-receipt-2.0.json", "merkle"),
        ("ethereum-merkle-root-unmatch-2.0.json", "merkle"),
    ],
)
def test_tampered_hashes_and_broken_receipts_are_invalid(
    blockcerts: Path, store: ContextStore, name: str, check_id: str
) -> None:
    result = _verify(blockcerts / "v2" / name, {}, store)
    assert result.status == "invalid"
    assert "bad_signature" in result.reasons
    assert _check(result, check_id) is False


def test_merkle_root_not_matching_the_anchor_is_invalid_once_looked_up(
    blockcerts: Path, store: ContextStore
) -> None:
    path = blockcerts / "v2" / "mainnet-merkle-root-unmatch-2.0.json"
    document = json.loads(path.read_text())
    offline = _verify(path, {}, store)
    assert offline.status == "indeterminate"
    assert _check(offline, "merkle") is True
    # The transaction it names records some other root than the receipt's.
    url = EXPLORERS["bitcoinTestnet"].format(tx=_tx(document))
    assert document["signature"]["merkleRoot"] != "ab" * 32
    online = _verify(path, {url: _explorer_answer("ab" * 32)}, store)
    assert online.status == "invalid"
    assert _check(online, "anchor") is False


def test_certificate_issued_after_its_key_was_revoked_is_not_authorised(
    blockcerts: Path, store: ContextStore
) -> None:
    path = blockcerts / "v2" / "testnet-revoked-key-2.0.json"
    document = json.loads(path.read_text())
    issuer = json.loads((blockcerts / "issuer-blockcerts-v2a.json").read_text())
    for key in issuer["publicKeys"]:
        if key["publicKey"] == document["verification"]["creator"]:
            key["revoked"] = "2017-03-01T00:00:00+0000"  # before the certificate's issuedOn
    docs = {document["badge"]["issuer"]["id"]: json.dumps(issuer).encode()}
    result = _verify(path, docs, store)
    assert result.status == "invalid"
    assert "key_not_authorized" in result.reasons


def test_mock_chain_anchor_is_never_valid(blockcerts: Path, store: ContextStore) -> None:
    result = _verify(blockcerts / "v2" / "mocknet-valid-2.0.json", {}, store)
    assert result.status == "indeterminate"
    assert "anchor_unavailable" in result.reasons


def test_merkle_fold_follows_left_and_right_steps() -> None:
    import hashlib

    leaf = hashlib.sha256(b"leaf").hexdigest()
    sibling = hashlib.sha256(b"sibling").hexdigest()
    expected = hashlib.sha256(bytes.fromhex(sibling) + bytes.fromhex(leaf)).hexdigest()
    assert merkle_root(leaf, [{"left": sibling}]) == expected
    assert merkle_root(leaf, [{"right": sibling}]) != expected


# The anchoring transaction of testnet-revoked-key-2.0.json, as cert-verifier-js's
# own test records it: sent by mkAvTw..., a key the issuer revoked on 2016-05-01,
# a year before the transaction (2017-05-03T17:06:19Z).
REVOKED_KEY_SENDER = "mkAvTwCYUyVk3rncFVCTJt1HUDsApVezhP"
REVOKED_KEY_TX_TIME = 1493831179


def _revoked_key_case(blockcerts: Path) -> tuple[Path, dict[str, object], dict[str, bytes]]:
    path = blockcerts / "v2" / "testnet-revoked-key-2.0.json"
    document = json.loads(path.read_text())
    issuer_url = document["badge"]["issuer"]["id"]
    docs = {issuer_url: (blockcerts / "issuer-blockcerts-v2a.json").read_bytes()}
    return path, document, docs


def _revoked_key_case_recorded(
    blockcerts: Path, sender: str | None, time: str | int
) -> tuple[Path, dict[str, bytes]]:
    """The revoked-key case with its transaction recorded offline under its blink URI,
    sent by ``sender`` (the certificate's own key when None) at ``time``."""
    path, document, docs = _revoked_key_case(blockcerts)
    signature = document["signature"]
    assert isinstance(signature, dict)
    record = {"root": signature["merkleRoot"], "sender": sender or _creator(document), "time": time}
    docs[f"blink:btc:testnet:{_tx(document)}"] = json.dumps(record).encode()
    return path, docs


def test_anchor_sent_by_a_revoked_issuer_key_is_invalid(
    blockcerts: Path, store: ContextStore
) -> None:
    path, document, docs = _revoked_key_case(blockcerts)
    signature = document["signature"]
    assert isinstance(signature, dict)
    url = EXPLORERS["bitcoinTestnet"].format(tx=_tx(document))
    docs[url] = _explorer_answer(
        str(signature["merkleRoot"]), sender=REVOKED_KEY_SENDER, block_time=REVOKED_KEY_TX_TIME
    )
    result = _verify(path, docs, store)
    assert result.status == "invalid"
    assert "issuer_key_revoked" in result.reasons
    sender = next(c for c in result.checks if c.id == "sender")
    assert sender.ok is False
    assert REVOKED_KEY_SENDER in sender.detail
    assert _check(result, "anchor") is True  # the root itself is the right one


def test_offline_transaction_record_under_its_blink_uri_is_read(
    blockcerts: Path, store: ContextStore
) -> None:
    path, docs = _revoked_key_case_recorded(blockcerts, REVOKED_KEY_SENDER, "2017-05-03T17:06:19Z")
    result = _verify(path, docs, store)
    assert "issuer_key_revoked" in result.reasons
    assert _check(result, "anchor") is True


def test_anchor_sent_by_a_current_issuer_key_passes_the_sender_check(
    blockcerts: Path, store: ContextStore
) -> None:
    path, docs = _revoked_key_case_recorded(blockcerts, None, 1493831179)
    result = _verify(path, docs, store)
    assert _check(result, "sender") is True


def test_anchor_sent_by_a_stranger_is_an_issuer_mismatch(
    blockcerts: Path, store: ContextStore
) -> None:
    result = _mainnet_anchored(blockcerts, store, sender="1BoatSLRHtKNngkdXEeobR76b53LETtpyT")
    assert result.status == "invalid"
    assert "anchor_issuer_mismatch" in result.reasons
    assert _check(result, "sender") is False


def test_offline_the_sender_check_stays_open(blockcerts: Path, store: ContextStore) -> None:
    result = _verify(blockcerts.joinpath(*MAINNET_VALID), _documents(blockcerts), store)
    assert _check(result, "sender") is None
    assert result.status == "indeterminate"
