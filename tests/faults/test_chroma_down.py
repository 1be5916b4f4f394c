"""The Chroma server goes away: the coach answers from word search, says so, and recovers."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowledge.embedding import Embedder
from knowledge.synth import write_synthetic
from tests.faults.conftest import fault_app, fault_settings, new_learner
from tests.fixtures.chroma import ChromaServer

QUESTION = "find credentials about automation"
REDUCED = ("reduced mode", "degraded", "limited search")


def _search(client: TestClient, headers: dict[str, str]) -> dict[str, object]:
    response = client.post("/api/chat", json={"message": QUESTION}, headers=headers)
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    assert answer["intent"] == "search"
    return answer


def _says_reduced(answer: dict[str, object]) -> bool:
    text = str(answer["text"]).lower()
    return any(word in text for word in REDUCED)


def test_search_degrades_to_words_while_chroma_is_down_and_recovers(
    chroma_server: ChromaServer, fault_embedder: Embedder, tmp_path: Path
) -> None:
    assert chroma_server.start()
    catalogue = tmp_path / "catalogue"
    write_synthetic(catalogue, 40, seed=3)
    settings = fault_settings(tmp_path / "data", catalogue=catalogue, chroma_url=chroma_server.url)
    with TestClient(fault_app(settings, fault_embedder)) as client:
        _, headers = new_learner(client)
        healthy = _search(client, headers)
        assert not _says_reduced(healthy), healthy["text"]
        assert healthy["citations"], "a healthy search cites catalogue entries"

        chroma_server.stop()
        try:
            degraded = _search(client, headers)
            assert _says_reduced(degraded), degraded["text"]
            assert "automation" in str(degraded["text"]).lower(), "word search still finds matches"
            assert degraded["citations"]
        finally:
            if not chroma_server.start():
                pytest.fail("the Chroma server did not come back")

        recovered = _search(client, headers)
        assert not _says_reduced(recovered), recovered["text"]
