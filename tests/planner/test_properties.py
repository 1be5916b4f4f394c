"""Property tests: on generated small catalogues every plan obeys every rule
(independent checker) and costs what exhaustive search says is optimal."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.planner import PlanRequest, make_plan
from coach.planner.check import check_plan
from coach.planner.evaluate import key
from coach.planner.exhaustive import exhaustive
from coach.planner.greedy import greedy
from coach.planner.model import Limits, solve
from coach.planner.problem import build_problem
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

SKILLS = ("py", "sql", "ml")


@st.composite
def instances(draw: st.DrawFn) -> tuple:
    n = draw(st.integers(3, 8))
    ids = [f"c{i}" for i in range(n)]
    creds = []
    for i, cid in enumerate(ids):
        taught = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 4), max_size=2))
        groups = []
        if i and draw(st.booleans()):
            deps = tuple(
                draw(st.lists(st.sampled_from(ids[:i]), min_size=1, max_size=2, unique=True))
            )
            skill_need = draw(
                st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), max_size=1)
            )
            items = len(deps) + len(skill_need)
            groups.append(
                group(
                    credentials=deps,
                    skills=skill_need,
                    n=draw(st.sampled_from([None, 1])) if items > 1 else None,
                )
            )
        creds.append(
            cred(
                cid,
                cost=draw(st.sampled_from([0, 50, 100, 150, 300])),
                hours=draw(st.sampled_from([5, 10, 20, 40])),
                credits=draw(st.sampled_from([1, 2, 3, 5])),
                provider=draw(st.sampled_from(["uni", "other"])),
                skills=taught,
                prereq=tuple(groups),
                eqf=draw(st.sampled_from([4, 5, 6])),
                pacing=draw(st.sampled_from(["self-paced", "self-paced", "cohort"])),
                weeks=draw(st.sampled_from([2, 4])),
                mode=draw(st.sampled_from(["online", "online", "onsite"])),
            )
        )
    required = tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)))
    rest = [c for c in ids if c not in required]
    pools = []
    if rest:
        members = tuple(draw(st.lists(st.sampled_from(rest), min_size=1, max_size=4, unique=True)))
        if draw(st.booleans()):
            pools.append(pool("p1", members, credits=draw(st.sampled_from([2, 4, 6]))))
        else:
            pools.append(pool("p1", members, count=draw(st.integers(1, len(members)))))
    q = qual(
        "q",
        required=required,
        pools=tuple(pools),
        min_total_credits=draw(st.sampled_from([None, 4, 8])),
        max_transfer_credits=draw(st.sampled_from([None, 0, 3])),
        recency_years=draw(st.sampled_from([None, 3])),
        min_level=draw(st.sampled_from([None, 5])),
    )
    needs = draw(
        st.dictionaries(
            st.sampled_from(SKILLS),
            st.tuples(st.integers(1, 4), st.booleans()),
            min_size=1,
            max_size=3,
        )
    )
    records = []
    for cid in draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)):
        records.append(recognition(f"acc-{cid}", cid, countries=("DE",)))
    outsider = draw(st.sampled_from([None, *ids]))
    if outsider is not None and outsider not in required:
        records.append(
            recognition(
                "ct", outsider, kind="credit-transfer", towards_qualification="q", credits=2
            )
        )
    asked = tuple(draw(st.lists(st.sampled_from(ids), max_size=1)))
    cat = catalogue(
        creds, qualifications=[q], roles=[role("r", needs, asked)], recognitions=records
    )
    levels = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 3), max_size=2))
    held_ids = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
    held = {c: TODAY - dt.timedelta(days=draw(st.integers(0, 6 * 365))) for c in held_ids}
    learner = profile(levels, held)
    if held_ids and draw(st.booleans()):  # one badge failed verification: it proves nothing
        first, *rest = learner.holdings
        learner = learner.model_copy(
            update={"holdings": (first.model_copy(update={"verified": False}), *rest)}
        )
    request = PlanRequest(
        target=draw(st.sampled_from(["q", "r"])),
        objective=draw(st.sampled_from(["cheapest", "fastest", "recognized", "balanced"])),
        budget=draw(st.sampled_from([None, None, 200, 400])),
        weeks=draw(st.sampled_from([None, None, 6, 12])),
        max_credentials=draw(st.sampled_from([None, None, 2, 3])),
        hours_per_week=draw(st.sampled_from([None, 5.0, 10.0, 20.0])),
        modality=draw(st.sampled_from([None, None, "online"])),
        country=draw(st.sampled_from([None, None, "DE"])),
    )
    return cat, request, learner


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_plan_obeys_the_rules_and_matches_the_exhaustive_optimum(instance: tuple) -> None:
    cat, request, learner = instance
    result = make_plan(cat, request, learner, today=TODAY)
    assert check_plan(cat, request, learner, result, today=TODAY) == []
    problem = build_problem(cat, request, learner, today=TODAY)
    assert problem is not None
    if request.objective not in ("cheapest", "fastest"):
        return  # the exhaustive reference ranks only these two objectives
    best = exhaustive(
        problem, request.objective, Limits(request.budget, request.weeks, request.max_credentials)
    )
    if best is None:
        assert not result.feasible
        assert result.infeasible_reason
        return
    assert result.feasible, result.infeasible_reason
    planned = [s.id for s in result.steps]
    assert key(problem, planned, request.objective) == key(problem, best, request.objective)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_suggested_relaxation_makes_the_plan_feasible(instance: tuple) -> None:
    cat, request, learner = instance
    result = make_plan(cat, request, learner, today=TODAY)
    if result.feasible or not result.relaxations:
        return
    fields = {
        "budget": ("budget", float),
        "weeks": ("weeks", int),
        "max credentials": ("max_credentials", int),
        "hours per week": ("hours_per_week", float),
    }
    together = {
        fields[r.constraint][0]: fields[r.constraint][1](float(r.needed))
        for r in result.relaxations
        if r.together
    }
    for relaxation in result.relaxations:
        if relaxation.constraint not in fields:
            continue
        name, kind = fields[relaxation.constraint]
        update = together or {name: kind(float(relaxation.needed))}
        relaxed = request.model_copy(update=update)
        again = make_plan(cat, relaxed, learner, today=TODAY)
        assert again.feasible, (relaxation, again.infeasible_reason)
        assert check_plan(cat, relaxed, learner, again, today=TODAY) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_greedy_baseline_never_beats_the_optimal_plan(instance: tuple) -> None:
    cat, request, learner = instance
    problem = build_problem(cat, request, learner, today=TODAY)
    assert problem is not None
    objective = request.objective if request.objective in ("cheapest", "fastest") else "cheapest"
    limits = Limits(request.budget, request.weeks, request.max_credentials)
    base = greedy(problem, objective, limits)
    if base is None:
        return
    best = solve(problem, objective, limits)
    assert best is not None  # whatever greedy finds, the exact model finds too
    assert key(problem, best.chosen, objective) <= key(problem, base, objective)
