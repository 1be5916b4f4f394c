"""``coach assess`` in the terminal: answers, pause and resume, results in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bots.cli.assess_cmd import register
from coach.store import open_database
from tests.assessment.conftest import build_catalogue, write_catalogue


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    folder = write_catalogue(build_catalogue(), tmp_path / "catalogue")
    url = f"sqlite:///{tmp_path / 'coach.sqlite3'}"
    monkeypatch.setenv("COACH_CATALOGUE", str(folder))
    monkeypatch.setenv("COACH_DATABASE_URL", url)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    return url


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Group, so ``assess`` is a subcommand as in ``coach``."""

    return app


def run(args: list[str], answers: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(_app(), ["assess", *args], input="\n".join(answers) + "\n")
    return result.exit_code, result.output


def test_assess_runs_to_a_result_and_saves_the_profile(cli_env: str, tmp_path: Path) -> None:
    chart = tmp_path / "radar.svg"
    code, output = run(
        ["--learner", "t1", "--target", "data-analyst", "--chart", str(chart)],
        ["3", "3", "2", "3", "2"],
    )
    assert code == 0, output
    assert "Towards Data Analyst" in output
    assert chart.read_bytes().lstrip().startswith(b"<?xml")
    store = open_database(cli_env)
    try:
        profile = store.get_state("t1", "profile")
        assert profile is not None
        assert profile["skills"]["sql"]["level"] == 3
        assert store.get_state("t1", "assessment_result") is not None
        assert store.get_state("t1", "assessment")["phase"] == "done"  # type: ignore[index]
    finally:
        store.close()


def test_pause_then_resume_keeps_earlier_answers(cli_env: str) -> None:
    code, output = run(["--learner", "t2", "--target", "data-analyst"], ["4", "pause"])
    assert code == 0, output
    assert "Saved" in output
    code, output = run(["--learner", "t2"], ["3", "2", "3", "2"])
    assert code == 0, output
    assert "Resuming" in output
    store = open_database(cli_env)
    try:
        profile = store.get_state("t2", "profile")
        assert profile is not None
        assert profile["skills"]["spreadsheets"]["level"] == 4
    finally:
        store.close()


def test_end_of_input_saves_progress(cli_env: str) -> None:
    code, output = run(["--learner", "t3", "--target", "data-analyst"], ["2"])
    assert code == 0, output
    assert "Saved" in output
    store = open_database(cli_env)
    try:
        state = store.get_state("t3", "assessment")
        assert state is not None
        assert state["phase"] == "asking"
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mode", "slow"], "--mode"),
        (["--chart", "x.gif"], "--chart"),
        (["--learner", "bad id!"], "learner id"),
    ],
)
def test_bad_options_are_one_line_errors(cli_env: str, args: list[str], message: str) -> None:
    code, output = run(args, [])
    assert code == 2
    assert message in output
    assert "Traceback" not in output
