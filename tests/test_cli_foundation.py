"""The ``coach`` program itself: help, settings and the health endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bots.cli.app import app
from bots.settings import DEMO_CATALOGUE, Settings
from bots.web.app import create_app


def test_help_lists_commands_and_none_is_a_stub() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "serve" in result.output
    assert "not implemented" not in result.output.lower()


def test_settings_defaults_match_the_design_table(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("COACH_DATA_DIR", "COACH_DATABASE_URL", "COACH_CHROMA_URL", "COACH_LLM"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.data_dir == Path(".coach")
    assert settings.catalogue == DEMO_CATALOGUE
    assert settings.chroma_url is None
    assert settings.llm == "none"
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.resolved_database_url.endswith("coach.sqlite3")


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COACH_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/db")
    monkeypatch.setenv("COACH_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.data_dir == tmp_path
    assert settings.resolved_database_url == "postgresql+psycopg://u@127.0.0.1/db"
    assert settings.llm == "openai"
    assert settings.openai_base_url == "http://127.0.0.1:9/v1"


def test_health_endpoint_answers(tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(data_dir=tmp_path, _env_file=None)))  # type: ignore[call-arg]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_serve_gives_the_model_the_threads_asked_for() -> None:
    torch = pytest.importorskip("torch")
    from bots.cli.serve_cmd import limit_model_threads

    before = torch.get_num_threads()
    try:
        limit_model_threads(1)
        assert torch.get_num_threads() == 1
        limit_model_threads(0)  # never below one thread
        assert torch.get_num_threads() == 1
        limit_model_threads(2)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
    help_text = CliRunner().invoke(app, ["serve", "--help"]).output
    assert "--model-threads" in help_text
