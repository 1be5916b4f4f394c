"""Stacking planner: the best sequence of credentials to reach a goal, and why.

Pure functions: a catalogue, a request and a learner profile in; a plan out.

* ``PlanRequest``: target, constraints, objective (``request.py``);
* ``make_plan``: exact selection with CP-SAT (``model.py``), a sequential
  schedule (``schedule.py``), reasons and coverage (``explain.py``), and for an
  infeasible request the smallest relaxation (``relax.py``);
* ``resolve_target``: text -> candidate target ids (``resolve.py``);
* ``check_plan``: an independent checker of every rule (``check.py``);
* ``greedy`` and ``exhaustive``: baselines for the benchmark and tests;
* ``picture``: the pathway as SVG or PNG.
"""

from coach.planner.plan import make_plan
from coach.planner.request import DEFAULT_HOURS_PER_WEEK, Objective, PlanRequest
from coach.planner.resolve import TargetCandidate, resolve_target
from coach.planner.result import (
    Alternative,
    Counted,
    PlanResult,
    PlanStep,
    Relaxation,
    Requirement,
    Totals,
)

__all__ = [
    "DEFAULT_HOURS_PER_WEEK",
    "Alternative",
    "Counted",
    "Objective",
    "PlanRequest",
    "PlanResult",
    "PlanStep",
    "Relaxation",
    "Requirement",
    "TargetCandidate",
    "Totals",
    "make_plan",
    "resolve_target",
]
