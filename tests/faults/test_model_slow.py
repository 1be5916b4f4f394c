"""The language model is slow or failing: the turn times out and the deterministic answer comes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowledge.embedding import Embedder
from knowledge.synth import write_synthetic
from tests.faults.conftest import fault_app, fault_settings, new_learner
from tests.fixtures.fake_openai import FakeOpenAI, Reply

TIMEOUT = 1.0
MESSAGE = "find credentials about testing"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("catalogue")
    write_synthetic(folder, 40, seed=9)
    return folder


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir for the module: the index is built once, learners differ per app."""
    return tmp_path_factory.mktemp("coach-data")


def _deterministic(catalogue: Path, embedder: Embedder, data_dir: Path) -> dict[str, object]:
    settings = fault_settings(data_dir, catalogue=catalogue)
    with TestClient(fault_app(settings, embedder)) as client:
        _, headers = new_learner(client)
        answer: dict[str, object] = client.post(
            "/api/chat", json={"message": MESSAGE}, headers=headers
        ).json()
        return answer


@pytest.mark.parametrize(
    "reply",
    [Reply(content="far too late", delay=4 * TIMEOUT), Reply(status=500)],
    ids=["slow", "failing"],
)
def test_a_slow_or_failing_model_gives_the_deterministic_answer_in_time(
    reply: Reply,
    fake_openai: FakeOpenAI,
    fault_embedder: Embedder,
    catalogue: Path,
    data_dir: Path,
) -> None:
    expected = _deterministic(catalogue, fault_embedder, data_dir)
    settings = fault_settings(
        data_dir,
        catalogue=catalogue,
        llm="openai",
        openai_base_url=fake_openai.base_url,
        llm_timeout_seconds=TIMEOUT,
    )
    saved = fake_openai.default
    fake_openai.default = reply  # every call (retries included) gets the same trouble
    try:
        with TestClient(fault_app(settings, fault_embedder)) as client:
            _, headers = new_learner(client)
            started = time.monotonic()
            response = client.post("/api/chat", json={"message": MESSAGE}, headers=headers)
            elapsed = time.monotonic() - started
    finally:
        fake_openai.default = saved
    assert response.status_code == 200, response.text
    answer = response.json()
    assert fake_openai.requests, "the model was really asked"
    assert answer["text"] == expected["text"]
    assert answer["intent"] == expected["intent"]
    assert "far too late" not in answer["text"]
    # The model coach allows three model calls per turn; then the fallback answers.
    assert elapsed < 3 * TIMEOUT + 10, elapsed
