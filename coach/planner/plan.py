"""``make_plan``: the planner's one entry point, pure (the caller passes ``today``)."""

from __future__ import annotations

import datetime as dt

from coach.planner import explain
from coach.planner.model import Limits, Prepared, Selection, prepare, solve
from coach.planner.problem import Problem, build_problem
from coach.planner.relax import TOGETHER, diagnose, limits_of
from coach.planner.request import PlanRequest
from coach.planner.resolve import resolve_target
from coach.planner.result import Alternative, PlanResult, Relaxation, Totals
from coach.planner.schedule import order, timeline
from coach.profile import Profile
from knowledge.schema import Catalogue

_ALTERNATIVES = ("cheapest", "fastest", "recognized")
_NAMES = {"cheapest": "cheapest", "fastest": "fastest", "recognized": "best recognised"}


def totals_of(problem: Problem, chosen: list[str]) -> Totals:
    items = [problem.items[c] for c in chosen]
    return Totals(
        cost=round(sum(i.cost for i in items) + problem.award_fee, 2),
        hours=round(sum(i.hours for i in items), 2),
        weeks=sum(i.weeks for i in items),
        credits=round(sum(i.credits for i in items), 2),
        award_fee=problem.award_fee,
    )


def _tradeoff(base: Totals, other: Totals, base_rec: int, other_rec: int) -> str:
    parts = []
    cost = other.cost - base.cost
    if abs(cost) >= 0.005:
        parts.append(f"{abs(cost):g} {'more' if cost > 0 else 'less'} money")
    weeks = other.weeks - base.weeks
    if weeks:
        parts.append(f"{abs(weeks)} week(s) {'longer' if weeks > 0 else 'shorter'}")
    hours = other.hours - base.hours
    if abs(hours) >= 0.05:
        parts.append(f"{abs(hours):g} study hours {'more' if hours > 0 else 'fewer'}")
    if other_rec != base_rec:
        parts.append("better recognised" if other_rec > base_rec else "less recognised")
    return ", ".join(parts) if parts else "same totals, other credentials"


def _recognition(problem: Problem, chosen: list[str]) -> int:
    return sum(problem.items[c].recognition for c in chosen)


def make_plan(
    catalogue: Catalogue, request: PlanRequest, profile: Profile, *, today: dt.date
) -> PlanResult:
    """The optimal stacking plan for ``request``, or why there is none and what would fix it."""
    problem = build_problem(catalogue, request, profile, today=today)
    if problem is None:
        guesses = resolve_target(catalogue, request.target, limit=5)
        return PlanResult(
            target=request.target,
            objective=request.objective,
            status="unknown-target",
            feasible=False,
            infeasible_reason=f"unknown target {request.target!r}: not a qualification, role "
            "or credential id in the catalogue",
            candidates=tuple((g.id, g.title, g.score) for g in guesses),
        )
    common = {
        "target": problem.target,
        "target_title": problem.title,
        "target_kind": problem.kind,
        "objective": request.objective,
    }
    prepared = prepare(problem, limits_of(request))
    selection = solve(problem, request.objective, limits_of(request), prepared=prepared)
    if selection is None:
        reason, blocking, relaxations = diagnose(catalogue, request, profile, problem, today=today)
        return PlanResult(
            **common,
            status="infeasible",
            feasible=False,
            requirements=tuple(explain.requirements(catalogue, problem, None)),
            infeasible_reason=reason,
            blocking=tuple(blocking),
            relaxations=tuple(
                Relaxation(
                    constraint=c,
                    current=a,
                    needed=b.removesuffix(TOGETHER),
                    together=b.endswith(TOGETHER),
                )
                for c, a, b in relaxations
            ),
        )
    return _planned(catalogue, problem, request, profile, selection, prepared, common)


def _planned(
    catalogue: Catalogue,
    problem: Problem,
    request: PlanRequest,
    profile: Profile,
    selection: Selection,
    prepared: Prepared | None,
    common: dict[str, str],
) -> PlanResult:
    placed = timeline(problem, order(problem, selection.chosen, selection.edges))
    steps = explain.steps(catalogue, problem, selection, placed)
    totals = totals_of(problem, selection.chosen)
    notes = []
    if not selection.chosen:
        notes.append(f"You already meet every requirement of {problem.title}.")
    for holding in profile.holdings:
        if not holding.verified:
            notes.append(f"Held {holding.credential_id} is not verified, so it does not count.")
    for held in problem.held.values():
        if not held.counts:
            notes.append(f"Held {held.id} does not count: {held.why_not}.")
    if any(s.currency != steps[0].currency for s in steps):
        notes.append("Prices are in different currencies; totals add them unconverted.")
    alternatives = []
    seen = {tuple(selection.chosen)}
    base_rec = _recognition(problem, selection.chosen)
    if selection.chosen:
        for objective in _ALTERNATIVES:
            if objective == request.objective:
                continue
            other = solve(
                problem,
                objective,
                limits_of(request),
                prepared=prepared,
            )
            if other is None:
                continue
            if tuple(other.chosen) == tuple(selection.chosen):
                notes.append(f"This plan is also the {_NAMES[objective]} one.")
                continue
            if tuple(other.chosen) in seen:
                continue
            seen.add(tuple(other.chosen))
            other_totals = totals_of(problem, other.chosen)
            alternatives.append(
                Alternative(
                    objective=objective,
                    steps=tuple(order(problem, other.chosen, other.edges)),
                    totals=other_totals,
                    tradeoff=_tradeoff(
                        totals, other_totals, base_rec, _recognition(problem, other.chosen)
                    ),
                )
            )
    return PlanResult(
        **common,
        status="planned" if selection.chosen else "already-reached",
        feasible=True,
        steps=tuple(steps),
        totals=totals,
        requirements=tuple(explain.requirements(catalogue, problem, selection)),
        alternatives=tuple(alternatives),
        optimal=selection.optimal,
        notes=tuple(notes),
    )


__all__ = ["Limits", "make_plan", "totals_of"]
