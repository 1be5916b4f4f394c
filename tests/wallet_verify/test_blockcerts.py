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


def _explorer_answer(root_hex: str) -> bytes:
    """What blockstream.info answers for a transaction with an OP_RETURN output."""
    return json.dumps({"vout": [{"scriptpubkey": "6a20" + root_hex, "value": 0}]}).encode()


def _verify(path: Path, docs: dict[str, bytes], store: ContextStore) -> VerificationResult:
    return verify_credential(path.read_bytes(), resolver=MapResolver(docs), now=NOW, contexts=store)


def _check(result: VerificationResult, check_id: str) -> bool | None:
    return next(c.ok for c in result.checks if c.id == check_id)


def test_valid_mainnet_certificate_offline_is_indeterminate_naming_chain_and_tx(
    blockcerts: Path, store: ContextStore
) -> None:
    result = _verify(blockcerts / "v2" / "mainnet-valid-2.0.json", _documents(blockcerts), store)
    assert result.status == "indeterminate"
    assert result.reasons == ("anchor_unavailable",)
    anchor = next(c for c in result.checks if c.id == "anchor")
    document = json.loads((blockcerts / "v2" / "mainnet-valid-2.0.json").read_text())
    assert "bitcoinMainnet" in anchor.detail
    assert _tx(document) in anchor.detail
    for check_id in ("hash", "merkle", "key", "status", "context"):
        assert _check(result, check_id) is True, check_id


def test_valid_mainnet_certificate_with_the_anchor_looked_up_is_valid(
    blockcerts: Path, store: ContextStore
) -> None:
    path = blockcerts / "v2" / "mainnet-valid-2.0.json"
    document = json.loads(path.read_text())
    docs = _documents(blockcerts)
    url = EXPLORERS["bitcoinMainnet"].format(tx=_tx(document))
    docs[url] = _explorer_answer(document["signature"]["merkleRoot"])
    result = _verify(path, docs, store)
    assert result.status == "valid", result.checks
    assert result.format == "blockcerts-v2"


def test_anchor_recording_another_root_is_invalid(blockcerts: Path, store: ContextStore) -> None:
    path = blockcerts / "v2" / "mainnet-valid-2.0.json"
    document = json.loads(path.read_text())
    docs = _documents(blockcerts)
    docs[EXPLORERS["bitcoinMainnet"].format(tx=_tx(document))] = _explorer_answer("00" * 32)
    result = _verify(path, docs, store)
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
