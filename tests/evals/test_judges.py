"""Language-model judges in ``coach eval run``: calibration (kappa), scores, gating, replay.

The model is the OpenAI-compatible fake server on loopback, talked to by the real
client; its judge behaviour is a rule that reads the judge prompt (below). Coach
requests get the fake's default reply.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import evals.cli
from bots.cli.app import app
from coach.llm.client import OpenAIChatClient
from evals.judges.judge import load_calibration
from evals.judging import JudgePanel
from knowledge.embedding import HashingEmbedder
from tests.fixtures.fake_openai import FakeOpenAI, Reply, serve_fake_openai

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "knowledge" / "data" / "demo"

_BLOCK = re.compile(r"<<<(QUESTION|ANSWER|RECORDS)\n(.*?)\n\1>>>", re.S)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+")
_STOP = {"what", "which", "does", "that", "this", "with", "from", "have", "about", "tell"}
_DECLINE = ("can't", "cannot", "outside", "not in the catalogue")


def _stems(text: str) -> set[str]:
    """Content-word stems (first five letters), so 'endorse' meets 'endorsement'."""
    return {w[:5] for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _STOP}


def _relevant(question: str, answer: str) -> bool:
    lowered = answer.lower()
    if any(marker in lowered for marker in _DECLINE) or re.match(r"(yes|no)\b", lowered):
        return True
    asks_amount = question.lower().startswith(("how long", "how much", "how many"))
    if asks_amount and _NUMBER.search(answer):
        return True
    return bool(_stems(question) & _stems(answer))


def rule_judge(body: dict[str, Any]) -> Reply | None:
    """A deterministic judge: numbers and names must come from the records; words must overlap.

    Faithfulness: every number and every capitalised name (not starting a sentence) in
    the answer appears in the records. Relevance: the answer declines, says yes or no,
    gives a number to a how-long/how-much question, or shares a content-word stem with
    the question. Requests that are not judge prompts: None.
    """
    messages = body.get("messages", [])
    system = next((m["content"] for m in messages if m["role"] == "system"), "")
    if not system.startswith("You grade a learning coach's answer"):
        return None
    blocks = dict(_BLOCK.findall(messages[-1]["content"]))
    question, answer, records = (blocks.get(k, "") for k in ("QUESTION", "ANSWER", "RECORDS"))
    if "supported by the RECORDS" in system:
        numbers_ok = set(_NUMBER.findall(answer)) <= set(_NUMBER.findall(records))
        names_ok = all(name.lower() in records.lower() for name in _NAME.findall(answer))
        verdict = numbers_ok and names_ok
    else:
        verdict = _relevant(question, answer)
    return Reply(content="yes" if verdict else "no")


def always(word: str) -> Callable[[dict[str, Any]], Reply | None]:
    """A judge that ignores the prompt (chance-level agreement: kappa 0)."""

    def respond(body: dict[str, Any]) -> Reply | None:
        system = body["messages"][0]["content"]
        return Reply(content=word) if system.startswith("You grade") else None

    return respond


def _configure(monkeypatch: pytest.MonkeyPatch, server: FakeOpenAI) -> None:
    """Point the coach's model settings at ``server``."""
    monkeypatch.setenv("COACH_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("COACH_LLM_MODEL", "fake-judge")
    monkeypatch.setenv("COACH_LLM_TIMEOUT_SECONDS", "5")


@pytest.fixture(autouse=True)
def _cheap_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evals.cli, "make_embedder", lambda settings: HashingEmbedder())
    monkeypatch.setenv("COACH_CATALOGUE", str(DEMO))


@pytest.fixture
def judge_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """A private fake model, configured as the coach's model."""
    with serve_fake_openai() as server:
        _configure(monkeypatch, server)
        yield server


def _client(server: FakeOpenAI) -> OpenAIChatClient:
    return OpenAIChatClient(model="fake-judge", base_url=server.base_url, api_key="k", timeout=5)


SUITE = """name: judged
catalogue: {demo}
judges: {{faithfulness: 0.8{extra}}}
cases:
  - id: price
    kind: ask
    question: How much is SQL for Data Analysts?
  - {{id: export, kind: ask, question: export my data}}
  - id: talk
    kind: conversation
    turns:
      - say: hi
      - say: Is Nordvale University accredited?
  - {{id: plan, kind: plan, request: {{target: qual-nordvale-cert-data-analytics}}}}
"""


def _suite(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "judged.yaml"
    path.write_text(SUITE.format(demo=DEMO, extra=extra), encoding="utf-8")
    return path


def test_calibration_set_has_at_least_30_labels_per_judge_with_both_answers() -> None:
    items = load_calibration()
    for metric in ("faithfulness", "relevance"):
        labels = [i["labels"][metric] for i in items if metric in i["labels"]]
        assert len(labels) >= 30
        assert {"yes", "no"} <= set(labels)


def test_rule_judge_agrees_with_the_human_labels_beyond_the_floor(
    judge_server: FakeOpenAI,
) -> None:
    judge_server.responder = rule_judge
    panel = JudgePanel(_client(judge_server), kappa_floor=0.6)
    found = panel.calibrate()
    assert found["faithfulness"].items == found["relevance"].items == len(load_calibration())
    # The rule misses some human "no"s (negations, wrong lists): good, not perfect.
    assert 0.6 <= found["faithfulness"].kappa < 1.0
    assert 0.6 <= found["relevance"].kappa < 1.0
    assert found["faithfulness"].calibrated
    assert found["relevance"].calibrated
    judge_server.responder = always("yes")
    blind = JudgePanel(_client(judge_server), kappa_floor=0.6).calibrate()
    assert blind["faithfulness"].kappa == pytest.approx(0.0)
    assert not blind["faithfulness"].calibrated


def test_eval_run_scores_answers_reports_kappa_and_replays_with_the_server_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite, calls, report = _suite(tmp_path), tmp_path / "calls.jsonl", tmp_path / "report"
    args = ["eval", "run", str(suite), "--json", "--workers", "2"]
    with serve_fake_openai() as server:
        server.responder = rule_judge
        _configure(monkeypatch, server)
        first = CliRunner().invoke(app, [*args, "--record", str(calls), "--report", str(report)])
    # The server is stopped now: anything the rerun asks it would fail.
    assert first.exit_code in (0, 1), first.output
    data = json.loads(first.stdout)
    section = data["judges"]
    assert section["status"] == "scored"
    assert section["calibration"]["faithfulness"]["calibrated"] is True
    assert section["calibration"]["faithfulness"]["items"] >= 30
    results = {c["id"]: c for c in data["suites"][0]["results"]}
    for case_id in ("price", "export", "talk"):
        assert set(results[case_id]["judges"]) == {"faithfulness", "relevance"}, case_id
        assert results[case_id]["judge_errors"] == []
    assert results["plan"]["judges"] == {}  # plans are checked by rules, not judged
    judged = data["suites"][0]["judges"]
    assert judged["faithfulness"]["cases"] == 3
    assert judged["faithfulness"]["gating"] is True
    judge_requests = [r for r in server.requests if "You grade" in json.dumps(r)]
    # Calibration of both judges, then both judges on 1 + 1 + 2 answers.
    assert len(judge_requests) == 2 * len(load_calibration()) + 2 * 4

    junit = ET.parse(report / "junit.xml").getroot()
    props = {p.get("name"): p.get("value") for p in junit.iter("property")}
    assert props["judges.status"] == "scored"
    kappa = section["calibration"]["faithfulness"]["kappa"]
    assert float(props["judges.faithfulness.kappa"]) == kappa
    assert any(tc.get("name") == "faithfulness" for tc in junit.iter("testcase"))
    page = (report / "report.html").read_text(encoding="utf-8")
    assert "Cohen&#x27;s kappa" in page or "Cohen's kappa" in page
    assert json.loads((report / "report.json").read_text())["judges"] == section

    asked = len(server.requests)
    again = CliRunner().invoke(app, [*args, "--replay", str(calls)])
    assert again.exit_code == first.exit_code, again.output
    assert len(server.requests) == asked
    replayed = json.loads(again.stdout)
    assert replayed["judges"] == section
    pairs = zip(data["suites"][0]["results"], replayed["suites"][0]["results"], strict=True)
    for was, now in pairs:
        assert (now["id"], now["answer"], now["judges"]) == (
            was["id"],
            was["answer"],
            was["judges"],
        )
        assert now["judge_errors"] == []


def test_a_calibrated_judge_below_its_threshold_fails_the_suite(
    judge_server: FakeOpenAI, tmp_path: Path
) -> None:
    judge_server.responder = rule_judge
    # The fake coach answers "Hello from the fake model." to questions: relevant to none.
    suite = _suite(tmp_path, extra=", relevance: 0.9")
    result = CliRunner().invoke(app, ["eval", "run", str(suite), "--json"])
    data = json.loads(result.stdout)
    relevance = data["suites"][0]["judges"]["relevance"]
    assert relevance["gating"]
    assert not relevance["met"]
    assert relevance["score"] < 0.9
    assert result.exit_code == 1
    assert data["suites"][0]["threshold_met"] is False


def test_an_uncalibrated_judge_is_reported_and_does_not_gate(
    judge_server: FakeOpenAI, tmp_path: Path
) -> None:
    judge_server.responder = always("no")
    suite = _suite(tmp_path, extra=", relevance: 0.9")
    result = CliRunner().invoke(
        app, ["eval", "run", str(suite), "--json", "--report", str(tmp_path / "r")]
    )
    data = json.loads(result.stdout)
    cal = data["judges"]["calibration"]
    assert cal["faithfulness"]["calibrated"] is False
    assert cal["faithfulness"]["kappa"] == pytest.approx(0.0)
    judged = data["suites"][0]["judges"]
    assert judged["faithfulness"]["score"] == 0.0
    assert judged["faithfulness"]["gating"] is False
    assert judged["faithfulness"]["met"] is True
    suite_ok = data["suites"][0]["pass_rate"] >= data["suites"][0]["threshold"]
    assert data["suites"][0]["threshold_met"] is suite_ok  # judges took no part
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "uncalibrated: does not gate" in page


def test_without_a_model_judges_are_skipped_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evals.cli, "make_embedder", lambda settings: HashingEmbedder())
    monkeypatch.setenv("COACH_LLM", "none")
    suite = _suite(tmp_path)
    result = CliRunner().invoke(
        app, ["eval", "run", str(suite), "--json", "--report", str(tmp_path / "r")]
    )
    data = json.loads(result.stdout)
    assert data["judges"]["status"] == "skipped"
    assert "COACH_LLM=none" in data["judges"]["reason"]
    assert all(c["judges"] == {} for c in data["suites"][0]["results"])
    assert data["suites"][0]["judges"]["faithfulness"]["gating"] is False
    assert result.exit_code == (0 if data["suites"][0]["pass_rate"] >= 1.0 else 1)
    junit = (tmp_path / "r" / "junit.xml").read_text(encoding="utf-8")
    assert 'name="judges.status" value="skipped"' in junit
    human = CliRunner().invoke(app, ["eval", "run", str(suite)])
    assert "judges: skipped (no language model configured (COACH_LLM=none))" in human.output
    forced = CliRunner().invoke(app, ["eval", "run", str(suite), "--judges"])
    assert forced.exit_code == 2
    assert "--judges needs a language model" in forced.output


def test_a_threshold_for_an_unknown_judge_is_a_broken_suite(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        f"name: bad\ncatalogue: {DEMO}\njudges: {{fluency: 0.5}}\ncases: []\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["eval", "run", str(path)])
    assert result.exit_code == 2
    assert "bad.yaml:3" in result.output
    assert "fluency" in result.output


def test_a_recording_without_judge_calls_leaves_the_judges_unavailable_not_failing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_LLM", "none")
    empty = tmp_path / "calls.jsonl"
    empty.write_text("", encoding="utf-8")
    suite = tmp_path / "plans.yaml"
    suite.write_text(
        f"name: plans\ncatalogue: {DEMO}\njudges: {{faithfulness: 0.9}}\ncases:\n"
        "  - {id: p, kind: plan, request: {target: qual-nordvale-cert-data-analytics}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "r"
    args = ["eval", "run", str(suite), "--json", "--replay", str(empty), "--report", str(out)]
    result = CliRunner().invoke(app, args)
    data = json.loads(result.stdout)
    assert data["judges"]["status"] == "unavailable"
    assert "ReplayMissError" in data["judges"]["calibration"]["faithfulness"]["error"]
    assert data["suites"][0]["judges"]["faithfulness"]["gating"] is False
    assert result.exit_code == 0
    root = ET.parse(out / "junit.xml").getroot()
    assert root.get("tests") == "2"  # the plan case and the (skipped) faithfulness judge
    assert root.find(".//testcase[@name='faithfulness']/skipped") is not None
