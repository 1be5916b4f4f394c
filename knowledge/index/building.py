"""``build_index``: bring a vector store up to date with a catalogue.

Incremental: documents whose content hash is already stored are left alone,
changed and new ones are embedded, vanished ones deleted. A full rebuild
happens when asked, when the store has no manifest (never built, or a build
was interrupted), when the model, dimension or document format differ, or
when the stored index is unreadable. The manifest is written last, so an
interrupted build is never mistaken for a finished one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from knowledge.embedding import Embedder
from knowledge.index.documents import DOCUMENT_FORMAT, catalogue_documents, fingerprint
from knowledge.index.store import IndexCorrupt, Manifest, VectorStore
from knowledge.schema import Catalogue

log = logging.getLogger(__name__)

#: Documents embedded per call; also the progress granularity.
EMBED_CHUNK = 256

#: ``progress(done, total)`` after every chunk embedded and stored.
Progress = Callable[[int, int], None]


class IndexReport(BaseModel):
    """What one ``build_index`` call did."""

    model_config = ConfigDict(frozen=True)

    indexed: int
    unchanged: int
    removed: int
    seconds: float
    rebuilt: bool = False
    reason: str | None = None


def _rebuild_reason(manifest: Manifest | None, embedder: Embedder) -> str | None:
    if manifest is None:
        return "the index has no manifest (new, or an earlier build was interrupted)"
    if manifest.model != embedder.model_name:
        return f"the embedding model changed ({manifest.model} -> {embedder.model_name})"
    if manifest.dimension != embedder.dimension:
        return f"the vector dimension changed ({manifest.dimension} -> {embedder.dimension})"
    if manifest.document_format != DOCUMENT_FORMAT:
        return "the document format changed"
    return None


def build_index(
    catalogue: Catalogue,
    store: VectorStore,
    embedder: Embedder,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IndexReport:
    """Embed what changed in ``catalogue`` into ``store``; see the module docstring."""
    started = time.perf_counter()
    docs = catalogue_documents(catalogue)
    print_ = fingerprint(docs)
    with store.write_lock():
        reason: str | None = "a rebuild was asked for" if rebuild else store.recovered
        manifest: Manifest | None = None
        if reason is None:
            try:
                manifest = store.read_manifest()
                reason = _rebuild_reason(manifest, embedder)
            except IndexCorrupt as exc:
                reason = f"the index is unreadable ({exc})"
        existing: dict[str, str] = {}
        if reason is None and manifest is not None:
            try:
                stored = store.count()
                if manifest.fingerprint == print_ and stored == manifest.count == len(docs):
                    # Nothing changed since the last build: skip reading every hash.
                    if progress is not None:
                        progress(0, 0)
                    return IndexReport(
                        indexed=0,
                        unchanged=len(docs),
                        removed=0,
                        seconds=time.perf_counter() - started,
                    )
                existing = store.hashes()
            except IndexCorrupt as exc:
                reason = f"the index is unreadable ({exc})"
        if reason is not None:
            log.info("rebuilding the vector index: %s", reason)
            store.reset()
            existing = {}
        store.recovered = None

        wanted = {doc.id for doc in docs}
        removed = sorted(set(existing) - wanted)
        todo = [doc for doc in docs if existing.get(doc.id) != doc.content_hash]
        # Similar lengths batch together with less padding: faster encoding.
        todo.sort(key=lambda doc: len(doc.embed_text))
        if removed:
            store.delete(removed)
        if progress is not None:
            progress(0, len(todo))
        for start in range(0, len(todo), EMBED_CHUNK):
            chunk = todo[start : start + EMBED_CHUNK]
            vectors = embedder.encode([doc.embed_text for doc in chunk], batch_size=64)
            store.upsert(chunk, vectors)
            if progress is not None:
                progress(start + len(chunk), len(todo))
        store.write_manifest(Manifest.of(embedder, print_, len(docs)))
    return IndexReport(
        indexed=len(todo),
        unchanged=len(docs) - len(todo),
        removed=len(removed),
        seconds=time.perf_counter() - started,
        rebuilt=reason is not None,
        reason=reason,
    )
