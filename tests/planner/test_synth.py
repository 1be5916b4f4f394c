"""Plans on a generated catalogue (knowledge.synth) obey every rule, for every target."""

from __future__ import annotations

import pytest

from coach.planner import PlanRequest, make_plan
from coach.planner.check import check_plan
from coach.profile import HeldCredential, Profile
from knowledge.loading import load_catalogue
from knowledge.schema import Catalogue
from knowledge.synth import write_synthetic
from tests.planner.factory import TODAY


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    folder = tmp_path_factory.mktemp("synth") / "cat"
    write_synthetic(folder, 300, seed=11)
    return load_catalogue(folder)


@pytest.mark.parametrize("objective", ["cheapest", "balanced"])
def test_generated_catalogue_plans_obey_every_rule(synthetic: Catalogue, objective: str) -> None:
    credentials = sorted(synthetic.credentials)
    learner = Profile(
        learner_id="synth",
        holdings=tuple(
            HeldCredential(credential_id=c, earned_on=TODAY, verified=True)
            for c in credentials[:40:7]
        ),
    )
    feasible = 0
    for target in sorted(synthetic.qualifications) + sorted(synthetic.roles):
        request = PlanRequest(target=target, objective=objective, hours_per_week=8)
        result = make_plan(synthetic, request, learner, today=TODAY)
        assert check_plan(synthetic, request, learner, result, today=TODAY) == [], target
        feasible += result.feasible
        if result.feasible and result.steps:
            weeks = PlanRequest(
                target=target, objective=objective, weeks=max(result.totals.weeks - 1, 0)
            )
            tighter = make_plan(synthetic, weeks, learner, today=TODAY)
            assert check_plan(synthetic, weeks, learner, tighter, today=TODAY) == []
    assert feasible > 10
