"""The lexical ranker's tokens: stemming, currency words, misspellings, threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from knowledge.index.documents import IndexDocument
from knowledge.index.evaluation import with_typos
from knowledge.index.lexical import LexicalIndex, tokenize


def _doc(entry_id: str, text: str) -> IndexDocument:
    return IndexDocument(entry_id, "credential", entry_id, text, {"kind": "credential"})


def test_word_forms_share_a_stem() -> None:
    assert tokenize("accredited")[0] == tokenize("accreditation")[0]
    assert tokenize("certificates") == tokenize("certificate")
    assert tokenize("analysing") == tokenize("analyse")


def test_currency_names_become_the_codes_documents_carry() -> None:
    assert tokenize("under 300 euros") == tokenize("under 300 EUR")
    assert tokenize("50 dollars") == tokenize("50 USD")
    assert tokenize("pounds") == tokenize("GBP")


def test_a_query_finds_documents_by_other_word_forms_and_misspellings() -> None:
    index = LexicalIndex(
        [
            _doc("accredited", "Programme accreditation by the national council."),
            _doc("priced", "Costs 250 EUR, online."),
            _doc("other", "Gardening for beginners."),
        ]
    )
    assert int(index.scores("is it accredited").argmax()) == 0
    assert int(index.scores("a course for 250 euros").argmax()) == 1
    assert index.query_tokens("acreditation") == tokenize("accreditation")


@pytest.fixture(scope="module")
def design_index() -> LexicalIndex:
    return LexicalIndex(
        [
            _doc("design", "Design systems and interaction design for product teams."),
            _doc("pm", "Programme management and project management, with management reports."),
            _doc("match", "Match making for a mentoring scheme."),
            _doc("content", "Content marketing: plan content and measure content reach."),
            _doc("consent", "Consent management for cookies."),
        ]
    )


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("desing", "design"),  # two letters swapped: stemming "desing" gives "dese"
        ("managment", "management"),  # a letter dropped
        ("programe", "programme"),
        ("desgin systms", "design systems"),
    ],
)
def test_misspellings_are_corrected_as_written_before_stemming(
    design_index: LexicalIndex, typed: str, meant: str
) -> None:
    assert design_index.query_tokens(typed) == tokenize(meant)
    assert design_index.spelled(typed) == meant


def test_of_equally_close_words_the_one_more_documents_use_wins() -> None:
    # "conent" is one edit from both "content" (two documents) and "consent" (one).
    index = LexicalIndex(
        [
            _doc("a", "Content strategy."),
            _doc("b", "Content design."),
            _doc("c", "Consent forms."),
        ]
    )
    assert index.spelled("conent") == "content"


def test_a_dictionary_word_the_catalogue_lacks_is_not_a_typo(design_index: LexicalIndex) -> None:
    # "watch" is one edit from "match" but is a word in its own right.
    assert design_index.query_tokens("watch") == []
    assert design_index.spelled("watch users try it") == "watch users try it"


def test_corrections_are_the_word_pairs_spelling_replaces(design_index: LexicalIndex) -> None:
    assert design_index.corrections("Desing systms, online watch") == [
        ("Desing", "design"),
        ("systms", "systems"),
    ]
    assert design_index.corrections("design systems") == []


def test_spelling_keeps_the_rest_of_the_text(design_index: LexicalIndex) -> None:
    assert (
        design_index.spelled("Desing course under 300 euros, online?")
        == "design course under 300 euros, online?"
    )


def test_machine_typos_are_reproducible_and_spare_short_words_and_first_letters() -> None:
    query = "Kestrel Certified Cloud Practitioner under 300 euros"
    typed = with_typos(query)
    assert typed == with_typos(query)
    changed = [(a, b) for a, b in zip(query.split(), typed.split(), strict=True) if a != b]
    assert 1 <= len(changed) <= 2
    assert all(len(a) >= 5 and a[0] == b[0] for a, b in changed)
    assert with_typos("KCCA SQL") == "KCCA SQL"


def test_tokenizing_from_many_threads_gives_the_same_tokens() -> None:
    text = "Accredited certificates in sustainable procurement, 300 euros, analysing data " * 20
    expected = tokenize(text)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: tokenize(text), range(400)))
    assert all(result == expected for result in results)
