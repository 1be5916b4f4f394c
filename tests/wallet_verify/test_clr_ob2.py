"""CLR 2.0 bundles (the specification's vector) and Open Badges 2.0 assertions."""

from __future__ import annotations

import copy
import hashlib
import html
import json
import re
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from coach.wallet.jsonld import ContextStore, canonize
from coach.wallet.resolver import MapResolver
from coach.wallet.verify import verify_credential
from tests.conftest import shared_data
from tests.wallet_verify.conftest import NOW


@pytest.fixture(scope="module")
def clr() -> dict[str, Any]:
    text = shared_data("vc", "ob3-spec-vector", "linked-data-proof-clr.html").read_text()
    found = re.search(
        r'<pre class="example json" title="Signed credential">(.*?)</pre>', text, re.S
    )
    assert found
    return dict(json.loads(html.unescape(found.group(1))))


def _controller(document: dict[str, Any]) -> MapResolver:
    proof = document["proof"]
    method = (proof[0] if isinstance(proof, list) else proof)["verificationMethod"]
    issuer, fingerprint = method.split("#")
    controller = {
        "id": issuer,
        "assertionMethod": [method],
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": issuer,
                "publicKeyMultibase": fingerprint,
            }
        ],
    }
    return MapResolver({issuer: json.dumps(controller).encode()})


def test_clr_spec_vector_canonical_form_matches(clr: dict[str, Any], store: ContextStore) -> None:
    if store.seed_entries() and not (store.allowed(clr["@context"][1])):
        pytest.skip("CLR context not pinned")
    unsigned = {k: v for k, v in clr.items() if k != "proof"}
    expected = shared_data("vc", "ob3-spec-vector", "clrv2p0-document-canon.txt").read_text()
    assert canonize(unsigned, store) == expected


def test_clr_bundle_and_each_part_verify(clr: dict[str, Any], store: ContextStore) -> None:
    result = verify_credential(
        json.dumps(clr).encode(), resolver=_controller(clr), now=NOW, contexts=store
    )
    assert result.status == "valid", result.checks
    assert result.format == "clr2"
    assert len(result.parts) == len(clr["credentialSubject"]["verifiableCredential"])
    assert all(part.status == "valid" for part in result.parts)


def test_clr_with_an_altered_part_is_invalid(clr: dict[str, Any], store: ContextStore) -> None:
    altered = copy.deepcopy(clr)
    altered["credentialSubject"]["verifiableCredential"][0]["name"] = "Altered"
    result = verify_credential(
        json.dumps(altered).encode(), resolver=_controller(clr), now=NOW, contexts=store
    )
    assert result.status == "invalid"
    assert result.parts[0].status == "invalid"
    assert "bad_signature" in result.parts[0].reasons


ISSUER = "https://badges.example/issuer"
KEY_URL = "https://badges.example/key"
BADGE = "https://badges.example/badge"
REVOCATIONS = "https://badges.example/revocations"


def _ob2_world(
    private: rsa.RSAPrivateKey,
    *,
    revoked: list[str] = (),  # type: ignore[assignment]
    list_key: bool = True,
) -> dict[str, bytes]:
    pem = private.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    return {
        ISSUER: json.dumps(
            {
                "@context": "https://w3id.org/openbadges/v2",
                "type": "Issuer",
                "id": ISSUER,
                "name": "Badge Org",
                "publicKey": [KEY_URL] if list_key else [],
                "revocationList": REVOCATIONS,
            }
        ).encode(),
        KEY_URL: json.dumps(
            {
                "id": KEY_URL,
                "type": "CryptographicKey",
                "owner": ISSUER,
                "publicKeyPem": pem.decode(),
            }
        ).encode(),
        BADGE: json.dumps(
            {
                "id": BADGE,
                "type": "BadgeClass",
                "name": "Welding",
                "description": "Welds.",
                "issuer": ISSUER,
                "criteria": {"narrative": "Weld."},
            }
        ).encode(),
        REVOCATIONS: json.dumps(
            {"id": REVOCATIONS, "type": "RevocationList", "revokedAssertions": list(revoked)}
        ).encode(),
    }


def _assertion(kind: str) -> dict[str, Any]:
    salt = "pepper"
    identity = "sha256$" + hashlib.sha256(("learner@example.org" + salt).encode()).hexdigest()
    verification = (
        {"type": "SignedBadge", "creator": KEY_URL} if kind == "signed" else {"type": "HostedBadge"}
    )
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://badges.example/assertions/1" if kind == "hosted" else "urn:uuid:7",
        "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": identity},
        "badge": BADGE,
        "issuedOn": "2024-01-01T00:00:00Z",
        "verification": verification,
    }


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_signed_ob2_assertion_is_valid_for_its_recipient(rsa_key: rsa.RSAPrivateKey) -> None:
    token = jwt.encode(_assertion("signed"), rsa_key, algorithm="RS256")
    result = verify_credential(
        token.encode(),
        resolver=MapResolver(_ob2_world(rsa_key)),
        now=NOW,
        learner_identity="learner@example.org",
    )
    assert result.status == "valid", result.checks
    assert result.format == "ob2-signed"
    assert result.achievement is not None
    assert result.achievement.name == "Welding"
    other = verify_credential(
        token.encode(),
        resolver=MapResolver(_ob2_world(rsa_key)),
        now=NOW,
        learner_identity="someone@example.org",
    )
    assert "subject_mismatch" in other.reasons


def test_signed_ob2_assertion_on_the_revocation_list_is_revoked(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    token = jwt.encode(_assertion("signed"), rsa_key, algorithm="RS256")
    world = _ob2_world(rsa_key, revoked=["urn:uuid:7"])
    result = verify_credential(token.encode(), resolver=MapResolver(world), now=NOW)
    assert "revoked" in result.reasons


def test_signed_ob2_key_not_listed_by_the_issuer_is_not_authorised(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    token = jwt.encode(_assertion("signed"), rsa_key, algorithm="RS256")
    world = _ob2_world(rsa_key, list_key=False)
    result = verify_credential(token.encode(), resolver=MapResolver(world), now=NOW)
    assert "key_not_authorized" in result.reasons


def test_hosted_ob2_assertion_matches_the_issuers_copy(rsa_key: rsa.RSAPrivateKey) -> None:
    assertion = _assertion("hosted")
    world = _ob2_world(rsa_key)
    world[assertion["id"]] = json.dumps(assertion).encode()
    result = verify_credential(json.dumps(assertion).encode(), resolver=MapResolver(world), now=NOW)
    assert result.status == "valid", result.checks
    assert result.format == "ob2-hosted"
    altered = dict(assertion, issuedOn="2020-01-01T00:00:00Z")
    result = verify_credential(json.dumps(altered).encode(), resolver=MapResolver(world), now=NOW)
    assert "bad_signature" in result.reasons
