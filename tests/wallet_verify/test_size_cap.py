"""The badge size cap: 2 MB, refused with the limit named and nothing half-read."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.wallet.parse import MAX_BADGE_BYTES, BadgeInputError, load_badge_bytes
from coach.wallet.resolver import OfflineResolver
from coach.wallet.verify import verify_credential
from tests.conftest import shared_data
from tests.wallet_verify.conftest import NOW


def test_the_cap_is_the_wallet_contract_of_two_megabytes() -> None:
    assert MAX_BADGE_BYTES == 2 * 1024 * 1024


def test_a_real_certificate_over_two_megabytes_gets_a_clear_error_not_a_crash() -> None:
    path: Path = shared_data("vc", "blockcerts") / "v2" / "ethereum-main-valid-2.0.json"
    data = path.read_bytes()
    assert len(data) > MAX_BADGE_BYTES
    with pytest.raises(BadgeInputError, match="larger than 2 MB"):
        load_badge_bytes(data)
    result = verify_credential(data, resolver=OfflineResolver(), now=NOW)
    assert result.status == "invalid"
    assert result.reasons == ("malformed",)


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
