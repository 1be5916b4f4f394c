"""The lexical ranker's tokens: stemming, currency words, misspellings, threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from knowledge.index.documents import IndexDocument
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


def test_tokenizing_from_many_threads_gives_the_same_tokens() -> None:
    text = "Accredited certificates in sustainable procurement, 300 euros, analysing data " * 20
    expected = tokenize(text)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: tokenize(text), range(400)))
    assert all(result == expected for result in results)
