"""Shared pieces for the fault tests: one embedding model, small catalogues, app builders.

The real embedding model loads once for the whole area; every app here is the
real web app over the real coach and a real store (SQLite or the session's
PostgreSQL), built with that one model.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bots.channel_backend import ChannelServices
from bots.settings import DEMO_CATALOGUE, Settings
from bots.web.app import create_app
from bots.wiring import build_services
from coach.store.ports import Store
from knowledge.embedding import Embedder, SentenceTransformerEmbedder
from tests.fixtures.postgres import PostgresServer


@pytest.fixture(scope="session")
def fault_embedder() -> Embedder:
    """The real embedding model, loaded once for the whole area."""
    return SentenceTransformerEmbedder()


def fault_settings(data_dir: Path, **changes: object) -> Settings:
    """Settings for a test app: the demo catalogue, no Telegram, nothing from the environment."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "catalogue": DEMO_CATALOGUE,
        "telegram_bot_token": None,
    }
    values.update(changes)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def fault_app(settings: Settings, embedder: Embedder, **kwargs: object) -> FastAPI:
    """The real web app; its coach uses the area's embedding model."""

    def backend(s: Settings) -> ChannelServices:
        services = build_services(s, embedder=embedder)
        store: Store = services.store  # type: ignore[assignment]
        return ChannelServices(services.coach, store)

    return create_app(settings, backend_factory=backend, **kwargs)  # type: ignore[arg-type]


def new_learner(client: TestClient) -> tuple[str, dict[str, str]]:
    response = client.post("/api/sessions")
    assert response.status_code == 201, response.text
    body = response.json()
    return body["learner_id"], {"Authorization": f"Bearer {body['token']}"}


def _pg_ctl(server: PostgresServer, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        *server.as_user,
        str(server.bin_dir / "pg_ctl"),
        "-D",
        str(server.socket_dir / "data"),
    ]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=90, check=False
    )


def start_postgres(server: PostgresServer) -> None:
    """Start the session's server again with the options the fixture used."""
    options = (
        f"-c listen_addresses=127.0.0.1 -p {server.port} "
        f"-c unix_socket_directories={server.socket_dir} "
        "-c fsync=off -c full_page_writes=off -c max_connections=100"
    )
    log = str(server.socket_dir / "server.log")
    started = _pg_ctl(server, "-l", log, "-o", options, "-w", "-t", "60", "start")
    assert started.returncode == 0, started.stderr


@contextmanager
def postgres_down(server: PostgresServer) -> Iterator[None]:
    """PostgreSQL stopped inside the block; always started again afterwards."""
    stopped = _pg_ctl(server, "-m", "fast", "-w", "stop")
    assert stopped.returncode == 0, stopped.stderr
    try:
        yield
    finally:
        start_postgres(server)
