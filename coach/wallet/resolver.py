"""Resolver port: how the verifier reads documents named by URL.

Status lists, DID documents (did:web), issuer profiles and keys are fetched
through a :class:`DocumentResolver`. ``coach`` holds no HTTP client (the real
adapter lives in ``bots/resolver_http.py``); here are the adapters that need no
network: an offline map, an allow-list guard, a file cache and an always-offline
resolver.

ResolutionError (WalletError)   a document could not be fetched
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from coach.errors import WalletError

#: No document the verifier needs is larger than this.
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024


class ResolutionError(WalletError):
    """A document could not be fetched (offline, not allowed, missing, too big)."""


class DocumentResolver(Protocol):
    """Answers a URL with the bytes of the document it names."""

    def fetch(self, url: str) -> bytes:
        """Return the document's bytes or raise :class:`ResolutionError`."""
        ...


def fetch_json_object(url: Any, resolver: DocumentResolver) -> dict[str, Any]:
    """The JSON object at ``url``.

    Raises ResolutionError (no URL, not fetched, not an object) or ValueError (not JSON).
    """
    if not isinstance(url, str):
        raise ResolutionError("no URL given")
    value = json.loads(resolver.fetch(url))
    if not isinstance(value, dict):
        raise ResolutionError(f"{url} is not a JSON object")
    return value


def _strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


class MapResolver:
    """Offline resolver over a URL -> bytes map (``--documents`` and tests).

    Fragments are ignored, so ``https://x/list#8`` finds ``https://x/list``.
    """

    def __init__(self, documents: Mapping[str, bytes]) -> None:
        self._documents = {_strip_fragment(url): body for url, body in documents.items()}
        self.requested: list[str] = []

    @classmethod
    def from_map_file(cls, path: Path) -> MapResolver:
        """Read a JSON object URL -> file path; relative paths are from the map's folder."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ResolutionError(f"cannot read documents map {path}: {exc}") from exc
        if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
        ):
            raise ResolutionError(f"{path}: expected a JSON object from URL to file path")
        documents: dict[str, bytes] = {}
        for url, file_name in raw.items():
            file_path = Path(file_name)
            if not file_path.is_absolute():
                file_path = path.parent / file_path
            try:
                documents[url] = file_path.read_bytes()
            except OSError as exc:
                raise ResolutionError(f"{path}: cannot read {file_path} for {url}") from exc
        return cls(documents)

    def fetch(self, url: str) -> bytes:
        self.requested.append(url)
        body = self._documents.get(_strip_fragment(url))
        if body is None:
            raise ResolutionError(f"not available offline: {url}")
        return body


class OfflineResolver:
    """Always fails: verification runs with no outside documents at all."""

    def fetch(self, url: str) -> bytes:
        raise ResolutionError(f"offline: {url} was not fetched")


class AllowListResolver:
    """Passes only https URLs whose host is allow-listed to the inner resolver."""

    def __init__(self, inner: DocumentResolver, allowed_hosts: Iterable[str]) -> None:
        self._inner = inner
        self._allowed = frozenset(host.lower() for host in allowed_hosts)

    def allows(self, url: str) -> bool:
        """True when ``url`` may be fetched."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        return parts.scheme == "https" and host in self._allowed

    def fetch(self, url: str) -> bytes:
        if not self.allows(url):
            raise ResolutionError(f"host not on the allow-list: {url}")
        return self._inner.fetch(url)


class CachingResolver:
    """Keeps fetched documents in ``cache_dir`` for ``ttl`` seconds.

    ``clock`` returns seconds (``time.time`` by default); tests pass their own.
    """

    def __init__(
        self,
        inner: DocumentResolver,
        cache_dir: Path,
        ttl: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._inner = inner
        self._dir = cache_dir
        self._ttl = ttl
        self._clock = clock

    def _path(self, url: str) -> Path:
        return self._dir / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".bin")

    def fetch(self, url: str) -> bytes:
        path = self._path(url)
        try:
            if self._clock() - path.stat().st_mtime < self._ttl:
                return path.read_bytes()
        except OSError:
            pass
        body = self._inner.fetch(url)
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(body)
            tmp.replace(path)
        except OSError:
            pass  # a cache that cannot write still answers
        return body
