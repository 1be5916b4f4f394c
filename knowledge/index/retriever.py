"""Hybrid retrieval: dense vectors + BM25, fused by score (``knowledge.index.fusion``).

Filters apply before ranking on both sides (a Chroma ``where`` clause on the
dense side, a row mask on the lexical side). Entries the query names exactly,
or names as a phrase, are lifted; skills that match well lift the entries that
build on them. When the vector store fails (server down, index unreadable or built
with another model) the lexical ranking alone is returned with
``degraded=True``; the next search tries the store again, so service recovers
by itself.

Per query the work is one query embedding (give the retriever a
``CachedEmbedder`` to reuse recent ones), one nearest-neighbour call that returns ids
and distances only, BM25 scores over sparse arrays kept in memory, and numpy
over row numbers; everything that depends on the documents alone is built once
in the constructor.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from knowledge.embedding import Embedder, Vectors
from knowledge.errors import VectorIndexError
from knowledge.index import fusion
from knowledge.index.documents import (
    DOCUMENT_FORMAT,
    IndexDocument,
    Kind,
    catalogue_documents,
)
from knowledge.index.filters import BoolArray, FilterColumns, SearchFilters
from knowledge.index.lexical import LexicalIndex
from knowledge.index.relevance import (
    Relevance,
    RelevanceThresholds,
    judge,
    thresholds_for,
    topic_of,
)
from knowledge.index.store import VectorStore
from knowledge.schema import Catalogue

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "lexical"]

EXACT_BOOST = fusion.EXACT_BOOST
PHRASE_BOOST = fusion.PHRASE_BOOST
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
        relevance_thresholds: RelevanceThresholds | None = None,
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
        self._is_skill = np.array([doc.kind == "skill" for doc in self._docs], dtype=bool)
        skill_rows = {doc.id: row for row, doc in enumerate(self._docs) if doc.kind == "skill"}
        self._built_on = fusion.built_on(
            skill_rows, [(row, doc.skills) for row, doc in enumerate(self._docs) if doc.skills]
        )
        self._thresholds = relevance_thresholds or thresholds_for(embedder.model_name)
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
        mask = self._columns.mask(filters)
        if mode == "lexical":
            return self._results(self._lexical.top(query, k, mask), degraded=False)
        # The model reads misspelt words as other tokens; the lexical vocabulary knows
        # what they were meant to be. Dense-only stays the bare model's ranking.
        dense_query = self.spelled(query) if mode == "hybrid" else query
        dense = self._dense(dense_query, max(fusion.NORM_DEPTH, k), filters)
        if mode == "dense":
            if dense is None:
                return SearchResults(hits=[], degraded=True)
            rows, scores = dense
            return self._results(
                [(int(r), float(x)) for r, x in zip(rows[:k], scores[:k], strict=True)], False
            )
        lexical = self._lexical.scores(query, mask)
        boosts = self._boosts(query, mask)
        fused, candidates = fusion.fuse(
            len(self._docs),
            None if dense is None else dense[0],
            None if dense is None else dense[1],
            lexical,
            boosts,
        )
        candidates = fusion.spread_skills(fused, candidates, self._is_skill, self._built_on, mask)
        return self._results(fusion.best_rows(fused, candidates, k), degraded=dense is None)

    def relevance(self, query: str, *, filters: SearchFilters | None = None) -> Relevance:
        """Whether the catalogue (within ``filters``) answers ``query`` at all.

        Absolute evidence, unlike the ranking (``knowledge.index.relevance``): one more
        embedding (of the query's topic words, often already cached) and one
        nearest-neighbour lookup, so the coach asks it only when it must decide.
        """
        topic = topic_of(query)
        coverage = self._lexical.coverage(topic, self._columns.mask(filters))
        nearest = self._dense(self.spelled(topic), 1, filters)
        similarity = None
        if nearest is not None:
            similarity = float(nearest[1][0]) if nearest[1].size else 0.0
        return judge(topic, similarity, coverage, self._thresholds)

    def spelled(self, query: str) -> str:
        """``query`` with the words the catalogue never writes spelling-corrected
        (``LexicalIndex.spelled``): what a hybrid search embeds."""
        return self._lexical.spelled(query)

    def corrections(self, query: str) -> list[tuple[str, str]]:
        """The ``(typed, read)`` word pairs ``spelled`` corrects in ``query``."""
        return self._lexical.corrections(query)

    def _results(self, best: list[tuple[int, float]], degraded: bool) -> SearchResults:
        docs = self._docs
        hits = [
            SearchHit(
                id=docs[row].id,
                kind=docs[row].kind,
                title=docs[row].title,
                score=round(score, 6),
                type=docs[row].type,
            )
            for row, score in best
        ]
        return SearchResults(hits=hits, degraded=degraded)

    def embed_query(self, query: str) -> Vectors:
        """The query's vector (whitespace-normalised, so a cache sees one key)."""
        vector: Vectors = self._embedder.encode([" ".join(query.split())])[0]
        return vector

    def _dense(
        self, query: str, depth: int, filters: SearchFilters | None
    ) -> tuple[fusion.IntArray, fusion.FloatArray] | None:
        """Rows and cosine similarities from the vector store, best first; None when down."""
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
            found = self._store.query(self.embed_query(query), depth, filters)
        except VectorIndexError as exc:
            self._dense_ready = False  # check the manifest again once it is back
            if not self._warned:
                log.warning("dense search unavailable, lexical only: %s", exc)
                self._warned = True
            return None
        self._warned = False
        row = self._row
        pairs = [(row[key], score) for key, score in found if key in row]
        rows = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        scores = np.fromiter((p[1] for p in pairs), dtype=np.float32, count=len(pairs))
        return rows, scores

    def _boosts(self, query: str, mask: BoolArray | None) -> dict[int, float]:
        """Lifts for entries the query names: exactly, or as a phrase inside it."""
        words = normalize(query).split()
        out: dict[int, float] = {}
        if not words:
            return out

        def ok(row: int) -> bool:
            return mask is None or bool(mask[row])

        for row in self._names.get(" ".join(words), ()):
            if ok(row):
                out[row] = out.get(row, 0.0) + EXACT_BOOST
        seen: set[int] = set()
        # Phrases of two words or more: single words ("python", "agile") name skills
        # and aliases too often to count as the query naming that entry.
        for size in range(min(len(words) - 1, _MAX_PHRASE_WORDS), 1, -1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                for row in self._names.get(phrase, ()):
                    if row not in seen and ok(row):
                        seen.add(row)
                        out[row] = out.get(row, 0.0) + PHRASE_BOOST
        return out
