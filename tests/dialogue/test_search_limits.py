"""Limits a learner writes in a search ("online", "under 100 euros", "free", "level 6",
"less than 30 hours") become filters applied before ranking, over the demo catalogue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coach.agent import Coach
from coach.dialogue.intents import IntentClassifier
from coach.search_query import merged, understand_search
from coach.store import MemoryStore
from knowledge.embedding import HashingEmbedder
from knowledge.index import MemoryVectorStore, Retriever, SearchFilters, build_index
from knowledge.index.evaluation import load_judgements
from knowledge.schema import Catalogue

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
JUDGEMENTS = Path(__file__).resolve().parents[2] / "evals" / "data" / "retrieval_judgements.yaml"


@pytest.mark.parametrize(
    ("message", "text", "limits"),
    [
        (
            "show me online cybersecurity courses under 100 euros",
            "show me cybersecurity courses",
            {"mode": "online", "max_price": 100.0, "currency": "EUR"},
        ),
        (
            "something I can study online, under $500",
            "something I can study",
            {"mode": "online", "max_price": 500.0, "currency": "USD"},
        ),
        (
            "€300 or less for a SQL course",
            "for a SQL course",
            {"max_price": 300.0, "currency": "EUR"},
        ),
        (
            "which free courses teach cloud computing",
            "which courses teach cloud computing",
            {"max_price": 0.0},
        ),
        ("level 7 data science modules", "data science modules", {"eqf_level": 7}),
        (
            "EQF 6 qualification in sustainability",
            "qualification in sustainability",
            {"eqf_level": 6},
        ),
        (
            "a short course, less than 30 hours, on SEO",
            "a short course, on SEO",
            {"max_hours": 30.0},
        ),
        (
            "in-person project management training",
            "project management training",
            {"mode": "onsite"},
        ),
        ("blended learning UX certificate", "UX certificate", {"mode": "blended"}),
        ("learn UX online", "learn UX", {"mode": "online"}),
    ],
)
def test_stated_limits_become_filters_and_leave_the_ranking_text(
    message: str, text: str, limits: dict[str, object]
) -> None:
    request = understand_search(message)
    assert request.text == text
    assert request.filters is not None
    assert request.filters.model_dump(exclude_defaults=True) == {
        k: v for k, v in limits.items() if not (k == "currency" and v == "EUR")
    }
    if "currency" in limits:
        assert request.filters.currency == limits["currency"]
    assert request.constraints


@pytest.mark.parametrize(
    "message",
    [
        "basic online safety habits for all staff",  # a topic, not a study mode
        "online marketing course",
        "hybrid cloud architecture",
        "free time management course",
        "under 300",  # no currency: the catalogue prices in several
        "at least level 6 data course",  # no minimum-level filter: not read as exactly 6
        "RQF level 3 bookkeeping",  # another framework's level
        "5 hours a week of python",  # study time per week, not a length
        "forecasting demand with time series, taught in German",
        "an accounting course, but not online",  # a negated mode asks for none
    ],
)
def test_words_that_only_look_like_limits_stay_in_the_text(message: str) -> None:
    request = understand_search(message)
    assert request.filters is None
    assert request.text == message


def test_a_message_of_limits_only_keeps_its_words_for_ranking() -> None:
    request = understand_search("free")
    assert request.text == "free"
    assert request.filters == SearchFilters(max_price=0)


def test_filters_set_on_purpose_win_over_what_the_text_said() -> None:
    parsed = understand_search("online SQL course under 100 euros").filters
    given = SearchFilters.model_validate({"max_price": 50, "kinds": ["credential"]})
    both = merged(parsed, given)
    assert both is not None
    assert (both.max_price, both.currency, both.mode, both.kinds) == (
        50,
        "EUR",
        "online",
        ("credential",),
    )
    assert merged(None, given) == given
    assert merged(parsed, None) == parsed


def test_every_hand_written_constraint_filter_is_what_the_text_says() -> None:
    """The judgement set's filters were written by hand; reading the query gives them too."""
    checked = 0
    for judgement in load_judgements(JUDGEMENTS):
        if judgement.filters is None or not (
            judgement.filters.max_price is not None
            or judgement.filters.mode is not None
            or judgement.filters.eqf_level is not None
        ):
            continue
        parsed = understand_search(judgement.query).filters
        assert parsed is not None, judgement.query
        wanted = judgement.filters
        for field in ("max_price", "mode", "eqf_level", "max_hours"):
            if getattr(wanted, field) is not None:
                assert getattr(parsed, field) == getattr(wanted, field), judgement.query
        if wanted.max_price:
            assert parsed.currency == wanted.currency, judgement.query
        checked += 1
    assert checked >= 15


# --- the coach ------------------------------------------------------------------------
@pytest.fixture
def demo_coach(demo: Catalogue) -> Coach:
    embedder = HashingEmbedder()
    vectors = MemoryVectorStore()
    build_index(demo, vectors, embedder)
    return Coach(
        catalogue=demo,
        embedder=embedder,
        store=MemoryStore(clock=lambda: NOW),
        retriever=Retriever(demo, vectors, embedder),
        now=lambda: NOW,
    )


def test_the_coach_shows_only_credentials_within_the_stated_limits(
    demo: Catalogue, demo_coach: Coach
) -> None:
    answer = demo_coach.respond("s1", "show me online cybersecurity courses under 100 euros")
    assert answer.intent == "search"
    assert "(online, at most 100 EUR)" in answer.text
    shown = [c.id for c in answer.citations]
    assert shown
    for cid in shown:
        credential = demo.credentials[cid]
        assert credential.participation.mode == "online"
        price = credential.price
        assert price.amount == 0 or (price.currency == "EUR" and price.amount <= 100)


def test_when_nothing_meets_the_limits_the_coach_says_so_and_shows_the_closest(
    demo: Catalogue, demo_coach: Coach
) -> None:
    answer = demo_coach.respond("s2", "show me in-person cloud architecture courses under 5 euros")
    assert answer.intent == "search"
    assert answer.text.startswith("Nothing in the catalogue matches that and is")
    assert "onsite, at most 5 EUR" in answer.text
    assert answer.citations  # the closest matches, without the limits
    assert "reduced mode" not in answer.text


@pytest.fixture(scope="module")
def classifier() -> IntentClassifier:
    return IntentClassifier(HashingEmbedder())


@pytest.mark.parametrize(
    "message",
    [
        "cheap intro to cyber security I can do online",
        "sql course less than 20 hours",
        "what can I study online for under 200 euros",
        "any free ux badges?",
        "blended learning options in sustainability",
        "level 6 project management certificate",
        "show me online cybersecurity courses under 100 euros",
        "courses that cost under 100 euros",
        "courses that cost nothing",
    ],
)
def test_a_study_offer_with_a_limit_is_a_search(classifier: IntentClassifier, message: str) -> None:
    assert classifier.by_rule(message) == "search"


def test_questions_that_only_mention_a_limit_are_not_searches(
    classifier: IntentClassifier,
) -> None:
    assert classifier.by_rule("is my badge free to share?") != "search"
    assert classifier.by_rule("what does it cost?") == "credential_info"
    assert classifier.by_rule("does the Kestrel badge cost more than 100 euros") == (
        "credential_info"
    )


def test_the_briefs_example_finds_online_cyber_security_courses(
    demo: Catalogue, demo_coach: Coach
) -> None:
    answer = demo_coach.respond("s3", "cheap intro to cyber security I can do online")
    assert answer.intent == "search"
    assert "(online)" in answer.text
    assert answer.citations
    for citation in answer.citations:
        entry = demo.credentials.get(citation.id)
        assert entry is None or entry.participation.mode == "online"
