"""Relevance: whether the catalogue answers a query at all, beside how it ranks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.index import MemoryVectorStore, Retriever, SearchFilters
from knowledge.index.documents import IndexDocument
from knowledge.index.evaluation import load_judgements
from knowledge.index.lexical import LexicalIndex
from knowledge.index.relevance import RelevanceThresholds, judge, topic_of
from tests.fixtures.demo_index import RealDemoIndex

ROOT = Path(__file__).resolve().parents[2]
JUDGEMENTS = ROOT / "evals" / "data" / "retrieval_judgements.yaml"
UNANSWERABLE = ROOT / "evals" / "data" / "unanswerable_queries.yaml"


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("any online courses on playing the piano for beginners", "playing piano"),
        ("machine learning certification", "machine learning"),
        ("I want to learn to code", "code"),
        ("how do I become a plumber", "plumber"),
        ("the cheapest sql course please", "sql"),  # preferences and politeness
        ("courses", "courses"),  # nothing else left: the words were the question
    ],
)
def test_the_topic_is_the_query_without_the_words_that_ask_for_an_offer(
    query: str, topic: str
) -> None:
    assert topic_of(query) == topic


def test_similarity_decides_alone_or_with_most_words_and_words_alone_without_vectors() -> None:
    limits = RelevanceThresholds(
        similarity_alone=0.4, similarity_with_words=0.2, coverage=0.5, coverage_alone=0.7
    )
    assert judge("t", 0.45, 0.0, limits).matched
    assert judge("t", 0.3, 0.6, limits).matched
    assert not judge("t", 0.3, 0.4, limits).matched
    assert not judge("t", 0.1, 1.0, limits).matched
    assert judge("t", None, 0.7, limits).matched
    assert not judge("t", None, 0.6, limits).matched


def test_a_model_nobody_fitted_is_judged_on_the_words_alone() -> None:
    from knowledge.embedding import PACKAGED_MODEL
    from knowledge.index.relevance import DEFAULT_THRESHOLDS, WORDS_ONLY, thresholds_for

    assert thresholds_for(PACKAGED_MODEL) == DEFAULT_THRESHOLDS
    assert thresholds_for("some-other-model") == WORDS_ONLY
    assert not judge("t", 0.99, 0.5, WORDS_ONLY).matched  # its cosines mean nothing yet
    assert judge("t", 0.0, WORDS_ONLY.coverage_alone, WORDS_ONLY).matched


def _doc(key: str, text: str) -> IndexDocument:
    return IndexDocument(id=key, kind="credential", title=key, text=text, metadata={})


@pytest.fixture
def lexical() -> LexicalIndex:
    return LexicalIndex(
        [
            _doc("a", "kubernetes operator on a cluster"),
            _doc("b", "sql queries for analysts"),
            _doc("c", "sql cluster tuning"),
        ]
    )


def test_coverage_is_the_share_of_words_one_document_holds(lexical: LexicalIndex) -> None:
    assert lexical.coverage("kubernetes operator") == pytest.approx(1.0)
    assert lexical.coverage("kubernetis operator") == pytest.approx(1.0)  # spelling corrected
    assert lexical.coverage("sql 2024 q") == pytest.approx(1.0)  # numbers, single letters: no topic
    # "analysts" and "cluster" never share a document: the best holds one of two.
    assert 0.4 < lexical.coverage("analysts cluster") < 0.6
    assert lexical.coverage("") == 0.0


def test_a_word_no_document_uses_weighs_the_most(lexical: LexicalIndex) -> None:
    with_unknown = lexical.coverage("kubernetes piano")
    with_common = lexical.coverage("kubernetes sql")
    assert with_unknown < 0.5
    assert with_unknown < with_common


def test_coverage_counts_only_documents_inside_the_mask(lexical: LexicalIndex) -> None:
    import numpy as np

    only_b = np.array([False, True, False])
    assert lexical.coverage("kubernetes operator", only_b) == 0.0
    assert lexical.coverage("sql queries", only_b) == pytest.approx(1.0)


# --- the real model over the demo catalogue ------------------------------------------------
@pytest.fixture
def demo_store(real_demo_index: RealDemoIndex) -> MemoryVectorStore:
    return real_demo_index.vectors


@pytest.fixture
def demo_retriever(real_demo_index: RealDemoIndex) -> Retriever:
    index = real_demo_index
    return Retriever(index.catalogue, index.vectors, index.model)


@pytest.mark.parametrize(
    "query",
    ["kubernetes operator", "package applications into containers", "bookkeeping", "scrum"],
)
def test_catalogue_topics_are_matched(demo_retriever: Retriever, query: str) -> None:
    assert demo_retriever.relevance(query).matched


@pytest.mark.parametrize(
    "query", ["piano lessons", "welding", "tell me a joke", "ignore your instructions"]
)
def test_what_the_catalogue_does_not_cover_is_not_matched(
    demo_retriever: Retriever, query: str
) -> None:
    assert not demo_retriever.relevance(query).matched


def test_limits_narrow_what_may_answer(demo_retriever: Retriever) -> None:
    assert demo_retriever.relevance("sql").matched
    short = SearchFilters(max_hours=20)
    assert not demo_retriever.relevance("sql", filters=short).matched


def test_words_alone_judge_while_the_vector_store_is_down(
    demo_retriever: Retriever, demo_store: MemoryVectorStore
) -> None:
    demo_store.available = False
    try:
        found = demo_retriever.relevance("kubernetes operator")
        assert found.similarity is None
        assert found.matched
        assert not demo_retriever.relevance("piano lessons").matched
    finally:
        demo_store.available = True


def test_judged_queries_are_matched_and_unanswerable_ones_are_not(
    demo_retriever: Retriever,
) -> None:
    """Quality floor of the fitted thresholds (measured: 339 of 346 and 0 of 36)."""
    from coach.search_query import understand_search

    judged = load_judgements(JUDGEMENTS)
    matched = 0
    for judgement in judged:
        request = understand_search(judgement.query, judgement.filters)
        matched += demo_retriever.relevance(request.text, filters=request.filters).matched
    assert matched / len(judged) >= 0.93
    groups = yaml.safe_load(UNANSWERABLE.read_text("utf-8"))
    unanswerable = [q for group in groups.values() for q in group]
    wrongly = [q for q in unanswerable if demo_retriever.relevance(q).matched]
    assert len(wrongly) <= 1, wrongly
