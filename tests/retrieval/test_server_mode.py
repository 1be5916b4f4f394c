"""Server mode against a real ``chroma run``: build, search, outage, recovery, lease."""

from __future__ import annotations

import threading
import uuid

from knowledge.embedding import HashingEmbedder
from knowledge.index import (
    Retriever,
    SearchFilters,
    StoreUnavailable,
    build_index,
    catalogue_documents,
    open_store,
)
from knowledge.index.chroma_store import ChromaStore
from knowledge.schema import Catalogue
from tests.fixtures.chroma import ChromaServer


def _store(url: str) -> ChromaStore:
    # A collection of its own per test: the server is shared by the session.
    return ChromaStore(url=url, collection=f"t-{uuid.uuid4().hex[:12]}")


def test_open_store_uses_the_server_when_a_url_is_set(chroma_url: str) -> None:
    store = open_store(None, chroma_url)
    assert isinstance(store, ChromaStore)
    assert store.server_mode


def test_incremental_build_and_filtered_search_on_the_server(
    chroma_url: str, catalogue: Catalogue
) -> None:
    store = _store(chroma_url)
    embedder = HashingEmbedder()
    total = len(catalogue_documents(catalogue))
    assert build_index(catalogue, store, embedder).indexed == total
    assert build_index(catalogue, _store_same(store, chroma_url), embedder).unchanged == total
    retriever = Retriever(catalogue, store, embedder)
    results = retriever.search("first aid", k=5, filters=SearchFilters(country="FR"))
    assert not results.degraded
    assert results.hits[0].id == "first-aid-cert"
    dense = retriever.search("x", k=50, filters=SearchFilters(max_price=300), mode="dense")
    assert {h.id for h in dense.hits} == {"sql-basics", "first-aid-cert"}


def _store_same(store: ChromaStore, url: str) -> ChromaStore:
    """A second client on the same collection, as another process would open it."""
    return ChromaStore(url=url, collection=store._name)


def test_search_is_degraded_while_the_server_is_down_and_recovers(
    chroma_server: ChromaServer, chroma_url: str, catalogue: Catalogue
) -> None:
    store = _store(chroma_url)
    embedder = HashingEmbedder()
    build_index(catalogue, store, embedder)
    retriever = Retriever(catalogue, store, embedder)
    assert not retriever.search("python data analysis").degraded

    chroma_server.stop()
    try:
        down = retriever.search("python data analysis")
        assert down.degraded
        assert down.hits
        assert down.hits[0].id == "python-data"
        try:
            build_index(catalogue, store, embedder)
        except StoreUnavailable:
            pass
        else:  # pragma: no cover - the assertion message says what went wrong
            raise AssertionError("indexing against a stopped server must fail cleanly")
    finally:
        assert chroma_server.start()

    up = retriever.search("python data analysis")
    assert not up.degraded
    assert up.hits[0].id == "python-data"


def test_the_server_lease_lets_one_writer_in_at_a_time(chroma_url: str) -> None:
    store = _store(chroma_url)
    inside = 0
    most = 0
    guard = threading.Lock()

    def write() -> None:
        nonlocal inside, most
        with _store_same(store, chroma_url).write_lock():
            with guard:
                inside += 1
                most = max(most, inside)
            threading.Event().wait(0.3)
            with guard:
                inside -= 1

    threads = [threading.Thread(target=write) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert most == 1
