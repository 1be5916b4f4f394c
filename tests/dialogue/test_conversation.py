"""The deterministic coach end to end: multi-turn scripts over a small catalogue."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from coach.agent import Coach
from coach.answer import Answer
from coach.dialogue.policy import DialogueEngine
from coach.store import MemoryStore
from knowledge.embedding import HashingEmbedder
from knowledge.schema import Catalogue
from tests.dialogue.catalogue import TODAY


def _ids(answer: Answer) -> set[str]:
    return {c.id for c in answer.citations}


def test_greeting_and_help_offer_quick_replies(coach: Coach) -> None:
    answer = coach.respond("ana", "hello")
    assert answer.intent == "greeting"
    assert answer.actions
    assert coach.respond("ana", "what can you do?").intent == "help"


def test_follow_up_questions_refer_to_the_credential_just_discussed(coach: Coach) -> None:
    first = coach.respond("ana", "How much is SQL Basics?")
    assert first.intent == "credential_info"
    assert "250 EUR" in first.text
    follow = coach.respond("ana", "how long does it take?")
    assert "4 weeks" in follow.text
    assert "40 hours" in follow.text
    assert _ids(follow) == {"sql-basics"}


def test_recognition_question_carries_over_to_another_country(coach: Coach) -> None:
    coach.respond("ben", "tell me about Python for Data Analysis")
    accredited = coach.respond("ben", "is it accredited?")
    assert accredited.intent == "recognition"
    assert "conflict" in accredited.text.lower()
    germany = coach.respond("ben", "and in Germany?")
    assert germany.intent == "recognition"
    assert "German Accreditation Council" in germany.text
    assert "rec-acc-eu" in _ids(germany)
    spain = coach.respond("ben", "and in Spain?")
    assert spain.text.startswith("Not in the catalogue")


def test_an_ambiguous_name_gets_a_question_not_a_guess(coach: Coach) -> None:
    question = coach.respond("cy", "tell me about data analysis")
    assert question.intent == "clarify"
    assert {a.payload for a in question.actions} == {"choose:python-data", "choose:data-viz"}
    picked = coach.respond("cy", "2")
    assert picked.intent == "credential_info"
    assert _ids(picked) >= {"data-viz"}
    assert "200 EUR" in picked.text


def test_choosing_by_quick_reply_payload(coach: Coach) -> None:
    coach.respond("cy", "how much is data analysis?")
    picked = coach.respond("cy", "choose:python-data")
    assert "480 EUR" in picked.text


def test_compare_uses_the_focus_and_the_named_credential(coach: Coach) -> None:
    coach.respond("di", "what does Data Visualisation Essentials cover?")
    answer = coach.respond("di", "compare it with SQL Basics")
    assert answer.intent == "compare"
    assert _ids(answer) == {"sql-basics", "data-viz"}
    assert "Data Visualisation Essentials is cheaper" in answer.text


def test_prerequisites_and_stacking_come_from_the_catalogue(coach: Coach) -> None:
    prereq = coach.respond("ed", "what are the prerequisites for Python for Data Analysis?")
    assert "SQL Basics" in prereq.text
    stacks = coach.respond("ed", "what does sql basics stack into?")
    assert "Certificate in Data Analytics" in stacks.text
    assert "cert-data" in _ids(stacks)


def test_what_do_i_need_before_a_credential_is_a_prerequisite_question(coach: Coach) -> None:
    answer = coach.respond("eve", "What do I need before Python for Data Analysis?")
    assert answer.intent == "credential_info"
    assert "SQL Basics" in answer.text


def test_out_of_scope_is_declined_and_steered_back(coach: Coach) -> None:
    answer = coach.respond("fi", "tell me a joke about the weather")
    assert answer.intent == "out_of_scope"
    assert "credentials" in answer.text
    assert answer.actions


def test_goal_then_plan_then_constraints(coach: Coach) -> None:
    pytest.importorskip("coach.planner")
    goal = coach.respond("gu", "I want to become a data analyst")
    assert goal.intent == "set_goal"
    assert _ids(goal) == {"data-analyst"}
    plan = coach.respond("gu", "make me a plan")
    assert plan.intent == "plan"
    assert "sql-basics" in _ids(plan)
    tighter = coach.respond("gu", "I only have 5 hours a week")
    assert tighter.intent == "plan"
    assert "5 hours a week" in tighter.text
    cheaper = coach.respond("gu", "make it cheaper")
    assert cheaper.intent == "plan"
    assert "cheapest" in cheaper.text


def test_state_survives_a_new_coach_process(
    catalogue: Catalogue, engine: DialogueEngine, store: MemoryStore
) -> None:
    def fresh() -> Coach:
        return Coach(
            catalogue=catalogue,
            embedder=HashingEmbedder(),
            store=store,
            now=lambda: dt.datetime.combine(TODAY, dt.time()),
            engine=DialogueEngine(catalogue, HashingEmbedder()),
        )

    fresh().respond("ha", "How much is Cloud Fundamentals?")
    answer = fresh().respond("ha", "does it expire?")
    assert "valid for 24 months" in answer.text
    assert store.get_state("ha", "dialogue") is not None


def test_learners_do_not_share_context(coach: Coach) -> None:
    coach.respond("ivy", "How much is SQL Basics?")
    other = coach.respond("jo", "how long does it take?")
    assert "sql-basics" not in _ids(other)


def test_erase_asks_first_and_then_forgets_everything(coach: Coach, store: MemoryStore) -> None:
    coach.respond("kim", "How much is SQL Basics?")
    confirm = coach.respond("kim", "delete all my data")
    assert confirm.intent == "erase_data"
    assert {a.payload for a in confirm.actions} == {"erase:yes", "erase:no"}
    done = coach.respond("kim", "erase:yes")
    assert "erased" in done.text
    assert store.get_state("kim", "dialogue") is None
    assert store.recent_turns("kim") == []


def test_declining_erase_keeps_the_data(coach: Coach, store: MemoryStore) -> None:
    coach.respond("lu", "delete all my data")
    assert "Nothing was erased" in coach.respond("lu", "no").text
    assert store.get_state("lu", "dialogue") is not None


def test_export_reports_what_is_held(coach: Coach) -> None:
    coach.respond("mo", "hi")
    answer = coach.respond("mo", "export my data")
    assert answer.intent == "export_data"
    assert "conversation: 2" in answer.text


def test_injected_catalogue_text_changes_no_fact(coach: Coach) -> None:
    answer = coach.respond("ni", "how much is Python for Data Analysis?")
    assert "480 EUR" in answer.text
    assert "1 EUR" not in answer.text.replace("480 EUR", "")
    accredited = coach.respond("ni", "is it accredited?")
    assert "European Commission" not in accredited.text


def test_stream_yields_text_then_the_answer(coach: Coach) -> None:
    async def collect() -> list[object]:
        return [chunk async for chunk in coach.stream("oz", "How much is SQL Basics?")]

    chunks = asyncio.run(collect())
    assert isinstance(chunks[-1], Answer)
    assert "".join(c for c in chunks[:-1] if isinstance(c, str)) == chunks[-1].text
