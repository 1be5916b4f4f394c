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

Decisions (documented once, here):

* Selection is an integer programme solved exactly by CP-SAT (one worker, fixed
  seed, a time limit that a plan never reaches in practice; ``optimal`` says so
  if it did). Objectives are lexicographic: ``cheapest`` = money, hours, count;
  ``fastest`` = hours, weeks, money, count; ``recognized`` = credentials employers
  ask for, recognition records (accreditation and regulatory weigh most), money,
  hours; ``balanced`` = normalised money + hours + weeks, less recognition and the
  impact of the gaps closed (distance to the level, doubled when essential).
  Preferred providers break the remaining ties.
* Scheduling: sequential, each credential at up to the weekly capacity (see
  ``filters.py``); high-impact steps first among those whose prerequisites are met.
  The deadline is checked on that schedule.
* Against overload, a step must count towards a requirement, close a role skill
  gap, be asked for by the role's employers, or meet a prerequisite of a later step.
* A role's asked credentials are a bonus, never mandatory: ``recognized`` adds
  them when they fit the constraints; ``balanced`` prefers them among credentials
  that close the same gaps but never adds one for that alone; ``cheapest`` and
  ``fastest`` ignore them.
* Only verified holdings count. A held credential is never planned again, even
  when it is too old for a recency window (the plan then says it does not count).
* Award fees of a qualification count in the cost and the budget. Prices in
  several currencies are added unconverted (a note says so).
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
