"""Anchoring transactions: records and explorer answers, blink URIs, the sender
against the issuer's keys and their dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.wallet.anchor import (
    AnchorFormatError,
    Transaction,
    blink_uri,
    check_sender,
    lookup_transaction,
    parse_blink,
    parse_transaction,
)
from coach.wallet.report import Report
from coach.wallet.resolver import MapResolver, OfflineResolver, ResolutionError
from coach.wallet.result import Check, ReasonCode

ETH_ISSUER = {
    "publicKey": [
        {
            "id": "ecdsa-koblitz-pubkey:0x40Cf9B7DB6FCc742ad0a76B8588C7f8De2b54a60",
            "created": "2021-01-01T00:00:00Z",
            "expires": "2023-01-01T00:00:00Z",
        }
    ]
}


def _sender(
    transaction: Transaction, issuer: dict[str, object], issued: datetime | None
) -> tuple[Check, list[ReasonCode]]:
    report = Report()
    check_sender(report, transaction, issuer, issued)
    return report.checks[0], report.reasons


def test_etherscan_answer_gives_root_and_sender() -> None:
    body = json.dumps({"result": {"from": "0xABC", "input": "0x" + "ab" * 32}}).encode()
    transaction = parse_transaction("ethereumMainnet", body)
    assert transaction.root == "ab" * 32
    assert transaction.sender == "0xABC"
    assert transaction.time is None


def test_blockstream_answer_gives_root_sender_and_block_time() -> None:
    body = json.dumps(
        {
            "vin": [{"prevout": {"scriptpubkey_address": "mkAvTw"}}],
            "vout": [{"scriptpubkey": "6a20" + "cd" * 32}],
            "status": {"block_time": 1493831179},
        }
    ).encode()
    transaction = parse_transaction("bitcoinTestnet", body)
    assert transaction.root == "cd" * 32
    assert transaction.sender == "mkAvTw"
    assert transaction.time == datetime(2017, 5, 3, 17, 6, 19, tzinfo=UTC)


def test_unreadable_answers_raise_a_format_error() -> None:
    with pytest.raises(AnchorFormatError):
        parse_transaction("bitcoinMainnet", b"not json")
    with pytest.raises(AnchorFormatError):
        parse_transaction("ethereumMainnet", b'{"result": null}')


def test_blink_uris_round_trip_and_unknown_chains_are_refused() -> None:
    assert parse_blink("blink:btc:testnet:abc") == ("bitcoinTestnet", "abc")
    assert parse_blink("blink:eth:sepolia:0x12") == ("ethereumSepolia", "0x12")
    assert blink_uri("bitcoinMainnet", "ff") == "blink:btc:mainnet:ff"
    for bad in ("blink:doge:mainnet:1", "blink:btc:testnet", "https://x/y", "blink:btc:main:1"):
        with pytest.raises(AnchorFormatError):
            parse_blink(bad)


def test_lookup_prefers_the_blink_record_and_falls_back_to_the_explorer() -> None:
    record = json.dumps({"root": "11" * 32, "sender": "a", "time": "2020-01-01T00:00:00Z"})
    both = MapResolver(
        {
            "blink:btc:mainnet:t1": record.encode(),
            "https://blockstream.info/api/tx/t1": json.dumps({"vout": []}).encode(),
        }
    )
    assert lookup_transaction("bitcoinMainnet", "t1", both).root == "11" * 32
    explorer_only = MapResolver(
        {"https://blockstream.info/api/tx/t2": json.dumps({"vout": []}).encode()}
    )
    assert lookup_transaction("bitcoinMainnet", "t2", explorer_only).root is None
    with pytest.raises(ResolutionError):
        lookup_transaction("bitcoinMainnet", "t3", OfflineResolver())


def test_ethereum_sender_matches_whatever_the_checksum_case() -> None:
    transaction = Transaction("00", "0x40cf9b7db6fcc742ad0a76b8588c7f8de2b54a60", None)
    check, reasons = _sender(transaction, ETH_ISSUER, datetime(2022, 1, 1, tzinfo=UTC))
    assert check.ok is True
    assert reasons == []


def test_sender_key_expired_before_the_transaction_is_refused() -> None:
    transaction = Transaction(
        "00", "0x40Cf9B7DB6FCc742ad0a76B8588C7f8De2b54a60", datetime(2024, 1, 1, tzinfo=UTC)
    )
    check, reasons = _sender(transaction, ETH_ISSUER, datetime(2022, 1, 1, tzinfo=UTC))
    assert check.ok is False
    assert reasons == ["issuer_key_revoked"]


def test_sender_key_used_before_it_was_created_is_not_authorised() -> None:
    transaction = Transaction("00", "0x40Cf9B7DB6FCc742ad0a76B8588C7f8De2b54a60", None)
    check, reasons = _sender(transaction, ETH_ISSUER, datetime(2020, 6, 1, tzinfo=UTC))
    assert check.ok is False
    assert reasons == ["key_not_authorized"]


def test_bitcoin_addresses_compare_exactly() -> None:
    issuer = {"publicKey": ["ecdsa-koblitz-pubkey:1AwdUWQzJgfDDjeKtpPzMfYMHejFBrxZfo"]}
    transaction = Transaction("00", "1awduwqzjgfddjektppzmfymhejfbrxzfo", None)
    check, reasons = _sender(transaction, issuer, None)
    assert check.ok is False
    assert reasons == ["anchor_issuer_mismatch"]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=70),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
_keys = st.sampled_from(["root", "sender", "time", "vin", "vout", "status", "result", "prevout"])


@settings(max_examples=150, deadline=None)
@given(
    chain=st.sampled_from(["bitcoinMainnet", "ethereumMainnet"]),
    answer=st.dictionaries(_keys, _json, max_size=5) | _json,
)
def test_any_transaction_answer_parses_or_is_refused_cleanly(chain: str, answer: object) -> None:
    try:
        transaction = parse_transaction(chain, json.dumps(answer).encode())
    except AnchorFormatError:
        return
    assert transaction.root is None or isinstance(transaction.root, str)
    assert transaction.sender is None or isinstance(transaction.sender, str)
