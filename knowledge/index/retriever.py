"""Hybrid retrieval: dense vectors + BM25, fused by reciprocal rank fusion.

Filters apply before ranking on both sides (a Chroma ``where`` clause on the
dense side, a row mask on the lexical side). After fusion, entries whose id,
title or alias the query names exactly are lifted to the top, and entries
whose title or alias appears as a phrase inside the query get a smaller lift.
When the vector store fails (server down, index unreadable or built with
another model) the lexical ranking alone is returned with ``degraded=True``;
the next search tries the store again, so service recovers by itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from knowledge.embedding import Embedder
from knowledge.errors import VectorIndexError
from knowledge.index.documents import (
    DOCUMENT_FORMAT,
    IndexDocument,
    Kind,
    catalogue_documents,
)
from knowledge.index.filters import BoolArray, FilterColumns, SearchFilters
from knowledge.index.lexical import LexicalIndex
from knowledge.index.store import VectorStore
from knowledge.schema import Catalogue

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "lexical"]

#: The usual RRF constant: damps the weight of the very first ranks.
RRF_K = 60
#: Lexical hits scoring below this share of the best BM25 score are left out of
#: the fusion: they match one common word and only add noise to the ranks.
LEXICAL_CUTOFF = 0.3
#: Added to the fused score of an entry the query names exactly.
EXACT_BOOST = 1.0
#: Added when an entry's title or alias appears as a phrase inside the query.
PHRASE_BOOST = 2.0 / (RRF_K + 1)
_MAX_PHRASE_WORDS = 10
_NON_WORD = re.compile(r"[^a-z0-9]+")


class SearchHit(BaseModel):
    """One result: a catalogue entry and its fused score (higher is better)."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: Kind
    title: str
    score: float
    type: str = ""


class SearchResults(BaseModel):
    """Ranked hits; ``degraded`` when only the lexical side could answer."""

    model_config = ConfigDict(frozen=True)

    hits: list[SearchHit]
    degraded: bool = False


def normalize(text: str) -> str:
    """Lower case, punctuation to single spaces: the key for exact matching."""
    return _NON_WORD.sub(" ", text.lower()).strip()


class Retriever:
    """Searches one catalogue; cheap to build once the embedder is loaded."""

    def __init__(
        self,
        catalogue: Catalogue,
        store: VectorStore,
        embedder: Embedder,
        *,
        documents: Sequence[IndexDocument] | None = None,
    ) -> None:
        self._docs = list(documents) if documents is not None else catalogue_documents(catalogue)
        self._row = {doc.id: row for row, doc in enumerate(self._docs)}
        self._store = store
        self._embedder = embedder
        self._lexical = LexicalIndex(self._docs)
        self._columns = FilterColumns(self._docs)
        self._names: dict[str, list[int]] = {}
        for row, doc in enumerate(self._docs):
            for name in (doc.id, doc.title, *doc.aliases):
                key = normalize(name)
                if key:
                    self._names.setdefault(key, []).append(row)
        self._dense_ready = False
        self._warned = False  # log an outage once, not on every search

    @property
    def documents(self) -> Sequence[IndexDocument]:
        return self._docs

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid",
    ) -> SearchResults:
        """The ``k`` best entries for ``query`` among those passing ``filters``."""
        if k <= 0 or not query.strip():
            return SearchResults(hits=[])
        depth = max(50, 3 * k)
        mask = self._columns.mask(filters)
        ranked: list[list[int]] = []
        degraded = False
        if mode != "dense":
            lexical = self._lexical.top(query, depth, mask)
            floor = lexical[0][1] * LEXICAL_CUTOFF if lexical and mode == "hybrid" else 0.0
            ranked.append([row for row, score in lexical if score >= floor])
        if mode != "lexical":
            dense = self._dense(query, depth, filters)
            if dense is None:
                degraded = True
                if mode == "dense":
                    return SearchResults(hits=[], degraded=True)
            else:
                ranked.append(dense)
        fused: dict[int, float] = {}
        for ranking in ranked:
            for rank, row in enumerate(ranking, start=1):
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank)
        if mode == "hybrid":
            self._boost(query, fused, mask)
        best = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        hits = [
            SearchHit(
                id=self._docs[row].id,
                kind=self._docs[row].kind,
                title=self._docs[row].title,
                score=round(score, 6),
                type=self._docs[row].type,
            )
            for row, score in best
        ]
        return SearchResults(hits=hits, degraded=degraded)

    def _dense(self, query: str, depth: int, filters: SearchFilters | None) -> list[int] | None:
        """Rows ranked by the vector store, or None when it cannot answer."""
        try:
            if not self._dense_ready:
                manifest = self._store.read_manifest()
                if (
                    manifest is None
                    or manifest.model != self._embedder.model_name
                    or manifest.dimension != self._embedder.dimension
                    or manifest.document_format != DOCUMENT_FORMAT
                ):
                    if not self._warned:
                        log.warning("vector index missing or stale: run `coach index`")
                        self._warned = True
                    return None
                self._dense_ready = True
            vector = self._embedder.encode([query])[0]
            found = self._store.query(vector, depth, filters)
        except VectorIndexError as exc:
            self._dense_ready = False  # check the manifest again once it is back
            if not self._warned:
                log.warning("dense search unavailable, lexical only: %s", exc)
                self._warned = True
            return None
        self._warned = False
        return [self._row[key] for key, _ in found if key in self._row]

    def _boost(self, query: str, fused: dict[int, float], mask: BoolArray | None) -> None:
        words = normalize(query).split()
        if not words:
            return

        def ok(row: int) -> bool:
            return mask is None or bool(mask[row])

        for row in self._names.get(" ".join(words), ()):
            if ok(row):
                fused[row] = fused.get(row, 0.0) + EXACT_BOOST
        seen: set[int] = set()
        # Phrases of two words or more: single words ("python", "agile") name skills
        # and aliases too often to count as the query naming that entry.
        for size in range(min(len(words) - 1, _MAX_PHRASE_WORDS), 1, -1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                for row in self._names.get(phrase, ()):
                    if row not in seen and ok(row):
                        seen.add(row)
                        fused[row] = fused.get(row, 0.0) + PHRASE_BOOST
