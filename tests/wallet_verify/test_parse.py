"""Reading badge files: JSON, JWT, baked PNG/SVG, and bad input (never a crash)."""

from __future__ import annotations

import contextlib
import json
import struct
import zlib
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import WalletError
from coach.wallet.parse import MAX_BADGE_BYTES, BadgeInputError, load_badge_bytes
from coach.wallet.resolver import OfflineResolver
from coach.wallet.verify import UNEXPECTED_STRUCTURE, verify_credential

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
}


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_with(keyword: bytes | None, text: bytes, *, compressed: bool = False) -> bytes:
    """A 1x1 PNG; with an iTXt chunk when ``keyword`` is given."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    chunks = [_chunk(b"IHDR", ihdr)]
    if keyword is not None:
        payload = zlib.compress(text) if compressed else text
        flag = b"\x01\x00" if compressed else b"\x00\x00"
        chunks.append(_chunk(b"iTXt", keyword + b"\x00" + flag + b"\x00\x00" + payload))
    chunks.append(_chunk(b"IDAT", zlib.compress(b"\x00\x00")))
    chunks.append(_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def test_json_credential_is_read_as_json() -> None:
    parsed = load_badge_bytes(json.dumps(CREDENTIAL).encode())
    assert parsed.kind == "json"
    assert parsed.document == CREDENTIAL


@pytest.mark.parametrize("compressed", [False, True])
def test_png_baked_ob3_credential_is_extracted(compressed: bool) -> None:
    data = png_with(b"openbadgecredential", json.dumps(CREDENTIAL).encode(), compressed=compressed)
    parsed = load_badge_bytes(data)
    assert parsed.container == "png"
    assert parsed.document == CREDENTIAL


def test_png_baked_ob2_jws_is_read_as_a_token() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.eyJiYWRnZSI6Imh0dHBzOi8veC95In0.c2ln"
    parsed = load_badge_bytes(png_with(b"openbadges", token.encode()))
    assert parsed.kind == "jwt"
    assert parsed.token == token


def test_svg_baked_credential_is_extracted() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
        f"<openbadges:credential><![CDATA[{json.dumps(CREDENTIAL)}]]></openbadges:credential>"
        "</svg>"
    ).encode()
    parsed = load_badge_bytes(svg)
    assert parsed.container == "svg"
    assert parsed.document == CREDENTIAL


def test_svg_with_ob2_verify_attribute_names_the_hosted_assertion() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b'<openbadges:assertion verify="https://x.example/a/1"/>'
        b'<openbadges:credential verify="https://x.example/a/1"/></svg>'
    )
    parsed = load_badge_bytes(svg)
    assert parsed.kind == "url"
    assert parsed.url == "https://x.example/a/1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"x" * (MAX_BADGE_BYTES + 1), "larger than"),
        (b"[1, 2]", "not a JSON object"),
        (b"{not json", "not valid JSON"),
        (b"[" * 100 + b"]" * 100, "nested deeper"),
        ('{"a": "é"}'.encode("utf-16"), "UTF-16"),
        (b"\xff\xfe\xfa{}", "UTF-16"),
        (b'{"a": NaN}', "non-standard number"),
        (png_with(None, b""), "no badge"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "no badge"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg/>', "DOCTYPE"),
        (b"\xff\xd8\xff\xe0JFIF", "cannot carry a badge"),
    ],
)
def test_bad_input_raises_a_wallet_error_with_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(BadgeInputError, match=message):
        load_badge_bytes(data)


def test_enormous_json_is_refused() -> None:
    data = json.dumps({"a": [0] * 300_000}).encode()
    with pytest.raises(BadgeInputError, match="too large"):
        load_badge_bytes(data)


def test_bad_input_to_verify_credential_is_an_invalid_malformed_result() -> None:
    result = verify_credential(b"{oops", resolver=OfflineResolver(), now=NOW)
    assert result.status == "invalid"
    assert result.reasons == ("malformed",)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
credential_like = st.fixed_dictionaries(
    {},
    optional={
        "@context": st.one_of(
            st.just(["https://www.w3.org/ns/credentials/v2"]),
            st.just(["https://www.w3.org/2018/credentials/v1", "https://x.example/ctx"]),
            st.just(["https://w3id.org/openbadges/v2", "https://w3id.org/blockcerts/v2"]),
            st.just("https://w3id.org/openbadges/v2"),
            json_values,
        ),
        "type": st.one_of(st.just(["VerifiableCredential", "OpenBadgeCredential"]), json_values),
        "issuer": json_values,
        "credentialSubject": json_values,
        "proof": json_values,
        "credentialStatus": json_values,
        "validFrom": st.one_of(st.text(max_size=30), json_values),
        "signature": json_values
        | st.fixed_dictionaries(
            {"type": st.just("MerkleProof2017"), "merkleRoot": json_values},
            optional={"targetHash": json_values, "proof": json_values, "anchors": json_values},
        ),
        "badge": json_values,
        "id": json_values,
        "issuedOn": json_values,
        "expires": json_values,
        "recipient": json_values,
        "verification": json_values,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise_anything_but_wallet_errors(data: bytes) -> None:
    with contextlib.suppress(WalletError):
        load_badge_bytes(data)
    result = verify_credential(data, resolver=OfflineResolver(), now=NOW)
    assert result.status in ("valid", "invalid", "indeterminate")
    assert not any(UNEXPECTED_STRUCTURE in c.detail for c in result.checks), result.checks


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credential_like)
def test_malformed_credentials_give_a_result_not_an_exception(document: dict[str, object]) -> None:
    result = verify_credential(json.dumps(document).encode(), resolver=OfflineResolver(), now=NOW)
    assert result.status != "valid"
    assert not any(UNEXPECTED_STRUCTURE in c.detail for c in result.checks), result.checks


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([b"openbadgecredential", b"openbadges"]))
def test_png_with_arbitrary_chunk_text_never_crashes(text: bytes, keyword: bytes) -> None:
    result = verify_credential(png_with(keyword, text), resolver=OfflineResolver(), now=NOW)
    assert result.status in ("invalid", "indeterminate")
    assert not any(UNEXPECTED_STRUCTURE in c.detail for c in result.checks), result.checks


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.sampled_from(["alg", "kid", "jwk", "typ"]), json_values, max_size=4),
    st.fixed_dictionaries(
        {},
        optional={
            "vc": credential_like,
            "iss": json_values,
            "nbf": json_values,
            "exp": json_values,
            "sub": json_values,
            "jti": json_values,
        },
    ),
)
def test_malformed_jwts_give_a_result_not_an_exception(
    header: dict[str, object], payload: dict[str, object]
) -> None:
    token = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}.c2ln"
    result = verify_credential(token.encode(), resolver=OfflineResolver(), now=NOW)
    assert result.status != "valid"
    assert not any(UNEXPECTED_STRUCTURE in c.detail for c in result.checks), result.checks
