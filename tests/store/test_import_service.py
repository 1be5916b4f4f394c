"""Importing badges: bad input stores nothing; readable credentials are verified,
linked and stored once, on every backend."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import WalletError
from coach.store import MemoryStore
from coach.store.ports import Store
from coach.wallet.resolver import OfflineResolver
from coach.wallet.result import VerificationResult
from coach.wallet.service import BadgeRejectedError, ImportOutcome, import_badge
from coach.wallet.verify import verify_credential
from knowledge.schema import Catalogue, CatalogueInfo
from tests.conftest import shared_data
from tests.store.conftest import NOW

DCC = ("vc", "dcc-vc-test-fixtures", "verifiableCredentials", "v2", "dataIntegrityProof", "didKey")
#: Offline-valid OB 3.0 badge: Example Corp's "Teamwork" (did:key, no status, no expiry).
BASIC_OB3 = "legacyRegistry-noStatus-noExpiry-basicOBv3.json"
#: The same issuer, a different achievement name, same achievement id.
ACHIEVEMENT_TYPE = "legacyRegistry-noStatus-noExpiry-achievementTypeExample.json"
REVOKED = "noRegistry-revokedStatus-noExpiry.json"


def real_verify(data: bytes) -> VerificationResult:
    return verify_credential(data, resolver=OfflineResolver(), now=NOW)


def _png(chunks: list[tuple[bytes, bytes]]) -> bytes:
    out = b"\x89PNG\r\n\x1a\n"
    for kind, body in chunks:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        out += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
    return out


def _import(store: Store, catalogue: Catalogue, data: bytes) -> ImportOutcome:
    learner = "learner-1"
    store.ensure_learner(learner)
    return import_badge(store, catalogue, learner, data, verify=real_verify, now=NOW)


BAD_INPUTS = {
    "over 2 MB": b'{"a": "' + b"x" * (2 * 1024 * 1024) + b'"}',
    "not JSON": b"hello, this is a text file",
    "truncated JSON": b'{"@context": ["https://www.w3.org/ns/credentials/v2"',
    "deeply nested": b"[" * 5000 + b"]" * 5000,
    "UTF-16": json.dumps({"type": ["VerifiableCredential"]}).encode("utf-16"),
    "Latin-1": '{"name": "Zoë"}'.encode("latin-1"),
    "JSON array": b"[1, 2, 3]",
    "JSON without a credential": b'{"hello": "world"}',
    "PNG without a badge": _png([(b"IHDR", b"\x00" * 13), (b"IEND", b"")]),
    "JPEG": b"\xff\xd8\xff\xe0" + b"\x00" * 64,
    "empty": b"",
    "NaN": b'{"a": NaN}',
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error_and_nothing_is_stored(
    name: str, store: Store, catalogue: Catalogue
) -> None:
    with pytest.raises(WalletError) as caught:
        _import(store, catalogue, BAD_INPUTS[name])
    message = str(caught.value)
    assert message
    assert "Traceback" not in message
    assert len(message) < 400
    assert store.list_credentials("learner-1") == []


def test_a_readable_file_that_is_not_a_credential_is_rejected(
    catalogue: Catalogue,
) -> None:
    store = MemoryStore()
    with pytest.raises(BadgeRejectedError, match="not a credential"):
        _import(store, catalogue, b'{"@context": "https://schema.org", "type": "Person"}')
    assert store.list_credentials("learner-1") == []


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)

_malformed = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda s: s.encode("utf-8")),
    st.text(max_size=200).map(lambda s: s.encode("utf-16")),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=300).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
    st.binary(max_size=300).map(lambda b: b"<svg xmlns='http://www.w3.org/2000/svg'>" + b),
    st.integers(min_value=1, max_value=3000).map(lambda n: b"[" * n + b"]" * n),
    st.text(max_size=80).map(lambda s: ("eyJhbGciOiJub25lIn0." + s + ".sig").encode()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_malformed)
def test_malformed_bytes_never_crash_the_import_and_store_nothing(data: bytes) -> None:
    store = MemoryStore()
    catalogue = Catalogue(info=CatalogueInfo(name="empty"))
    with contextlib.suppress(WalletError):
        _import(store, catalogue, data)
    assert store.list_credentials("learner-1") == []


def test_a_verified_badge_is_stored_with_its_verdict_and_catalogue_link(
    store: Store, catalogue: Catalogue
) -> None:
    data = shared_data(*DCC, BASIC_OB3).read_bytes()
    outcome = _import(store, catalogue, data)
    record = outcome.record
    assert outcome.created is True
    assert record.link_evidence is not None
    assert record.status == "valid"
    assert record.format == "ob3-data-integrity"
    assert record.data == data
    assert record.media_type == "application/json"
    assert record.credential_id == "cred.teamwork"
    assert record.link_evidence["method"] == "achievement_id"
    assert record.earned_on == dt.date(2025, 1, 9)
    assert record.credits == 1.5  # from the catalogue: the badge claims none
    assert record.verification["status"] == "valid"
    assert record.verified_at == NOW
    holdings = store.holdings("learner-1")
    assert [(h.credential_id, h.verified) for h in holdings] == [("cred.teamwork", True)]


def test_the_same_badge_twice_is_stored_once(store: Store, catalogue: Catalogue) -> None:
    data = shared_data(*DCC, BASIC_OB3).read_bytes()
    first = _import(store, catalogue, data)
    again = _import(store, catalogue, data)
    assert again.record.id == first.record.id
    assert again.created is False
    assert len(store.list_credentials("learner-1")) == 1


def test_an_invalid_badge_is_kept_but_proves_nothing_verified(
    store: Store, catalogue: Catalogue
) -> None:
    original = json.loads(shared_data(*DCC, BASIC_OB3).read_text())
    original["credentialSubject"]["achievement"]["name"] = "Teamwork (tampered)"
    outcome = _import(store, catalogue, json.dumps(original).encode())
    assert outcome.record.status == "invalid"
    assert [h.verified for h in store.holdings("learner-1")] == [False]


def test_a_revoked_badge_is_not_valid(store: Store, catalogue: Catalogue) -> None:
    data = shared_data(*DCC, REVOKED).read_bytes()
    outcome = _import(store, catalogue, data)
    assert outcome.record.status != "valid"


def test_a_transcript_proves_every_linked_credential_inside_it(
    store: Store, catalogue: Catalogue
) -> None:
    from coach.wallet.result import AchievementSummary, Party

    issuer = Party(id="did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q", name="Example")
    parts = (
        VerificationResult(
            status="valid",
            format="ob3-data-integrity",
            issuer=issuer,
            achievement=AchievementSummary(
                id="https://example.com/achievements/21st-century-skills/teamwork"
            ),
        ),
        VerificationResult(
            status="valid",
            format="ob3-data-integrity",
            issuer=issuer,
            achievement=AchievementSummary(name="Leadership Essentials"),
        ),
        VerificationResult(
            status="valid",
            format="ob3-data-integrity",
            issuer=issuer,
            achievement=AchievementSummary(name="Not in the catalogue at all"),
        ),
    )
    bundle = VerificationResult(
        status="valid", format="clr2", issuer=issuer, parts=parts, issued_on="2025-06-01"
    )
    store.ensure_learner("learner-1")
    outcome = import_badge(
        store,
        catalogue,
        "learner-1",
        b'{"type": ["VerifiableCredential", "ClrCredential"]}',
        verify=lambda _data: bundle,  # a signed CLR fixture is not available offline
        now=NOW,
    )
    assert outcome.record.credential_id == "cred.teamwork"
    held = {h.credential_id: h for h in store.holdings("learner-1")}
    assert set(held) == {"cred.teamwork", "cred.leadership"}
    assert all(h.verified for h in held.values())
    assert held["cred.leadership"].credits == 1.5
    assert held["cred.leadership"].earned_on == dt.date(2025, 6, 1)
