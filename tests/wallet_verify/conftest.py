"""Helpers for the wallet verification tests: the pinned context store, a map of
the DCC fixture URLs to their local copies, and key/credential factories."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from coach.wallet.jsonld import NPM_EXPORT_DIR, ContextStore
from tests.conftest import shared_data

NOW = datetime(2026, 11, 29, tzinfo=UTC)
DCC_LIST_BASES = (
    "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/",
)
VERIFIER_CORE_LIST = (
    "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/"
    "src/test-fixtures/status/e5WK8CbZ1GjycuPombrj"
)


@pytest.fixture(scope="session")
def store() -> ContextStore:
    """Pinned contexts; CLR 2.0 seeded from the interop data when present."""
    if not NPM_EXPORT_DIR.exists():
        pytest.skip("JSON-LD context packages not installed (run make install)")
    seed = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "contexts"
    return ContextStore(seed_dir=seed if seed.exists() else None)


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
