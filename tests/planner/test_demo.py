"""Every target of the shipped demo catalogue gets a plan that obeys every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.planner import PlanRequest, make_plan
from coach.planner.check import check_plan
from coach.profile import Profile
from knowledge.loading import load_catalogue
from tests.planner.factory import TODAY

DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "demo"


@pytest.fixture(scope="module")
def demo():  # type: ignore[no-untyped-def]
    if not (DEMO / "catalogue.yaml").exists():
        pytest.skip("the demo catalogue is not there yet")
    catalogue = load_catalogue(DEMO)
    if not (catalogue.qualifications or catalogue.roles):
        pytest.skip("the demo catalogue has no qualifications or roles yet")
    return catalogue


@pytest.mark.parametrize("objective", ["cheapest", "fastest", "recognized", "balanced"])
def test_demo_targets_plan_soundly(demo, objective: str) -> None:  # type: ignore[no-untyped-def]
    learner = Profile(learner_id="demo")
    feasible = 0
    for target in sorted(demo.qualifications) + sorted(demo.roles):
        request = PlanRequest(target=target, objective=objective)
        result = make_plan(demo, request, learner, today=TODAY)
        assert check_plan(demo, request, learner, result, today=TODAY) == [], target
        if result.feasible:
            feasible += 1
            assert all(step.reason for step in result.steps)
        else:
            assert result.infeasible_reason
    assert feasible > 0


def test_demo_tight_budget_names_the_relaxation(demo) -> None:  # type: ignore[no-untyped-def]
    learner = Profile(learner_id="demo")
    for target in sorted(demo.qualifications):
        result = make_plan(demo, PlanRequest(target=target), learner, today=TODAY)
        if not result.feasible or result.totals.cost <= 1:
            continue
        tight = PlanRequest(target=target, budget=1)
        blocked = make_plan(demo, tight, learner, today=TODAY)
        assert not blocked.feasible
        budget = next(r for r in blocked.relaxations if r.constraint == "budget")
        assert float(budget.needed) <= result.totals.cost
        return
    pytest.skip("no demo qualification costs money")
