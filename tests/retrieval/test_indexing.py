"""Incremental indexing: add, change, delete, model change, rebuild, corrupt index."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.embedding import HashingEmbedder
from knowledge.index import (
    MemoryVectorStore,
    VectorStore,
    build_index,
    catalogue_documents,
    open_store,
)
from knowledge.schema import Catalogue
from tests.retrieval.helpers import credential, with_credentials


@pytest.fixture(params=["memory", "embedded-chroma"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> VectorStore:
    if request.param == "memory":
        return MemoryVectorStore()
    return open_store(tmp_path / "index", None)


def test_first_build_embeds_every_document_and_second_build_none(
    store: VectorStore, catalogue: Catalogue
) -> None:
    embedder = HashingEmbedder()
    total = len(catalogue_documents(catalogue))
    first = build_index(catalogue, store, embedder)
    assert (first.indexed, first.unchanged, first.removed) == (total, 0, 0)
    assert store.count() == total
    second = build_index(catalogue, store, embedder)
    assert (second.indexed, second.unchanged, second.removed) == (0, total, 0)


def test_added_changed_and_deleted_entries_are_the_only_work_done(
    store: VectorStore, catalogue: Catalogue
) -> None:
    embedder = HashingEmbedder()
    build_index(catalogue, store, embedder)
    total = len(catalogue_documents(catalogue))

    added = with_credentials(catalogue, credential("excel-101", "Spreadsheet Skills"))
    report = build_index(added, store, embedder)
    assert (report.indexed, report.unchanged, report.removed) == (1, total, 0)

    changed_sql = credential(
        "sql-basics", "SQL Foundations", description="Now with window functions."
    )
    changed = with_credentials(added, changed_sql)
    # Only the description changed: the credential alone is re-embedded.
    report = build_index(changed, store, embedder)
    assert (report.indexed, report.removed) == (1, 0)
    assert store.hashes()["sql-basics"] == next(
        d.content_hash for d in catalogue_documents(changed) if d.id == "sql-basics"
    )

    deleted = with_credentials(changed, drop=("excel-101",))
    report = build_index(deleted, store, embedder)
    assert (report.indexed, report.unchanged, report.removed) == (0, total, 1)
    assert "excel-101" not in store.hashes()


def test_a_model_change_rebuilds_everything(store: VectorStore, catalogue: Catalogue) -> None:
    build_index(catalogue, store, HashingEmbedder(256))
    report = build_index(catalogue, store, HashingEmbedder(128))
    total = len(catalogue_documents(catalogue))
    assert report.rebuilt
    assert report.reason is not None
    assert "model changed" in report.reason
    assert (report.indexed, report.unchanged) == (total, 0)
    manifest = store.read_manifest()
    assert manifest is not None
    assert manifest.dimension == 128


class _SameNameOtherDimension(HashingEmbedder):
    @property
    def model_name(self) -> str:
        return "hashing-256"


def test_a_dimension_mismatch_under_the_same_model_name_rebuilds(
    store: VectorStore, catalogue: Catalogue
) -> None:
    build_index(catalogue, store, HashingEmbedder(256))
    report = build_index(catalogue, store, _SameNameOtherDimension(64))
    assert report.rebuilt
    assert report.reason is not None
    assert "dimension" in report.reason
    assert store.count() == len(catalogue_documents(catalogue))


def test_rebuild_flag_re_embeds_everything(store: VectorStore, catalogue: Catalogue) -> None:
    build_index(catalogue, store, HashingEmbedder())
    report = build_index(catalogue, store, HashingEmbedder(), rebuild=True)
    assert report.rebuilt
    assert report.unchanged == 0
    assert report.indexed == store.count()


def test_a_missing_manifest_means_an_interrupted_build_and_triggers_a_rebuild(
    store: VectorStore, catalogue: Catalogue
) -> None:
    docs = catalogue_documents(catalogue)
    embedder = HashingEmbedder()
    # What a crash after the first chunk leaves behind: vectors, no manifest.
    store.upsert(docs[:2], embedder.encode([d.text for d in docs[:2]]))
    report = build_index(catalogue, store, embedder)
    assert report.rebuilt
    assert report.reason is not None
    assert "manifest" in report.reason
    assert report.indexed == len(docs)


def test_garbage_in_the_sqlite_file_is_detected_and_rebuilt(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    index_dir = tmp_path / "index"
    build_index(catalogue, open_store(index_dir, None), HashingEmbedder())
    (index_dir / "chroma.sqlite3").write_bytes(b"\x00garbage" * 4096)
    _forget_open_clients()

    store = open_store(index_dir, None)
    assert store.recovered is not None
    assert "unreadable" in store.recovered
    report = build_index(catalogue, store, HashingEmbedder())
    assert report.rebuilt
    assert report.indexed == len(catalogue_documents(catalogue))
    assert build_index(catalogue, store, HashingEmbedder()).indexed == 0


def test_progress_is_reported_up_to_the_total(catalogue: Catalogue) -> None:
    seen: list[tuple[int, int]] = []
    build_index(
        catalogue, MemoryVectorStore(), HashingEmbedder(), progress=lambda d, t: seen.append((d, t))
    )
    total = len(catalogue_documents(catalogue))
    assert seen[0] == (0, total)
    assert seen[-1] == (total, total)


def _forget_open_clients() -> None:
    """Chroma caches one client per path in-process; a new process would not have it."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
