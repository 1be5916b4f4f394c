"""Scripted learner personas with known true levels take the assessment on the demo catalogue.

Each persona answers honestly (buttons, its own words, or both); the profile the
assessment produces must match its truth on at least 90% of the skills it has an
estimate for (asked, verified or inferred), and quick mode never asks more than
``QUICK_LIMIT`` questions. Free-text answers go through the real embedding model.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz

from coach.assessment import QUICK_LIMIT
from evals.personas.driver import Persona, PersonaRun, load_personas, run_persona
from knowledge.embedding import Embedder
from knowledge.loading import load_catalogue
from knowledge.schema import Catalogue

DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "demo"
PERSONAS = load_personas()


@pytest.fixture(scope="module")
def demo() -> Catalogue:
    return load_catalogue(DEMO)


@pytest.fixture(scope="module")
def runs(demo: Catalogue, real_embedder: Embedder) -> dict[str, PersonaRun]:
    return {p.name: run_persona(demo, p, embedder=real_embedder) for p in PERSONAS}


def test_there_are_enough_varied_personas() -> None:
    assert len(PERSONAS) >= 10
    styles = {p.style for p in PERSONAS}
    assert {"buttons", "free-text", "mixed"} <= styles
    assert any(h.verified for p in PERSONAS for h in p.holdings)
    assert {p.mode for p in PERSONAS} == {"quick", "thorough"}


def test_personas_name_real_catalogue_entries(demo: Catalogue) -> None:
    domains = {s.domain for s in demo.skills.values()}
    for persona in PERSONAS:
        known = persona.target_id in demo.roles or persona.target_id in demo.qualifications
        assert known or persona.target_id in domains, persona.name
        assert set(persona.truth) <= set(demo.skills), persona.name
        for holding in persona.holdings:
            assert holding.credential in demo.credentials, persona.name


def _descriptor_closeness(demo: Catalogue, persona: Persona) -> list[tuple[str, float]]:
    out = []
    for skill_id, words in persona.words.items():
        skill = demo.skills[skill_id]
        best = max(fuzz.ratio(words.lower(), d.lower()) for d in skill.levels)
        out.append((skill_id, best))
    return out


def test_own_words_are_paraphrases_not_copies(demo: Catalogue) -> None:
    for persona in PERSONAS:
        for skill_id, closeness in _descriptor_closeness(demo, persona):
            assert closeness < 90, f"{persona.name} copies a descriptor of {skill_id}"


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name.split(",")[0])
def test_profile_matches_the_truth(runs: dict[str, PersonaRun], persona: Persona) -> None:
    run = runs[persona.name]
    assert run.accuracy >= 0.9, f"mismatched (got, truth): {run.mismatched}"
    if persona.mode == "quick":
        assert run.questions <= QUICK_LIMIT
    else:
        assert run.unknown == []


def test_verified_badges_are_confirmed_not_asked(
    demo: Catalogue, runs: dict[str, PersonaRun]
) -> None:
    holders = [r for r in runs.values() if any(h.verified for h in r.persona.holdings)]
    assert holders
    for run in holders:
        needed = {g.skill for g in run.result.gaps}
        evidenced: dict[str, int] = {}
        for holding in run.persona.holdings:
            if not holding.verified:
                continue
            for taught in demo.credentials[holding.credential].skills:
                if taught.skill in needed:
                    evidenced[taught.skill] = max(taught.level, evidenced.get(taught.skill, 0))
        honest = all(run.persona.truth.get(s) == lv for s, lv in evidenced.items())
        verified = {e.skill for e in run.result.estimates if e.source == "verified-credential"}
        if honest:  # the persona confirmed: those skills were never asked
            assert verified == set(evidenced), run.persona.name
            assert not verified & set(run.asked), run.persona.name
        else:  # the persona declined: it answered them itself
            assert not verified, run.persona.name


def test_free_text_is_mostly_read_without_asking_back(runs: dict[str, PersonaRun]) -> None:
    worded = [r for r in runs.values() if r.persona.style == "free-text"]
    assert worded
    for run in worded:
        # Confirmations are the safety net, not the rule.
        assert run.confirmations <= 0.3 * run.questions, run.persona.name


def test_overall_accuracy(runs: dict[str, PersonaRun]) -> None:
    matched = sum(len(r.matched) for r in runs.values())
    known = matched + sum(len(r.mismatched) for r in runs.values())
    assert known > 0
    assert matched / known >= 0.9
