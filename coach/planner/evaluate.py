"""Plain evaluation of a candidate selection (used by the greedy and exhaustive baselines).

Independent of the integer programme: orders the selection by repeatedly taking a
credential whose prerequisites are met, and checks the target with ``stacking.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from coach.planner.model import Limits
from coach.planner.problem import Problem
from coach.planner.stacking import Rule, satisfiable


def prerequisites_met(problem: Problem, cid: str, done: Iterable[str]) -> bool:
    finished = set(done)
    levels = dict(problem.skill_levels)
    for other in finished:
        for skill, level in problem.items[other].skills.items():
            levels[skill] = max(levels.get(skill, 0), level)
    for group in problem.items[cid].prerequisites:
        met = sum(1 for c in group.credentials if c in problem.held or c in finished)
        met += sum(1 for n in group.skills if levels.get(n.skill, 0) >= n.level)
        if met < group.required_count:
            return False
    return True


def orderable(problem: Problem, chosen: Iterable[str]) -> list[str] | None:
    """An order meeting every prerequisite, or None."""
    left = sorted(chosen)
    done: list[str] = []
    while left:
        ready = next((c for c in left if prerequisites_met(problem, c, done)), None)
        if ready is None:
            return None
        done.append(ready)
        left.remove(ready)
    return done


def target_met(problem: Problem, chosen: Iterable[str]) -> bool | None:
    picked = set(chosen)
    if problem.kind == "role":
        return all(
            any(problem.items[c].skills.get(gap.skill, 0) >= gap.level for c in picked)
            for gap in problem.gaps
        )
    counted = {
        cid: problem.credits_of(cid)
        for cid in problem.eligible
        if (cid in problem.held and problem.held[cid].counts) or cid in picked
    }
    rules = [
        Rule(slot.id, slot.members, slot.min_count, slot.min_credits, slot.kind == "required")
        for slot in problem.slots
    ]
    credits_in = {
        (slot.id, member): value
        for slot in problem.slots
        for member, value in slot.credits_override.items()
    }
    return satisfiable(
        rules,
        counted,
        problem.transfer_ids,
        min_total=problem.min_total_credits,
        transfer_cap=problem.max_transfer_credits,
        credits_in=credits_in,
    )


def within(problem: Problem, chosen: Iterable[str], limits: Limits) -> bool:
    picked = list(chosen)
    cost = sum(problem.items[c].cost for c in picked) + problem.award_fee
    weeks = sum(problem.items[c].weeks for c in picked)
    if limits.budget is not None and cost > limits.budget + 1e-9:
        return False
    if limits.weeks is not None and weeks > limits.weeks:
        return False
    return limits.max_credentials is None or len(picked) <= limits.max_credentials


def key(problem: Problem, chosen: Iterable[str], objective: str) -> tuple[float, ...]:
    """The lexicographic value of a selection for cheapest or fastest (lower is better)."""
    items = [problem.items[c] for c in chosen]
    cost = round(sum(i.cost for i in items), 2)
    hours = round(sum(i.hours for i in items), 1)
    weeks = sum(i.weeks for i in items)
    if objective == "fastest":
        return (hours, weeks, cost, len(items))
    return (cost, hours, len(items))
