"""Entity linking: exact names and aliases, typos, ambiguity, no false matches."""

from __future__ import annotations

import pytest

from coach.dialogue.linking import EntityLinker, content_words
from knowledge.schema import Catalogue


@pytest.fixture(scope="module")
def linker(catalogue: Catalogue) -> EntityLinker:
    return EntityLinker(catalogue)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How much is SQL Basics?", "sql-basics"),
        ("is intro to sql any good", "sql-basics"),
        ("tell me about python-data", "python-data"),
        ("the data analytics certificate", "cert-data"),
        ("I want to become a data analyst", "data-analyst"),
    ],
)
def test_exact_ids_titles_and_aliases(linker: EntityLinker, text: str, expected: str) -> None:
    assert [m.id for m in linker.link(text).mentions] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tell me about Cloud Fundamentalz", "cloud-fundamentals"),
        ("Data Visualsation Essentials price", "data-viz"),
        ("how much is SQL Basic", "sql-basics"),
    ],
)
def test_typos_are_matched_fuzzily(linker: EntityLinker, text: str, expected: str) -> None:
    mentions = linker.link(text).mentions
    assert [m.id for m in mentions] == [expected]
    assert mentions[0].how == "fuzzy"


def test_a_shared_alias_is_ambiguous(linker: EntityLinker) -> None:
    links = linker.link("what about data analysis")
    assert links.mentions == ()
    assert {m.id for m in links.ambiguous[0]} == {"python-data", "data-viz"}


def test_the_longest_name_wins_over_a_shorter_one_inside_it(linker: EntityLinker) -> None:
    links = linker.link("is Python for Data Analysis hard")
    assert [m.id for m in links.mentions] == ["python-data"]
    assert links.ambiguous == ()


def test_two_names_in_order_of_mention(linker: EntityLinker) -> None:
    links = linker.link("compare Cloud Fundamentals with SQL Basics")
    assert [m.id for m in links.mentions] == ["cloud-fundamentals", "sql-basics"]


@pytest.mark.parametrize(
    "text", ["tell me a joke about the weather", "how long does it take?", "and in Germany?"]
)
def test_no_entity_in_ordinary_questions(linker: EntityLinker, text: str) -> None:
    links = linker.link(text)
    assert links.mentions == ()
    assert links.ambiguous == ()


def test_content_words_drop_question_words_and_places() -> None:
    assert content_words("how long does it take in Germany?") == []
    assert content_words("tell me about agile") == ["agile"]


def test_name_word_index_keeps_names_whose_every_word_is_near_the_query() -> None:
    from coach.dialogue.linking import _NameWords

    index = _NameWords(["cloud fundamentals", "underwater basket weaving diploma", "ecg diploma"])
    assert index.all_words_near(["cloud", "fundamentalz"]) == ["cloud fundamentals"]
    assert index.all_words_near(["ecg", "diploma"]) == ["ecg diploma"]
    assert index.all_words_near(["diploma"]) == []
    # A second look-up of the same words answers from the per-word cache, identically.
    assert index.all_words_near(["fundamentalz", "cloud"]) == ["cloud fundamentals"]


@pytest.fixture(scope="module")
def demo_linker(demo: Catalogue) -> EntityLinker:
    return EntityLinker(demo)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("controlers job", "role-management-accountant"),  # a typo of the "controller" alias
        ("the controllers role", "role-management-accountant"),  # its plural
        ("bookeeper", "role-bookkeeper"),
        ("pentesters", "role-penetration-tester"),
    ],
)
def test_one_word_names_are_matched_as_whole_misspelt_words(
    demo_linker: EntityLinker, text: str, expected: str
) -> None:
    assert [(m.id, m.how) for m in demo_linker.link(text).mentions] == [(expected, "fuzzy")]


@pytest.mark.parametrize(
    "text",
    [
        # Another form of the alias's word, not a typo of it.
        "run controlled experiments on a website",
        # The alias inside a longer word.
        "I want to build firmware for microcontrollers",
    ],
)
def test_one_word_names_are_not_found_in_other_words(demo_linker: EntityLinker, text: str) -> None:
    links = demo_linker.link(text)
    assert links.mentions == ()
    assert links.ambiguous == ()
