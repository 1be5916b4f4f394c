"""Hybrid search: exact matches, filters before ranking, degraded mode and recovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.embedding import HashingEmbedder
from knowledge.index import (
    MemoryVectorStore,
    Retriever,
    SearchFilters,
    VectorStore,
    build_index,
    catalogue_documents,
    open_store,
)
from knowledge.index.chroma_store import chroma_where
from knowledge.schema import Catalogue
from tests.retrieval.helpers import (
    CountingEmbedder,
    credential,
    small_catalogue,
    with_credentials,
)

FILTER_CASES = [
    SearchFilters(kinds=("credential",)),
    SearchFilters(kinds=("role", "skill")),
    SearchFilters(max_price=300),
    SearchFilters(max_price=300, currency="USD"),
    SearchFilters(max_hours=20),
    SearchFilters(mode="online"),
    SearchFilters(mode="onsite", kinds=("credential",)),
    SearchFilters(eqf_level=6),
    SearchFilters(country="FR"),
    SearchFilters(country="BE", kinds=("recognition",)),
    SearchFilters(domain="health"),
    SearchFilters(provider="uni-north", max_price=1000, eqf_level=5),
]


@pytest.fixture
def catalogue() -> Catalogue:
    """The small catalogue plus a free credential priced in USD."""
    free = credential("open-sql", "Open SQL Taster", price={"amount": 0, "currency": "USD"})
    return with_credentials(small_catalogue(), free)


@pytest.fixture(params=["memory", "embedded-chroma"])
def built(
    request: pytest.FixtureRequest, tmp_path: Path, catalogue: Catalogue
) -> tuple[Retriever, VectorStore]:
    store: VectorStore = (
        MemoryVectorStore() if request.param == "memory" else open_store(tmp_path / "ix", None)
    )
    embedder = HashingEmbedder()
    build_index(catalogue, store, embedder)
    return Retriever(catalogue, store, embedder), store


def test_exact_title_alias_and_id_come_first(built: tuple[Retriever, VectorStore]) -> None:
    retriever, _ = built
    assert retriever.search("SQL Foundations").hits[0].id == "sql-basics"
    assert retriever.search("intro to sql").hits[0].id == "sql-basics"
    assert retriever.search("bi analyst").hits[0].id == "data-analyst"
    assert retriever.search("first-aid-cert").hits[0].id == "first-aid-cert"


@pytest.mark.parametrize(
    "filters", FILTER_CASES, ids=lambda f: f.model_dump_json(exclude_defaults=True)
)
def test_every_hit_passes_the_filters_and_nothing_passing_is_lost(
    built: tuple[Retriever, VectorStore], catalogue: Catalogue, filters: SearchFilters
) -> None:
    retriever, _ = built
    docs = {d.id: d for d in catalogue_documents(catalogue)}
    passing = {key for key, doc in docs.items() if filters.matches(doc.metadata)}
    for mode in ("hybrid", "dense", "lexical"):
        hits = retriever.search(
            "data first aid sql python analyst", k=50, filters=filters, mode=mode
        )
        ids = {hit.id for hit in hits.hits}
        assert ids <= passing, mode
    dense = retriever.search("x", k=50, filters=filters, mode="dense")
    # Dense search ranks every passing document: the filter ran before ranking, not after.
    assert {hit.id for hit in dense.hits} == passing


def test_filter_semantics_match_on_every_side(catalogue: Catalogue) -> None:
    from knowledge.index.filters import FilterColumns

    docs = catalogue_documents(catalogue)
    columns = FilterColumns(docs)
    for filters in FILTER_CASES:
        mask = columns.mask(filters)
        assert mask is not None
        assert [bool(m) for m in mask] == [filters.matches(d.metadata) for d in docs]
        assert chroma_where(filters) is not None
    assert columns.mask(SearchFilters()) is None
    assert chroma_where(SearchFilters()) is None


def test_price_filter_excludes_entries_without_a_price(
    built: tuple[Retriever, VectorStore],
) -> None:
    retriever, _ = built
    hits = retriever.search("data analyst", k=20, filters=SearchFilters(max_price=300)).hits
    assert hits
    assert {h.kind for h in hits} == {"credential"}
    assert "python-data" not in {h.id for h in hits}  # 480 EUR


def test_recognition_records_are_retrievable_on_their_own(
    built: tuple[Retriever, VectorStore],
) -> None:
    retriever, _ = built
    hits = retriever.search(
        "first aid approved by the ministry in France",
        k=3,
        filters=SearchFilters(kinds=("recognition",)),
    ).hits
    assert [h.id for h in hits] == ["rec-first-aid-fr"]
    assert hits[0].type == "regulatory"


def test_search_degrades_to_lexical_when_the_store_fails_and_recovers(
    catalogue: Catalogue,
) -> None:
    store = MemoryVectorStore()
    build_index(catalogue, store, HashingEmbedder())
    retriever = Retriever(catalogue, store, HashingEmbedder())
    store.available = False
    down = retriever.search("python data analysis")
    assert down.degraded
    assert down.hits[0].id == "python-data"
    store.available = True
    up = retriever.search("python data analysis")
    assert not up.degraded
    assert up.hits[0].id == "python-data"


def test_an_index_built_with_another_model_is_not_used(catalogue: Catalogue) -> None:
    store = MemoryVectorStore()
    build_index(catalogue, store, HashingEmbedder(128))
    results = Retriever(catalogue, store, HashingEmbedder(256)).search("sql")
    assert results.degraded
    assert results.hits


def test_empty_query_and_zero_k_return_nothing(built: tuple[Retriever, VectorStore]) -> None:
    retriever, _ = built
    assert retriever.search("   ").hits == []
    assert retriever.search("sql", k=0).hits == []


def test_a_free_entry_is_within_a_price_limit_in_any_currency(
    built: tuple[Retriever, VectorStore],
) -> None:
    retriever, _ = built
    limit = SearchFilters(max_price=100, currency="EUR")
    for mode in ("hybrid", "dense", "lexical"):
        ids = {h.id for h in retriever.search("SQL", k=20, filters=limit, mode=mode).hits}
        assert "open-sql" in ids, mode  # 0 USD
        assert "sql-basics" not in ids, mode  # 250 EUR


def test_hybrid_embeds_the_spelling_corrected_query_and_dense_only_the_query_as_typed(
    catalogue: Catalogue,
) -> None:
    embedder = CountingEmbedder()
    store = MemoryVectorStore()
    build_index(catalogue, store, embedder)
    retriever = Retriever(catalogue, store, embedder)
    title = next(iter(catalogue.credentials.values())).title.lower()
    word = max(title.split(), key=len)
    typo = word[0] + word[2] + word[1] + word[3:]  # two letters swapped
    query = title.replace(word, typo)
    assert retriever.spelled(query) == title
    embedder.texts.clear()
    retriever.search(query, mode="hybrid")
    retriever.search(query, mode="dense")
    assert embedder.texts == [title, query]
