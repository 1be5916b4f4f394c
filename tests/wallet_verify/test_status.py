"""Bitstring Status List and 1EdTech revocation list checks."""

from __future__ import annotations

import base64
import gzip
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from coach.wallet.jsonld import ContextStore
from coach.wallet.resolver import MapResolver
from coach.wallet.status import MIN_LIST_BITS, check_status
from coach.wallet.verify import verify_credential
from tests.conftest import shared_data
from tests.wallet_verify.conftest import NOW, did_key_of, sign_data_integrity

LIST_URL = "https://status.example/lists/1"


def _status_list(
    key: ed25519.Ed25519PrivateKey,
    store: ContextStore,
    *,
    bits: int,
    set_index: int | None,
    purpose: str = "revocation",
) -> bytes:
    raw = bytearray(bits // 8)
    if set_index is not None:
        raw[set_index // 8] |= 0x80 >> (set_index % 8)
    encoded = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(raw))).rstrip(b"=").decode()
    did = did_key_of(key)
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": LIST_URL + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded,
        },
    }
    signed = sign_data_integrity(credential, key, f"{did}#{did.removeprefix('did:key:')}", store)
    return json.dumps(signed).encode()


def _credential(
    key: ed25519.Ed25519PrivateKey, store: ContextStore, index: int, purpose: str = "revocation"
) -> bytes:
    did = did_key_of(key)
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:9b1c1f0e-2f6e-4c38-8f0b-2a7e5a9c0d42",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Status Issuer"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Status badge",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://status.example/a/1",
                "type": ["Achievement"],
                "name": "A",
                "description": "An achievement.",
                "criteria": {"narrative": "Do it."},
            },
        },
        "credentialStatus": {
            "id": f"{LIST_URL}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": LIST_URL,
        },
    }
    signed = sign_data_integrity(credential, key, f"{did}#{did.removeprefix('did:key:')}", store)
    return json.dumps(signed).encode()


@pytest.fixture(scope="module")
def key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def test_conformant_list_with_the_bit_clear_is_valid(
    key: ed25519.Ed25519PrivateKey, store: ContextStore
) -> None:
    lists = {LIST_URL: _status_list(key, store, bits=MIN_LIST_BITS, set_index=5)}
    result = verify_credential(
        _credential(key, store, 6), resolver=MapResolver(lists), now=NOW, contexts=store
    )
    assert result.status == "valid", result.checks


def test_bit_set_means_revoked(key: ed25519.Ed25519PrivateKey, store: ContextStore) -> None:
    lists = {LIST_URL: _status_list(key, store, bits=MIN_LIST_BITS, set_index=5)}
    result = verify_credential(
        _credential(key, store, 5), resolver=MapResolver(lists), now=NOW, contexts=store
    )
    assert result.status == "invalid"
    assert result.reasons == ("revoked",)


def test_suspension_list_bit_set_means_suspended(
    key: ed25519.Ed25519PrivateKey, store: ContextStore
) -> None:
    lists = {
        LIST_URL: _status_list(key, store, bits=MIN_LIST_BITS, set_index=3, purpose="suspension")
    }
    data = _credential(key, store, 3, purpose="suspension")
    result = verify_credential(data, resolver=MapResolver(lists), now=NOW, contexts=store)
    assert "suspended" in result.reasons


def test_list_below_the_minimum_size_is_reported(
    key: ed25519.Ed25519PrivateKey, store: ContextStore
) -> None:
    lists = {LIST_URL: _status_list(key, store, bits=100_000, set_index=None)}
    result = verify_credential(
        _credential(key, store, 6), resolver=MapResolver(lists), now=NOW, contexts=store
    )
    assert result.status == "indeterminate"
    status = next(c for c in result.checks if c.id == "status")
    assert "100,000 bits" in status.detail
    assert "131,072" in status.detail


def test_list_whose_own_proof_fails_cannot_be_trusted(
    key: ed25519.Ed25519PrivateKey, store: ContextStore
) -> None:
    listing = json.loads(_status_list(key, store, bits=MIN_LIST_BITS, set_index=None))
    listing["validFrom"] = "2024-02-01T00:00:00Z"  # altered after signing
    lists = {LIST_URL: json.dumps(listing).encode()}
    result = verify_credential(
        _credential(key, store, 6), resolver=MapResolver(lists), now=NOW, contexts=store
    )
    assert result.status == "indeterminate"
    assert "status_unavailable" in result.reasons
    assert "proof" in next(c for c in result.checks if c.id == "status").detail


def test_unreachable_list_is_status_unavailable(
    key: ed25519.Ed25519PrivateKey, store: ContextStore
) -> None:
    result = verify_credential(
        _credential(key, store, 6), resolver=MapResolver({}), now=NOW, contexts=store
    )
    assert result.status == "indeterminate"
    assert result.reasons == ("status_unavailable",)


def test_dcc_tampered_status_list_is_not_trusted(
    store: ContextStore, dcc_documents: dict[str, bytes]
) -> None:
    root = shared_data("vc", "dcc-vc-test-fixtures", "statusLists", "didkey-ed25519Signature2020")
    credential = {
        "credentialStatus": {
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "1",
            "statusListCredential": "https://digitalcredentials.github.io/vc-test-fixtures/"
            "statusLists/didkey-ed25519Signature2020/tampered",
        }
    }
    assert (root / "tampered").exists()
    outcome = check_status(
        credential, issuer_id=None, resolver=MapResolver(dcc_documents), store=store, now=NOW
    )
    assert outcome.ok is None
    assert outcome.reason == "status_unavailable"


def test_1edtech_revocation_list_names_revoked_credentials() -> None:
    url = "https://issuer.example/revocations"
    listing = {"revokedCredentials": [{"id": "urn:uuid:1", "revocationReason": "error"}]}
    resolver = MapResolver({url: json.dumps(listing).encode()})
    entry = {"id": url, "type": "1EdTechRevocationList"}
    revoked = check_status(
        {"id": "urn:uuid:1", "credentialStatus": entry},
        issuer_id=None,
        resolver=resolver,
        store=None,
        now=NOW,
    )  # type: ignore[arg-type]
    kept = check_status(
        {"id": "urn:uuid:2", "credentialStatus": entry},
        issuer_id=None,
        resolver=resolver,
        store=None,
        now=NOW,
    )  # type: ignore[arg-type]
    assert revoked.reason == "revoked"
    assert kept.ok is True
