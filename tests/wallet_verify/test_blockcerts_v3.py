"""Blockcerts v3 (MerkleProof2019): certificates issued here, with our own Merkle
tree, receipt encoding, issuer profile and transaction records."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import base58
import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bots.cli.app import app
from coach.wallet.jsonld import ContextStore, canonize
from coach.wallet.merkleproof2019 import (
    MerkleReceipt,
    ProofValueError,
    decode_proof_value,
    encode_proof_value,
)
from coach.wallet.resolver import MapResolver, OfflineResolver
from coach.wallet.result import VerificationResult
from coach.wallet.verify import UNEXPECTED_STRUCTURE, verify_credential
from tests.conftest import shared_data
from tests.wallet_verify.conftest import NOW

ISSUER = "https://credentials.stackwise.example/issuer/profile.json"
REVOCATION = "https://credentials.stackwise.example/issuer/revocation.json"
METHOD = ISSUER + "#key-1"
SENDER = "mw3kq8FvvFL1nWnNCvW9GVAqNXBQuR1Mrn"
TX = "5f1e" + "ab" * 30
OTHER_LEAVES = [hashlib.sha256(f"another certificate {i}".encode()).hexdigest() for i in (1, 2, 3)]


def _sha(left: str, right: str) -> str:
    return hashlib.sha256(bytes.fromhex(left) + bytes.fromhex(right)).hexdigest()


def _certificate(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/blockcerts/v3"],
        "id": "urn:uuid:6a4f5d0e-2b7c-4d21-9a3e-1f0b8c7d6e5a",
        "type": ["VerifiableCredential", "BlockcertsCredential"],
        "issuer": ISSUER,
        "issuanceDate": "2024-03-01T10:00:00Z",
        "credentialSubject": {
            "id": "did:example:ada",
            "name": "Ada Learner",
            "claim": {
                "name": "Data Literacy Foundations",
                "description": "Reads, cleans and charts tabular data.",
            },
        },
        "metadata": '{"cohort":"2024"}',
    }
    document.update(changes)
    return document


def _issue(
    document: dict[str, Any],
    store: ContextStore,
    *,
    anchor: str = f"blink:btc:testnet:{TX}",
    proof_changes: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], MerkleReceipt]:
    """Hash the document, put it in a 4-leaf tree, anchor the root, embed the receipt."""
    target = hashlib.sha256(canonize(copy.deepcopy(document), store).encode()).hexdigest()
    a, b, c = OTHER_LEAVES
    right_half = _sha(b, c)
    root = _sha(_sha(target, a), right_half)
    receipt = MerkleReceipt(
        merkle_root=root,
        target_hash=target,
        path=(("right", a), ("right", right_half)),
        anchors=(anchor,),
    )
    proof = {
        "type": "MerkleProof2019",
        "created": "2024-03-01T10:05:00Z",
        "proofValue": encode_proof_value(receipt),
        "proofPurpose": "assertionMethod",
        "verificationMethod": METHOD,
    }
    proof.update(proof_changes or {})
    return {**document, "proof": proof}, receipt


def _profile(**changes: Any) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "@context": ["https://w3id.org/openbadges/v2", "https://w3id.org/blockcerts/v3"],
        "id": ISSUER,
        "type": "Profile",
        "name": "Stackwise Test Issuer",
        "publicKey": [
            {"id": f"ecdsa-koblitz-pubkey:{SENDER}", "created": "2023-01-01T00:00:00Z"},
        ],
        "verificationMethod": [
            {
                "id": METHOD,
                "controller": ISSUER,
                "type": "EcdsaSecp256k1VerificationKey2019",
                "publicKeyJwk": {"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA"},
            }
        ],
        "revocationList": REVOCATION,
    }
    profile.update(changes)
    return profile


def _documents(
    receipt: MerkleReceipt | None = None,
    *,
    root: str | None = None,
    sender: str = SENDER,
    profile: dict[str, Any] | None = None,
    revoked: tuple[str, ...] = (),
) -> dict[str, bytes]:
    docs = {
        ISSUER: json.dumps(profile or _profile()).encode(),
        REVOCATION: json.dumps({"revokedAssertions": [{"id": r} for r in revoked]}).encode(),
    }
    if receipt is not None:
        record = {
            "root": root or receipt.merkle_root,
            "sender": sender,
            "time": "2024-03-01T10:20:00Z",
        }
        docs[f"blink:btc:testnet:{TX}"] = json.dumps(record).encode()
    return docs


def _verify(
    certificate: dict[str, Any], docs: dict[str, bytes], store: ContextStore
) -> VerificationResult:
    return verify_credential(
        json.dumps(certificate).encode(), resolver=MapResolver(docs), now=NOW, contexts=store
    )


def _check(result: VerificationResult, check_id: str) -> bool | None:
    return next(c.ok for c in result.checks if c.id == check_id)


def test_receipt_encoding_round_trips() -> None:
    receipt = MerkleReceipt(
        merkle_root="11" * 32,
        target_hash="22" * 32,
        path=(("left", "33" * 32), ("right", "44" * 32)),
        anchors=("blink:eth:sepolia:" + "55" * 32, "blink:btc:mainnet:" + "66" * 32),
    )
    assert decode_proof_value(encode_proof_value(receipt)) == receipt


def test_receipts_holding_raw_hash_bytes_decode_too() -> None:
    """The first JavaScript encoder wrapped raw bytes, not hex text; both are in use."""
    wrap = cbor2.dumps
    value = [
        [0, wrap(bytes.fromhex("aa" * 32))],
        [1, wrap(bytes.fromhex("bb" * 32))],
        [2, [[[0, 0], [1, 1], [2, wrap(bytes.fromhex("cc" * 32))]]]],
        [3, [[0, wrap(bytes.fromhex("dd" * 32))]]],
    ]
    proof_value = "z" + base58.b58encode(cbor2.dumps(value)).decode()
    receipt = decode_proof_value(proof_value)
    assert receipt.merkle_root == "aa" * 32
    assert receipt.target_hash == "bb" * 32
    assert receipt.path == (("left", "dd" * 32),)
    assert receipt.anchors == ("blink:btc:mainnet:" + "cc" * 32,)


@pytest.mark.parametrize(
    "proof_value",
    [
        None,
        "",
        "u" + "A" * 10,
        "z0OIl",  # not base58
        "z" + base58.b58encode(b"\xff\xff").decode(),  # not CBOR
        "z" + base58.b58encode(cbor2.dumps({"a": 1})).decode(),  # a map, not pairs
        "z" + base58.b58encode(cbor2.dumps([[0, b"x"]])).decode(),  # missing keys
        "z" + "1" * 10_000,
    ],
)
def test_unreadable_proof_values_are_refused(proof_value: Any) -> None:
    with pytest.raises(ProofValueError):
        decode_proof_value(proof_value)


def test_offline_certificate_is_indeterminate_naming_chain_and_transaction(
    store: ContextStore,
) -> None:
    certificate, _ = _issue(_certificate(), store)
    result = _verify(certificate, _documents(), store)
    assert result.format == "blockcerts-v3"
    assert result.status == "indeterminate"
    assert result.reasons == ("anchor_unavailable",)
    anchor = next(c for c in result.checks if c.id == "anchor")
    assert "bitcoinTestnet" in anchor.detail
    assert TX in anchor.detail
    for check_id in ("format", "context", "proof", "hash", "merkle", "key", "status"):
        assert _check(result, check_id) is True, check_id
    assert _check(result, "sender") is None
    assert result.achievement is not None
    assert result.achievement.name == "Data Literacy Foundations"


def test_certificate_with_its_anchor_looked_up_is_valid(store: ContextStore) -> None:
    certificate, receipt = _issue(_certificate(), store)
    result = _verify(certificate, _documents(receipt), store)
    assert result.status == "valid", result.checks
    assert _check(result, "sender") is True


def test_certificate_altered_after_issuing_fails_the_hash(store: ContextStore) -> None:
    certificate, receipt = _issue(_certificate(), store)
    certificate["credentialSubject"]["name"] = "Mallory"
    result = _verify(certificate, _documents(receipt), store)
    assert result.status == "invalid"
    assert "bad_signature" in result.reasons
    assert _check(result, "hash") is False
    assert _check(result, "merkle") is True


def test_receipt_whose_path_does_not_reach_its_root_fails(store: ContextStore) -> None:
    certificate, receipt = _issue(_certificate(), store)
    broken = MerkleReceipt(
        merkle_root=receipt.merkle_root,
        target_hash=receipt.target_hash,
        path=(("left", receipt.path[0][1]), receipt.path[1]),  # sibling on the wrong side
        anchors=receipt.anchors,
    )
    certificate["proof"]["proofValue"] = encode_proof_value(broken)
    result = _verify(certificate, _documents(receipt), store)
    assert result.status == "invalid"
    assert _check(result, "merkle") is False
    assert _check(result, "hash") is True


def test_transaction_recording_another_root_is_invalid(store: ContextStore) -> None:
    certificate, receipt = _issue(_certificate(), store)
    result = _verify(certificate, _documents(receipt, root="00" * 32), store)
    assert result.status == "invalid"
    assert _check(result, "anchor") is False


def test_anchor_sent_by_someone_else_is_an_issuer_mismatch(store: ContextStore) -> None:
    certificate, receipt = _issue(_certificate(), store)
    result = _verify(
        certificate, _documents(receipt, sender="n1ZCYg9YXtB5XCZazLxSmPDa8iwJRZHhGx"), store
    )
    assert result.status == "invalid"
    assert result.reasons == ("anchor_issuer_mismatch",)


def test_anchor_sent_after_the_issuer_revoked_that_key_is_invalid(store: ContextStore) -> None:
    certificate, receipt = _issue(_certificate(), store)
    profile = _profile(
        publicKey=[
            {
                "id": f"ecdsa-koblitz-pubkey:{SENDER}",
                "created": "2023-01-01T00:00:00Z",
                "revoked": "2024-02-01T00:00:00Z",
            }
        ]
    )
    result = _verify(certificate, _documents(receipt, profile=profile), store)
    assert result.status == "invalid"
    assert "issuer_key_revoked" in result.reasons
    assert _check(result, "sender") is False


def test_verification_method_the_issuer_does_not_list_is_not_authorised(
    store: ContextStore,
) -> None:
    certificate, receipt = _issue(
        _certificate(), store, proof_changes={"verificationMethod": ISSUER + "#key-9"}
    )
    result = _verify(certificate, _documents(receipt), store)
    assert result.status == "invalid"
    assert "key_not_authorized" in result.reasons
    assert _check(result, "key") is False


def test_verification_method_of_another_party_is_not_authorised(store: ContextStore) -> None:
    certificate, receipt = _issue(
        _certificate(),
        store,
        proof_changes={"verificationMethod": "https://elsewhere.example/p.json#key-1"},
    )
    # Even when the issuer's profile lists that id, the key must be the issuer's own.
    profile = _profile()
    profile["verificationMethod"].append(
        {**profile["verificationMethod"][0], "id": "https://elsewhere.example/p.json#key-1"}
    )
    result = _verify(certificate, _documents(receipt, profile=profile), store)
    assert "key_not_authorized" in result.reasons
    key = next(c for c in result.checks if c.id == "key")
    assert "does not belong to the issuer" in key.detail


def test_certificate_on_the_issuers_revocation_list_is_revoked(store: ContextStore) -> None:
    document = _certificate()
    certificate, receipt = _issue(document, store)
    result = _verify(certificate, _documents(receipt, revoked=(document["id"],)), store)
    assert result.status == "invalid"
    assert result.reasons == ("revoked",)


def test_receipt_created_in_the_future_is_not_yet_valid(store: ContextStore) -> None:
    certificate, receipt = _issue(
        _certificate(), store, proof_changes={"created": "2027-01-01T00:00:00Z"}
    )
    result = _verify(certificate, _documents(receipt), store)
    assert result.status == "invalid"
    assert "proof_not_yet_valid" in result.reasons


def test_expired_certificate_is_expired(store: ContextStore) -> None:
    certificate, receipt = _issue(_certificate(expirationDate="2025-01-01T00:00:00Z"), store)
    result = _verify(certificate, _documents(receipt), store)
    assert result.status == "invalid"
    assert result.reasons == ("expired",)


def test_mock_chain_anchor_is_never_valid(store: ContextStore) -> None:
    certificate, _ = _issue(_certificate(), store, anchor="blink:mocknet:mocknet:" + "ab" * 16)
    result = _verify(certificate, _documents(), store)
    assert result.status == "indeterminate"
    assert "anchor_unavailable" in result.reasons
    assert _check(result, "hash") is True


def test_ethereum_anchor_is_looked_up_on_its_explorer(store: ContextStore) -> None:
    eth_tx = "0x" + "12" * 32
    eth_sender = "0x40Cf9B7DB6FCc742ad0a76B8588C7f8De2b54a60"
    certificate, receipt = _issue(_certificate(), store, anchor=f"blink:eth:mainnet:{eth_tx}")
    profile = _profile(publicKey=[f"ecdsa-koblitz-pubkey:{eth_sender}"])
    docs = _documents(profile=profile)
    explorer = (
        f"https://api.etherscan.io/api?module=proxy&action=eth_getTransactionByHash&txhash={eth_tx}"
    )
    answer = {"result": {"from": eth_sender.lower(), "input": "0x" + receipt.merkle_root}}
    docs[explorer] = json.dumps(answer).encode()
    result = _verify(certificate, docs, store)
    assert result.status == "valid", result.checks


def _with_status(
    store: ContextStore, index: int, purpose: str = "revocation"
) -> VerificationResult:
    """A certificate pointing into the shared Blockcerts status lists (ES256K-signed)."""
    lists = shared_data("vc", "blockcerts")
    name = "status-list-2021" if purpose == "revocation" else "status-list-2021-suspension"
    list_url = f"https://www.blockcerts.org/samples/3.0/{name}.json"
    document = _certificate(
        credentialStatus={
            "id": f"{list_url}#{index}",
            "type": "StatusList2021Entry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": list_url,
        }
    )
    document["@context"] = [*document["@context"], "https://w3id.org/vc/status-list/2021/v1"]
    certificate, receipt = _issue(document, store)
    docs = _documents(receipt)
    docs[list_url] = (lists / f"blockcerts-{name}.json").read_bytes()
    return _verify(certificate, docs, store)


def test_status_list_with_the_bit_clear_passes(store: ContextStore) -> None:
    result = _with_status(store, 5)
    assert _check(result, "status") is True, result.checks
    assert result.status == "valid", result.checks


def test_status_list_with_the_bit_set_is_revoked(store: ContextStore) -> None:
    result = _with_status(store, 23547)
    assert result.status == "invalid"
    assert result.reasons == ("revoked",)


def test_suspension_list_with_the_bit_set_is_suspended(store: ContextStore) -> None:
    result = _with_status(store, 12354, purpose="suspension")
    assert result.status == "invalid"
    assert result.reasons == ("suspended",)


def test_other_proof_types_are_unsupported_not_valid(store: ContextStore) -> None:
    certificate, _ = _issue(_certificate(), store)
    certificate["proof"] = [certificate["proof"], {"type": "ChainedProof2021"}]
    result = _verify(certificate, _documents(), store)
    assert result.status == "invalid"
    assert result.reasons == ("unsupported_proof",)


@settings(max_examples=60, deadline=None)
@given(
    junk=st.one_of(
        st.text(max_size=200).map(lambda t: "z" + t),
        st.recursive(
            st.integers(-3, 12) | st.binary(max_size=40) | st.text(max_size=8),
            lambda inner: st.lists(inner, max_size=5),
            max_leaves=30,
        ).map(lambda v: "z" + base58.b58encode(cbor2.dumps(v)).decode()),
    )
)
def test_malformed_receipts_give_a_result_never_a_crash(junk: str) -> None:
    certificate = _certificate(
        proof={
            "type": "MerkleProof2019",
            "proofValue": junk,
            "proofPurpose": "assertionMethod",
        }
    )
    result = verify_credential(
        json.dumps(certificate).encode(), resolver=OfflineResolver(), now=NOW
    )
    assert result.status == "invalid"
    assert not any(UNEXPECTED_STRUCTURE in c.detail for c in result.checks)


def test_cli_shows_the_anchor_and_sender_checks(tmp_path: Path, store: ContextStore) -> None:
    certificate, receipt = _issue(_certificate(), store)
    badge = tmp_path / "certificate.json"
    badge.write_text(json.dumps(certificate))
    mapping = {}
    for index, (url, body) in enumerate(_documents(receipt).items()):
        (tmp_path / f"doc{index}.json").write_bytes(body)
        mapping[url] = f"doc{index}.json"
    (tmp_path / "map.json").write_text(json.dumps(mapping))
    args = ["wallet", "verify", str(badge), "--documents", str(tmp_path / "map.json")]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["status"] == "valid"
    assert payload["format"] == "blockcerts-v3"
    ids = {c["id"] for c in payload["checks"]}
    assert {"proof", "hash", "merkle", "anchor", "sender", "key", "status"} <= ids
    human = CliRunner().invoke(app, args)
    assert human.exit_code == 0
    assert "sender:" in human.stdout
    assert "anchor:" in human.stdout


def test_blockcerts_document_signed_only_with_data_integrity_is_checked_as_a_vc(
    store: ContextStore,
) -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from tests.wallet_verify.conftest import did_key_of, sign_data_integrity

    key = ed25519.Ed25519PrivateKey.generate()
    did = did_key_of(key)
    document = _certificate(issuer=did)
    document["@context"] = [
        "https://www.w3.org/ns/credentials/v2",
        "https://w3id.org/blockcerts/v3.2",
    ]
    document["validFrom"] = document.pop("issuanceDate")
    signed = sign_data_integrity(document, key, f"{did}#{did.removeprefix('did:key:')}", store)
    result = verify_credential(
        json.dumps(signed).encode(), resolver=OfflineResolver(), now=NOW, contexts=store
    )
    assert _check(result, "proof") is True, result.checks
    assert result.format == "vc"


def test_did_web_issuer_is_tied_through_its_did_document_and_profile(
    store: ContextStore,
) -> None:
    did = "did:web:issuer.stackwise.example"
    certificate, receipt = _issue(
        _certificate(issuer=did), store, proof_changes={"verificationMethod": f"{did}#key-1"}
    )
    did_document = {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": "#key-1",
                "controller": did,
                "type": "EcdsaSecp256k1VerificationKey2019",
                "publicKeyJwk": {"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA"},
            }
        ],
        "service": [{"id": "#profile", "type": "IssuerProfile", "serviceEndpoint": ISSUER}],
    }
    docs = _documents(receipt)
    docs["https://issuer.stackwise.example/.well-known/did.json"] = json.dumps(
        did_document
    ).encode()
    result = _verify(certificate, docs, store)
    assert result.status == "valid", result.checks
    assert _check(result, "key") is True
    assert _check(result, "sender") is True

    did_document["verificationMethod"][0]["id"] = "#key-2"
    docs["https://issuer.stackwise.example/.well-known/did.json"] = json.dumps(
        did_document
    ).encode()
    refused = _verify(certificate, docs, store)
    assert "key_not_authorized" in refused.reasons


def test_real_blockcerts_issuer_profile_ties_key_and_anchor_sender(store: ContextStore) -> None:
    """The shared BlockcertsIssuerProfile (cert-verifier-js) read as published."""
    root = shared_data("vc", "blockcerts")
    profile_bytes = (root / "issuer-blockcerts.json").read_bytes()
    profile = json.loads(profile_bytes)
    issuer = profile["id"]
    certificate, receipt = _issue(
        _certificate(issuer=issuer), store, proof_changes={"verificationMethod": issuer + "#key-1"}
    )

    def verify_with(sender: str, time: str) -> VerificationResult:
        record = {"root": receipt.merkle_root, "sender": sender, "time": time}
        docs = {
            issuer: profile_bytes,
            profile["revocationList"]: b'{"revokedAssertions": []}',
            f"blink:btc:testnet:{TX}": json.dumps(record).encode(),
        }
        return _verify(certificate, docs, store)

    valid = verify_with("mgdWjvq4RYAAP5goUNagTRMx7Xw534S5am", "2024-03-01T10:20:00Z")
    assert valid.status == "valid", valid.checks
    too_early = verify_with("mgdWjvq4RYAAP5goUNagTRMx7Xw534S5am", "2021-01-01T00:00:00Z")
    assert too_early.status == "invalid"
    assert "key_not_authorized" in too_early.reasons
    stranger = verify_with("mkAvTwCYUyVk3rncFVCTJt1HUDsApVezhP", "2024-03-01T10:20:00Z")
    assert stranger.reasons == ("anchor_issuer_mismatch",)
