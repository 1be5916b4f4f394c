"""The badge size cap: real Blockcerts with embedded images fit, bigger files are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.wallet.jsonld import ContextStore
from coach.wallet.parse import MAX_BADGE_BYTES, BadgeInputError, load_badge_bytes
from coach.wallet.resolver import OfflineResolver
from coach.wallet.verify import verify_credential
from tests.conftest import shared_data
from tests.wallet_verify.conftest import NOW


def test_the_cap_leaves_room_for_certificates_with_embedded_images() -> None:
    assert MAX_BADGE_BYTES >= 8 * 1024 * 1024


def test_ethereum_certificate_over_two_megabytes_verifies_offline_naming_its_anchor(
    store: ContextStore,
) -> None:
    path: Path = shared_data("vc", "blockcerts") / "v2" / "ethereum-main-valid-2.0.json"
    data = path.read_bytes()
    assert len(data) > 2 * 1024 * 1024
    result = verify_credential(data, resolver=OfflineResolver(), now=NOW, contexts=store)
    assert result.status == "indeterminate"
    assert "malformed" not in result.reasons
    checks = {c.id: c for c in result.checks}
    assert checks["hash"].ok is True
    assert checks["merkle"].ok is True
    tx = json.loads(data)["signature"]["anchors"][0]["sourceId"]
    assert checks["anchor"].ok is None
    assert "ethereumMainnet" in checks["anchor"].detail
    assert tx in checks["anchor"].detail


def test_a_file_over_the_cap_gets_a_clear_error_naming_the_limit() -> None:
    padding = b" " * (MAX_BADGE_BYTES + 1 - len(b'{"a": 1}'))
    data = b'{"a": 1}' + padding
    assert len(data) == MAX_BADGE_BYTES + 1
    with pytest.raises(BadgeInputError, match=f"larger than {MAX_BADGE_BYTES // 2**20} MB"):
        load_badge_bytes(data)
    result = verify_credential(data, resolver=OfflineResolver(), now=NOW)
    assert result.status == "invalid"
    assert result.reasons == ("malformed",)


def test_a_file_exactly_at_the_cap_is_read() -> None:
    body = b'{"@context": "https://www.w3.org/ns/credentials/v2"}'
    data = body + b" " * (MAX_BADGE_BYTES - len(body))
    assert load_badge_bytes(data).document is not None
