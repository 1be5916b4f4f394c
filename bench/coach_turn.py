"""Coach turn benchmark: time per deterministic turn, beside one bare query embedding.

* deterministic coach, warm, on a generated 10,000-credential catalogue
  (``knowledge.synth``): p50 / p95 per turn over a mixed script (facts, follow-ups,
  recognition, comparisons, searches, greetings, out-of-scope); targets p50 <= 30 ms,
  p95 <= 80 ms. Baseline in the same run: one ``embedder.encode([message])``.
  Planning and assessment turns are left out: the planner has its own benchmark.
  ``turn_without_embedding`` is the turn minus the time inside the embedder (the
  coach's own work), which stays meaningful when a shared machine slows the model.
* language-model path against the fake OpenAI-compatible server on loopback
  (``tests/fixtures/fake_openai.py``): the coach's own overhead per turn (tool
  execution, grounding, state), i.e. the turn time minus the time inside model calls.

The retriever is the real hybrid retriever over an in-memory vector store that is not
built (its dense half reports ``degraded``): embedding 10,000 documents would dominate
the run and the coach's turn rarely searches.

The embedding model runs with one intra-op thread (``MODEL_THREADS``), as ``coach
serve`` runs it: on a busy 2-core machine two threads made one query embedding cost
~160 ms of CPU instead of ~22 ms. ``by_kind`` splits the turn times by message kind,
so a slow kind of turn shows up by name; ``beyond_embedding`` is the turn minus the
time inside the embedder.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bots.cli.serve_cmd import limit_model_threads
from coach.agent import Coach
from coach.dialogue.policy import DialogueEngine
from coach.store import MemoryStore
from knowledge.embedding import CachedEmbedder, Embedder, SentenceTransformerEmbedder
from knowledge.index import MemoryVectorStore, Retriever
from knowledge.loading import load_catalogue
from knowledge.schema import Catalogue
from knowledge.synth import write_synthetic

RESULTS = Path(__file__).resolve().parent / "results"
TODAY = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
SIZE = 10_000
TURNS = 200
#: The embedding model's intra-op threads, as ``coach serve`` runs it by default.
MODEL_THREADS = 1


def _pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ms(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(1000 * statistics.median(values), 2),
        "p95_ms": round(1000 * _pct(values, 0.95), 2),
        "n": len(values),
    }


def _script(catalogue: Catalogue, rng: random.Random, turns: int) -> list[tuple[str, str]]:
    titles = [c.title for c in catalogue.credentials.values()]
    recognised = [
        catalogue.title_of(r.credential) or ""
        for r in catalogue.recognitions.values()
        if r.credential
    ]
    skills = [s.name for s in catalogue.skills.values()]
    day = itertools.count(1)
    templates: list[tuple[str, Callable[[], str]]] = [
        ("price", lambda: f"How much is {rng.choice(titles)}?"),
        ("follow_up_duration", lambda: "how long does it take?"),
        ("follow_up_prerequisites", lambda: "what are the prerequisites?"),
        ("recognition", lambda: f"is {rng.choice(recognised or titles)} accredited?"),
        ("recognition_country", lambda: "and in Germany?"),
        ("compare", lambda: f"compare {rng.choice(titles)} with {rng.choice(titles)}"),
        ("search", lambda: f"find credentials about {rng.choice(skills).lower()}"),
        ("follow_up_stacking", lambda: "what does it stack into?"),
        ("greeting", lambda: "hello"),
        # A new text each time, as learners write: no turn is helped by the query cache
        # unless the script itself repeats a message.
        ("out_of_scope", lambda: f"tell me a joke about the weather on day {next(day)}"),
        ("follow_up_expiry", lambda: "does it expire?"),
    ]
    picked = [rng.choice(templates) for _ in range(turns)]
    return [(kind, make()) for kind, make in picked]


class _TimedEmbedder:
    """Wraps the embedder and adds up the time spent encoding."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.seconds = 0.0

    @property
    def model_name(self) -> str:
        return self.inner.model_name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Any:
        started = time.perf_counter()
        try:
            return self.inner.encode(texts, batch_size=batch_size)
        finally:
            self.seconds += time.perf_counter() - started


def _deterministic(catalogue: Catalogue, real: Embedder) -> dict[str, Any]:
    timed = _TimedEmbedder(real)
    embedder = CachedEmbedder(timed)  # as `coach serve` wires it
    retriever = Retriever(catalogue, MemoryVectorStore(), embedder)
    coach = Coach(
        catalogue=catalogue,
        embedder=embedder,
        store=MemoryStore(clock=lambda: TODAY),
        retriever=retriever,
        now=lambda: TODAY,
        engine=DialogueEngine(catalogue, embedder),
    )
    rng = random.Random(7)
    messages = _script(catalogue, rng, TURNS + 30)
    for n, (_, message) in enumerate(messages[:30]):  # warm-up
        coach.respond(f"warm-{n % 5}", message)
    turn_times: list[float] = []
    own_times: list[float] = []
    embed_times: list[float] = []
    intents: dict[str, int] = {}
    kinds: dict[str, tuple[list[float], list[float]]] = {}
    for n, (kind, message) in enumerate(messages[30:]):
        learner = f"learner-{n % 20}"
        timed.seconds = 0.0
        started = time.perf_counter()
        answer = coach.respond(learner, message)
        turn_times.append(time.perf_counter() - started)
        own_times.append(turn_times[-1] - timed.seconds)
        intents[answer.intent] = intents.get(answer.intent, 0) + 1
        kind_turns, kind_own = kinds.setdefault(kind, ([], []))
        kind_turns.append(turn_times[-1])
        kind_own.append(own_times[-1])
        started = time.perf_counter()
        real.encode([message])  # the floor: one model call, no cache
        embed_times.append(time.perf_counter() - started)
    turn = _ms(turn_times)
    embed = _ms(embed_times)
    return {
        "turn": turn,
        "beyond_embedding": _ms(own_times),
        "beyond_embedding_max_ms": round(1000 * max(own_times), 2),
        "embedding_turns": sum(1 for a, b in zip(turn_times, own_times, strict=True) if a > b),
        "bare_query_embedding": embed,
        "p50_vs_embedding": round(turn["p50_ms"] / max(embed["p50_ms"], 1e-6), 3),
        "p95_vs_embedding_p95": round(turn["p95_ms"] / max(embed["p95_ms"], 1e-6), 3),
        "targets_met": turn["p50_ms"] <= 30 and turn["p95_ms"] <= 80,
        "intents": intents,
        "by_kind": {
            kind: {"turn": _ms(times), "beyond_embedding": _ms(own)}
            for kind, (times, own) in sorted(kinds.items())
        },
    }


class _TimedClient:
    """Wraps a chat client and adds up the time spent inside model calls."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0

    async def complete(self, messages: Any, tools: Any, *, stream: bool = False) -> Any:
        started = time.perf_counter()
        try:
            return await self.inner.complete(messages, tools, stream=stream)
        finally:
            self.seconds += time.perf_counter() - started


def _with_model(catalogue: Catalogue, embedder: Embedder) -> dict[str, Any]:
    import uvicorn

    from coach.llm.agent import ModelCoach
    from coach.llm.client import OpenAIChatClient
    from tests.fixtures.fake_openai import FakeOpenAI, Reply, _free_port, create_app

    port = _free_port()
    server = FakeOpenAI(base_url=f"http://127.0.0.1:{port}/v1")
    runner = uvicorn.Server(
        uvicorn.Config(create_app(server), host="127.0.0.1", port=port, log_level="error")
    )
    threading.Thread(target=runner.run, daemon=True).start()
    while not runner.started:
        time.sleep(0.02)
    client = _TimedClient(
        OpenAIChatClient(model="fake", base_url=server.base_url, api_key="bench", max_retries=0)
    )
    coach = Coach(
        catalogue=catalogue,
        embedder=embedder,
        store=MemoryStore(clock=lambda: TODAY),
        now=lambda: TODAY,
        engine=DialogueEngine(catalogue, embedder),
        model=ModelCoach(client),
    )
    credential = next(iter(catalogue.credentials.values()))
    price = credential.price
    overheads: list[float] = []
    totals: list[float] = []
    try:
        for n in range(40):
            server.script(
                Reply(tool_calls=[("get_credential", {"id": credential.id})]),
                Reply(
                    content=f"{credential.title} costs {price.amount:g} {price.currency} "
                    f"[{credential.id}]."
                ),
            )
            client.seconds = 0.0
            started = time.perf_counter()
            coach.respond(f"llm-{n % 5}", f"how much is {credential.title}?")
            total = time.perf_counter() - started
            if n >= 5:  # warm
                totals.append(total)
                overheads.append(total - client.seconds)
    finally:
        runner.should_exit = True
    return {"turn": _ms(totals), "coach_overhead": _ms(overheads)}


def run() -> dict[str, Any]:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        write_synthetic(Path(folder), SIZE, seed=1)
        catalogue = load_catalogue(Path(folder))
    limit_model_threads(MODEL_THREADS)
    embedder = SentenceTransformerEmbedder()
    result: dict[str, Any] = {
        "catalogue_credentials": len(catalogue.credentials),
        "model_threads": MODEL_THREADS,
        "deterministic": _deterministic(catalogue, embedder),
        "with_fake_model": _with_model(catalogue, embedder),
    }
    result["wall_seconds"] = round(time.perf_counter() - started, 2)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "coach_turn.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
