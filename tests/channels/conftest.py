"""A real web app over a real coach, learner store and generated catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bots.settings import Settings
from bots.web.app import create_app
from knowledge.synth import write_synthetic


@pytest.fixture(scope="session")
def synth_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("catalogue")
    write_synthetic(folder, 60, seed=7)
    return folder


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory, synth_catalogue: Path) -> Settings:
    data_dir = tmp_path_factory.mktemp("coach-data")
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir,
        catalogue=synth_catalogue,
        telegram_bot_token=None,
    )


@pytest.fixture(scope="session")
def web_app_client(web_settings: Settings) -> Iterator[TestClient]:
    """One app for the session (the embedding model loads once); learners differ per test."""
    with TestClient(create_app(web_settings)) as client:
        yield client


def new_learner(client: TestClient) -> tuple[str, dict[str, str]]:
    """A fresh learner session; returns its id and bearer headers."""
    response = client.post("/api/sessions")
    assert response.status_code == 201
    body = response.json()
    return body["learner_id"], {"Authorization": f"Bearer {body['token']}"}
