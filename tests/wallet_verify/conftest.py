"""Helpers for the wallet verification tests: the pinned context store, a map of
the DCC fixture URLs to their local copies, and key/credential factories."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coach.wallet.jsonld import NPM_EXPORT_DIR, ContextError, ContextStore
from tests.conftest import service_unavailable, shared_data

NOW = datetime(2026, 11, 29, tzinfo=UTC)
DCC_LIST_BASES = (
    "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/",
)
VERIFIER_CORE_LIST = (
    "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/"
    "src/test-fixtures/status/e5WK8CbZ1GjycuPombrj"
)


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> ContextStore:
    """Pinned contexts; the seeded ones (CLR 2.0, secp256k1-2019) imported from the
    interop data when present, through the same hash-checked import users run."""
    if not NPM_EXPORT_DIR.exists():
        # make install provides them; CI must not pass by skipping.
        service_unavailable("the pinned JSON-LD context packages (run make install)")
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    candidates = [
        *sorted((shared / "contexts").glob("*.json*")),
        shared / "vc" / "blockcerts" / "EcdsaSecp256k1Signature2019Context.json",
    ]
    seeded = ContextStore(seed_dir=tmp_path_factory.mktemp("seeded-contexts"))
    for path in candidates:
        if path.exists():
            with contextlib.suppress(ContextError):
                seeded.import_seed(path.read_bytes())  # only pinned hashes are kept
    return seeded


@pytest.fixture(scope="session")
def dcc_documents() -> dict[str, bytes]:
    """The DCC fixture URLs (status lists, did:web documents) answered from disk."""
    root = shared_data("vc", "dcc-vc-test-fixtures")
    docs: dict[str, bytes] = {}
    for path in (root / "statusLists" / "didkey-ed25519Signature2020").iterdir():
        docs[DCC_LIST_BASES[0] + path.name] = path.read_bytes()
    docs[VERIFIER_CORE_LIST] = (
        root / "statusLists" / "didkey-ed25519Signature2020" / "e5WK8CbZ1GjycuPombrj"
    ).read_bytes()
    for name in ("legacy", "oidf"):
        url = f"https://digitalcredentials.github.io/vc-test-fixtures/dids/{name}/did.json"
        docs[url] = (root / "dids" / name / "did.json").read_bytes()
    return docs


def sign_data_integrity(
    document: dict[str, object],
    private_key: object,
    method: str,
    store: ContextStore,
    *,
    suite: str = "eddsa-rdfc-2022",
    proof_fields: dict[str, object] | None = None,
) -> dict[str, object]:
    """Sign ``document`` the way an issuer would (test helper; Ed25519 only).

    ``proof_fields`` adds or replaces proof options (``created``, ``expires``)
    before signing, so they are covered by the signature.
    """
    import copy
    import hashlib

    import base58
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from coach.wallet.jsonld import canonize

    assert isinstance(private_key, ed25519.Ed25519PrivateKey)
    proof: dict[str, object] = {
        "type": "DataIntegrityProof" if suite == "eddsa-rdfc-2022" else suite,
        "created": "2024-01-01T00:00:00Z",
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    if suite == "eddsa-rdfc-2022":
        proof["cryptosuite"] = suite
    proof.update(proof_fields or {})
    options = {**copy.deepcopy(proof), "@context": document["@context"]}
    data = hashlib.sha256(canonize(options, store).encode()).digest()
    data += hashlib.sha256(canonize(copy.deepcopy(document), store).encode()).digest()
    proof["proofValue"] = "z" + base58.b58encode(private_key.sign(data)).decode()
    return {**document, "proof": proof}


def did_key_of(private_key: object) -> str:
    """The did:key of an Ed25519 private key."""
    import base58
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    assert isinstance(private_key, ed25519.Ed25519PrivateKey)
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "did:key:z" + base58.b58encode(b"\xed\x01" + raw).decode()
