"""The assessment state machine, without IO: every transition and every bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from coach.assessment import QUICK_LIMIT, AssessmentState, Step, advance, start
from coach.assessment.state import TargetRef
from coach.assessment.targets import TargetCandidate
from coach.profile import HeldCredential
from knowledge.schema import Catalogue
from tests.assessment.conftest import TODAY, build_catalogue


def say(catalogue: Catalogue, step: Step, text: str) -> Step:
    """One turn through a JSON round trip, the way every channel stores the state."""
    stored: dict[str, Any] = json.loads(json.dumps(step.state.model_dump(mode="json")))
    return advance(catalogue, stored, text, today=TODAY)


def payloads(step: Step) -> list[str]:
    return [a.payload for a in step.answer.actions]


def test_goal_by_id_asks_foundations_first(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    order = [r.skill for r in step.state.requirements]
    assert order.index("spreadsheets") < order.index("visualisation")
    assert step.state.phase == "asking"
    assert step.state.current == order[0]
    assert "assess:level:0" in payloads(step)
    assert {"assess:skip", "assess:pause"} <= set(payloads(step))
    assert "assess:back" not in payloads(step)  # nothing to go back to yet


def test_essential_and_demanding_skills_rank_highest(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    by_rank = sorted(step.state.requirements, key=lambda r: r.rank)
    assert [r.skill for r in by_rank[:2]] == ["spreadsheets", "sql"]
    assert all(r.essential for r in by_rank[:3])


def test_ambiguous_goal_asks_which_one(catalogue: Catalogue) -> None:
    step = start(catalogue, "I want to move into data analysis", today=TODAY)
    assert step.state.phase == "choose_target"
    assert {c.id for c in step.state.choices} >= {"data-analysis", "data-analyst"}
    assert "assess:target:none" in payloads(step)
    step = say(catalogue, step, "assess:target:data-analyst")
    assert step.state.target is not None
    assert step.state.target.id == "data-analyst"
    assert step.state.phase == "asking"


def test_choosing_a_target_by_number(catalogue: Catalogue) -> None:
    step = start(catalogue, "I want to move into data analysis", today=TODAY)
    first = step.state.choices[0]
    step = say(catalogue, step, "1")
    assert step.state.target == first


def test_unknown_goal_asks_again_with_suggestions(catalogue: Catalogue) -> None:
    step = start(catalogue, "competitive knitting", today=TODAY)
    assert step.state.phase == "need_target"
    assert "couldn't find" in step.answer.text
    assert "assess:target:data-analyst" in payloads(step)
    step = say(catalogue, step, "assess:target:data-scientist")
    assert step.state.target is not None
    assert step.state.target.id == "data-scientist"


def test_start_without_goal_asks_for_one(catalogue: Catalogue) -> None:
    step = start(catalogue, None, today=TODAY)
    assert step.state.phase == "need_target"
    step = say(catalogue, step, "assess:level:3")
    assert step.state.phase == "need_target"
    assert "goal first" in step.answer.text
    step = say(catalogue, step, "become a data scientist")
    assert step.state.target is not None
    assert step.state.target.id == "data-scientist"


def test_qualification_needs_what_its_credentials_teach(catalogue: Catalogue) -> None:
    step = start(catalogue, "cert-analytics", today=TODAY)
    needs = {r.skill: (r.level, r.essential) for r in step.state.requirements}
    assert needs == {"sql": (2, True), "statistics": (2, True)}


def test_domain_needs_its_core_skills(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analysis", today=TODAY)
    needs = {r.skill: r.level for r in step.state.requirements}
    assert needs["statistics"] == 3  # the highest any role of the domain requires
    assert set(needs) == set(catalogue.skills)


def test_custom_resolver_is_used(catalogue: Catalogue) -> None:
    def resolver(_: Catalogue, text: str) -> list[TargetCandidate]:
        ref = TargetRef(kind="role", id="data-scientist", title="Data Scientist")
        return [TargetCandidate(ref=ref, score=0.9)] if "ml" in text else []

    step = start(catalogue, "ml person", today=TODAY, resolver=resolver)
    assert step.state.target is not None
    assert step.state.target.id == "data-scientist"


def test_button_answers_complete_the_assessment(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    answered = {}
    while not step.done:
        skill = step.state.current
        assert skill is not None
        answered[skill] = 2
        step = say(catalogue, step, "assess:level:2")
    assert step.result is not None
    assert step.result.levels == answered
    assert all(e.source == "self-assessed" for e in step.result.estimates)
    gaps = {g.skill: g.gap for g in step.result.gaps}
    assert gaps["sql"] == 1
    assert gaps["python"] == 0
    assert "Towards Data Analyst" in step.result.summary
    assert step.answer.attachments
    assert step.answer.attachments[0].media_type == "image/png"
    assert "assess:level:1" not in payloads(step)


def test_none_on_a_foundation_skips_its_dependants(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-scientist", today=TODAY)
    asked = []
    while not step.done:
        asked.append(step.state.current)
        answer = "0" if step.state.current == "statistics" else "3"
        step = say(catalogue, step, answer)
    assert "modelling" not in asked
    assert "experiments" not in asked
    assert step.result is not None
    by_skill = {e.skill: e for e in step.result.estimates}
    assert by_skill["modelling"].level == 0
    assert by_skill["experiments"].level == 0
    assert by_skill["modelling"].confidence < by_skill["python"].confidence


def test_verified_credentials_are_confirmed_not_asked(catalogue: Catalogue) -> None:
    holdings = [
        HeldCredential(
            credential_id="python-data", earned_on=TODAY, verified=True, wallet_record="w-1"
        ),
        HeldCredential(credential_id="sql-advanced", earned_on=TODAY, verified=False),
    ]
    step = start(catalogue, "data-scientist", today=TODAY, holdings=holdings)
    assert step.state.phase == "confirm_verified"
    assert "Python for Data" in step.answer.text
    assert "Advanced SQL" not in step.answer.text  # unverified holdings count for nothing
    step = say(catalogue, step, "assess:verified:yes")
    asked = []
    while not step.done:
        asked.append(step.state.current)
        step = say(catalogue, step, "2")
    assert "python" not in asked
    assert step.result is not None
    python = next(e for e in step.result.estimates if e.skill == "python")
    assert (python.level, python.source, python.evidence) == (3, "verified-credential", "w-1")


def test_declining_verified_levels_asks_them(catalogue: Catalogue) -> None:
    holdings = [HeldCredential(credential_id="python-data", earned_on=TODAY, verified=True)]
    step = start(catalogue, "data-scientist", today=TODAY, holdings=holdings)
    step = say(catalogue, step, "no")
    asked = []
    while not step.done:
        asked.append(step.state.current)
        step = say(catalogue, step, "1")
    assert "python" in asked


def test_back_from_first_question_returns_to_verified_confirmation(catalogue: Catalogue) -> None:
    holdings = [HeldCredential(credential_id="python-data", earned_on=TODAY, verified=True)]
    step = start(catalogue, "data-scientist", today=TODAY, holdings=holdings)
    step = say(catalogue, step, "yes")
    step = say(catalogue, step, "back")
    assert step.state.phase == "confirm_verified"
    assert step.state.record_of("python") is None


def test_back_reopens_the_previous_question_and_forgets_its_inferences(
    catalogue: Catalogue,
) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    first = step.state.current
    assert first == "spreadsheets"
    step = say(catalogue, step, "0")  # visualisation builds on spreadsheets: inferred 0
    assert step.state.record_of("visualisation") is not None
    second = step.state.current
    step = say(catalogue, step, "assess:back")
    assert step.state.current == first
    assert "Before, you answered: none of these yet" in step.answer.text
    assert step.state.record_of("visualisation") is None
    step = say(catalogue, step, "3")
    assert step.state.current == second
    assert step.state.record_of("spreadsheets").level == 3  # type: ignore[union-attr]


def test_back_on_the_first_question_is_a_clear_reprompt(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    again = say(catalogue, step, "back")
    assert again.state.current == step.state.current
    assert "nothing before it" in again.answer.text


def test_skip_leaves_the_skill_unknown(catalogue: Catalogue) -> None:
    step = start(catalogue, "cert-analytics", today=TODAY)
    skipped = step.state.current
    step = say(catalogue, step, "assess:skip")
    step = say(catalogue, step, "2")
    assert step.done
    assert step.result is not None
    assert skipped in step.result.unknown
    gap = next(g for g in step.result.gaps if g.skill == skipped)
    assert gap.status == "unknown"
    assert gap.gap is None
    assert "Not assessed yet" in step.result.summary


def test_pause_and_resume_keep_every_answer(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    step = say(catalogue, step, "2")
    current = step.state.current
    step = say(catalogue, step, "assess:pause")
    assert step.state.paused
    assert "assess:resume" in payloads(step)
    # A message while paused resumes without being taken as an answer.
    step = say(catalogue, step, "3")
    assert not step.state.paused
    assert step.state.current == current
    assert step.state.record_of(current or "") is None
    assert step.state.record_of("spreadsheets") is not None


def test_finish_while_paused_reports_unknowns(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    step = say(catalogue, step, "2")
    step = say(catalogue, step, "pause")
    step = say(catalogue, step, "assess:finish")
    assert step.done
    assert step.result is not None
    assert len(step.result.estimates) == 1
    assert len(step.result.unknown) == len(step.state.requirements) - 1


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("assess:level:9", "no option 9"),
        ("7", "no option 7"),
        ("", "didn't get an answer"),
        ("   ", "didn't get an answer"),
        ("x" * 10_000, "too long"),
        ("assess:frobnicate", "don't know that option"),
        ("assess:verified:yes", "earlier question"),
        ("yes", "closest to you"),
    ],
)
def test_invalid_answers_reprompt_without_losing_anything(
    catalogue: Catalogue, message: str, expected: str
) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    step = say(catalogue, step, "2")
    before = step.state
    after = say(catalogue, step, message)
    assert expected in after.answer.text
    assert after.state.records == before.records
    assert after.state.current == before.current
    assert "Which is closest to you?" in after.answer.text
    assert not after.done


def test_free_text_that_is_clear_is_recorded(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    assert step.state.current == "spreadsheets"
    step = say(catalogue, step, "I can sort, filter and build pivot tables to summarise a dataset")
    record = step.state.record_of("spreadsheets")
    assert record is not None
    assert (record.level, record.how) == (2, "free-text")


def test_unsure_free_text_is_confirmed_first(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    step = say(catalogue, step, "I use spreadsheets a bit")
    assert step.state.phase == "confirm_level"
    assert "assess:confirm:yes" in payloads(step)
    assert step.state.record_of("spreadsheets") is None
    pending = step.state.pending
    assert pending is not None
    confirmed = say(catalogue, step, "yes")
    record = confirmed.state.record_of("spreadsheets")
    assert record is not None
    assert record.level == pending.level
    rejected = say(catalogue, step, "assess:confirm:no")
    assert rejected.state.phase == "asking"
    assert rejected.state.record_of("spreadsheets") is None
    other = say(catalogue, step, "assess:level:4")
    assert other.state.record_of("spreadsheets").level == 4  # type: ignore[union-attr]


def test_gibberish_free_text_reprompts(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    after = say(catalogue, step, "qqq zzz")
    assert "couldn't place that" in after.answer.text
    assert after.state.record_of("spreadsheets") is None


def test_follow_up_adjusts_confidence_and_keeps_evidence(catalogue: Catalogue) -> None:
    step = start(catalogue, "cert-analytics", today=TODAY, follow_up=True)
    first = step.state.current or ""
    step = say(catalogue, step, "2")
    assert step.state.phase == "follow_up"
    step = say(catalogue, step, "assess:sure:low")
    assert step.state.record_of(first).confidence < 0.7  # type: ignore[union-attr]
    second = step.state.current or ""
    step = say(catalogue, step, "2")
    step = say(catalogue, step, "I wrote the monthly sales report queries at work")
    assert step.done
    record = step.state.record_of(second)
    assert record is not None
    assert record.evidence is not None
    assert "sales report" in record.evidence


def test_back_from_follow_up_reopens_the_question(catalogue: Catalogue) -> None:
    step = start(catalogue, "cert-analytics", today=TODAY, follow_up=True)
    first = step.state.current
    step = say(catalogue, step, "2")
    step = say(catalogue, step, "back")
    assert step.state.phase == "asking"
    assert step.state.current == first
    assert step.state.record_of(first or "") is None


def test_quick_mode_asks_at_most_the_limit(catalogue: Catalogue) -> None:
    skills = [f"s{i:02d}" for i in range(20)]
    extra = build_catalogue()
    from knowledge.schema import Role, RoleSkill, Skill

    levels = ("a basic thing", "a solid thing", "an advanced thing", "an expert thing")
    big_skills = {s: Skill(id=s, name=f"Skill {s}", domain="big", levels=levels) for s in skills}
    role = Role(
        id="big-role",
        title="Big Role",
        domain="big",
        required_skills=tuple(
            RoleSkill(skill=s, level=1 + i % 4, essential=i % 3 == 0) for i, s in enumerate(skills)
        ),
    )
    big = Catalogue(info=extra.info, skills=big_skills, roles={"big-role": role})
    quick = start(big, "big-role", today=TODAY)
    count = 0
    while not quick.done:
        count += 1
        quick = say(big, quick, "1")
    assert count == QUICK_LIMIT
    assert quick.result is not None
    assert len(quick.result.unknown) == 20 - QUICK_LIMIT
    asked = set(quick.state.asked)
    essential = {s for i, s in enumerate(skills) if i % 3 == 0}
    assert essential <= asked  # essential skills are asked before optional ones
    thorough = start(big, "big-role", today=TODAY, mode="thorough")
    count = 0
    while not thorough.done:
        count += 1
        thorough = say(big, thorough, "1")
    assert count == 20


def test_none_frees_quick_mode_budget_for_other_skills(catalogue: Catalogue) -> None:
    # In a catalogue where one foundation carries many dependants, answering
    # "none" settles them and the budget goes to other skills.
    from knowledge.schema import Role, RoleSkill, Skill

    levels = ("a basic thing", "a solid thing", "an advanced thing", "an expert thing")
    base = Skill(id="base", name="Base", domain="big", levels=levels)
    deps = [
        Skill(id=f"d{i:02d}", name=f"D{i}", domain="big", levels=levels, depends_on=("base",))
        for i in range(8)
    ]
    others = [Skill(id=f"o{i:02d}", name=f"O{i}", domain="big", levels=levels) for i in range(8)]
    all_skills = [base, *deps, *others]
    role = Role(
        id="r",
        title="R",
        domain="big",
        required_skills=(
            RoleSkill(skill="base", level=2, essential=True),
            *(RoleSkill(skill=s.id, level=3, essential=True) for s in deps),
            *(RoleSkill(skill=s.id, level=1) for s in others),
        ),
    )
    big = Catalogue(info=catalogue.info, skills={s.id: s for s in all_skills}, roles={"r": role})
    step = start(big, "r", today=TODAY)
    while not step.done:
        step = say(big, step, "0" if step.state.current == "base" else "1")
    assert step.result is not None
    assert step.result.unknown == ()  # 1 asked + 8 inferred + 8 others asked
    assert len(step.state.asked) == 9


def test_state_round_trips_through_json(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    step = say(catalogue, step, "2")
    dumped = json.dumps(step.state.model_dump(mode="json"))
    assert AssessmentState.model_validate(json.loads(dumped)) == step.state


def test_unreadable_stored_state_starts_over(catalogue: Catalogue) -> None:
    step = advance(catalogue, {"phase": "nonsense"}, "hello", today=TODAY)
    assert step.state.phase == "need_target"
    assert "start again" in step.answer.text


def test_finished_assessment_answers_with_its_result(catalogue: Catalogue) -> None:
    step = start(catalogue, "cert-analytics", today=TODAY)
    while not step.done:
        step = say(catalogue, step, "1")
    again = say(catalogue, step, "2")
    assert again.done
    assert again.result == step.result


def test_result_feeds_the_planner_profile(catalogue: Catalogue) -> None:
    step = start(catalogue, "cert-analytics", today=TODAY)
    while not step.done:
        step = say(catalogue, step, "2")
    assert step.result is not None
    profile = step.result.to_profile("learner-1")
    assert profile.level_of("sql") == 2
    assert profile.learner_id == "learner-1"


def test_skills_removed_from_the_catalogue_later_are_left_unknown(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    stored = step.state.model_dump(mode="json")
    smaller = Catalogue(
        info=catalogue.info,
        skills={k: v for k, v in catalogue.skills.items() if k != "sql"},
        roles=catalogue.roles,
    )
    step = advance(smaller, stored, "2", today=TODAY)
    while not step.done:
        step = say(smaller, step, "2")
    assert step.result is not None
    assert "sql" in step.result.unknown


def test_none_of_these_goals_asks_again(catalogue: Catalogue) -> None:
    step = start(catalogue, "I want to move into data analysis", today=TODAY)
    step = say(catalogue, step, "assess:target:none")
    assert step.state.phase == "need_target"
    assert step.state.target is None


def test_choosing_a_goal_that_is_not_offered_reprompts(catalogue: Catalogue) -> None:
    step = start(catalogue, "I want to move into data analysis", today=TODAY)
    again = say(catalogue, step, "9")
    assert again.state.phase == "choose_target"
    assert "not one of the choices" in again.answer.text


def test_verified_confirmation_needs_yes_or_no(catalogue: Catalogue) -> None:
    holdings = [HeldCredential(credential_id="python-data", earned_on=TODAY, verified=True)]
    step = start(catalogue, "data-scientist", today=TODAY, holdings=holdings)
    again = say(catalogue, step, "maybe later this week")
    assert again.state.phase == "confirm_verified"
    assert "yes or no" in again.answer.text
    assert again.state.records == ()


def test_follow_up_rejects_a_level_button(catalogue: Catalogue) -> None:
    step = start(catalogue, "cert-analytics", today=TODAY, follow_up=True)
    step = say(catalogue, step, "2")
    again = say(catalogue, step, "assess:level:3")
    assert again.state.phase == "follow_up"
    assert "how sure" in again.answer.text.lower()


def test_resume_while_running_repeats_the_question(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    again = say(catalogue, step, "resume")
    assert again.state == step.state
    assert "middle of it" in again.answer.text


def test_finish_before_a_goal_is_refused(catalogue: Catalogue) -> None:
    step = start(catalogue, None, today=TODAY)
    again = say(catalogue, step, "finish")
    assert not again.done
    assert "nothing to finish" in again.answer.text


def test_every_answer_has_buttons_or_a_question(catalogue: Catalogue) -> None:
    step = start(catalogue, "data-analyst", today=TODAY)
    for message in ["2", "I write joins", "no", "skip", "back", "pause", "resume", "1", "1"]:
        step = say(catalogue, step, message)
        assert step.answer.text
        assert step.done or step.answer.actions
