"""One test per planning rule and edge case, on small hand-built catalogues."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.errors import PlanningError
from coach.planner import PlanRequest, make_plan, resolve_target
from coach.planner.check import check_plan
from coach.planner.result import PlanResult, PlanStep
from coach.profile import Profile
from tests.planner.factory import (
    TODAY,
    catalogue,
    cred,
    group,
    pool,
    profile,
    qual,
    recognition,
    role,
)


def plan(cat, learner: Profile | None = None, **fields) -> PlanResult:  # type: ignore[no-untyped-def]
    request = PlanRequest(**fields)
    learner = learner or profile()
    result = make_plan(cat, request, learner, today=TODAY)
    assert check_plan(cat, request, learner, result, today=TODAY) == []
    return result


def ids(result: PlanResult) -> list[str]:
    return [step.id for step in result.steps]


def test_prerequisite_credential_is_scheduled_before_the_step_it_enables() -> None:
    cat = catalogue(
        [cred("base", cost=10), cred("adv", cost=20, prereq=(group(credentials=("base",)),))],
        qualifications=[qual("q", required=("adv",))],
    )
    result = plan(cat, target="q")
    assert ids(result) == ["base", "adv"]
    base, adv = result.steps
    assert base.end_week < adv.start_week
    assert adv.after == ("base",)
    assert base.enables == ("adv",)
    assert "prerequisite of" in base.reason


def test_skill_prerequisite_met_by_the_profile_needs_no_extra_step() -> None:
    cat = catalogue(
        [cred("intro", skills={"py": 2}), cred("adv", prereq=(group(skills={"py": 2}),))],
        qualifications=[qual("q", required=("adv",))],
    )
    assert ids(plan(cat, profile({"py": 2}), target="q")) == ["adv"]
    assert ids(plan(cat, profile({"py": 1}), target="q")) == ["intro", "adv"]


def test_at_least_n_of_group_takes_the_cheapest_n() -> None:
    cat = catalogue(
        [
            cred("a", cost=300),
            cred("b", cost=10),
            cred("c", cost=20),
            cred("top", cost=5, prereq=(group(credentials=("a", "b", "c"), n=2),)),
        ],
        qualifications=[qual("q", required=("top",))],
    )
    assert sorted(ids(plan(cat, target="q", objective="cheapest"))) == ["b", "c", "top"]


def test_held_credentials_are_never_planned_and_count_from_the_wallet() -> None:
    cat = catalogue(
        [cred("a", credits=3), cred("b", credits=3), cred("c", credits=3, cost=1)],
        qualifications=[qual("q", pools=(pool("p", ("a", "b", "c"), credits=6),))],
    )
    result = plan(cat, profile(held={"a": TODAY}), target="q", objective="cheapest")
    assert ids(result) == ["c"]
    row = next(r for r in result.requirements if r.id == "pool:p")
    assert {(c.id, c.source) for c in row.by} == {("a", "wallet"), ("c", "plan")}
    assert row.status == "met-by-plan"


def test_recency_window_excludes_old_holdings() -> None:
    cat = catalogue(
        [cred("a", credits=3, cost=50), cred("b", credits=3, cost=90)],
        qualifications=[qual("q", pools=(pool("p", ("a", "b"), credits=3),), recency_years=2)],
    )
    old = profile(held={"a": TODAY - dt.timedelta(days=4 * 365)})
    result = plan(cat, old, target="q")
    assert ids(result) == ["b"]  # a is held (never re-planned) but too old to count
    assert any("recency window" in note for note in result.notes)


def test_required_credential_held_outside_the_recency_window_blocks_the_plan() -> None:
    cat = catalogue([cred("a")], qualifications=[qual("q", required=("a",), recency_years=1)])
    result = plan(cat, profile(held={"a": TODAY - dt.timedelta(days=800)}), target="q")
    assert not result.feasible
    assert "recency window" in (result.infeasible_reason or "")


def test_minimum_level_keeps_low_level_credentials_from_counting() -> None:
    cat = catalogue(
        [cred("low", eqf=4, cost=1), cred("ok", eqf=6, cost=100)],
        qualifications=[qual("q", pools=(pool("p", ("low", "ok"), count=1),), min_level=5)],
    )
    assert ids(plan(cat, target="q", objective="cheapest")) == ["ok"]


def test_transfer_cap_limits_credits_from_other_providers() -> None:
    cat = catalogue(
        [
            cred("ext", provider="other", credits=6, cost=10),
            cred("own1", credits=3, cost=100),
            cred("own2", credits=3, cost=100),
        ],
        qualifications=[
            qual(
                "q", pools=(pool("p", ("ext", "own1", "own2"), credits=6),), max_transfer_credits=3
            )
        ],
    )
    result = plan(cat, target="q", objective="cheapest")
    assert sorted(ids(result)) == ["ext", "own1"]
    cap = next(r for r in result.requirements if r.id == "credits:transfer-cap")
    assert cap.reached == 3


def test_elective_pool_minimum_count() -> None:
    cat = catalogue(
        [cred(c, cost=i * 10 + 10) for i, c in enumerate("abcd")],
        qualifications=[qual("q", pools=(pool("p", ("a", "b", "c", "d"), count=3),))],
    )
    assert ids(plan(cat, target="q", objective="cheapest")) == ["a", "b", "c"]


def test_credit_transfer_record_lets_an_outside_credential_count() -> None:
    cat = catalogue(
        [cred("in", credits=5, cost=500), cred("out", credits=5, cost=50, provider="other")],
        qualifications=[qual("q", pools=(pool("p", ("in",), count=1),), min_total_credits=10)],
        recognitions=[
            recognition("ct", "out", kind="credit-transfer", towards_qualification="q", credits=5)
        ],
    )
    result = plan(cat, target="q")
    assert sorted(ids(result)) == ["in", "out"]
    assert "ct" in next(s for s in result.steps if s.id == "out").cites


def test_cohort_credential_over_weekly_capacity_is_left_out_and_relaxation_says_how_much() -> None:
    cat = catalogue(
        [cred("cohort", hours=40, pacing="cohort", weeks=4)],
        qualifications=[qual("q", required=("cohort",))],
    )
    result = plan(cat, target="q", hours_per_week=5)
    assert not result.feasible
    assert [r.text() for r in result.relaxations] == ["hours per week 5 -> 10"]
    fitted = plan(cat, target="q", hours_per_week=10)
    assert fitted.steps[0].end_week - fitted.steps[0].start_week + 1 == 4


def test_budget_relaxation_is_the_cost_of_the_cheapest_plan() -> None:
    cat = catalogue(
        [cred("a", cost=200), cred("b", cost=250)],
        qualifications=[qual("q", required=("a", "b"), award_fee=50)],
    )
    result = plan(cat, target="q", budget=300)
    assert not result.feasible
    assert result.relaxations[0].text() == "budget 300 -> 500"
    assert "budget" in result.blocking
    assert plan(cat, target="q", budget=500).totals.cost == 500


def test_deadline_relaxation_in_weeks() -> None:
    cat = catalogue(
        [cred("a", hours=30), cred("b", hours=30)],
        qualifications=[qual("q", required=("a", "b"))],
    )
    result = plan(cat, target="q", weeks=4, hours_per_week=10)
    assert not result.feasible
    texts = [r.text() for r in result.relaxations]
    assert "weeks 4 -> 6" in texts
    assert "hours per week 10 -> 15" in texts
    assert plan(cat, target="q", weeks=6).totals.weeks == 6


def test_modality_filter_blocks_and_is_named() -> None:
    cat = catalogue([cred("a", mode="onsite")], qualifications=[qual("q", required=("a",))])
    result = plan(cat, target="q", modality="online")
    assert not result.feasible
    assert result.relaxations[0].text() == "modality online -> any"


def test_language_and_avoided_provider_filters() -> None:
    cat = catalogue(
        [
            cred("fr", languages=("fr",), cost=1),
            cred("bad", provider="bad", cost=2),
            cred("ok", cost=300),
        ],
        qualifications=[qual("q", pools=(pool("p", ("fr", "bad", "ok"), count=1),))],
    )
    result = plan(cat, target="q", language="en", providers_avoid=("bad",), objective="cheapest")
    assert ids(result) == ["ok"]


def test_country_filter_keeps_only_credentials_recognised_there() -> None:
    cat = catalogue(
        [cred("de", cost=300), cred("none", cost=1)],
        qualifications=[qual("q", pools=(pool("p", ("de", "none"), count=1),))],
        recognitions=[recognition("acc", "de", countries=("DE",))],
    )
    assert ids(plan(cat, target="q", country="DE", objective="cheapest")) == ["de"]
    assert not plan(cat, target="q", country="FR").feasible


def test_max_credentials_limit() -> None:
    cat = catalogue(
        [
            cred("a", skills={"py": 3}, cost=10),
            cred("b", skills={"sql": 3}, cost=10),
            cred("ab", skills={"py": 3, "sql": 3}, cost=500),
        ],
        roles=[role("r", {"py": (3, True), "sql": (3, False)})],
    )
    assert sorted(ids(plan(cat, target="r", objective="cheapest"))) == ["a", "b"]
    assert ids(plan(cat, target="r", objective="cheapest", max_credentials=1)) == ["ab"]


def test_role_plan_closes_every_gap_and_puts_high_impact_skills_first() -> None:
    cat = catalogue(
        [cred("minor", skills={"sql": 2}, cost=10), cred("major", skills={"ml": 4}, cost=10)],
        roles=[role("r", {"sql": (2, False), "ml": (4, True)})],
    )
    result = plan(cat, profile({"sql": 1}), target="r")
    assert ids(result) == ["major", "minor"]
    assert all(r.status == "met-by-plan" for r in result.requirements if r.kind == "skill")
    assert "essential skill gap" in result.steps[0].reason


def test_no_overload_unrelated_or_redundant_credentials_are_never_added() -> None:
    cat = catalogue(
        [
            cred("need", skills={"py": 3}, cost=100),
            cred("also", skills={"py": 3}, cost=100),
            cred("free", skills={"art": 5}, cost=0, hours=1),
        ],
        roles=[role("r", {"py": (3, True)})],
        recognitions=[recognition("x", "also"), recognition("y", "free")],
    )
    for objective in ("cheapest", "fastest", "recognized", "balanced"):
        assert len(plan(cat, target="r", objective=objective).steps) == 1


def test_asked_credentials_are_a_bonus_not_a_requirement() -> None:
    cat = catalogue(
        [cred("skill", skills={"py": 3}, cost=10), cred("asked", skills={"py": 1}, cost=900)],
        roles=[role("r", {"py": (3, True)}, asked=("asked",))],
    )
    assert ids(plan(cat, target="r", objective="cheapest")) == ["skill"]
    recognised = plan(cat, target="r", objective="recognized")
    assert sorted(ids(recognised)) == ["asked", "skill"]
    row = next(r for r in recognised.requirements if r.id == "asked:asked")
    assert not row.mandatory
    assert row.status == "met-by-plan"


def test_alternatives_carry_their_tradeoffs() -> None:
    cat = catalogue(
        [
            cred("cheap", skills={"py": 3}, cost=10, hours=80),
            cred("quick", skills={"py": 3}, cost=400, hours=10),
        ],
        roles=[role("r", {"py": (3, True)})],
    )
    result = plan(cat, target="r", objective="cheapest")
    assert ids(result) == ["cheap"]
    fastest = next(a for a in result.alternatives if a.objective == "fastest")
    assert fastest.steps == ("quick",)
    assert "390 more money" in fastest.tradeoff
    assert "shorter" in fastest.tradeoff


def test_unknown_target_returns_candidates() -> None:
    cat = catalogue([cred("a")], qualifications=[qual("data-cert", required=("a",))])
    result = make_plan(cat, PlanRequest(target="data-certificate"), profile(), today=TODAY)
    assert result.status == "unknown-target"
    assert not result.feasible
    assert result.candidates[0][0] == "data-cert"


def test_target_already_reached_is_feasible_with_no_steps() -> None:
    cat = catalogue([cred("a")], qualifications=[qual("q", required=("a",))])
    result = plan(cat, profile(held={"a": TODAY}), target="q")
    assert result.feasible
    assert result.status == "already-reached"
    assert not result.steps
    assert result.requirements[0].status == "met-by-wallet"


def test_budget_zero_plans_only_free_credentials() -> None:
    cat = catalogue(
        [cred("free", cost=0, skills={"py": 3}), cred("paid", cost=10, skills={"py": 3}, hours=1)],
        roles=[role("r", {"py": (3, True)})],
    )
    assert ids(plan(cat, target="r", budget=0, objective="fastest")) == ["free"]


def test_role_skill_no_credential_teaches_is_infeasible_with_the_reason() -> None:
    cat = catalogue([cred("a", skills={"py": 2})], roles=[role("r", {"py": (4, True)})])
    result = plan(cat, target="r")
    assert not result.feasible
    assert "teaches Py at level 4" in (result.infeasible_reason or "")


def test_contradictory_or_malformed_requests_raise_planning_error() -> None:
    with pytest.raises(PlanningError, match="both preferred and avoided"):
        PlanRequest.parse(target="q", providers_prefer=("x",), providers_avoid=("x",))
    with pytest.raises(PlanningError, match="budget"):
        PlanRequest.parse(target="q", budget=-5)


def test_same_input_gives_the_same_plan() -> None:
    cat = catalogue(
        [cred(c, cost=100, skills={"py": 3}) for c in "abcdef"],
        roles=[role("r", {"py": (3, True)})],
    )
    first = plan(cat, target="r").to_contract()
    assert all(plan(cat, target="r").to_contract() == first for _ in range(3))


def test_contract_has_the_design_fields() -> None:
    cat = catalogue([cred("a")], qualifications=[qual("q", required=("a",))])
    contract = plan(cat, target="q").to_contract()
    for field in (
        "target",
        "feasible",
        "steps",
        "totals",
        "requirements",
        "alternatives",
        "infeasible_reason",
    ):
        assert field in contract
    assert set(contract["totals"]) >= {"cost", "hours", "weeks", "credits"}
    assert set(contract["steps"][0]) >= {
        "id",
        "title",
        "cost",
        "hours",
        "credits",
        "start_week",
        "end_week",
        "reason",
    }


def test_checker_finds_broken_plans() -> None:
    cat = catalogue(
        [cred("base", cost=10), cred("adv", cost=20, prereq=(group(credentials=("base",)),))],
        qualifications=[qual("q", required=("adv",))],
    )
    request = PlanRequest(target="q", budget=100, hours_per_week=10)
    good = make_plan(cat, request, profile(), today=TODAY)
    base, adv = good.steps
    swapped = good.model_copy(
        update={
            "steps": (
                adv.model_copy(update={"start_week": 1, "end_week": 2}),
                base.model_copy(update={"start_week": 3, "end_week": 4}),
            )
        }
    )
    assert any("prerequisite" in v for v in check_plan(cat, request, profile(), swapped))
    squeezed = good.model_copy(update={"steps": (base.model_copy(update={"end_week": 1}), adv)})
    assert any("hours" in v for v in check_plan(cat, request, profile(), squeezed))
    held = check_plan(cat, request, profile(held={"base": TODAY}), good)
    assert any("already holds" in v for v in held)
    extra = PlanStep(
        id="base",
        title="x",
        provider="uni",
        cost=10,
        currency="EUR",
        hours=20,
        credits=2,
        start_week=5,
        end_week=6,
        hours_per_week=10,
        reason="x",
    )
    assert check_plan(
        cat, request, profile(), good.model_copy(update={"steps": (*good.steps, extra)})
    )
    missing = good.model_copy(update={"steps": (base,)})
    assert any("stacking rules" in v for v in check_plan(cat, request, profile(), missing))


def test_resolve_target_by_id_title_and_alias() -> None:
    cat = catalogue(
        [cred("a")],
        qualifications=[qual("data-cert", required=("a",))],
        roles=[role("analyst", {"py": (2, True)})],
    )
    assert resolve_target(cat, "data-cert")[0].score == 100.0
    assert resolve_target(cat, "role analyst")[0].id == "analyst"
    assert resolve_target(cat, "certificate data-cert")[0].id == "data-cert"
    assert resolve_target(cat, "zzzz qqqq") == []


def test_credentials_cannot_enable_each_other_in_a_circle() -> None:
    circle = [
        cred("a", skills={"py": 3}, prereq=(group(skills={"sql": 2}),)),
        cred("b", skills={"sql": 3}, prereq=(group(skills={"py": 2}),)),
    ]
    cat = catalogue(circle, roles=[role("r", {"py": (3, True), "sql": (3, True)})])
    assert not plan(cat, target="r").feasible
    opened = catalogue(
        [*circle, cred("c", skills={"sql": 2}, cost=1)],
        roles=[role("r", {"py": (3, True), "sql": (3, True)})],
    )
    assert ids(plan(opened, target="r", objective="cheapest")) == ["c", "a", "b"]


def test_required_credential_with_unmeetable_prerequisite_is_named() -> None:
    cat = catalogue(
        [cred("secure", prereq=(group(skills={"prog": 3}),)), cred("intro", skills={"prog": 2})],
        qualifications=[qual("q", required=("secure",))],
    )
    result = plan(cat, target="q")
    assert not result.feasible
    assert "required secure cannot be taken" in (result.infeasible_reason or "")
    assert "Prog at level 3, which no credential teaches" in (result.infeasible_reason or "")
