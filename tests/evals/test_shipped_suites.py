"""CI gate: every shipped suite meets its threshold (deterministic mode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.runner import Runner, summary
from evals.suite import load_suite
from knowledge.embedding import HashingEmbedder

ROOT = Path(__file__).resolve().parents[2]
SUITES = sorted((ROOT / "evals" / "suites").glob("*.yaml"))


@pytest.fixture(scope="module")
def results() -> dict[str, object]:
    runner = Runner(
        HashingEmbedder(),
        default_catalogue=ROOT / "knowledge" / "data" / "demo",
        workers=2,
        progress=False,
    )
    return summary(runner.run([load_suite(path) for path in SUITES]))


def test_there_are_enough_shipped_cases(results: dict[str, object]) -> None:
    suites = {s["name"]: s for s in results["suites"]}  # type: ignore[attr-defined]
    kinds: dict[str, int] = {}
    for suite in suites.values():
        for case in suite["results"]:
            kinds[case["kind"]] = kinds.get(case["kind"], 0) + 1
    assert kinds.get("ask", 0) + kinds.get("conversation", 0) + kinds.get("plan", 0) >= 150
    assert kinds.get("safety", 0) >= 60
    assert kinds.get("retrieval", 0) >= 120


@pytest.mark.parametrize("path", SUITES, ids=lambda p: p.stem)
def test_shipped_suite_meets_its_threshold(results: dict[str, object], path: Path) -> None:
    suite = next(s for s in results["suites"] if s["path"] == str(path))  # type: ignore[attr-defined]
    failing = [f"{c['id']}: {c['problems']}" for c in suite["results"] if not c["passed"]]
    assert suite["threshold_met"], (
        f"{suite['name']} {suite['pass_rate']:.1%} < {suite['threshold']:.0%}\n"
        + "\n".join(failing)
    )
