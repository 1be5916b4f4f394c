"""``coach index`` and ``coach search``: build the vector index, query the catalogue."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from bots.cli.output import console, emit_json, err_console, fail
from bots.settings import Settings, load_settings
from coach.search_query import SearchRequest, understand_search
from knowledge.embedding import Embedder, EmbeddingError, SentenceTransformerEmbedder
from knowledge.errors import CatalogueError, VectorIndexError
from knowledge.index import (
    IndexReport,
    Retriever,
    VectorStore,
    build_index,
    open_store,
)
from knowledge.loading import load_catalogue
from knowledge.schema import Catalogue

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=2)
def load_embedder(model: str) -> Embedder:
    """The sentence-transformers model, loaded once per process."""
    return SentenceTransformerEmbedder(model)


def _load(settings: Settings, folder: Path | None, as_json: bool) -> Catalogue:
    try:
        return load_catalogue(folder if folder is not None else settings.catalogue)
    except CatalogueError as exc:
        fail(str(exc), as_json=as_json)


def _open(settings: Settings, as_json: bool) -> tuple[VectorStore, Embedder]:
    try:
        store = open_store(settings.index_dir, settings.chroma_url)
        embedder = load_embedder(settings.embedding_model)
    except (VectorIndexError, EmbeddingError) as exc:
        fail(str(exc), as_json=as_json)
    if store.recovered:
        err_console.print(f"[yellow]note:[/] {store.recovered}", markup=True, soft_wrap=True)
    return store, embedder


@contextmanager
def _progress_bar(show: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr with rate and ETA (only on a terminal)."""
    if not show:
        yield None
        return
    columns = (
        TextColumn("embedding"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("embedding", total=None, rate="-")

        def update(done: int, total: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed:.0f}" if elapsed > 0 and done else "-"
            bar.update(task, completed=done, total=total, rate=rate)

        yield update


def _run_build(
    catalogue: Catalogue, store: VectorStore, embedder: Embedder, *, rebuild: bool, bar: bool
) -> IndexReport:
    with _progress_bar(bar) as progress:
        report = build_index(catalogue, store, embedder, rebuild=rebuild, progress=progress)
    if report.reason and not rebuild:
        err_console.print(
            f"[yellow]note:[/] rebuilt the index: {report.reason}", markup=True, soft_wrap=True
        )
    return report


def index(
    catalogue_dir: Annotated[
        Path | None,
        typer.Option(
            "--catalogue", help="Catalogue folder (default: the COACH_CATALOGUE setting)."
        ),
    ] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild from scratch.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Embed what changed in the catalogue into the vector index."""
    settings = load_settings()
    catalogue = _load(settings, catalogue_dir, as_json)
    store, embedder = _open(settings, as_json)
    try:
        report = _run_build(
            catalogue, store, embedder, rebuild=rebuild, bar=err_console.is_terminal
        )
    except VectorIndexError as exc:
        fail(f"indexing failed: {exc}", as_json=as_json)
    if as_json:
        emit_json(
            {
                "indexed": report.indexed,
                "unchanged": report.unchanged,
                "removed": report.removed,
                "seconds": round(report.seconds, 3),
            }
        )
        return
    console.print(
        f"indexed {report.indexed}, unchanged {report.unchanged}, removed {report.removed} "
        f"in {report.seconds:.2f} s ({embedder.model_name})",
        soft_wrap=True,
    )


def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many results.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    literal: Annotated[
        bool,
        typer.Option(
            "--literal",
            help="Rank on the whole query; don't read price, mode, level or length limits from it.",
        ),
    ] = False,
) -> None:
    """Search the catalogue (dense + lexical, fused); builds the index first if needed.

    Limits written in the query ("online", "under 300 euros", "free", "level 5",
    "less than 30 hours") filter the results before ranking. When nothing in the
    catalogue is about the query, a note says so (in JSON, "matched" is false).
    Misspelt words are corrected from the catalogue's own words, and the query
    as corrected is printed (in JSON, "read_as").
    """
    if not query.strip():
        fail("the query is empty", as_json=as_json)
    settings = load_settings()
    catalogue = _load(settings, None, as_json)
    store, embedder = _open(settings, as_json)
    try:
        # Incremental and fast when nothing changed; the first search builds the index.
        _run_build(catalogue, store, embedder, rebuild=False, bar=err_console.is_terminal)
    except VectorIndexError as exc:
        err_console.print(f"[yellow]note:[/] index not updated: {exc}", markup=True)
    request = SearchRequest(query, None) if literal else understand_search(query)
    retriever = Retriever(catalogue, store, embedder)
    results = retriever.search(request.text, k=k, filters=request.filters)
    relevance = retriever.relevance(request.text, filters=request.filters)
    read_as = retriever.spelled(request.text)
    corrected = read_as.lower() != request.text.lower()
    rows = [
        {"id": hit.id, "title": hit.title, "type": hit.type, "score": hit.score}
        for hit in results.hits
    ]
    if as_json:
        payload: dict[str, object] = {
            "results": rows,
            "matched": relevance.matched,
            "evidence": {"similarity": relevance.similarity, "coverage": relevance.coverage},
        }
        if request.constraints:
            payload["limits"] = list(request.constraints)
        if corrected:
            payload["read_as"] = read_as
        if results.degraded:
            payload["degraded"] = True
        emit_json(payload)
        return
    if results.degraded:
        err_console.print("[yellow]note:[/] vector search unavailable; lexical results only")
    limits = ", ".join(request.constraints)
    if limits:
        err_console.print(f"limits: {escape(limits)}", markup=True)
    if corrected:
        err_console.print(f"read as: {escape(read_as)}", markup=True)
    if not rows:
        console.print(f"no results within the limits ({limits})" if limits else "no results")
    elif not relevance.matched:
        err_console.print(
            "[yellow]note:[/] nothing in the catalogue is about this; the nearest entries follow"
        )
    for rank, row in enumerate(rows, start=1):
        console.print(
            f"{rank:>2}. {escape(str(row['title']))}  [dim]{escape(str(row['id']))} · "
            f"{row['type']} · {json.dumps(row['score'])}[/]",
            markup=True,
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    """Add ``index`` and ``search`` to the ``coach`` program."""
    app.command("index")(index)
    app.command("search")(search)
