"""Free-text answers read as levels by similarity to the descriptors (no language model)."""

from __future__ import annotations

import pytest

from coach.assessment.matching import match_level
from knowledge.embedding import Embedder
from knowledge.schema import Catalogue

# People's own words for a level: paraphrases, never the descriptor itself.
PARAPHRASES = [
    ("spreadsheets", 1, "I type numbers into Excel and add them up with a formula"),
    ("spreadsheets", 2, "I summarise data in Excel with pivots, sorting and filters"),
    ("spreadsheets", 3, "colleagues depend on the VLOOKUP workbooks I made for our reports"),
    ("spreadsheets", 0, "I've never really used a spreadsheet"),
    ("sql", 2, "I write my own queries joining tables and using GROUP BY"),
    ("sql", 3, "I use window functions and add indexes when queries are slow"),
    ("statistics", 1, "I can work out means, medians and percentages"),
    ("statistics", 3, "I do regressions and significance tests and explain the output"),
    ("python", 2, "I write little scripts with functions and loops that read files"),
    ("python", 3, "I do my data analysis in pandas and keep reusable modules"),
    ("visualisation", 3, "managers use the interactive dashboards I built every week"),
]


@pytest.mark.parametrize(("skill", "level", "words"), PARAPHRASES)
def test_paraphrase_maps_to_its_level(
    catalogue: Catalogue, real_embedder: Embedder, skill: str, level: int, words: str
) -> None:
    match = match_level(words, catalogue.skills[skill], real_embedder)
    assert match.level == level


def test_vague_answer_is_not_sure(catalogue: Catalogue, real_embedder: Embedder) -> None:
    match = match_level("it depends", catalogue.skills["sql"], real_embedder)
    assert not match.sure


def test_lexical_fallback_is_cautious(catalogue: Catalogue) -> None:
    vague = match_level("I use spreadsheets a bit", catalogue.skills["spreadsheets"], None)
    assert not vague.sure
    exact = match_level(
        "I can sort, filter and build pivot tables to summarise a dataset",
        catalogue.skills["spreadsheets"],
        None,
    )
    assert exact.sure
    assert exact.level == 2
