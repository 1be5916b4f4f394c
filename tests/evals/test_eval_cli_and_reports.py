"""Runner, CLI exit codes, reports, flaky detection and generated suites."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import evals.cli
from bots.cli.app import app
from evals.report import diff, junit, render_html
from evals.runner import CaseResult, Environment, Runner, merge, run_once, summary, wilson
from evals.suite import Suite, SuiteError, load_suite
from knowledge.embedding import HashingEmbedder

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "knowledge" / "data" / "demo"


@pytest.fixture(autouse=True)
def _cheap_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evals.cli, "make_embedder", lambda settings: HashingEmbedder())
    monkeypatch.setenv("COACH_CATALOGUE", str(DEMO))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "suite.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_schema_error_exits_2_with_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        f"name: broken\ncatalogue: {DEMO}\ncases:\n  - id: a\n    kind: ask\n"
        "    question: hi\n  - id: b\n    kind: teleport\n    question: hi\n",
    )
    with pytest.raises(SuiteError) as caught:
        load_suite(path)
    assert caught.value.line == 8
    result = CliRunner().invoke(app, ["eval", "run", str(path)])
    assert result.exit_code == 2
    assert "suite.yaml:8" in result.output
    assert "Traceback" not in result.output


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: x\ncases:\n  - id: [unclosed\n")
    with pytest.raises(SuiteError) as caught:
        load_suite(path)
    assert caught.value.line >= 3


def test_threshold_miss_exits_1_and_met_exits_0(tmp_path: Path) -> None:
    failing = _write(
        tmp_path,
        f"name: strict\nthreshold: 1.0\ncatalogue: {DEMO}\ncases:\n"
        "  - {id: a, kind: ask, question: hi, expect: {intent: greeting}}\n"
        "  - {id: b, kind: ask, question: hi, expect: {intent: plan}}\n",
    )
    result = CliRunner().invoke(app, ["eval", "run", str(failing), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["cases"], data["passed"], data["failed"]) == (2, 1, 1)
    assert data["pass_rate"] == 0.5
    failing.write_text(failing.read_text().replace("threshold: 1.0", "threshold: 0.5"))
    assert CliRunner().invoke(app, ["eval", "run", str(failing), "--json"]).exit_code == 0


def test_wilson_interval_matches_the_formula() -> None:
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-3)
    assert high == pytest.approx(0.9433, abs=1e-3)
    assert wilson(0, 0) == (0.0, 1.0)


def _case(passed: bool) -> CaseResult:
    return CaseResult(
        "s", "c", "ask", [], passed, 1, int(passed), False, [] if passed else ["x"], [1.0]
    )


def test_a_case_passing_some_repeats_is_flaky_not_passed() -> None:
    merged = merge([_case(True), _case(False), _case(True)])
    assert merged.flaky
    assert not merged.passed
    assert (merged.passes, merged.runs) == (2, 3)
    assert merged.problems[0].startswith("flaky")
    steady = merge([_case(True), _case(True)])
    assert steady.passed
    assert not steady.flaky


def test_runner_marks_an_unstable_case_flaky(tmp_path: Path) -> None:
    path = _write(
        tmp_path, f"name: f\ncatalogue: {DEMO}\ncases:\n  - {{id: a, kind: ask, question: hi}}\n"
    )
    calls = iter(range(100))

    def alternate(env: Environment, suite: Suite, case: dict[str, Any]) -> CaseResult:
        result = run_once(env, suite, case)
        if next(calls) % 2:
            result.passed, result.passes, result.problems = False, 0, ["unlucky"]
        return result

    runner = Runner(
        HashingEmbedder(),
        default_catalogue=DEMO,
        workers=1,
        repeats=4,
        progress=False,
        run_case=alternate,
    )
    data = summary(runner.run([load_suite(path)]))
    case = data["suites"][0]["results"][0]
    assert case["flaky"]
    assert (case["runs"], case["passes"]) == (4, 2)


@pytest.fixture(scope="module")
def report_data() -> dict[str, Any]:
    suite = load_suite(ROOT / "evals" / "suites" / "demo_ask.yaml")
    suite.cases = [
        *suite.cases[:12],
        {
            "id": "evil",
            "kind": "ask",
            "question": "<script>alert(1)</script>",
            "expect": {"intent": "plan"},
        },
    ]
    runner = Runner(HashingEmbedder(), default_catalogue=DEMO, workers=2, progress=False)
    return summary(runner.run([suite]))


def test_junit_xml_is_well_formed(report_data: dict[str, Any]) -> None:
    root = ET.fromstring(junit(report_data))
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == report_data["cases"]
    assert any(case.find("failure") is not None for case in cases)


def test_html_report_is_self_contained_and_escaped(report_data: dict[str, Any]) -> None:
    page = render_html(report_data, diff(report_data, None))
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    assert "http://" not in page
    assert "https://" not in page
    assert "<svg" in page


def test_baseline_diff_reports_better_and_worse(report_data: dict[str, Any]) -> None:
    before = json.loads(json.dumps(report_data))
    results = before["suites"][0]["results"]
    flipped_good = next(c for c in results if c["passed"])
    flipped_good["passed"] = False  # it failed before: now better
    evil = next(c for c in results if c["id"] == "evil")
    evil["passed"] = True  # it passed before: now worse
    changes = diff(report_data, before)
    name = report_data["suites"][0]["name"]
    assert changes["better"] == [f"{name}/{flipped_good['id']}"]
    assert changes["worse"] == [f"{name}/evil"]


def test_generate_writes_a_suite_that_runs(tmp_path: Path) -> None:
    out = tmp_path / "generated.yaml"
    result = CliRunner().invoke(
        app, ["eval", "generate", "--catalogue", str(DEMO), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    suite = load_suite(out)
    suite.cases = [*suite.cases[:10], *suite.cases[-3:]]
    runner = Runner(HashingEmbedder(), default_catalogue=DEMO, workers=2, progress=False)
    data = summary(runner.run([suite]))
    assert data["cases"] == 13
    assert data["passed"] >= 8


def test_run_writes_all_three_reports(tmp_path: Path) -> None:
    path = _write(
        tmp_path, f"name: r\ncatalogue: {DEMO}\ncases:\n  - {{id: a, kind: ask, question: hi}}\n"
    )
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["eval", "run", str(path), "--report", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"report.json", "junit.xml", "report.html"}


def test_within_fails_a_case_that_cites_a_credential_outside_the_limits() -> None:
    from coach.answer import Answer, Citation
    from evals.checks import check_answer
    from knowledge.loading import load_catalogue

    catalogue = load_catalogue(DEMO)
    free_usd = next(c for c in catalogue.credentials.values() if c.price.amount == 0)
    dear = next(
        c
        for c in catalogue.credentials.values()
        if c.price.currency == "EUR" and c.price.amount > 500
    )

    def cited(*ids: str) -> Answer:
        return Answer(
            text="x", intent="search", citations=tuple(Citation(id=i, title=i) for i in ids)
        )

    limits = {"within": {"max_price": 100, "currency": "EUR"}}
    assert check_answer(cited(free_usd.id), limits, catalogue) == []  # free: within any limit
    problems = check_answer(cited(free_usd.id, dear.id), limits, catalogue)
    assert problems == [f"cites {dear.id!r}, outside the limits {limits['within']}"]
    mode = {"within": {"mode": "onsite"}}
    assert check_answer(cited(dear.id), mode, catalogue) == (
        []
        if dear.participation.mode == "onsite"
        else [f"cites {dear.id!r}, outside the limits {mode['within']}"]
    )


def test_cites_any_passes_when_one_of_the_good_answers_is_cited() -> None:
    from coach.answer import Answer, Citation
    from evals.checks import check_answer
    from knowledge.loading import load_catalogue

    catalogue = load_catalogue(DEMO)
    first, second, third = list(catalogue.credentials)[:3]
    answer = Answer(text="x", intent="search", citations=(Citation(id=second, title=second),))

    assert check_answer(answer, {"cites_any": [first, second]}, catalogue) == []
    assert check_answer(answer, {"cites_any": [first, third]}, catalogue) == [
        f"cites none of {[first, third]!r} (cited: {[second]!r})"
    ]
