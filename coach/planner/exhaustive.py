"""Exhaustive search over every subset of the candidates (small instances only).

The reference optimum for tests and the benchmark: exponential, so it refuses
problems with more than ``MAX_ITEMS`` candidates.
"""

from __future__ import annotations

import itertools

from coach.planner.evaluate import key, orderable, target_met, within
from coach.planner.model import Limits
from coach.planner.problem import Problem

MAX_ITEMS = 14


def exhaustive(problem: Problem, objective: str, limits: Limits) -> list[str] | None:
    """The best selection for ``cheapest`` or ``fastest``, or None when nothing fits."""
    ids = sorted(problem.items)
    if len(ids) > MAX_ITEMS:
        raise ValueError(f"{len(ids)} candidates is too many for exhaustive search")
    best: list[str] | None = None
    best_key: tuple[float, ...] | None = None
    for size in range(len(ids) + 1):
        for subset in itertools.combinations(ids, size):
            if not within(problem, subset, limits):
                continue
            if not target_met(problem, subset) or orderable(problem, subset) is None:
                continue
            value = key(problem, subset, objective)
            if best_key is None or value < best_key:
                best, best_key = list(subset), value
    return best
