"""The pinned JSON-LD context set: allow-list, hash pins, undefined terms, seeds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coach.wallet.jsonld import (
    MANIFEST_PATH,
    NPM_EXPORT_DIR,
    ContextError,
    ContextStore,
    canonical_sha256,
    undefined_terms,
)
from coach.wallet.resolver import MapResolver
from coach.wallet.verify import verify_credential
from tests.conftest import shared_data
from tests.wallet_verify.conftest import NOW

V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def _badge(context: list[object]) -> dict[str, object]:
    return {
        "@context": context,
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"]},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:a",
                "type": ["Achievement"],
                "name": "n",
                "description": "d",
                "criteria": {"narrative": "c"},
            },
        },
    }


def test_every_manifest_entry_from_a_package_matches_its_pin(store: ContextStore) -> None:
    manifest = json.loads(MANIFEST_PATH.read_text())
    for url, entry in manifest.items():
        if entry["source"] != "seed":
            assert store.get(url) is not None, url


def test_context_not_in_the_manifest_is_refused(store: ContextStore) -> None:
    with pytest.raises(ContextError, match="allow-list"):
        store.get("https://evil.example/context.json")
    data = json.dumps(_badge([V2, OB3, "https://evil.example/context.json"])).encode()
    result = verify_credential(data, resolver=MapResolver({}), now=NOW, contexts=store)
    assert "context_not_allowed" in result.reasons


def test_altered_package_file_is_refused(tmp_path: Path) -> None:
    if not NPM_EXPORT_DIR.exists():
        pytest.skip("JSON-LD context packages not installed (run make install)")
    copy = tmp_path / "npm"
    shutil.copytree(NPM_EXPORT_DIR, copy)
    entry = json.loads(MANIFEST_PATH.read_text())[OB3]
    path = copy / entry["file"]
    document = json.loads(path.read_text())
    document["@context"]["Achievement"] = {"@id": "https://evil.example/Achievement"}
    path.write_text(json.dumps(document))
    store = ContextStore(npm_dir=copy)
    with pytest.raises(ContextError, match="sha256"):
        store.get(OB3)


def test_undefined_terms_are_reported_not_dropped(store: ContextStore) -> None:
    badge = _badge([V2, OB3])
    assert undefined_terms(badge, store) == []
    badge["favouriteColour"] = "green"
    badge["credentialSubject"]["shoeSize"] = 42  # type: ignore[index]
    assert set(undefined_terms(badge, store)) == {"favouriteColour", "shoeSize"}


def test_credential_with_an_undefined_term_fails_the_context_check(store: ContextStore) -> None:
    badge = _badge([V2, OB3])
    badge["favouriteColour"] = "green"
    result = verify_credential(
        json.dumps(badge).encode(), resolver=MapResolver({}), now=NOW, contexts=store
    )
    context = next(c for c in result.checks if c.id == "context")
    assert context.ok is False
    assert "favouriteColour" in context.detail


def test_seed_import_accepts_only_pinned_copies(tmp_path: Path) -> None:
    clr = shared_data("contexts", "clr-v2p0-2.0.1.json")
    store = ContextStore(seed_dir=tmp_path)
    url = store.import_seed(clr.read_bytes())
    assert url == "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
    assert canonical_sha256(store.get(url)) == store.seed_entries()[url]
    with pytest.raises(ContextError, match="no pinned context"):
        store.import_seed(b'{"@context": {"x": "https://evil.example/x"}}')


def test_unseeded_context_says_how_to_import_it(tmp_path: Path) -> None:
    store = ContextStore(seed_dir=tmp_path)
    with pytest.raises(ContextError, match="coach wallet contexts import"):
        store.get("https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json")


def test_clr_without_its_seeded_context_is_indeterminate_not_invalid(tmp_path: Path) -> None:
    text = shared_data("vc", "ob3-spec-vector", "linked-data-proof-clr.html").read_text()
    start = text.index('title="Signed credential">') + len('title="Signed credential">')
    import html

    data = html.unescape(text[start : text.index("</pre>", start)]).encode()
    if not NPM_EXPORT_DIR.exists():
        pytest.skip("JSON-LD context packages not installed (run make install)")
    result = verify_credential(
        data, resolver=MapResolver({}), now=NOW, contexts=ContextStore(seed_dir=tmp_path)
    )
    assert result.status == "indeterminate"
    context = next(c for c in result.checks if c.id == "context")
    assert context.ok is None
    assert "coach wallet contexts import" in context.detail


@pytest.mark.parametrize("size", [6, 60])
def test_poison_graph_is_refused_quickly_not_canonicalised_forever(
    size: int, store: ContextStore
) -> None:
    from coach.wallet.jsonld import JsonLdProcessingError, canonize

    nodes = [
        {
            "@id": f"_:b{i}",
            "http://example.org/p": [{"@id": f"_:b{j}"} for j in range(size) if j != i],
        }
        for i in range(size)
    ]
    with pytest.raises(JsonLdProcessingError, match="nodes"):
        canonize({"@graph": nodes}, store)
