"""Why no plan fits, and the smallest single change to the request that makes one fit.

Each relaxation is found by solving the relaxed problem: the cheapest plan that
meets every other constraint gives the budget needed, the shortest gives the
weeks, the smallest the number of credentials; the hours per week needed come
from a search over capacities (feasibility only grows with capacity).
"""

from __future__ import annotations

import datetime as dt

from coach.planner.model import Limits, solve
from coach.planner.problem import Problem, build_problem
from coach.planner.request import PlanRequest
from coach.profile import Profile
from knowledge.schema import Catalogue

#: Marks a relaxation that only works combined with the other marked ones.
TOGETHER = " (together)"
_FILTERS = ("modality", "language", "country", "providers_avoid")
_MAX_HOURS_PER_WEEK = 112


def limits_of(request: PlanRequest) -> Limits:
    return Limits(request.budget, request.weeks, request.max_credentials)


def _feasible(problem: Problem | None, limits: Limits) -> bool:
    return problem is not None and solve(problem, "", limits, stages=()) is not None


def _fmt(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def diagnose(
    catalogue: Catalogue,
    request: PlanRequest,
    profile: Profile,
    problem: Problem,
    *,
    today: dt.date,
) -> tuple[str, list[str], list[tuple[str, str, str]]]:
    """(reason, blocking constraints, relaxations as (constraint, current, needed))."""
    free = Limits()
    if not _feasible(problem, free):
        return _filters_or_structure(catalogue, request, profile, today=today)
    limits = limits_of(request)
    relaxations: list[tuple[float, str, str, str]] = []
    if request.budget is not None:
        best = solve(
            problem, "", Limits(None, limits.weeks, limits.max_credentials), stages=("cost",)
        )
        if best is not None:
            needed = sum(problem.items[c].cost for c in best.chosen) + problem.award_fee
            ratio = needed / request.budget if request.budget else needed + 1
            relaxations.append((ratio, "budget", _fmt(request.budget), _fmt(round(needed, 2))))
    if request.weeks is not None:
        best = solve(
            problem, "", Limits(limits.budget, None, limits.max_credentials), stages=("weeks",)
        )
        if best is not None:
            needed_weeks = sum(problem.items[c].weeks for c in best.chosen)
            ratio = needed_weeks / request.weeks if request.weeks else needed_weeks + 1
            relaxations.append((ratio, "weeks", _fmt(request.weeks), _fmt(needed_weeks)))
    if request.max_credentials is not None:
        best = solve(problem, "", Limits(limits.budget, limits.weeks, None), stages=("count",))
        if best is not None:
            count = len(best.chosen)
            ratio = count / request.max_credentials if request.max_credentials else count + 1
            relaxations.append(
                (ratio, "max credentials", _fmt(request.max_credentials), _fmt(count))
            )
    hours = _hours_needed(catalogue, request, profile, today=today)
    if hours is not None and request.hours_per_week is not None:
        relaxations.append(
            (
                hours / request.hours_per_week,
                "hours per week",
                _fmt(request.hours_per_week),
                _fmt(hours),
            )
        )
    relaxations.sort(key=lambda r: (r[0], r[1]))
    if relaxations:
        blocking = [r[1] for r in relaxations]
        first = relaxations[0]
        reason = (
            f"no plan fits the {', '.join(blocking)} constraint(s) together; the smallest single "
            f"change that makes one fit: {first[1]} {first[2]} -> {first[3]}"
        )
        return reason, blocking, [(r[1], r[2], r[3]) for r in relaxations]
    cheapest = solve(problem, "cheapest", free)
    combined: list[tuple[str, str, str]] = []
    if cheapest is not None:
        cost = sum(problem.items[c].cost for c in cheapest.chosen) + problem.award_fee
        weeks = sum(problem.items[c].weeks for c in cheapest.chosen)
        if request.budget is not None and cost > request.budget:
            combined.append(("budget", _fmt(request.budget), _fmt(round(cost, 2))))
        if request.weeks is not None and weeks > request.weeks:
            combined.append(("weeks", _fmt(request.weeks), _fmt(weeks)))
        if request.max_credentials is not None and len(cheapest.chosen) > request.max_credentials:
            combined.append(
                ("max credentials", _fmt(request.max_credentials), _fmt(len(cheapest.chosen)))
            )
    text = ", ".join(f"{c} {a} -> {b}" for c, a, b in combined)
    reason = (
        "no single change is enough; together: " + text
        if text
        else "the limits together block every plan"
    )
    return reason, [c for c, _, _ in combined], [(c, a, b + TOGETHER) for c, a, b in combined]


def _hours_needed(
    catalogue: Catalogue, request: PlanRequest, profile: Profile, *, today: dt.date
) -> float | None:
    """Smallest whole number of hours per week above the current one that fits, if any."""
    if request.hours_per_week is None:
        return None  # no stated capacity: it blocks nothing
    low = int(request.hours_per_week)  # infeasible at the current capacity
    high = _MAX_HOURS_PER_WEEK

    def fits(hours: int) -> bool:
        relaxed = request.model_copy(update={"hours_per_week": float(hours)})
        problem = build_problem(catalogue, relaxed, profile, today=today)
        return _feasible(problem, limits_of(relaxed))

    if not fits(high):
        return None
    while high - low > 1:
        mid = (low + high) // 2
        if fits(mid):
            high = mid
        else:
            low = mid
    return float(high)


def _filters_or_structure(
    catalogue: Catalogue, request: PlanRequest, profile: Profile, *, today: dt.date
) -> tuple[str, list[str], list[tuple[str, str, str]]]:
    lifted = {"modality": None, "language": None, "country": None, "providers_avoid": ()}
    open_request = request.model_copy(update={**lifted, "hours_per_week": None})
    open_problem = build_problem(catalogue, open_request, profile, today=today)
    if open_problem is None or not _feasible(open_problem, Limits()):
        reason = _structural(catalogue, open_problem) if open_problem else "unknown target"
        return reason, ["target rules"], []
    relaxations: list[tuple[str, str, str]] = []
    for name in (*_FILTERS, "hours_per_week"):
        current = getattr(request, name)
        if name != "hours_per_week" and not current:
            continue
        if name == "hours_per_week":
            hours = _hours_needed(catalogue, request, profile, today=today)
            if hours is not None:
                relaxations.append(("hours per week", _fmt(current), _fmt(hours)))
            continue
        relaxed = request.model_copy(update={name: lifted[name]})
        problem = build_problem(catalogue, relaxed, profile, today=today)
        if _feasible(problem, limits_of(relaxed)):
            shown = ",".join(current) if isinstance(current, tuple) else str(current)
            relaxations.append((name.replace("_", " "), shown, "any"))
    if relaxations:
        first = relaxations[0]
        reason = (
            "no credential that fits your filters can complete the target; smallest change: "
            f"{first[0]} {first[1]} -> {first[2]}"
        )
        return reason, [r[0] for r in relaxations], relaxations
    return (
        "your filters together leave no way to complete the target; lift several of them",
        list(_FILTERS),
        [],
    )


def _structural(catalogue: Catalogue, problem: Problem) -> str:
    """Name the requirement nothing in the catalogue can meet."""
    if problem.kind == "role":
        teachers = {
            gap.skill: [
                c for c in problem.items.values() if c.skills.get(gap.skill, 0) >= gap.level
            ]
            for gap in problem.gaps
        }
        missing = [g for g in problem.gaps if not teachers[g.skill]]
        if missing:
            names = ", ".join(
                f"{catalogue.skills[g.skill].name if g.skill in catalogue.skills else g.skill} "
                f"at level {g.level}"
                for g in missing
            )
            return f"no credential in the catalogue teaches {names}"
        blocked = [
            f"{c.id} (for {g.skill}) {why}"
            for g in problem.gaps
            for c in teachers[g.skill][:1]
            if (why := _blocked_by(catalogue, problem, c.id))
        ]
        if blocked:
            return "the credentials that close the gaps cannot be taken: " + "; ".join(blocked)
        return "the credentials that close the skill gaps have prerequisites nobody can meet"
    problems = []
    for slot in problem.slots:
        if slot.kind == "required":
            cid = slot.members[0]
            held = problem.held.get(cid)
            if held is not None and not held.counts:
                problems.append(f"required {cid} is held but does not count ({held.why_not})")
            elif cid not in problem.items and cid not in problem.held:
                problems.append(f"required {cid} cannot be taken (unknown or below the level)")
            elif cid in problem.items and (why := _blocked_by(catalogue, problem, cid)):
                problems.append(f"required {cid} cannot be taken: {why}")
        elif slot.kind == "pool":
            usable = [m for m in slot.members if problem.available(m)]
            if len(usable) < slot.min_count:
                problems.append(
                    f"pool {slot.id[5:]} has only {len(usable)} usable credential(s), "
                    f"needs {slot.min_count}"
                )
    if problems:
        return "; ".join(problems)
    return (
        "the stacking rules cannot be met with the catalogue's credentials "
        "(credits, transfer cap or prerequisites)"
    )


def _blocked_by(catalogue: Catalogue, problem: Problem, cid: str) -> str:
    """Why a credential's prerequisites cannot be met at all ('' when they might be)."""
    item = problem.items.get(cid)
    if item is None:
        return ""
    for group in item.prerequisites:
        possible = 0
        missing = []
        for dep in group.credentials:
            if dep in problem.held or dep in problem.items:
                possible += 1
            else:
                missing.append(f"{dep}, which cannot be taken")
        for need in group.skills:
            taught = any(
                other.skills.get(need.skill, 0) >= need.level
                for other in problem.items.values()
                if other.id != cid
            )
            if problem.skill_levels.get(need.skill, 0) >= need.level or taught:
                possible += 1
            else:
                skill = catalogue.skills.get(need.skill)
                name = skill.name if skill is not None else need.skill
                missing.append(f"{name} at level {need.level}, which no credential teaches")
        if possible < group.required_count:
            return "its prerequisites need " + " and ".join(missing)
    return ""
