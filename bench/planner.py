"""Planner benchmark: time per plan, and plan quality beside a greedy baseline.

* p95 time per ``make_plan`` (alternatives included) on the demo catalogue
  (target <= 100 ms) and on a generated 10,000-credential catalogue (<= 1 s);
* the greedy baseline on the same targets in the same run: the optimal plan is
  never worse, and the average improvement in cost and weeks;
* exhaustive search on small instances: the optimum matches.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from coach.planner import PlanRequest, make_plan
from coach.planner.evaluate import key
from coach.planner.exhaustive import MAX_ITEMS, exhaustive
from coach.planner.greedy import greedy
from coach.planner.model import Limits, solve
from coach.planner.problem import build_problem
from coach.profile import Profile
from knowledge.loading import load_catalogue
from knowledge.schema import Catalogue
from knowledge.synth import write_synthetic

RESULTS = Path(__file__).resolve().parent / "results"
DEMO = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "demo"
TODAY = dt.date(2026, 6, 1)
LEARNER = Profile(learner_id="bench")


def _p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _targets(catalogue: Catalogue, limit: int) -> list[str]:
    half = limit // 2
    return sorted(catalogue.qualifications)[:half] + sorted(catalogue.roles)[: limit - half]


def _timing(
    catalogue: Catalogue, targets: list[str], objectives: tuple[str, ...]
) -> dict[str, Any]:
    times: list[float] = []
    feasible = 0
    for target in targets:
        for objective in objectives:
            request = PlanRequest(target=target, objective=objective)
            started = time.perf_counter()
            result = make_plan(catalogue, request, LEARNER, today=TODAY)
            times.append(time.perf_counter() - started)
            feasible += result.feasible
    return {
        "plans": len(times),
        "feasible": feasible,
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else 0.0,
        "p95_ms": round(_p95(times) * 1000, 1),
        "max_ms": round(max(times, default=0.0) * 1000, 1),
    }


def _versus_greedy(
    catalogue: Catalogue, targets: list[str], objective: str = "cheapest"
) -> dict[str, Any]:
    """Optimal selection vs greedy under one objective: cost and weeks."""
    both = worse = greedy_failed = 0
    sums = {"opt_cost": 0.0, "greedy_cost": 0.0, "opt_weeks": 0.0, "greedy_weeks": 0.0}
    sums.update({"opt_hours": 0.0, "greedy_hours": 0.0})
    opt_times: list[float] = []
    greedy_times: list[float] = []
    for target in targets:
        problem = build_problem(catalogue, PlanRequest(target=target), LEARNER, today=TODAY)
        if problem is None:
            continue
        started = time.perf_counter()
        best = solve(problem, objective, Limits())
        opt_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        base = greedy(problem, objective, Limits())
        greedy_times.append(time.perf_counter() - started)
        if best is None:
            continue
        if base is None:
            greedy_failed += 1
            continue
        both += 1
        for who, chosen in (("opt", best.chosen), ("greedy", base)):
            sums[f"{who}_cost"] += sum(problem.items[c].cost for c in chosen)
            sums[f"{who}_weeks"] += sum(problem.items[c].weeks for c in chosen)
            sums[f"{who}_hours"] += sum(problem.items[c].hours for c in chosen)
        if key(problem, best.chosen, objective) > key(problem, base, objective):
            worse += 1

    def gain(what: str) -> float:
        base_total = sums[f"greedy_{what}"]
        return (
            round((base_total - sums[f"opt_{what}"]) / base_total * 100, 2) if base_total else 0.0
        )

    return {
        "objective": objective,
        "targets": len(targets),
        "both_feasible": both,
        "optimal_worse_than_greedy": worse,
        "greedy_found_no_plan_where_optimal_did": greedy_failed,
        # over the targets both planners solve: how much less the optimal plans need in all
        "cost_improvement_pct": gain("cost"),
        "weeks_improvement_pct": gain("weeks"),
        "hours_improvement_pct": gain("hours"),
        "avg_cost_saved_per_plan": round((sums["greedy_cost"] - sums["opt_cost"]) / both, 2)
        if both
        else 0.0,
        "avg_weeks_saved_per_plan": round((sums["greedy_weeks"] - sums["opt_weeks"]) / both, 2)
        if both
        else 0.0,
        "selection_p95_ms": round(_p95(opt_times) * 1000, 1),
        "greedy_p95_ms": round(_p95(greedy_times) * 1000, 1),
    }


def _versus_exhaustive(catalogue: Catalogue) -> dict[str, Any]:
    cases = matches = 0
    for target in sorted(catalogue.qualifications) + sorted(catalogue.roles):
        for objective in ("cheapest", "fastest"):
            request = PlanRequest(target=target, objective=objective)
            problem = build_problem(catalogue, request, LEARNER, today=TODAY)
            if problem is None or len(problem.items) > min(MAX_ITEMS, 12):
                continue
            cases += 1
            best = solve(problem, objective, Limits())
            reference = exhaustive(problem, objective, Limits())
            if best is None or reference is None:
                matches += best is None and reference is None
                continue
            matches += key(problem, best.chosen, objective) == key(problem, reference, objective)
    return {"cases": cases, "optimum_matches": matches}


def run() -> dict[str, Any]:
    result: dict[str, Any] = {}
    demo = load_catalogue(DEMO) if (DEMO / "catalogue.yaml").exists() else None
    targets = sorted(demo.qualifications) + sorted(demo.roles) if demo is not None else []
    if demo is not None and targets:
        result["demo"] = _timing(demo, targets, ("cheapest", "fastest", "recognized", "balanced"))
        result["demo"]["target_p95_ms"] = 100
        result["demo_vs_greedy"] = _versus_greedy(demo, targets)
        result["demo_vs_greedy_fastest"] = _versus_greedy(demo, targets, "fastest")
    else:
        result["demo"] = {"skipped": "knowledge/data/demo has no qualifications or roles yet"}
    with tempfile.TemporaryDirectory() as folder:
        write_synthetic(Path(folder) / "big", 10_000, seed=3)
        big = load_catalogue(Path(folder) / "big")
        write_synthetic(Path(folder) / "small", 60, seed=5)
        small = load_catalogue(Path(folder) / "small")
    targets = _targets(big, 40)
    result["generated_10k"] = _timing(big, targets, ("cheapest",))
    result["generated_10k"]["target_p95_ms"] = 1000
    result["generated_10k_vs_greedy"] = _versus_greedy(big, targets)
    result["generated_10k_vs_greedy_fastest"] = _versus_greedy(big, targets, "fastest")
    result["small_vs_exhaustive"] = _versus_exhaustive(small)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "planner.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
