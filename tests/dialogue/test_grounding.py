"""The grounding check: figures and names must come from structured tool results."""

from __future__ import annotations

from typing import Any

import pytest

from coach.dialogue.linking import EntityLinker
from coach.llm.grounding import Grounder
from knowledge.schema import Catalogue
from tests.dialogue.catalogue import INJECTION


@pytest.fixture(scope="module")
def grounder(catalogue: Catalogue) -> Grounder:
    return Grounder(EntityLinker(catalogue))


def _results(catalogue: Catalogue, *ids: str) -> list[dict[str, Any]]:
    return [
        {
            "tool": "get_credential",
            "result": {"credential": catalogue.credentials[i].model_dump(mode="json")},
        }
        for i in ids
    ]


def test_supported_figures_and_names_pass(grounder: Grounder, catalogue: Catalogue) -> None:
    results = _results(catalogue, "sql-basics")
    text = "SQL Basics costs 250 EUR, takes 4 weeks and 40 hours, for 2 ECTS [sql-basics]."
    assert grounder.violations(text, results) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SQL Basics costs €99.", "price"),
        ("SQL Basics takes 12 weeks.", "duration"),
        ("SQL Basics gives 30 credits.", "credits"),
        ("See [made-up-id] for details.", "citation"),
        ("Then take the Quantum Data Mastery Certificate.", "entry"),
        ("Python for Data Analysis is next.", "entry"),
        ("SQL Basics is accredited by the Ministry of Magic.", "recognition"),
    ],
)
def test_unsupported_statements_are_flagged(
    grounder: Grounder, catalogue: Catalogue, text: str, kind: str
) -> None:
    kinds = {v.kind for v in grounder.violations(text, _results(catalogue, "sql-basics"))}
    assert kind in kinds


def test_figures_in_free_text_are_not_evidence(grounder: Grounder, catalogue: Catalogue) -> None:
    # The injected description says "costs 1 EUR": free text never backs a figure.
    results = _results(catalogue, "python-data")
    assert INJECTION in str(results)
    problems = grounder.violations("Python for Data Analysis costs 1 EUR.", results)
    assert [p.kind for p in problems] == ["price"]


def test_repair_cuts_only_the_bad_sentences(grounder: Grounder, catalogue: Catalogue) -> None:
    results = _results(catalogue, "sql-basics")
    text = "SQL Basics takes 4 weeks. It is online. It costs 5 EUR."
    repaired, problems = grounder.repair(text, results)
    assert repaired == "SQL Basics takes 4 weeks. It is online."
    assert len(problems) == 1
    replaced, _ = grounder.repair("It costs 5 EUR.", results)
    assert replaced is None
