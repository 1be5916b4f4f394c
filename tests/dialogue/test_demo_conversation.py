"""The deterministic coach over the shipped demo catalogue, with the real retriever.

Subjects are picked from the catalogue itself, so the script follows the demo data
as it grows; every fact the coach states is checked against the catalogue record.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coach.agent import Coach
from coach.dialogue.compose_info import money
from coach.store import MemoryStore
from knowledge.embedding import HashingEmbedder
from knowledge.index import MemoryVectorStore, Retriever
from knowledge.schema import Catalogue, Credential

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


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


def _distinct(demo: Catalogue) -> Credential:
    """A credential whose title no other entry shares as a name."""
    names: dict[str, int] = {}
    for entry in (*demo.credentials.values(), *demo.qualifications.values()):
        for name in (entry.title, *entry.aliases):
            names[name.lower()] = names.get(name.lower(), 0) + 1
    return next(c for c in demo.credentials.values() if names[c.title.lower()] == 1)


def test_facts_and_follow_ups_match_the_catalogue(demo: Catalogue, demo_coach: Coach) -> None:
    credential = _distinct(demo)
    price = demo_coach.respond("d1", f"How much is {credential.title}?")
    assert money(credential.price.amount, credential.price.currency) in price.text
    assert price.citations[0].id == credential.id
    duration = demo_coach.respond("d1", "how long does it take?")
    assert f"{credential.duration_weeks:g} week" in duration.text
    stacks = demo_coach.respond("d1", "what does it stack into?")
    for qualification in demo.stacks_into.get(credential.id, ()):
        assert qualification in {c.id for c in stacks.citations}


def test_a_goal_gets_a_plan_with_cited_steps(demo: Catalogue, demo_coach: Coach) -> None:
    role = next(iter(demo.roles.values()))
    goal = demo_coach.respond("d2", f"I want to become a {role.title}")
    assert goal.intent == "set_goal"
    assert goal.citations[0].id == role.id
    plan = demo_coach.respond("d2", "make me a plan, I have 6 hours a week")
    assert plan.intent == "plan"
    assert "6 hours a week" in plan.text
    assert all(c.id in demo.credentials or c.id == role.id for c in plan.citations)


def test_search_and_out_of_scope(demo_coach: Coach) -> None:
    found = demo_coach.respond("d3", "find credentials about data analysis")
    assert found.intent == "search"
    assert found.citations
    declined = demo_coach.respond("d3", "what's the capital of Peru?")
    assert declined.intent == "out_of_scope"


def test_recognition_answers_cite_records_or_say_not_in_the_catalogue(
    demo: Catalogue, demo_coach: Coach
) -> None:
    credential = _distinct(demo)
    answer = demo_coach.respond("d4", f"is {credential.title} accredited?")
    assert answer.intent == "recognition"
    records = {c.id for c in answer.citations} - {credential.id}
    if records:
        assert records <= set(demo.recognitions)
    else:
        assert answer.text.startswith("Not in the catalogue")


def test_a_learner_without_a_goal_is_offered_roles_from_several_fields(
    demo: Catalogue, demo_coach: Coach
) -> None:
    answer = demo_coach.respond("d-goal", "change my goal")
    offered = [a.payload for a in answer.actions]
    roles = [demo.roles[p.split(":")[-1]] for p in offered if p.split(":")[-1] in demo.roles]
    domains = {role.domain for role in roles}
    assert len(roles) >= 4
    assert len(domains) == len(roles)  # one role per field, not the first field's roles
