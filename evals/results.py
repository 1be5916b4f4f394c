"""Case and suite results: pass rates, Wilson intervals, flaky repeats, the run's JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from evals.judging import Calibration, Exchange, skipped, suite_judges


@dataclass
class CaseResult:
    """One case's outcome over all repeats."""

    suite: str
    id: str
    kind: str
    tags: list[str]
    passed: bool
    runs: int
    passes: int
    flaky: bool
    problems: list[str]
    latency_ms: list[float]
    question: str = ""
    answer: str = ""
    citations: list[str] = field(default_factory=list)
    expect: Any = None
    metrics: dict[str, float] = field(default_factory=dict)
    #: What the judges read (ask answers, conversation turns); not part of the report.
    exchanges: list[Exchange] = field(default_factory=list)
    judges: dict[str, float] = field(default_factory=dict)
    judge_errors: list[str] = field(default_factory=list)

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.passes, self.runs)

    def to_json(self) -> dict[str, Any]:
        low, high = self.interval
        return {
            "suite": self.suite,
            "id": self.id,
            "kind": self.kind,
            "tags": self.tags,
            "passed": self.passed,
            "flaky": self.flaky,
            "runs": self.runs,
            "passes": self.passes,
            "pass_rate_interval": [round(low, 4), round(high, 4)],
            "problems": self.problems,
            "latency_ms": [round(x, 2) for x in self.latency_ms],
            "question": self.question,
            "answer": self.answer,
            "citations": self.citations,
            "expect": self.expect,
            "metrics": self.metrics,
            "judges": {k: round(v, 4) for k, v in self.judges.items()},
            "judge_errors": self.judge_errors,
        }


def wilson(passes: int, runs: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for a pass rate (95 % by default)."""
    if runs == 0:
        return (0.0, 1.0)
    p = passes / runs
    denominator = 1 + z * z / runs
    centre = (p + z * z / (2 * runs)) / denominator
    half = z * math.sqrt(p * (1 - p) / runs + z * z / (4 * runs * runs)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class SuiteResult:
    name: str
    path: str
    threshold: float
    cases: list[CaseResult]
    judge_thresholds: dict[str, float] = field(default_factory=dict)
    calibration: dict[str, Calibration] = field(default_factory=dict)

    @property
    def judges(self) -> dict[str, dict[str, Any]]:
        """Mean judge scores against the suite's thresholds (only calibrated judges gate)."""
        scored = [c.judges for c in self.cases if c.judges]
        return suite_judges(scored, self.judge_thresholds, self.calibration)

    @property
    def passed(self) -> int:
        return sum(1 for c in self.cases if c.passed)

    @property
    def pass_rate(self) -> float:
        return self.passed / len(self.cases) if self.cases else 1.0

    @property
    def met(self) -> bool:
        judged = all(j["met"] for j in self.judges.values())
        return self.pass_rate >= self.threshold and judged

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "threshold": self.threshold,
            "cases": len(self.cases),
            "passed": self.passed,
            "failed": len(self.cases) - self.passed,
            "flaky": sum(1 for c in self.cases if c.flaky),
            "pass_rate": round(self.pass_rate, 4),
            "threshold_met": self.met,
            "retrieval": retrieval_summary(self.cases),
            "judges": self.judges,
            "results": [c.to_json() for c in self.cases],
        }


def retrieval_summary(cases: list[CaseResult]) -> dict[str, float]:
    rows = [c.metrics for c in cases if c.kind == "retrieval"]
    if not rows:
        return {}
    keys = ("recall", "mrr", "ndcg")
    return {key: round(sum(r[key] for r in rows) / len(rows), 4) for key in keys}


def merge(runs: list[CaseResult]) -> CaseResult:
    """Fold repeats: a case passing some but not all runs is flaky (and not passed)."""
    first = runs[-1]
    passes = sum(r.passes for r in runs)
    first.runs = len(runs)
    first.passes = passes
    first.latency_ms = [x for r in runs for x in r.latency_ms]
    first.flaky = 0 < passes < len(runs)
    first.passed = passes == len(runs)
    if first.flaky:
        failed = next(r for r in runs if not r.passed)
        first.problems = [f"flaky: passed {passes}/{len(runs)}", *failed.problems]
    return first


def summary(results: list[SuiteResult], judges: dict[str, Any] | None = None) -> dict[str, Any]:
    """The run's JSON: {"cases", "passed", "failed", "pass_rate", "judges", "suites": [...]}."""
    cases = sum(len(s.cases) for s in results)
    passed = sum(s.passed for s in results)
    return {
        "cases": cases,
        "passed": passed,
        "failed": cases - passed,
        "pass_rate": round(passed / cases, 4) if cases else 1.0,
        "thresholds_met": all(s.met for s in results),
        "judges": judges if judges is not None else skipped("judges were not run"),
        "suites": [s.to_json() for s in results],
    }
