"""Relevance benchmark: does the catalogue answer a message at all, and what reaches learners.

On the demo catalogue with the packaged model, each figure beside its baseline
from the same run:

* the relevance verdict (``Retriever.relevance``): share of judged queries
  matched (tuning half, held-out half), share of ``evals/data/unanswerable_queries.yaml``
  wrongly matched (the thresholds were fitted on these and the tuning half), and
  on the blind ``evals/suites/demo_topics.yaml`` and ``demo_chatty.yaml``: topics
  matched, absent topics and off-task messages wrongly matched;
* end to end: recall@5 of what the deterministic coach *cites* when each judged
  query is sent as a chat message, beside the retriever's own hybrid recall@5 on
  the same queries (the ceiling) and beside the same coach with the verdict
  withheld (every verdict "unsure", as with no retriever: the coach before it),
  and how many messages each declined;
* cost: ``relevance()`` latency, embedding included, beside one bare query
  embedding and one hybrid ``search()`` (no query cache, so every call embeds).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEMO = ROOT / "knowledge" / "data" / "demo"
JUDGEMENTS = ROOT / "evals" / "data" / "retrieval_judgements.yaml"
UNANSWERABLE = ROOT / "evals" / "data" / "unanswerable_queries.yaml"
TOPICS = ROOT / "evals" / "suites" / "demo_topics.yaml"
CHATTY = ROOT / "evals" / "suites" / "demo_chatty.yaml"


def _share(flags: list[bool]) -> dict[str, Any]:
    return {"of": len(flags), "matched": sum(flags), "share": round(sum(flags) / len(flags), 3)}


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 2),
    }


def verdicts(retriever: Any) -> dict[str, Any]:
    """The relevance verdict on the judged, the unanswerable and the blind messages."""
    from coach.search_query import understand_search
    from knowledge.index.evaluation import load_judgements, split_judgements

    def matched(message: str, given: Any = None) -> bool:
        request = understand_search(message, given)
        return bool(retriever.relevance(request.text, filters=request.filters).matched)

    def blind(suite: Path) -> dict[str, Any]:
        groups: dict[str, list[bool]] = {}
        for case in yaml.safe_load(suite.read_text("utf-8"))["cases"]:
            group = next(t for t in ("absent", "offtask", "topic", "covered") if t in case["tags"])
            groups.setdefault(group, []).append(matched(case["question"]))
        return {
            f"{group}_{'wrongly_matched' if group in ('absent', 'offtask') else 'matched'}": (
                _share(flags)
            )
            for group, flags in groups.items()
        }

    tuning, held_out = split_judgements(load_judgements(JUDGEMENTS))
    unanswerable = yaml.safe_load(UNANSWERABLE.read_text("utf-8"))
    return {
        "judged_tuning": _share([matched(j.query, j.filters) for j in tuning]),
        "judged_held_out": _share([matched(j.query, j.filters) for j in held_out]),
        "unanswerable_wrongly_matched": {
            name: _share([matched(q) for q in queries]) for name, queries in unanswerable.items()
        },
        "blind_demo_topics": blind(TOPICS),
        "blind_demo_chatty": blind(CHATTY),
    }


class _VerdictWithheld:
    """The retriever with every relevance verdict "unsure" (words only, not matched)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def search(self, query: str, **kwargs: Any) -> Any:
        return self.inner.search(query, **kwargs)

    def corrections(self, query: str) -> Any:
        return self.inner.corrections(query)

    def relevance(self, query: str, **kwargs: Any) -> Any:
        from knowledge.index.relevance import Relevance

        return Relevance(
            topic=query, similarity=None, coverage=0.0, matched=False, by_words_only=True
        )


def _coach_cites(catalogue: Any, retriever: Any, embedder: Any, judged: Any) -> dict[str, Any]:
    from coach.agent import Coach
    from coach.store import MemoryStore
    from knowledge.index.evaluation import recall_at

    now = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    coach = Coach(
        catalogue=catalogue,
        embedder=embedder,
        store=MemoryStore(clock=lambda: now),
        retriever=retriever,
        now=lambda: now,
    )
    cited: list[float] = []
    intents: Counter[str] = Counter()
    for number, judgement in enumerate(judged):
        answer = coach.respond(f"bench-{number}", judgement.query)
        intents[answer.intent] += 1
        cited.append(recall_at([c.id for c in answer.citations], judgement.relevant, 5))
    return {
        "cited_recall@5": round(sum(cited) / len(cited), 3),
        "declined_out_of_scope": intents["out_of_scope"],
        "answer_intents": dict(intents.most_common()),
    }


def end_to_end(catalogue: Any, retriever: Any, embedder: Any) -> dict[str, Any]:
    """What the coach cites for each judged query, beside the retriever's own ranking
    and beside the coach with the verdict withheld."""
    from coach.search_query import understand_search
    from knowledge.index.evaluation import load_judgements, recall_at

    judged = load_judgements(JUDGEMENTS)
    ranked: list[float] = []
    for judgement in judged:
        request = understand_search(judgement.query, judgement.filters)
        hits = retriever.search(request.text, k=5, filters=request.filters).hits
        ranked.append(recall_at([h.id for h in hits], judgement.relevant, 5))
    return {
        "queries": len(judged),
        "coach": _coach_cites(catalogue, retriever, embedder, judged),
        "coach_verdict_withheld": _coach_cites(
            catalogue, _VerdictWithheld(retriever), embedder, judged
        ),
        "retriever_hybrid_recall@5": round(sum(ranked) / len(ranked), 3),
    }


def cost(retriever: Any, embedder: Any) -> dict[str, Any]:
    """relevance() beside one bare embedding and one search, on the judged queries."""
    from knowledge.index.evaluation import load_judgements

    queries = [j.query for j in load_judgements(JUDGEMENTS)]
    timings: dict[str, list[float]] = {"bare_embedding": [], "search": [], "relevance": []}
    calls = {
        "bare_embedding": lambda q: embedder.encode([q]),
        "search": lambda q: retriever.search(q, k=10),
        "relevance": lambda q: retriever.relevance(q),
    }
    for query in queries:
        for name, call in calls.items():
            started = time.perf_counter()
            call(query)
            timings[name].append(time.perf_counter() - started)
    return {name: _ms(samples) for name, samples in timings.items()}


def run() -> dict[str, Any]:
    from knowledge.embedding import SentenceTransformerEmbedder
    from knowledge.index import MemoryVectorStore, Retriever, build_index
    from knowledge.loading import load_catalogue

    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    catalogue = load_catalogue(DEMO)
    store = MemoryVectorStore()
    build_index(catalogue, store, embedder)
    retriever = Retriever(catalogue, store, embedder)
    result: dict[str, Any] = {
        "verdicts": verdicts(retriever),
        "end_to_end": end_to_end(catalogue, retriever, embedder),
        "cost": cost(retriever, embedder),
    }
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "relevance.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
