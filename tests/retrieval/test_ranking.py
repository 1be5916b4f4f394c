"""Ranking: score fusion, skills lifting what builds on them, the query cache, the split."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.embedding import CachedEmbedder, Embedder, HashingEmbedder
from knowledge.index import MemoryVectorStore, Retriever, SearchFilters, build_index, fusion
from knowledge.index.documents import catalogue_documents
from knowledge.index.evaluation import Judgement, split_judgements
from knowledge.schema import Catalogue
from tests.retrieval.helpers import CountingEmbedder


def _rows(*values: int) -> fusion.IntArray:
    return np.array(values, dtype=np.int64)


def test_dense_scores_scale_from_the_best_hit_to_the_norm_depth() -> None:
    sims = np.linspace(0.9, 0.5, fusion.NORM_DEPTH + 5).astype(np.float32)
    scaled = fusion.scale_dense(sims)
    assert scaled[0] == pytest.approx(1.0)
    assert scaled[fusion.NORM_DEPTH - 1] == pytest.approx(0.0)
    assert (scaled[fusion.NORM_DEPTH :] == 0.0).all()
    assert (np.diff(scaled) <= 0).all()


def test_fusion_adds_both_sides_and_keeps_dense_order_among_candidates() -> None:
    lexical = np.array([0.0, 4.0, 2.0, 0.0], dtype=np.float32)
    sims = np.array([0.8, 0.7], dtype=np.float32)
    fused, candidates = fusion.fuse(4, _rows(3, 2), sims, lexical, {})
    assert list(candidates) == [3, 2, 1]
    assert fused[1] == pytest.approx(1 - fusion.DENSE_WEIGHT)  # best lexical, no dense
    assert fused[2] == pytest.approx((1 - fusion.DENSE_WEIGHT) * 0.5)  # last dense hit: 0
    assert fused[3] == pytest.approx(fusion.DENSE_WEIGHT)
    assert fused[0] == 0.0


def test_without_the_vector_store_lexical_scores_carry_full_weight() -> None:
    lexical = np.array([1.0, 2.0], dtype=np.float32)
    fused, candidates = fusion.fuse(2, None, None, lexical, {0: 5.0})
    assert list(fused) == pytest.approx([5.5, 1.0])
    assert set(candidates) == {0, 1}


def test_a_well_matching_skill_lifts_entries_built_on_it_within_the_filters() -> None:
    # rows: 0 skill, 1 credential teaching it, 2 unrelated, 3 teaches it but filtered out
    fused = np.array([1.0, 0.1, 0.4, 0.0], dtype=np.float32)
    is_skill = np.array([True, False, False, False])
    mask = np.array([True, True, True, False])
    grown = fusion.spread_skills(fused, _rows(0, 2, 1), is_skill, {0: _rows(1, 3)}, mask)
    assert fused[1] == pytest.approx(0.1 + fusion.SKILL_SPREAD)
    assert fused[1] > fused[2]
    assert fused[3] == 0.0
    assert set(grown) == {0, 1, 2}


def test_best_rows_are_ordered_by_score_and_ties_keep_candidate_order() -> None:
    fused = np.array([0.5, 0.9, 0.5, 0.1], dtype=np.float32)
    assert [row for row, _ in fusion.best_rows(fused, _rows(2, 0, 1, 3), 3)] == [1, 2, 0]
    assert fusion.best_rows(fused, _rows(), 3) == []


def test_a_query_worded_like_a_skill_finds_the_credential_that_teaches_it(
    catalogue: Catalogue,
) -> None:
    store = MemoryVectorStore()
    build_index(catalogue, store, HashingEmbedder())
    retriever = Retriever(catalogue, store, HashingEmbedder())
    hits = retriever.search("emergency care for injuries", k=3).hits
    assert "first-aid-cert" in [hit.id for hit in hits[:2]]
    only = retriever.search(
        "emergency care for injuries", k=3, filters=SearchFilters(kinds=("credential",))
    )
    assert only.hits[0].id == "first-aid-cert"


def test_documents_embed_what_an_entry_is_about_and_carry_its_skills(
    catalogue: Catalogue,
) -> None:
    docs = {doc.id: doc for doc in catalogue_documents(catalogue)}
    cert = docs["first-aid-cert"]
    assert "Emergency care for injuries" in cert.embed_text
    assert "120 EUR" in cert.text
    assert "EUR" not in cert.embed_text
    assert cert.skills == ("first-aid",)
    assert docs["data-analyst"].skills == ("sql",)
    assert docs["sql"].embed_text == docs["sql"].text  # skills embed their full text


def test_repeated_queries_are_embedded_once_and_the_cache_is_bounded(
    catalogue: Catalogue,
) -> None:
    counting = CountingEmbedder()
    store = MemoryVectorStore()
    build_index(catalogue, store, counting)
    retriever = Retriever(catalogue, store, CachedEmbedder(counting, size=2))
    counting.texts.clear()
    first = retriever.search("sql joins").hits
    again = retriever.search("  sql   joins ").hits
    assert counting.texts == ["sql joins"]
    assert [h.id for h in first] == [h.id for h in again]
    retriever.search("python")
    retriever.search("first aid")  # evicts "sql joins", the least recently used
    retriever.search("sql joins")
    assert counting.texts == ["sql joins", "python", "first aid", "sql joins"]
    uncached = Retriever(catalogue, store, counting)
    counting.texts.clear()
    uncached.search("python")
    uncached.search("python")
    assert counting.texts == ["python", "python"]


def test_the_cache_passes_batches_through_and_hands_out_read_only_vectors() -> None:
    counting = CountingEmbedder()
    cached = CachedEmbedder(counting)
    assert (cached.model_name, cached.dimension) == (counting.model_name, counting.dimension)
    batch = cached.encode(["sql", "python"])
    cached.encode(["sql", "python"])
    assert counting.texts == ["sql", "python", "sql", "python"]
    one = cached.encode(["sql"])
    assert np.array_equal(one[0], batch[0])
    with pytest.raises(ValueError, match="read-only"):
        one[0, 0] = 1.0
    assert CachedEmbedder(counting, size=0).encode(["sql"]).flags.writeable


def test_the_single_query_path_gives_the_batch_vector(real_embedder: Embedder) -> None:
    one = real_embedder.encode(["keep sites up and running reliably"])
    batch = real_embedder.encode(["keep sites up and running reliably", "kanban boards"])
    assert one.shape == (1, real_embedder.dimension)
    assert one.dtype == np.float32
    assert np.abs(one[0] - batch[0]).max() < 1e-4
    assert float(np.linalg.norm(one[0])) == pytest.approx(1.0, abs=1e-5)


def test_the_judgement_split_is_stable_disjoint_and_complete() -> None:
    judgements = [Judgement(query=f"query {i}", relevant=("x",)) for i in range(40)]
    tuning, held_out = split_judgements(judgements)
    assert tuning
    assert held_out
    assert {j.query for j in tuning}.isdisjoint({j.query for j in held_out})
    assert len(tuning) + len(held_out) == len(judgements)
    more_tuning, _ = split_judgements([Judgement(query="new", relevant=("y",)), *judgements])
    assert [j for j in more_tuning if j.query != "new"] == tuning


def test_a_chat_message_is_embedded_once_for_the_intent_and_the_search(
    catalogue: Catalogue,
) -> None:
    import datetime as dt

    from coach.agent import Coach
    from coach.store import MemoryStore

    now = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)

    counting = CountingEmbedder()
    shared = CachedEmbedder(counting)
    store = MemoryVectorStore()
    build_index(catalogue, store, shared)
    coach = Coach(
        catalogue=catalogue,
        embedder=shared,
        store=MemoryStore(clock=lambda: now),
        retriever=Retriever(catalogue, store, shared),
        now=lambda: now,
    )
    counting.texts.clear()
    message = "do you have anything in graphic design"  # no rule: the classifier embeds it
    assert coach.engine.classifier.by_rule(message) is None
    answer = coach.respond("learner-1", message)
    assert answer.intent == "search"
    assert counting.texts.count(message) == 1
