"""The embedded vector index over the catalogue and hybrid retrieval.

Public API (the coach codes against it)::

    store = open_store(index_dir, chroma_url)        # Chroma embedded / server, or memory
    report = build_index(catalogue, store, embedder)  # incremental; IndexReport
    retriever = Retriever(catalogue, store, embedder)
    results = retriever.search("cloud basics", k=10, filters=SearchFilters(max_price=300))
    retriever.relevance("piano lessons").matched      # False: the catalogue has nothing on it

Errors (all ``knowledge.errors.VectorIndexError``): ``StoreUnavailable``,
``IndexCorrupt``, ``LockTimeout``. chromadb is imported only by
``knowledge.index.chroma_store``, and only when a Chroma store is opened.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.index.building import IndexReport, build_index
from knowledge.index.documents import KINDS, IndexDocument, Kind, catalogue_documents
from knowledge.index.filters import SearchFilters
from knowledge.index.locks import LockTimeout
from knowledge.index.relevance import Relevance, RelevanceThresholds
from knowledge.index.retriever import Retriever, SearchHit, SearchResults
from knowledge.index.store import (
    IndexCorrupt,
    Manifest,
    MemoryVectorStore,
    StoreUnavailable,
    VectorStore,
)

__all__ = [
    "KINDS",
    "IndexCorrupt",
    "IndexDocument",
    "IndexReport",
    "Kind",
    "LockTimeout",
    "Manifest",
    "MemoryVectorStore",
    "Relevance",
    "RelevanceThresholds",
    "Retriever",
    "SearchFilters",
    "SearchHit",
    "SearchResults",
    "StoreUnavailable",
    "VectorStore",
    "build_index",
    "catalogue_documents",
    "open_store",
]


def open_store(index_dir: Path | None, chroma_url: str | None) -> VectorStore:
    """The configured store: a Chroma server at ``chroma_url`` when set, else
    embedded Chroma in ``index_dir``, else (both unset) an in-memory store.

    Opening an embedded index that is unreadable resets it and says so in
    ``store.recovered``; the next ``build_index`` rebuilds it.
    """
    if chroma_url:
        from knowledge.index.chroma_store import ChromaStore

        return ChromaStore(url=chroma_url)
    if index_dir is not None:
        from knowledge.index.chroma_store import ChromaStore

        return ChromaStore(path=Path(index_dir))
    return MemoryVectorStore()
