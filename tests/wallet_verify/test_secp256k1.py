"""EcdsaSecp256k1Signature2019 (detached ES256K JWS), as the shared Blockcerts
status lists are signed: the real signatures verify, altered ones do not."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from coach.wallet.dataintegrity import verify_data_integrity
from coach.wallet.jsonld import NPM_EXPORT_DIR, ContextStore
from coach.wallet.keys import public_key_from_multikey
from coach.wallet.resolver import OfflineResolver
from tests.conftest import shared_data
from tests.wallet_verify.conftest import NOW

LISTS = ("blockcerts-status-list-2021.json", "blockcerts-status-list-2021-suspension.json")


def _list(name: str) -> dict[str, Any]:
    path: Path = shared_data("vc", "blockcerts") / name
    value = json.loads(path.read_text())
    assert isinstance(value, dict)
    return value


def _outcome(document: dict[str, Any], store: ContextStore) -> Any:
    return verify_data_integrity(
        document,
        document["proof"],
        resolver=OfflineResolver(),
        store=store,
        issuer_id=document["issuer"],
        now=NOW,
    )


@pytest.mark.parametrize("name", LISTS)
def test_the_shared_status_list_signatures_verify(name: str, store: ContextStore) -> None:
    outcome = _outcome(_list(name), store)
    assert outcome.proof_ok is True, outcome.proof_detail
    assert outcome.key_ok is True, outcome.key_detail


def test_a_status_list_altered_after_signing_fails(store: ContextStore) -> None:
    document = _list(LISTS[0])
    document["credentialSubject"]["encodedList"] = _list(LISTS[1])["credentialSubject"][
        "encodedList"
    ]
    outcome = _outcome(document, store)
    assert outcome.proof_ok is False
    assert outcome.proof_reason == "bad_signature"


def test_a_jws_with_another_header_is_refused(store: ContextStore) -> None:
    document = _list(LISTS[0])
    jws = document["proof"]["jws"]
    # {"alg":"ES256","b64":false,"crit":["b64"]}: the P-256 algorithm on a secp256k1 key
    document["proof"]["jws"] = (
        "eyJhbGciOiJFUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19." + jws.split(".", 1)[1]
    )
    outcome = _outcome(document, store)
    assert outcome.proof_ok is False
    assert "header" in outcome.proof_detail


def test_a_jws_that_is_not_detached_is_refused(store: ContextStore) -> None:
    document = _list(LISTS[0])
    header, _, signature = document["proof"]["jws"].split(".")
    document["proof"]["jws"] = f"{header}.e30.{signature}"
    assert _outcome(document, store).proof_ok is False


def test_without_the_seeded_context_the_signature_stays_unchecked() -> None:
    if not NPM_EXPORT_DIR.exists():
        pytest.skip("pinned context packages not installed")
    bare = ContextStore()  # no seed folder: the secp256k1-2019 context is absent
    outcome = _outcome(copy.deepcopy(_list(LISTS[0])), bare)
    assert outcome.proof_ok is None
    assert "not installed" in outcome.proof_detail


def test_secp256k1_did_key_decodes_to_a_secp256k1_point() -> None:
    did = _list(LISTS[0])["issuer"]
    key = public_key_from_multikey(did.removeprefix("did:key:"))
    assert key.curve.name == "secp256k1"  # type: ignore[union-attr]
