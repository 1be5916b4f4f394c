"""A greedy baseline (for the benchmark only): the best progress per unit of cost.

Repeatedly adds the ready credential (prerequisites met) that buys the most
progress towards the target per euro (per hour for ``fastest``); when nothing
ready makes progress, it adds the cheapest ready credential that unlocks one
that would. No look-ahead, no optimality: that is the point of comparing.
"""

from __future__ import annotations

from coach.planner.evaluate import orderable, prerequisites_met, target_met, within
from coach.planner.model import Limits
from coach.planner.problem import Problem


def _progress(problem: Problem, chosen: list[str], cid: str) -> float:
    if problem.kind == "role":
        return float(
            sum(
                gap.impact
                for gap in problem.gaps
                if problem.items[cid].skills.get(gap.skill, 0) >= gap.level
                and not any(problem.items[c].skills.get(gap.skill, 0) >= gap.level for c in chosen)
            )
        )
    value = 0.0
    for slot in problem.slots:
        if cid not in slot.members or cid not in problem.eligible:
            continue
        if slot.kind == "required":
            value = max(value, 100.0)
        else:
            value = max(value, 1.0 + problem.credits_of(cid))
    return value


def greedy(problem: Problem, objective: str, limits: Limits) -> list[str] | None:
    """A selection meeting the target within ``limits``, or None when greedy gets stuck."""
    chosen: list[str] = []
    spend = "hours" if objective == "fastest" else "cost"
    for _ in range(len(problem.items) + 1):
        if target_met(problem, chosen):
            break
        open_items = [c for c in sorted(problem.items) if c not in chosen]
        ready = [c for c in open_items if prerequisites_met(problem, c, chosen)]
        scored = [
            (_progress(problem, chosen, c) / (getattr(problem.items[c], spend) + 1.0), c)
            for c in ready
        ]
        scored = [(s, c) for s, c in scored if s > 0]
        if scored:
            chosen.append(max(scored, key=lambda sc: (sc[0], -ord(sc[1][0])))[1])
            continue
        blocked = [c for c in open_items if c not in ready and _progress(problem, chosen, c) > 0]
        unlockers = [
            c
            for c in ready
            if any(prerequisites_met(problem, b, [*chosen, c]) for b in blocked)
            or any(
                c in g.credentials
                or any(problem.items[c].skills.get(n.skill, 0) >= n.level for n in g.skills)
                for b in blocked
                for g in problem.items[b].prerequisites
            )
        ]
        if not unlockers:
            return None
        chosen.append(min(unlockers, key=lambda c: (getattr(problem.items[c], spend), c)))
    if not target_met(problem, chosen) or not within(problem, chosen, limits):
        return None
    ordered = orderable(problem, chosen)
    return ordered
