"""Run suites: each case against its own fresh learner, in parallel threads.

The catalogue, embedder, retriever and dialogue engine are built once per
catalogue and shared (they hold no learner state); every case gets a new
coach over a new in-memory learner store, so cases cannot interfere.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from coach.agent import Coach
from coach.dialogue.policy import DialogueEngine
from coach.planner.check import check_plan
from coach.planner.plan import make_plan
from coach.planner.request import PlanRequest
from coach.profile import HeldCredential, Profile, SkillEstimate
from coach.store import MemoryStore
from evals.checks import check_answer
from evals.judging import Exchange, JudgePanel, skipped
from evals.results import CaseResult, SuiteResult, merge, summary, wilson
from evals.suite import Suite
from knowledge.embedding import Embedder
from knowledge.index import MemoryVectorStore, Retriever, build_index
from knowledge.index.evaluation import ndcg_at, recall_at, reciprocal_rank
from knowledge.loading import load_catalogue
from knowledge.schema import Catalogue

DEFAULT_TODAY = dt.date(2026, 6, 1)
# Results live in evals.results; re-exported here for callers of the runner.
__all__ = [
    "CaseResult",
    "Environment",
    "Runner",
    "SuiteResult",
    "merge",
    "run_once",
    "summary",
    "wilson",
]


class Environment:
    """What every case of one catalogue shares (built once)."""

    def __init__(
        self, catalogue: Catalogue, embedder: Embedder, today: dt.date, model: Any | None = None
    ) -> None:
        self.model = model
        self.catalogue = catalogue
        self.embedder = embedder
        self.today = today
        store = MemoryVectorStore()
        build_index(catalogue, store, embedder)
        self.retriever = Retriever(catalogue, store, embedder)
        self.engine = DialogueEngine(catalogue, embedder)
        self.now = dt.datetime.combine(today, dt.time(12, 0), tzinfo=dt.UTC)

    def fresh_coach(self) -> Coach:
        now = self.now
        store = MemoryStore(clock=lambda: now)
        return Coach(
            catalogue=self.catalogue,
            embedder=self.embedder,
            store=store,
            wallet=store,  # the in-memory store is the wallet too, as SQL is in production
            retriever=self.retriever,
            now=lambda: now,
            model=self.model,
            engine=self.engine,
            verifier=_offline_verifier(now),
        )


def _offline_verifier(now: dt.datetime) -> Callable[[bytes], Any]:
    from coach.wallet.resolver import OfflineResolver
    from coach.wallet.verify import verify_credential

    def verify(data: bytes) -> Any:
        return verify_credential(data, resolver=OfflineResolver(), now=now)

    return verify


def _learner(suite: Suite, case: dict[str, Any]) -> dict[str, Any]:
    return _fixture(suite, case.get("learner"))


def _fixture(suite: Suite, learner: str | dict[str, Any] | None) -> dict[str, Any]:
    """A learner fixture: named in the suite's ``learners``, or written inline."""
    if isinstance(learner, str):
        return dict(suite.learners.get(learner, {}))
    return dict(learner or {})


def _set_up(coach: Coach, suite: Suite, learner_id: str, learner: dict[str, Any]) -> None:
    """Give a learner their badges (sent as files, so they are verified and kept) and turns."""
    for badge in learner.get("badges") or []:
        data = (suite.path.parent / badge).read_bytes()
        coach.respond(learner_id, "add this badge to my wallet", attachments=[data])
    for turn in learner.get("turns") or []:
        coach.respond(learner_id, turn)


def _profile(env: Environment, learner_id: str, learner: dict[str, Any]) -> Profile:
    skills = {
        skill: SkillEstimate(
            skill=skill, level=level, source="self", confidence=0.8, assessed_on=env.today
        )
        for skill, level in (learner.get("skills") or {}).items()
    }
    holdings = tuple(
        HeldCredential(credential_id=cid, earned_on=env.today, verified=True)
        for cid in learner.get("holdings") or []
    )
    return Profile(learner_id=learner_id, skills=skills, holdings=holdings)


def run_once(env: Environment, suite: Suite, case: dict[str, Any]) -> CaseResult:
    """One run of one case."""
    kind = case["kind"]
    result = CaseResult(
        suite=suite.name,
        id=case["id"],
        kind=kind,
        tags=list(case.get("tags", [])),
        passed=False,
        runs=1,
        passes=0,
        flaky=False,
        problems=[],
        latency_ms=[],
        expect=case.get("expect") or case.get("plan") or case.get("relevant"),
    )
    started = time.perf_counter()
    try:
        if kind in ("ask", "safety"):
            _run_ask(env, suite, case, result)
        elif kind == "conversation":
            _run_conversation(env, suite, case, result)
        elif kind == "plan":
            _run_plan(env, suite, case, result)
        elif kind == "retrieval":
            _run_retrieval(env, case, result)
        elif kind == "verify":
            _run_verify(env, suite, case, result)
    except Exception as exc:  # a crash is a failed case, never a stopped run
        result.problems.append(f"error: {type(exc).__name__}: {exc}")
    result.latency_ms.append((time.perf_counter() - started) * 1000)
    result.passed = not result.problems
    result.passes = int(result.passed)
    return result


def _start(env: Environment, suite: Suite, case: dict[str, Any]) -> tuple[Coach, str]:
    """A fresh coach; ``others`` (other learners, e.g. holding planted canaries) go first."""
    coach = env.fresh_coach()
    for other in case.get("others") or []:
        _set_up(coach, suite, f"eval-{uuid.uuid4().hex[:12]}", _fixture(suite, other))
    learner_id = f"eval-{uuid.uuid4().hex[:12]}"
    _set_up(coach, suite, learner_id, _learner(suite, case))
    return coach, learner_id


def _run_ask(env: Environment, suite: Suite, case: dict[str, Any], result: CaseResult) -> None:
    coach, learner_id = _start(env, suite, case)
    attachments = None
    if case.get("attachment"):
        attachments = [(suite.path.parent / case["attachment"]).read_bytes()]
    answer = coach.respond(learner_id, case["question"], attachments=attachments)
    result.question = case["question"]
    result.answer = answer.text
    result.citations = [c.id for c in answer.citations]
    result.exchanges.append(Exchange(case["question"], answer.text, tuple(result.citations)))
    expect = dict(case.get("expect") or {})
    if case["kind"] == "safety":
        expect.setdefault("absent", [])
        expect["absent"] = [*expect["absent"], *case.get("canaries", [])]
    result.problems.extend(check_answer(answer, expect, env.catalogue, _own(coach, learner_id)))


def _own(coach: Coach, learner_id: str) -> frozenset[str]:
    """The learner's own wallet record ids (citable by the coach; nobody else's are)."""
    if coach.wallet is None:
        return frozenset()
    return frozenset(record.id for record in coach.wallet.list_credentials(learner_id))


def _run_conversation(
    env: Environment, suite: Suite, case: dict[str, Any], result: CaseResult
) -> None:
    if case.get("persona"):
        _run_persona(env, suite, case, result)
        return
    coach, learner_id = _start(env, suite, case)
    lines: list[str] = []
    for index, turn in enumerate(case["turns"], start=1):
        answer = coach.respond(learner_id, turn["say"])
        lines.append(f"> {turn['say']}\n{answer.text}")
        own = _own(coach, learner_id)
        for problem in check_answer(answer, turn.get("expect") or {}, env.catalogue, own):
            result.problems.append(f"turn {index}: {problem}")
        result.citations.extend(c.id for c in answer.citations)
        cited = tuple(c.id for c in answer.citations)
        result.exchanges.append(Exchange(turn["say"], answer.text, cited))
    result.question = " / ".join(t["say"] for t in case["turns"])
    result.answer = "\n\n".join(lines)


def _run_persona(env: Environment, suite: Suite, case: dict[str, Any], result: CaseResult) -> None:
    """A full self-assessment by a persona with known true levels (evals/personas driver)."""
    import yaml

    from evals.personas.driver import Persona, run_persona

    path = suite.path.parent / case["persona"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.setdefault("name", path.stem)
    persona = Persona.model_validate(data)
    run = run_persona(env.catalogue, persona, embedder=env.embedder)
    result.question = f"self-assessment as {persona.name} ({run.turns} turns)"
    result.answer = f"matched {sorted(run.matched)}; mismatched {run.mismatched}"
    result.metrics = {"accuracy": run.accuracy, "questions": float(run.questions)}
    wanted = float(case.get("min_accuracy", 0.7))
    if run.accuracy < wanted:
        result.problems.append(f"assessment accuracy {run.accuracy:.2f} < {wanted:.2f}")


def _run_plan(env: Environment, suite: Suite, case: dict[str, Any], result: CaseResult) -> None:
    request = PlanRequest.model_validate(case["request"])
    profile = _profile(env, "eval-learner", _learner(suite, case))
    plan = make_plan(env.catalogue, request, profile, today=env.today)
    result.question = f"plan for {request.target}"
    result.answer = "; ".join(f"{s.id} ({s.cost:g} {s.currency})" for s in plan.steps) or str(
        plan.infeasible_reason
    )
    result.citations = [s.id for s in plan.steps]
    result.problems.extend(
        f"rule broken: {v}" for v in check_plan(env.catalogue, request, profile, plan)
    )
    want = case.get("plan") or {}
    chosen = {s.id for s in plan.steps}
    if "feasible" in want and plan.feasible != want["feasible"]:
        result.problems.append(f"feasible {plan.feasible}, expected {want['feasible']}")
    for cid in want.get("includes", []):
        if cid not in chosen:
            result.problems.append(f"plan lacks {cid}")
    for cid in want.get("excludes", []):
        if cid in chosen:
            result.problems.append(f"plan has {cid}")
    if "cost_at_most" in want and plan.totals.cost > want["cost_at_most"] + 1e-6:
        result.problems.append(f"costs {plan.totals.cost:g} > {want['cost_at_most']:g}")
    if "optimal_cost" in want and abs(plan.totals.cost - want["optimal_cost"]) > 1e-6:
        result.problems.append(f"costs {plan.totals.cost:g}, optimum {want['optimal_cost']:g}")
    for held in profile.holdings:
        if held.credential_id in chosen:
            result.problems.append(f"plan repeats held {held.credential_id}")


def _run_retrieval(env: Environment, case: dict[str, Any], result: CaseResult) -> None:
    from coach.search_query import understand_search
    from knowledge.index.filters import SearchFilters

    given = SearchFilters.model_validate(case["filters"]) if case.get("filters") else None
    request = understand_search(case["query"], given)  # as the coach reads a message
    k = int(case.get("k", 5))
    hits = env.retriever.search(request.text, k=max(10, k), filters=request.filters).hits
    ranked = [hit.id for hit in hits]
    relevant = list(case["relevant"])
    result.question = case["query"]
    result.answer = ", ".join(ranked[:k])
    result.citations = ranked[:k]
    result.metrics = {
        "recall": recall_at(ranked, relevant, k),
        "mrr": reciprocal_rank(ranked, relevant),
        "ndcg": ndcg_at(ranked, relevant, 10),
    }
    if result.metrics["recall"] < float(case.get("min_recall", 1.0)):
        result.problems.append(f"recall@{k} {result.metrics['recall']:.2f} (wanted {relevant})")


def _run_verify(env: Environment, suite: Suite, case: dict[str, Any], result: CaseResult) -> None:
    data = (suite.path.parent / case["badge"]).read_bytes()
    verdict = _offline_verifier(env.now)(data)
    result.question = case["badge"]
    result.answer = f"{verdict.status} {list(verdict.reasons)}"
    if verdict.status != case["status"]:
        result.problems.append(f"status {verdict.status}, expected {case['status']}")
    missing = [r for r in case.get("reasons", []) if r not in verdict.reasons]
    if missing:
        result.problems.append(f"reasons missing {missing} (got {list(verdict.reasons)})")


class Runner:
    """Runs suites; environments are cached per catalogue folder."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        default_catalogue: Path,
        workers: int = 4,
        repeats: int = 1,
        progress: bool = True,
        run_case: Callable[[Environment, Suite, dict[str, Any]], CaseResult] = run_once,
        model: Any | None = None,
        judges: JudgePanel | None = None,
        judges_skipped: str = "no language model configured (COACH_LLM=none)",
    ) -> None:
        self.model = model
        self.judges = judges
        self.judges_skipped = judges_skipped
        self.embedder = embedder
        self.default_catalogue = default_catalogue
        self.workers = max(1, workers)
        self.repeats = max(1, repeats)
        self.progress = progress
        self.run_case = run_case
        self._envs: dict[tuple[Path, str], Environment] = {}

    def environment(self, suite: Suite, catalogue: Path | None = None) -> Environment:
        folder = (catalogue or suite.catalogue or self.default_catalogue).resolve()
        today = dt.date.fromisoformat(suite.today) if suite.today else DEFAULT_TODAY
        key = (folder, today.isoformat())
        if key not in self._envs:
            self._envs[key] = Environment(load_catalogue(folder), self.embedder, today, self.model)
        return self._envs[key]

    def run(self, suites: list[Suite], catalogue: Path | None = None) -> list[SuiteResult]:
        jobs = [(s, c) for s in suites for c in s.cases]
        total = len(jobs) * self.repeats
        done = 0
        if self.judges is not None and not self.judges.calibration:
            self.judges.calibrate()
        results: list[SuiteResult] = []
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for suite in suites:
                env = self.environment(suite, catalogue)
                futures = [
                    [pool.submit(self._run_judged, env, suite, case) for _ in range(self.repeats)]
                    for case in suite.cases
                ]
                merged: list[CaseResult] = []
                for group in futures:
                    runs = []
                    for future in group:
                        runs.append(future.result())
                        done += 1
                        self._tick(done, total)
                    merged.append(merge(runs))
                calibration = self.judges.calibration if self.judges else {}
                results.append(
                    SuiteResult(
                        suite.name,
                        str(suite.path),
                        suite.threshold,
                        merged,
                        judge_thresholds=dict(suite.judges),
                        calibration=calibration,
                    )
                )
        if self.progress:
            sys.stderr.write("\n")
        return results

    def _run_judged(self, env: Environment, suite: Suite, case: dict[str, Any]) -> CaseResult:
        """One run of a case, then the judges' scores of its answers (when judges run)."""
        result = self.run_case(env, suite, case)
        if self.judges is not None and result.exchanges:
            result.judges, result.judge_errors = self.judges.score(env.catalogue, result.exchanges)
        return result

    @property
    def judge_section(self) -> dict[str, Any]:
        """The report's ``judges`` block: calibration per judge, or why none ran."""
        if self.judges is None:
            return skipped(self.judges_skipped)
        return self.judges.to_json()

    def _tick(self, done: int, total: int) -> None:
        if not self.progress or total == 0:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
