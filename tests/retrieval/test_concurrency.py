"""One writer at a time, any number of readers, on the embedded index."""

from __future__ import annotations

import threading
from pathlib import Path

from knowledge.embedding import HashingEmbedder
from knowledge.index import IndexReport, Retriever, build_index, catalogue_documents, open_store
from knowledge.schema import Catalogue


def test_readers_keep_getting_answers_while_the_index_is_rebuilt(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    index_dir = tmp_path / "index"
    embedder = HashingEmbedder()
    build_index(catalogue, open_store(index_dir, None), embedder)
    stop = threading.Event()
    errors: list[BaseException] = []
    answered = [0]

    def read() -> None:
        retriever = Retriever(catalogue, open_store(index_dir, None), embedder)
        while not stop.is_set():
            try:
                results = retriever.search("sql foundations", k=3)
                assert results.hits
                assert results.hits[0].id == "sql-basics"
                answered[0] += 1
            except BaseException as exc:  # collected and re-raised in the test thread
                errors.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(3):
            build_index(catalogue, open_store(index_dir, None), embedder, rebuild=True)
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
    assert not errors, errors[0]
    assert answered[0] > 0
    final = Retriever(catalogue, open_store(index_dir, None), embedder).search("sql")
    assert not final.degraded


def test_two_writers_are_serialised_and_the_second_finds_nothing_to_do(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    index_dir = tmp_path / "index"
    embedder = HashingEmbedder()
    reports: list[IndexReport] = []

    def write() -> None:
        reports.append(build_index(catalogue, open_store(index_dir, None), embedder))

    writers = [threading.Thread(target=write) for _ in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    total = len(catalogue_documents(catalogue))
    assert sorted((r.indexed, r.unchanged) for r in reports) == [(0, total), (total, 0)]
