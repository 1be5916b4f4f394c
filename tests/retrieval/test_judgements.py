"""The retrieval judgement set stays consistent with the demo catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.index import catalogue_documents
from knowledge.index.evaluation import load_judgements, ndcg_at, recall_at, reciprocal_rank
from knowledge.loading import CatalogueInvalid, load_catalogue

ROOT = Path(__file__).resolve().parents[2]
JUDGEMENTS = ROOT / "evals" / "data" / "retrieval_judgements.yaml"
DEMO = ROOT / "knowledge" / "data" / "demo"


def test_every_judged_id_exists_and_passes_its_filters() -> None:
    try:
        catalogue = load_catalogue(DEMO)
    except CatalogueInvalid as exc:  # pragma: no cover - the catalogue's own tests say why
        pytest.skip(f"demo catalogue does not load: {exc}")
    docs = {doc.id: doc for doc in catalogue_documents(catalogue)}
    judgements = load_judgements(JUDGEMENTS)
    assert len(judgements) >= 120
    problems = []
    for judgement in judgements:
        for key in judgement.relevant:
            if key not in docs:
                problems.append(f"{judgement.query!r}: unknown id {key}")
            elif judgement.filters and not judgement.filters.matches(docs[key].metadata):
                problems.append(f"{judgement.query!r}: {key} fails the judgement's filters")
    assert not problems, problems


def test_metrics_on_a_known_ranking() -> None:
    ranked = ["a", "x", "b", "y"]
    assert recall_at(ranked, ["a", "b"], 5) == 1.0
    assert recall_at(ranked, ["a", "z"], 5) == 0.5
    assert reciprocal_rank(ranked, ["b"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, ["z"]) == 0.0
    assert ndcg_at(["a", "b"], ["a", "b"], 10) == pytest.approx(1.0)
    assert 0.0 < ndcg_at(["x", "a"], ["a"], 10) < 1.0
