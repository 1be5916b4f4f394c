"""A Data Integrity proof is judged by its own dates too: ``created`` in the
future (beyond the clock-skew allowance) and ``expires`` in the past fail it,
for eddsa-rdfc-2022 and Ed25519Signature2020 alike."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from coach.wallet.dataintegrity import CLOCK_SKEW, proof_date_problem
from coach.wallet.jsonld import ContextStore
from coach.wallet.resolver import OfflineResolver
from coach.wallet.result import VerificationResult
from coach.wallet.verify import verify_credential
from tests.wallet_verify.conftest import NOW, did_key_of, sign_data_integrity

SUITES = ("eddsa-rdfc-2022", "Ed25519Signature2020")


def _iso(delta: timedelta) -> str:
    return (NOW + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _credential(did: str, suite: str) -> dict[str, object]:
    if suite == "eddsa-rdfc-2022":
        return {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": "urn:uuid:0d5e3c1a-5f7b-4f0e-9a55-3c2b1a0f9e21",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": "Dated Issuer"},
            "validFrom": "2024-01-01T00:00:00Z",
            "name": "Dated badge",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {
                    "id": "https://dated.example/a/1",
                    "type": ["Achievement"],
                    "name": "A",
                    "description": "An achievement.",
                    "criteria": {"narrative": "Do it."},
                },
            },
        }
    return {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/security/suites/ed25519-2020/v1",
        ],
        "id": "urn:uuid:7a0f1e2d-3c4b-4a59-8e6f-1d2c3b4a5f60",
        "type": ["VerifiableCredential"],
        "issuer": did,
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }


def _verify(store: ContextStore, suite: str, **proof_fields: object) -> VerificationResult:
    key = ed25519.Ed25519PrivateKey.generate()
    did = did_key_of(key)
    signed = sign_data_integrity(
        _credential(did, suite),
        key,
        f"{did}#{did.removeprefix('did:key:')}",
        store,
        suite=suite,
        proof_fields=proof_fields,
    )
    return verify_credential(
        json.dumps(signed).encode(), resolver=OfflineResolver(), now=NOW, contexts=store
    )


def _proof(result: VerificationResult) -> tuple[bool | None, str]:
    check = next(c for c in result.checks if c.id == "proof")
    return check.ok, check.detail


@pytest.mark.parametrize("suite", SUITES)
def test_proof_created_in_the_past_and_not_expired_is_valid(
    store: ContextStore, suite: str
) -> None:
    result = _verify(
        store, suite, created=_iso(-timedelta(days=30)), expires=_iso(timedelta(days=30))
    )
    assert result.status == "valid", result.checks


@pytest.mark.parametrize("suite", SUITES)
def test_proof_created_in_the_future_fails_as_not_yet_valid(
    store: ContextStore, suite: str
) -> None:
    result = _verify(store, suite, created=_iso(timedelta(days=2)))
    assert result.status == "invalid"
    assert "proof_not_yet_valid" in result.reasons
    ok, detail = _proof(result)
    assert ok is False
    assert "future" in detail


@pytest.mark.parametrize("suite", SUITES)
def test_proof_expired_fails_as_expired(store: ContextStore, suite: str) -> None:
    result = _verify(
        store, suite, created=_iso(-timedelta(days=30)), expires=_iso(-timedelta(hours=1))
    )
    assert result.status == "invalid"
    assert "proof_expired" in result.reasons
    assert "expired" not in result.reasons  # the credential itself is still in its window
    ok, detail = _proof(result)
    assert ok is False
    assert "expired" in detail


@pytest.mark.parametrize("suite", SUITES)
def test_created_within_the_clock_skew_allowance_is_accepted(
    store: ContextStore, suite: str
) -> None:
    result = _verify(store, suite, created=_iso(CLOCK_SKEW - timedelta(minutes=1)))
    assert result.status == "valid", result.checks


def test_the_skew_allowance_has_an_edge() -> None:
    just_inside = {"created": _iso(CLOCK_SKEW)}
    just_outside = {"created": _iso(CLOCK_SKEW + timedelta(seconds=1))}
    assert proof_date_problem(just_inside, NOW) is None
    problem = proof_date_problem(just_outside, NOW)
    assert problem is not None
    assert problem[0] == "proof_not_yet_valid"


def test_expires_at_exactly_now_has_expired() -> None:
    problem = proof_date_problem({"expires": _iso(timedelta(0))}, NOW)
    assert problem is not None
    assert problem[0] == "proof_expired"


def test_unreadable_proof_dates_are_malformed() -> None:
    problem = proof_date_problem({"created": "yesterday"}, NOW)
    assert problem is not None
    assert problem[0] == "malformed"


def test_a_bad_signature_stays_a_bad_signature_when_dates_are_also_wrong(
    store: ContextStore,
) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    did = did_key_of(key)
    signed = sign_data_integrity(
        _credential(did, "eddsa-rdfc-2022"),
        key,
        f"{did}#{did.removeprefix('did:key:')}",
        store,
        proof_fields={"expires": _iso(-timedelta(days=1))},
    )
    signed["name"] = "Altered badge"
    result = verify_credential(
        json.dumps(signed).encode(), resolver=OfflineResolver(), now=NOW, contexts=store
    )
    assert result.status == "invalid"
    assert "bad_signature" in result.reasons
