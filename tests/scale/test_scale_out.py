"""Several `coach serve` workers over one PostgreSQL and one Chroma server.

No conversation state lives in a worker: a learner's turns may land on any of
them, a worker killed with SIGKILL loses nothing it acknowledged, and the
others keep serving.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from knowledge.loading import load_catalogue
from knowledge.synth import write_synthetic
from tests.fixtures.chroma import ChromaServer
from tests.fixtures.postgres import PostgresServer
from tests.scale.workers import Worker, run_coach, start_worker


@pytest.fixture(scope="module")
def shared_env(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_server: PostgresServer,
    chroma_server: ChromaServer,
) -> dict[str, str]:
    catalogue = tmp_path_factory.mktemp("scale-catalogue")
    write_synthetic(catalogue, 80, seed=11)
    assert chroma_server.start()
    env = {
        "COACH_CATALOGUE": str(catalogue),
        "COACH_DATABASE_URL": postgres_server.create_database("scale_out"),
        "COACH_CHROMA_URL": chroma_server.url,
        "COACH_DATA_DIR": str(tmp_path_factory.mktemp("indexer")),
    }
    indexed = run_coach(env, "index", "--json")
    assert indexed.returncode == 0, indexed.stderr[-2000:]
    return env


@pytest.fixture(scope="module")
def workers(
    shared_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Worker]]:
    started = [start_worker(shared_env, tmp_path_factory.mktemp(f"worker-{n}")) for n in range(2)]
    yield started
    for worker in started:
        worker.stop()


def _session(worker: Worker) -> dict[str, str]:
    response = httpx.post(f"{worker.url}/api/sessions", timeout=60)
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _chat(worker: Worker, headers: dict[str, str], message: str) -> dict[str, object]:
    response = httpx.post(
        f"{worker.url}/api/chat", json={"message": message}, headers=headers, timeout=60
    )
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


def _retry_after(response: httpx.Response) -> float:
    return float(response.headers.get("Retry-After", "1"))


def _export(worker: Worker, headers: dict[str, str]) -> str:
    """The learner's export as text, waiting out the per-learner rate limit (429)."""
    deadline = time.monotonic() + 60
    while True:
        response = httpx.get(f"{worker.url}/api/wallet/export", headers=headers, timeout=60)
        if response.status_code != 429 or time.monotonic() > deadline:
            break
        time.sleep(_retry_after(response))
    assert response.status_code == 200, response.text
    return response.text


def _wait_until(enough: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not enough():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_conversation_continues_on_whichever_worker_answers(
    workers: list[Worker], shared_env: dict[str, str]
) -> None:
    first, second = workers
    catalogue = load_catalogue(Path(shared_env["COACH_CATALOGUE"]))
    credential = next(iter(catalogue.credentials.values()))
    headers = _session(first)
    asked = _chat(first, headers, f"how much does {credential.title} cost?")
    assert credential.id in [c["id"] for c in asked["citations"]]  # type: ignore[index,union-attr]
    follow_up = _chat(second, headers, "how long does it take?")
    cited = [c["id"] for c in follow_up["citations"]]  # type: ignore[index,union-attr]
    assert credential.id in cited, follow_up["text"]
    assert "how long does it take?" in _export(first, headers)


def test_a_worker_killed_under_load_loses_no_acknowledged_turn(
    workers: list[Worker], shared_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    victim = start_worker(shared_env, tmp_path_factory.mktemp("victim"))
    survivor = workers[0]
    headers = _session(survivor)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def learner_loop(name: str) -> None:
        for turn in range(200):
            if stop.is_set():
                return
            marker = f"marker-{name}-{turn}"
            target = victim if turn % 2 else survivor
            try:
                response = httpx.post(
                    f"{target.url}/api/chat",
                    json={"message": marker},
                    headers=headers,
                    timeout=30,
                )
            except httpx.HTTPError:
                continue  # not acknowledged: the worker died mid-request
            if response.status_code == 200:
                with lock:
                    acknowledged.append(marker)
            elif response.status_code == 429:  # over the learner's rate: back off like a client
                time.sleep(_retry_after(response))

    threads = [threading.Thread(target=learner_loop, args=(f"t{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    _wait_until(lambda: len(acknowledged) >= 12, "12 acknowledged turns")
    victim.kill()
    after_kill = len(acknowledged)
    _wait_until(lambda: len(acknowledged) >= after_kill + 8, "8 turns after the kill")
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    history = _export(survivor, headers)
    missing = [marker for marker in acknowledged if marker not in history]
    assert not missing, f"{len(missing)} acknowledged turns lost: {missing[:5]}"
    assert httpx.get(f"{survivor.url}/healthz", timeout=10).status_code == 200
