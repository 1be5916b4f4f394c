"""Subject binding: plain ids, IdentityObjects (plain and salted sha256), OB 2.0 recipients."""

from __future__ import annotations

import hashlib

from coach.wallet.jsonld import ContextStore
from coach.wallet.resolver import MapResolver
from coach.wallet.subject import identity_matches, subject_matches
from coach.wallet.verify import verify_credential
from tests.conftest import shared_data
from tests.wallet_verify.conftest import NOW


def test_salted_sha256_identity_hash_matches_only_the_learner() -> None:
    salt = "s4lt"
    digest = hashlib.sha256(("ada@example.org" + salt).encode()).hexdigest()
    identity = {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
        "identityHash": "sha256$" + digest,
    }
    assert identity_matches(identity, "ada@example.org") is True
    assert identity_matches(identity, "Ada@Example.org") is True  # emails compare lower-cased
    assert identity_matches(identity, "bob@example.org") is False


def test_subject_id_and_mailto_forms_match() -> None:
    assert subject_matches({"id": "mailto:ada@example.org"}, "ada@example.org")[0] is True
    assert subject_matches({"id": "did:example:ada"}, "did:example:bob")[0] is False
    assert subject_matches({"name": "Ada"}, "ada@example.org")[0] is None


def test_dcc_identity_object_fixture_binds_to_its_named_learner(store: ContextStore) -> None:
    path = shared_data(
        "vc",
        "dcc-vc-test-fixtures",
        "verifiableCredentials",
        "v2",
        "dataIntegrityProof",
        "didKey",
        "legacyRegistry-noStatus-noExpiry-identityHash.json",
    )
    mine = verify_credential(
        path.read_bytes(),
        resolver=MapResolver({}),
        now=NOW,
        contexts=store,
        learner_identity="Parker Pearl",
    )
    # The fixture's achievementType "Program" fails the schema check; the subject
    # check is judged on its own.
    assert next(c for c in mine.checks if c.id == "subject").ok is True
    assert "subject_mismatch" not in mine.reasons
    theirs = verify_credential(
        path.read_bytes(),
        resolver=MapResolver({}),
        now=NOW,
        contexts=store,
        learner_identity="Someone Else",
    )
    assert theirs.status == "invalid"
    assert "subject_mismatch" in theirs.reasons
