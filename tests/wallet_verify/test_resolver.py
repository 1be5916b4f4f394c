"""The resolver port's adapters, the HTTP adapter, and the allow-list guarantee."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from bots.resolver_http import HttpResolver
from coach.wallet.jsonld import ContextStore
from coach.wallet.resolver import (
    AllowListResolver,
    CachingResolver,
    MapResolver,
    OfflineResolver,
    ResolutionError,
)
from coach.wallet.verify import verify_credential
from tests.conftest import SHARED_DATA
from tests.wallet_verify.conftest import NOW


class RecordingResolver:
    """Answers from a map and records every URL it was asked for."""

    def __init__(self, documents: dict[str, bytes]) -> None:
        self.inner = MapResolver(documents)
        self.asked: list[str] = []

    def fetch(self, url: str) -> bytes:
        self.asked.append(url)
        return self.inner.fetch(url)


def test_map_file_resolves_relative_paths_from_its_folder(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "list.json").write_bytes(b'{"a": 1}')
    (tmp_path / "map.json").write_text(json.dumps({"https://x.example/list": "docs/list.json"}))
    resolver = MapResolver.from_map_file(tmp_path / "map.json")
    assert resolver.fetch("https://x.example/list#frag") == b'{"a": 1}'
    with pytest.raises(ResolutionError):
        resolver.fetch("https://x.example/other")


def test_map_file_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    (tmp_path / "map.json").write_text("[1]")
    with pytest.raises(ResolutionError, match="JSON object"):
        MapResolver.from_map_file(tmp_path / "map.json")


def test_allow_list_refuses_other_hosts_and_plain_http() -> None:
    inner = RecordingResolver({"https://ok.example/a": b"1", "http://ok.example/a": b"1"})
    guard = AllowListResolver(inner, ["ok.example"])
    assert guard.fetch("https://ok.example/a") == b"1"
    for url in ("https://evil.example/a", "http://ok.example/a", "https://ok.example.evil/a"):
        with pytest.raises(ResolutionError):
            guard.fetch(url)
    assert inner.asked == ["https://ok.example/a"]


def test_offline_resolver_always_fails() -> None:
    with pytest.raises(ResolutionError, match="offline"):
        OfflineResolver().fetch("https://x.example/")


def test_caching_resolver_answers_from_cache_within_ttl(tmp_path: Path) -> None:
    inner = RecordingResolver({"https://x.example/a": b"body"})
    cache = CachingResolver(inner, tmp_path, ttl=3600)
    assert cache.fetch("https://x.example/a") == b"body"
    assert cache.fetch("https://x.example/a") == b"body"
    assert inner.asked == ["https://x.example/a"]
    expired = CachingResolver(inner, tmp_path, ttl=0)
    expired.fetch("https://x.example/a")
    assert len(inner.asked) == 2


def test_verification_asks_only_allow_listed_hosts(store: ContextStore) -> None:
    root = SHARED_DATA / "vc" / "dcc-vc-test-fixtures" / "verifiableCredentials"
    if not root.exists():
        pytest.skip("interop data not available")
    allowed = {"digitalcredentials.github.io"}
    inner = RecordingResolver({})
    resolver = AllowListResolver(inner, allowed)
    for path in sorted(root.rglob("*.json"))[:40]:
        if path.stat().st_size:
            verify_credential(path.read_bytes(), resolver=resolver, now=NOW, contexts=store)
    assert inner.asked, "the fixtures name did:web documents and status lists"
    assert {urlsplit(u).hostname for u in inner.asked} <= allowed


def _transport(routes: dict[str, httpx.Response], seen: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return routes.get(str(request.url), httpx.Response(404))

    return httpx.MockTransport(handler)


def test_http_resolver_fetches_an_allowed_document() -> None:
    seen: list[str] = []
    routes = {"https://ok.example/did.json": httpx.Response(200, content=b'{"id": 1}')}
    resolver = HttpResolver(
        AllowListResolver(OfflineResolver(), ["ok.example"]).allows,
        transport=_transport(routes, seen),
    )
    assert resolver.fetch("https://ok.example/did.json#key") == b'{"id": 1}'
    assert seen == ["https://ok.example/did.json"]


def test_http_resolver_never_follows_a_redirect_off_the_allow_list() -> None:
    seen: list[str] = []
    routes = {
        "https://ok.example/a": httpx.Response(302, headers={"location": "https://evil.example/b"})
    }
    resolver = HttpResolver(
        AllowListResolver(OfflineResolver(), ["ok.example"]).allows,
        transport=_transport(routes, seen),
    )
    with pytest.raises(ResolutionError, match="allow-list"):
        resolver.fetch("https://ok.example/a")
    assert seen == ["https://ok.example/a"]


def test_http_resolver_caps_the_size_and_reports_errors() -> None:
    seen: list[str] = []
    routes = {
        "https://ok.example/big": httpx.Response(200, content=b"x" * 2000),
        "https://ok.example/gone": httpx.Response(500),
    }
    resolver = HttpResolver(
        AllowListResolver(OfflineResolver(), ["ok.example"]).allows,
        transport=_transport(routes, seen),
        max_bytes=1000,
    )
    with pytest.raises(ResolutionError, match="larger"):
        resolver.fetch("https://ok.example/big")
    with pytest.raises(ResolutionError, match="500"):
        resolver.fetch("https://ok.example/gone")
