"""``ChromaStore``: the real vector store, embedded or against a Chroma server.

Embedded (``PersistentClient`` in the index folder) is the default; a URL
selects ``HttpClient``. The only module that imports chromadb. Errors are
translated: a server that cannot be reached is ``StoreUnavailable`` (the
client is dropped and re-created on the next call, so the store recovers when
the server is back); an unreadable index is ``IndexCorrupt``.

One writer at a time: embedded, an ``fcntl.flock`` on ``writer.lock`` in the
index folder; server mode, a lease record in a small lock collection (see
``knowledge.index.locks``). Readers never lock.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import shutil
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import chromadb
import chromadb.errors
from chromadb.api import ClientAPI
from chromadb.api.client import SharedSystemClient
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings

from knowledge.embedding import Vectors
from knowledge.index.documents import IndexDocument
from knowledge.index.filters import SearchFilters
from knowledge.index.locks import FileLock, LeaseLock
from knowledge.index.store import IndexCorrupt, Manifest, StoreUnavailable

log = logging.getLogger(__name__)

COLLECTION = "stackwise-catalogue"
LOCK_COLLECTION = "stackwise-locks"
LOCK_FILE = "writer.lock"
_PREFIX = "stackwise_"
_HASH = "content_hash"
_BATCH = 2000

T = TypeVar("T")

_OPEN_LOCK = threading.Lock()


def _settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class ChromaStore:
    """Vectors, hashes, metadata and the manifest in one Chroma collection."""

    def __init__(
        self,
        *,
        path: Path | None = None,
        url: str | None = None,
        collection: str = COLLECTION,
    ) -> None:
        if (path is None) == (url is None):
            raise ValueError("give exactly one of path (embedded) or url (server)")
        self.recovered: str | None = None
        self._path = path
        self._url = url
        self._name = collection
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None
        if path is not None:
            self._open_embedded(path)

    # -- connection -------------------------------------------------------

    @property
    def server_mode(self) -> bool:
        return self._url is not None

    def _open_embedded(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        try:
            self._try_open(path)
            return
        except Exception:
            log.debug("opening %s failed; retrying under the writer lock", path, exc_info=True)
        # Retry under the writer lock (a writer may have been creating it), then reset.
        with FileLock(path / LOCK_FILE):
            SharedSystemClient.clear_system_cache()
            try:
                self._try_open(path)
                return
            except Exception as exc:
                text = str(exc).strip()
                reason = text.splitlines()[0] if text else type(exc).__name__
            self.recovered = (
                f"the vector index in {path} was unreadable ({reason}); it was reset "
                "and will be rebuilt"
            )
            log.warning(self.recovered)
            self._wipe(path)
            SharedSystemClient.clear_system_cache()
            self._try_open(path)

    def _try_open(self, path: Path) -> None:
        # Chroma keeps one system per path in a process-wide cache that is not
        # safe to populate from two threads at once.
        with _OPEN_LOCK:
            client = chromadb.PersistentClient(path=str(path), settings=_settings())
            collection = self._get_collection(client)
            collection.count()
        self._client, self._collection = client, collection

    @staticmethod
    def _wipe(path: Path) -> None:
        """Remove the index files, keeping the writer's lock file."""
        for child in path.iterdir():
            if child.name == LOCK_FILE:
                continue
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)

    def _get_collection(self, client: ClientAPI) -> Collection:
        return client.get_or_create_collection(
            self._name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )

    def _connect(self) -> ClientAPI:
        if self._client is None:
            assert self._url is not None
            parsed = urlparse(self._url)
            self._client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=_settings(),
            )
        return self._client

    def _col(self) -> Collection:
        if self._collection is None:
            self._collection = self._get_collection(self._connect())
        return self._collection

    def _call(self, action: Callable[[], T]) -> T:
        """Run ``action`` translating errors; retry once if the collection was replaced."""
        for attempt in (1, 2):
            try:
                return action()
            except chromadb.errors.NotFoundError as exc:
                self._collection = None  # another process rebuilt it: look it up again
                if attempt == 2:
                    raise IndexCorrupt(f"vector collection missing: {exc}") from exc
            except chromadb.errors.ChromaError as exc:
                if self.server_mode and "connect" in str(exc).lower():
                    self._drop_connection()
                    raise StoreUnavailable(f"Chroma server {self._url}: {exc}") from exc
                raise IndexCorrupt(f"vector index error: {exc}") from exc
            except Exception as exc:
                if not self.server_mode:
                    raise IndexCorrupt(f"vector index error: {exc}") from exc
                self._drop_connection()
                raise StoreUnavailable(
                    f"Chroma server {self._url} is unreachable ({type(exc).__name__})"
                ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _drop_connection(self) -> None:
        self._client = None
        self._collection = None

    # -- the VectorStore port ------------------------------------------------

    def read_manifest(self) -> Manifest | None:
        meta = self._call(self._fresh_metadata) or {}
        fields = {
            key[len(_PREFIX) :]: value for key, value in meta.items() if key.startswith(_PREFIX)
        }
        if not fields:
            return None
        try:
            return Manifest.model_validate(fields)
        except ValueError as exc:
            raise IndexCorrupt(f"the index manifest is unreadable: {exc}") from exc

    def _fresh_metadata(self) -> dict[str, Any] | None:
        # A Collection object caches its metadata; another writer may have changed it.
        self._collection = self._get_collection(self._connect())
        return dict(self._collection.metadata or {})

    def write_manifest(self, manifest: Manifest) -> None:
        meta: dict[str, Any] = {_PREFIX + k: v for k, v in manifest.model_dump().items()}
        self._call(lambda: self._col().modify(metadata=meta))

    def hashes(self) -> dict[str, str]:
        def fetch() -> dict[str, str]:
            col = self._col()
            result: dict[str, str] = {}
            offset = 0
            while True:
                page = col.get(include=["metadatas"], limit=_BATCH * 5, offset=offset)
                metas = page["metadatas"] or []
                for key, meta in zip(page["ids"], metas, strict=True):
                    value = meta.get(_HASH) if meta else None
                    result[key] = value if isinstance(value, str) else ""
                if len(page["ids"]) < _BATCH * 5:
                    return result
                offset += len(page["ids"])

        return self._call(fetch)

    def count(self) -> int:
        return int(self._call(lambda: self._col().count()))

    def upsert(self, docs: Sequence[IndexDocument], vectors: Vectors) -> None:
        for start in range(0, len(docs), _BATCH):
            chunk = docs[start : start + _BATCH]
            ids = [doc.id for doc in chunk]
            metas: list[Any] = [{**doc.metadata, _HASH: doc.content_hash} for doc in chunk]
            embeddings = vectors[start : start + _BATCH]
            self._call(functools.partial(self._upsert, ids, embeddings, metas))

    def _upsert(self, ids: list[str], embeddings: Vectors, metas: list[Any]) -> None:
        self._col().upsert(ids=ids, embeddings=embeddings, metadatas=metas)

    def _delete(self, ids: list[str]) -> None:
        self._col().delete(ids=ids)

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), _BATCH):
            chunk = list(ids[start : start + _BATCH])
            self._call(functools.partial(self._delete, chunk))

    def reset(self) -> None:
        def drop() -> None:
            client = self._connect()
            with contextlib.suppress(chromadb.errors.NotFoundError):
                client.delete_collection(self._name)
            self._collection = self._get_collection(client)

        try:
            self._call(drop)
        except IndexCorrupt:
            if self._path is None:
                raise
            # The files themselves are broken: start the folder afresh.
            self._wipe(self._path)
            SharedSystemClient.clear_system_cache()
            self._try_open(self._path)

    def query(
        self, vector: Vectors, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        where = chroma_where(filters)
        query_vector = vector.reshape(1, -1)

        def run() -> list[tuple[str, float]]:
            result = self._col().query(
                query_embeddings=query_vector, n_results=k, where=where, include=["distances"]
            )
            distances = (result["distances"] or [[]])[0]
            ids = result["ids"][0]
            return [(key, 1.0 - float(d)) for key, d in zip(ids, distances, strict=True)]

        return self._call(run)

    def write_lock(self) -> AbstractContextManager[None]:
        if self._path is not None:
            return FileLock(self._path / LOCK_FILE)
        return LeaseLock(lambda: self._call(self._lock_collection))

    def _lock_collection(self) -> Collection:
        return self._connect().get_or_create_collection(LOCK_COLLECTION, embedding_function=None)


def chroma_where(filters: SearchFilters | None) -> dict[str, Any] | None:
    """Translate ``SearchFilters`` to a Chroma ``where`` clause (same semantics as ``matches``)."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.kinds:
        clauses.append({"kind": {"$in": list(filters.kinds)}})
    for key, wanted in (
        ("domain", filters.domain),
        ("mode", filters.mode),
        ("eqf_level", filters.eqf_level),
        ("provider", filters.provider),
    ):
        if wanted is not None:
            clauses.append({key: {"$eq": wanted}})
    if filters.max_price is not None:
        in_budget = {
            "$and": [
                {"price_amount": {"$lte": float(filters.max_price)}},
                {"price_currency": {"$eq": filters.currency}},
            ]
        }
        clauses.append({"$or": [in_budget, {"price_amount": {"$eq": 0.0}}]})
    if filters.max_hours is not None:
        clauses.append({"hours": {"$lte": float(filters.max_hours)}})
    if filters.country is not None:
        clauses.append({"countries": {"$contains": filters.country}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
