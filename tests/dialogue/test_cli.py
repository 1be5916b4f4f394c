"""``coach ask`` and ``coach chat`` over a catalogue folder, through the real wiring."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import typer
from typer.testing import CliRunner

from bots import wiring
from bots.cli import chat_cmd
from knowledge.embedding import HashingEmbedder
from knowledge.schema import Catalogue
from tests.dialogue.folder import write_catalogue
from tests.fixtures.fake_openai import FakeOpenAI, Reply


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Iterator[None]:
    """A catalogue folder, a data dir (SQLite, embedded index) and the fast embedder."""
    root = tmp_path_factory.mktemp("cli")
    folder = write_catalogue(catalogue, root / "catalogue")
    patch = pytest.MonkeyPatch()
    patch.setenv("COACH_CATALOGUE", str(folder))
    patch.setenv("COACH_DATA_DIR", str(root / "data"))
    patch.setenv("COACH_LLM", "none")
    patch.setattr(wiring, "SentenceTransformerEmbedder", lambda *a, **k: HashingEmbedder())
    yield
    patch.undo()
    wiring._CACHE.clear()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    program = typer.Typer()
    chat_cmd.register(program)
    return program


def _run(app: typer.Typer, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout


def test_ask_json_prints_one_object_with_citations(app: typer.Typer, cli_env: None) -> None:
    code, out = _run(app, "ask", "How much is SQL Basics?", "--learner", "cli-a", "--json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"text", "intent", "citations"}
    assert payload["intent"] == "credential_info"
    assert "250 EUR" in payload["text"]
    assert payload["citations"][0] == {
        "id": "sql-basics",
        "title": "SQL Basics",
        "url": "https://example.org/c/sql-basics",
    }


def test_ask_keeps_context_across_invocations(app: typer.Typer, cli_env: None) -> None:
    _run(app, "ask", "tell me about Cloud Fundamentals", "--learner", "cli-b")
    code, out = _run(app, "ask", "does it expire?", "--learner", "cli-b", "--json")
    assert code == 0
    assert "24 months" in json.loads(out)["text"]


def test_ask_rejects_an_empty_question(app: typer.Typer, cli_env: None) -> None:
    code, _ = _run(app, "ask", "  ", "--json")
    assert code == 2


def test_chat_numbers_pick_quick_replies(app: typer.Typer, cli_env: None) -> None:
    script = "tell me about data analysis\n1\n3\nquit\n"
    code, out = _run(app, "chat", "--learner", "cli-c", stdin=script)
    assert code == 0
    assert "Which one do you mean?" in out
    assert "Python for Data Analysis" in out
    assert "Before Python for Data Analysis you need: SQL Basics" in out


def test_ask_with_a_language_model_through_the_wiring(
    app: typer.Typer,
    cli_env: None,
    fake_openai: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COACH_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("COACH_LLM_MODEL", "fake-model")
    fake_openai.script(
        Reply(tool_calls=[("get_credential", {"id": "data-viz"})]),
        Reply(content="Data Visualisation Essentials costs 200 EUR [data-viz]."),
    )
    code, out = _run(app, "ask", "price of data viz?", "--learner", "cli-llm", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["text"] == "Data Visualisation Essentials costs 200 EUR [data-viz]."
    assert [c["id"] for c in payload["citations"]] == ["data-viz"]
    assert fake_openai.requests[0]["model"] == "fake-model"
