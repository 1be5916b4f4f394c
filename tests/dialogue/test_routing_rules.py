"""Routing rules of the deterministic coach: destructive intents need explicit wording,
recognition questions of every kind reach the recognition records, and a name the
catalogue does not hold is said to be absent rather than guessed at."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.agent import Coach
from coach.dialogue.intents import IntentClassifier, IntentGuess
from coach.dialogue.linking import EntityLinker
from coach.dialogue.state import DialogueState
from coach.dialogue.understand import understand
from coach.store import MemoryStore
from knowledge.embedding import HashingEmbedder
from knowledge.index import MemoryVectorStore, Retriever
from knowledge.schema import Catalogue

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def parts(demo: Catalogue) -> tuple[IntentClassifier, EntityLinker]:
    return IntentClassifier(HashingEmbedder()), EntityLinker(demo)


@pytest.fixture
def demo_coach(demo: Catalogue) -> Coach:
    embedder = HashingEmbedder()
    return Coach(
        catalogue=demo,
        embedder=embedder,
        store=MemoryStore(clock=lambda: NOW),
        retriever=Retriever(demo, MemoryVectorStore(), embedder),
        now=lambda: NOW,
    )


class _AlwaysErase(IntentClassifier):
    """A classifier whose nearest examples always say erase (the worst case)."""

    def nearest(self, text: str) -> IntentGuess:
        return IntentGuess("erase_data", 0.99, "nearest")


def test_erase_needs_explicit_wording_not_a_near_example(
    demo: Catalogue, parts: tuple[IntentClassifier, EntityLinker]
) -> None:
    classifier = _AlwaysErase(HashingEmbedder())
    _, linker = parts
    vague = understand("anything to clear up about marketing?", DialogueState(), classifier, linker)
    assert vague.intent != "erase_data"
    explicit = understand("please delete all my data", DialogueState(), classifier, linker)
    assert explicit.intent == "erase_data"


@pytest.mark.parametrize(
    "question",
    ["any badges in digital marketing?", "remove the badge from my wallet", "forget the cost"],
)
def test_topics_and_single_items_are_not_erase_requests(
    parts: tuple[IntentClassifier, EntityLinker], question: str
) -> None:
    classifier, _ = parts
    assert classifier.by_rule(question) != "erase_data"


@pytest.mark.parametrize(
    "question",
    ["delete my data", "erase everything about me", "forget me", "delete my profile"],
)
def test_explicit_erase_wording_is_an_erase_request(
    parts: tuple[IntentClassifier, EntityLinker], question: str
) -> None:
    classifier, _ = parts
    assert classifier.by_rule(question) == "erase_data"


def test_my_goal_is_sets_the_goal_even_when_the_title_says_route(
    parts: tuple[IntentClassifier, EntityLinker],
) -> None:
    classifier, linker = parts
    meaning = understand(
        "My goal is the flexible stackable route", DialogueState(), classifier, linker
    )
    assert meaning.intent == "set_goal"


def test_stored_badges_question_is_the_wallet(
    parts: tuple[IntentClassifier, EntityLinker],
) -> None:
    classifier, _ = parts
    assert classifier.by_rule("which badges have I stored?") == "wallet"


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("Does {t} give credit towards anything?", "credit-transfer"),
        ("Does {t} transfer for credit?", "credit-transfer"),
        ("Is {t} approved by a regulator?", "accreditation"),
        ("Is {t} regulated?", "accreditation"),
        ("Is {t} licensed?", "accreditation"),
        ("is {t} acredited??", "accreditation"),  # the commonest misspelling
    ],
)
def test_credit_and_regulatory_questions_route_to_recognition(
    demo: Catalogue, parts: tuple[IntentClassifier, EntityLinker], question: str, aspect: str
) -> None:
    classifier, linker = parts
    title = next(iter(demo.credentials.values())).title
    meaning = understand(question.format(t=title), DialogueState(), classifier, linker)
    assert (meaning.intent, meaning.aspect) == ("recognition", aspect)


def test_a_fuzzy_name_must_match_word_by_word(parts: tuple[IntentClassifier, EntityLinker]) -> None:
    _, linker = parts
    links = linker.link("Is the Underwater Basket Weaving Diploma recognised?")
    assert not links.mentions
    assert not links.ambiguous


@pytest.mark.parametrize(
    "question",
    [
        "How much does the Certified Dragon Tamer badge cost?",
        "Tell me about the Quantum Astrology Masterclass",
        "Is the Underwater Basket Weaving Diploma recognised?",
    ],
)
def test_a_made_up_credential_is_said_to_be_absent(demo_coach: Coach, question: str) -> None:
    answer = demo_coach.respond("learner-absent", question)
    assert "not in the catalogue" in answer.text
    assert not answer.citations


def test_a_vague_topic_still_gets_a_clarifying_question(demo_coach: Coach) -> None:
    answer = demo_coach.respond("learner-vague", "how much does the data course cost?")
    assert "not in the catalogue" not in answer.text


@pytest.mark.parametrize("question", ["what are your features?", "I'm lost, how can you help me?"])
def test_questions_about_the_coach_itself_get_help(
    parts: tuple[IntentClassifier, EntityLinker], question: str
) -> None:
    classifier, _ = parts
    assert classifier.by_rule(question) == "help"


def test_a_title_word_does_not_set_the_facet(
    demo: Catalogue, parts: tuple[IntentClassifier, EntityLinker]
) -> None:
    classifier, linker = parts
    stacky = next((c for c in demo.credentials.values() if "stack" in c.title.lower()), None)
    if stacky is None:
        pytest.skip("no credential title with a facet word in this catalogue")
    meaning = understand(f"How much is {stacky.title}?", DialogueState(), classifier, linker)
    assert meaning.aspect == "cost"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("assess my skills", "assess"),
        ("start a skills assessment", "assess"),
        ("can you assess me?", "assess"),
        ("assessment", "assess"),
        ("life cycle assessment of products", None),  # a topic, not the learner's assessment
        ("is there a course on double materiality assessment?", "search"),
        ("which sentinel certs can i get for under 1000 dollars?", "search"),
        ("what certs do I have", "wallet"),
    ],
)
def test_assessment_topics_and_certs_route_by_what_is_asked(
    parts: tuple[IntentClassifier, EntityLinker], question: str, intent: str | None
) -> None:
    classifier, _ = parts
    assert classifier.by_rule(question) == intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # A superlative of an offer asks for offers; one of a route re-plans.
        ("cheapest online SQL course", "search"),
        ("what's the cheapest cloud certification", "search"),
        ("make it cheaper", "plan"),
        ("what's the fastest route to the certificate", "plan"),
        # Which offer is good for a start.
        ("never done any design before, whats a good first ux course to try?", "search"),
        ("which is the best data course for a beginner", "search"),
    ],
)
def test_asking_for_a_good_or_cheapest_offer_is_a_search(
    parts: tuple[IntentClassifier, EntityLinker], question: str, intent: str
) -> None:
    classifier, _ = parts
    assert classifier.by_rule(question) == intent
