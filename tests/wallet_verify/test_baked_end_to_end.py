"""Baked badges and declared schemas, verified end to end."""

from __future__ import annotations

import json

import pytest

from coach.wallet.jsonld import ContextStore
from coach.wallet.resolver import MapResolver
from coach.wallet.verify import verify_credential
from tests.conftest import shared_data
from tests.wallet_verify.conftest import NOW
from tests.wallet_verify.test_parse import png_with

FIXTURE = ("vc", "dcc-vc-test-fixtures", "verifiableCredentials", "v2", "ed25519", "didKey")


@pytest.fixture(scope="module")
def credential() -> bytes:
    return shared_data(*FIXTURE, "legacy-noStatus-noExpiry.json").read_bytes()


def test_png_baked_signed_credential_verifies(credential: bytes, store: ContextStore) -> None:
    data = png_with(b"openbadgecredential", credential, compressed=True)
    result = verify_credential(data, resolver=MapResolver({}), now=NOW, contexts=store)
    assert result.status == "valid", result.checks


def test_svg_baked_signed_credential_verifies(credential: bytes, store: ContextStore) -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" '
        b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA['
        + credential
        + b"]]></openbadges:credential></svg>"
    )
    result = verify_credential(svg, resolver=MapResolver({}), now=NOW, contexts=store)
    assert result.status == "valid", result.checks


def test_png_baked_tampered_credential_fails(store: ContextStore) -> None:
    tampered = shared_data(*FIXTURE, "legacy-noStatus-noExpiry-tampered.json").read_bytes()
    data = png_with(b"openbadgecredential", tampered)
    result = verify_credential(data, resolver=MapResolver({}), now=NOW, contexts=store)
    assert result.status == "invalid"
    assert "bad_signature" in result.reasons


def test_declared_credential_schema_is_applied_when_it_can_be_fetched(
    store: ContextStore,
) -> None:
    path = shared_data(
        "vc",
        "dcc-vc-test-fixtures",
        "verifiableCredentials",
        "v2",
        "dataIntegrityProof",
        "didKey",
        "legacyRegistry-noStatus-notExpired-withSchema.json",
    )
    document = json.loads(path.read_text())
    url = document["credentialSchema"][0]["id"]
    strict = {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "type": "object",
        "required": ["awardedDate"],
    }
    result = verify_credential(
        path.read_bytes(),
        resolver=MapResolver({url: json.dumps(strict).encode()}),
        now=NOW,
        contexts=store,
    )
    assert "schema_invalid" in result.reasons
    lenient = {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "type": "object",
        "required": ["credentialSubject"],
    }
    result = verify_credential(
        path.read_bytes(),
        resolver=MapResolver({url: json.dumps(lenient).encode()}),
        now=NOW,
        contexts=store,
    )
    assert result.status == "valid", result.checks
