"""VC-JWT with keys generated here: algorithms, key binding, claims."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from coach.wallet.jsonld import ContextStore
from coach.wallet.resolver import MapResolver
from coach.wallet.verify import verify_credential
from tests.wallet_verify.conftest import NOW

DID = "did:web:issuer.example"
DID_URL = "https://issuer.example/.well-known/did.json"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwk(public: Any) -> dict[str, str]:
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": _b64(raw)}
    if isinstance(public, ec.EllipticCurvePublicKey):
        numbers = public.public_numbers()
        return {
            "kty": "EC",
            "crv": "P-256",
            "x": _b64(numbers.x.to_bytes(32, "big")),
            "y": _b64(numbers.y.to_bytes(32, "big")),
        }
    numbers = public.public_numbers()
    n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    return {"kty": "RSA", "n": _b64(n), "e": _b64(numbers.e.to_bytes(3, "big"))}


def _did_document(public: Any) -> bytes:
    method = f"{DID}#key-1"
    return json.dumps(
        {
            "id": DID,
            "verificationMethod": [
                {
                    "id": method,
                    "type": "JsonWebKey2020",
                    "controller": DID,
                    "publicKeyJwk": _jwk(public),
                }
            ],
            "assertionMethod": [method],
        }
    ).encode()


def _credential() -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:2f1d1bb8-3a5c-4b32-9f0e-4d5a2b0c9d11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": DID, "type": ["Profile"], "name": "Issuer"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Data badge",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://issuer.example/a/1",
                "type": ["Achievement"],
                "name": "Data",
                "description": "Data work.",
                "criteria": {"narrative": "Did data work."},
            },
        },
    }


def _payload(**overrides: Any) -> dict[str, Any]:
    credential = _credential()
    payload = {
        "iss": DID,
        "sub": "did:example:learner",
        "jti": credential["id"],
        "nbf": 1704067200,
        "vc": credential,
    }
    payload.update(overrides)
    return payload


KEYS = {
    "EdDSA": lambda: ed25519.Ed25519PrivateKey.generate(),
    "ES256": lambda: ec.generate_private_key(ec.SECP256R1()),
    "RS256": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
}


@pytest.fixture(scope="module", params=sorted(KEYS))
def signer(request: pytest.FixtureRequest) -> tuple[str, Any]:
    return request.param, KEYS[request.param]()


def _verify(token: str, public: Any, store: ContextStore, **kw: Any) -> Any:
    resolver = MapResolver({DID_URL: _did_document(public)})
    return verify_credential(token.encode(), resolver=resolver, now=NOW, contexts=store, **kw)


def test_vc_jwt_signed_with_the_issuers_key_is_valid(
    signer: tuple[str, Any], store: ContextStore
) -> None:
    alg, key = signer
    token = jwt.encode(_payload(), key, algorithm=alg, headers={"kid": f"{DID}#key-1"})
    result = _verify(token, key.public_key(), store, learner_identity="did:example:learner")
    assert result.status == "valid", result.checks
    assert result.format == "ob3-vc-jwt"


def test_vc_jwt_with_alg_none_is_refused(store: ContextStore) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    header = _b64(json.dumps({"alg": "none", "kid": f"{DID}#key-1"}).encode())
    token = f"{header}.{_b64(json.dumps(_payload()).encode())}."
    result = _verify(token, key.public_key(), store)
    assert result.status == "invalid"
    assert "unsupported_proof" in result.reasons


def test_hs256_signed_with_the_public_key_is_refused(store: ContextStore) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    header = _b64(json.dumps({"alg": "HS256", "kid": f"{DID}#key-1"}).encode())
    body = _b64(json.dumps(_payload()).encode())
    mac = hmac.new(pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    result = _verify(f"{header}.{body}.{_b64(mac)}", key.public_key(), store)
    assert result.status == "invalid"
    assert "unsupported_proof" in result.reasons


def test_embedded_jwk_not_tied_to_the_issuer_proves_nothing(store: ContextStore) -> None:
    issuer_key = ed25519.Ed25519PrivateKey.generate()
    attacker = ed25519.Ed25519PrivateKey.generate()
    token = jwt.encode(
        _payload(),
        attacker,
        algorithm="EdDSA",
        headers={"kid": f"{DID}#key-1", "jwk": _jwk(attacker.public_key())},
    )
    result = _verify(token, issuer_key.public_key(), store)
    assert result.status == "invalid"
    assert "key_not_authorized" in result.reasons


def test_signature_by_another_key_is_a_bad_signature(store: ContextStore) -> None:
    issuer_key = ed25519.Ed25519PrivateKey.generate()
    other = ed25519.Ed25519PrivateKey.generate()
    token = jwt.encode(_payload(), other, algorithm="EdDSA", headers={"kid": f"{DID}#key-1"})
    result = _verify(token, issuer_key.public_key(), store)
    assert "bad_signature" in result.reasons


def test_claims_that_disagree_with_the_credential_are_rejected(store: ContextStore) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    token = jwt.encode(
        _payload(jti="urn:uuid:other", sub="did:example:someone-else"),
        key,
        algorithm="EdDSA",
        headers={"kid": f"{DID}#key-1"},
    )
    result = _verify(token, key.public_key(), store)
    assert result.status == "invalid"
    claims = next(c for c in result.checks if c.id == "claims")
    assert claims.ok is False
    assert "jti" in claims.detail
    assert "sub" in claims.detail


def test_expired_jwt_is_expired(store: ContextStore) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    token = jwt.encode(
        _payload(exp=1704153600), key, algorithm="EdDSA", headers={"kid": f"{DID}#key-1"}
    )
    result = _verify(token, key.public_key(), store)
    assert result.status == "invalid"
    assert "expired" in result.reasons


def test_learner_identity_that_is_not_the_subject_is_a_mismatch(store: ContextStore) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    token = jwt.encode(_payload(), key, algorithm="EdDSA", headers={"kid": f"{DID}#key-1"})
    result = _verify(token, key.public_key(), store, learner_identity="did:example:mallory")
    assert "subject_mismatch" in result.reasons


def test_jws_with_critical_extensions_is_refused(store: ContextStore) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    token = jwt.encode(
        _payload(), key, algorithm="EdDSA", headers={"kid": f"{DID}#key-1", "crit": ["exp"]}
    )
    result = _verify(token, key.public_key(), store)
    assert "unsupported_proof" in result.reasons


def test_es256_jwt_from_a_p256_did_key_is_valid(store: ContextStore) -> None:
    import base58

    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.public_key().public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
    did = "did:key:z" + base58.b58encode(b"\x80\x24" + raw).decode()
    payload = _payload(iss=did)
    payload["vc"]["issuer"]["id"] = did
    token = jwt.encode(
        payload, key, algorithm="ES256", headers={"kid": f"{did}#{did.removeprefix('did:key:')}"}
    )
    result = verify_credential(token.encode(), resolver=MapResolver({}), now=NOW, contexts=store)
    assert result.status == "valid", result.checks
