"""Orders the chosen credentials and lays them on a week-by-week timeline.

Model: one credential at a time, in an order that respects every prerequisite
edge; among the credentials ready to start, the one with the highest impact on
the target (its own, or that of what it unlocks) goes first, so the learner's
time goes to high-impact skills early. Each takes ``Item.weeks`` weeks at
``hours / weeks`` hours a week, never above the learner's capacity.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from coach.planner.problem import Problem


@dataclass(frozen=True)
class Placed:
    id: str
    start_week: int
    end_week: int
    hours_per_week: float


def impact_of(problem: Problem, cid: str) -> int:
    """How much one credential moves the learner towards the target on its own."""
    item = problem.items[cid]
    if problem.kind == "role":
        score = sum(
            gap.impact for gap in problem.gaps if item.skills.get(gap.skill, 0) >= gap.level
        )
        return score + (1 if cid in problem.asked else 0)
    score = 0
    for slot in problem.slots:
        if cid in slot.members:
            score = max(score, {"required": 3, "pool": 2}.get(slot.kind, 1))
    return score


def order(problem: Problem, chosen: list[str], edges: list[tuple[str, str]]) -> list[str]:
    """A topological order of ``chosen`` (edges: before -> after), high impact first."""
    members = set(chosen)
    after: dict[str, list[str]] = {cid: [] for cid in chosen}
    indegree = dict.fromkeys(chosen, 0)
    for before, later in edges:
        if before in members and later in members:
            after[before].append(later)
            indegree[later] += 1
    # priority: the best impact reachable through what this credential unlocks
    priority: dict[str, int] = {}

    def reach(cid: str, trail: frozenset[str]) -> int:
        if cid in priority:
            return priority[cid]
        best = impact_of(problem, cid)
        for nxt in after[cid]:
            if nxt not in trail:
                best = max(best, reach(nxt, trail | {cid}))
        priority[cid] = best
        return best

    for cid in chosen:
        reach(cid, frozenset())
    ready = [(-priority[c], c) for c in chosen if indegree[c] == 0]
    heapq.heapify(ready)
    result: list[str] = []
    while ready:
        _, cid = heapq.heappop(ready)
        result.append(cid)
        for nxt in after[cid]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                heapq.heappush(ready, (-priority[nxt], nxt))
    if len(result) != len(chosen):  # a cycle cannot come out of the solver; be loud if it does
        raise ValueError("prerequisite edges of the plan form a cycle")
    return result


def timeline(problem: Problem, ordered: list[str]) -> list[Placed]:
    """Sequential weeks from week 1."""
    placed: list[Placed] = []
    week = 1
    for cid in ordered:
        item = problem.items[cid]
        end = week + item.weeks - 1
        placed.append(Placed(cid, week, end, round(item.hours / item.weeks, 2)))
        week = end + 1
    return placed
