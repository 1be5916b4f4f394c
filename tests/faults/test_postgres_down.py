"""PostgreSQL goes away: the API answers 503 with Retry-After, keeps running, and recovers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from knowledge.embedding import Embedder
from knowledge.synth import write_synthetic
from tests.faults.conftest import fault_app, fault_settings, postgres_down
from tests.fixtures.postgres import PostgresServer
from tests.fixtures.telegram import ServerThread


def test_the_api_gives_503_while_postgres_is_down_and_recovers(
    postgres_server: PostgresServer, fault_embedder: Embedder, tmp_path: Path
) -> None:
    catalogue = tmp_path / "catalogue"
    write_synthetic(catalogue, 40, seed=5)
    settings = fault_settings(
        tmp_path / "data",
        catalogue=catalogue,
        database_url=postgres_server.create_database("faults_pg_down"),
    )
    with (
        ServerThread(fault_app(settings, fault_embedder)) as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        created = http.post("/api/sessions")
        assert created.status_code == 201
        headers = {"Authorization": f"Bearer {created.json()['token']}"}
        assert http.post("/api/chat", json={"message": "hello"}, headers=headers).status_code == 200

        with postgres_down(postgres_server):
            calls: list[Callable[[], httpx.Response]] = [
                lambda: http.post("/api/chat", json={"message": "hello"}, headers=headers),
                lambda: http.get("/api/wallet", headers=headers),
                lambda: http.post("/api/sessions"),
            ]
            for call in calls:
                response = call()
                assert response.status_code == 503, (response.status_code, response.text)
                assert int(response.headers["Retry-After"]) >= 1
                assert "unavailable" in response.json()["detail"]
            assert http.get("/healthz").status_code == 200, "the worker is still alive"
            assert server.thread.is_alive()

        again = http.post("/api/chat", json={"message": "hello"}, headers=headers)
        assert again.status_code == 200, "the same session works once the database is back"
        assert http.post("/api/sessions").status_code == 201
