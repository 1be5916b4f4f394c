"""The vector store port, its manifest, its errors and the in-memory fake.

VectorIndexError (knowledge.errors)
├── StoreUnavailable    the store cannot be reached now (server down); try later
└── IndexCorrupt        the stored index is unreadable or inconsistent; rebuild it

``ChromaStore`` (``knowledge.index.chroma_store``) is the real adapter; nothing
else imports chromadb. The manifest (model, dimension, catalogue fingerprint,
document format) lives in the store itself, so an embedded index and a server
index describe themselves the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict

from knowledge.embedding import Embedder, Vectors
from knowledge.errors import VectorIndexError
from knowledge.index.documents import DOCUMENT_FORMAT, IndexDocument, MetaValue
from knowledge.index.filters import SearchFilters


class StoreUnavailable(VectorIndexError):  # noqa: N818 - reads as a state
    """The store cannot be reached right now (e.g. the Chroma server is down)."""


class IndexCorrupt(VectorIndexError):  # noqa: N818 - reads as a state
    """The stored index cannot be read or contradicts its manifest."""


class Manifest(BaseModel):
    """What the stored vectors were built from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str
    dimension: int
    fingerprint: str
    document_format: int
    count: int

    @classmethod
    def of(cls, embedder: Embedder, fingerprint: str, count: int) -> Manifest:
        """The manifest of ``count`` documents in today's format, embedded by ``embedder``."""
        return cls(
            model=embedder.model_name,
            dimension=embedder.dimension,
            fingerprint=fingerprint,
            document_format=DOCUMENT_FORMAT,
            count=count,
        )


class VectorStore(Protocol):
    """Stores one vector per document id with its content hash and metadata."""

    #: A sentence for people when opening the store had to recover (else None).
    recovered: str | None

    def read_manifest(self) -> Manifest | None: ...

    def write_manifest(self, manifest: Manifest) -> None: ...

    def hashes(self) -> dict[str, str]:
        """Document id -> content hash of every stored document."""
        ...

    def count(self) -> int: ...

    def upsert(self, docs: Sequence[IndexDocument], vectors: Vectors) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def reset(self) -> None:
        """Drop every vector and the manifest."""
        ...

    def query(
        self, vector: Vectors, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` nearest ids passing ``filters``, with cosine similarity, best first."""
        ...

    def write_lock(self) -> AbstractContextManager[None]:
        """Held by the one writer; readers never take it."""
        ...


class MemoryVectorStore:
    """In-memory fake: exact cosine search with numpy; can simulate an outage."""

    def __init__(self) -> None:
        self.recovered: str | None = None
        self.available = True
        self._lock = threading.Lock()
        self._data: dict[str, tuple[Vectors, str, dict[str, MetaValue]]] = {}
        self._manifest: Manifest | None = None

    def _check(self) -> None:
        if not self.available:
            raise StoreUnavailable("the in-memory store is switched off")

    def read_manifest(self) -> Manifest | None:
        self._check()
        return self._manifest

    def write_manifest(self, manifest: Manifest) -> None:
        self._check()
        self._manifest = manifest

    def hashes(self) -> dict[str, str]:
        self._check()
        return {key: value[1] for key, value in self._data.items()}

    def count(self) -> int:
        self._check()
        return len(self._data)

    def upsert(self, docs: Sequence[IndexDocument], vectors: Vectors) -> None:
        self._check()
        for doc, vector in zip(docs, vectors, strict=True):
            self._data[doc.id] = (np.asarray(vector), doc.content_hash, dict(doc.metadata))

    def delete(self, ids: Sequence[str]) -> None:
        self._check()
        for key in ids:
            self._data.pop(key, None)

    def reset(self) -> None:
        self._check()
        self._data.clear()
        self._manifest = None

    def query(
        self, vector: Vectors, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        self._check()
        items = [
            (key, vec)
            for key, (vec, _, meta) in list(self._data.items())
            if filters is None or filters.matches(meta)
        ]
        if not items:
            return []
        matrix = np.stack([vec for _, vec in items])
        scores = matrix @ np.asarray(vector, dtype=np.float32).reshape(-1)
        order = np.argsort(-scores)[:k]
        return [(items[i][0], float(scores[i])) for i in order]

    def write_lock(self) -> AbstractContextManager[None]:
        return self._locked()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            yield
