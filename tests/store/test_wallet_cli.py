"""``coach wallet add | list | export | erase`` on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bots.cli.app import app
from tests.conftest import ROOT, shared_data

DCC = ("vc", "dcc-vc-test-fixtures", "verifiableCredentials", "v2", "dataIntegrityProof", "didKey")
BASIC_OB3 = "legacyRegistry-noStatus-noExpiry-basicOBv3.json"


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, catalogue_dir: Path, database_url: str
) -> dict[str, str]:
    values = {
        "COACH_DATA_DIR": str(tmp_path / "data"),
        "COACH_CATALOGUE": str(catalogue_dir),
        "COACH_DATABASE_URL": database_url,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return values


def coach(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_json(stdout: str) -> dict[str, object]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, stdout
    value = json.loads(lines[0])
    assert isinstance(value, dict)
    return value


def test_add_list_export_erase_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    badge = shared_data(*DCC, BASIC_OB3)
    code, out, _ = coach("wallet", "add", str(badge), "--learner", "alice", "--json")
    assert code == 0, out
    added = one_json(out)
    assert added["status"] == "valid"
    assert added["credential_id"] == "cred.teamwork"
    assert added["created"] is True

    code, out, _ = coach("wallet", "add", str(badge), "--learner", "alice", "--json")
    assert code == 0
    assert one_json(out)["created"] is False

    code, out, _ = coach("wallet", "list", "--learner", "alice", "--json")
    assert code == 0
    listed = one_json(out)["credentials"]
    assert isinstance(listed, list)
    assert [c["id"] for c in listed] == [added["id"]]

    code, out, _ = coach("wallet", "export", "--learner", "alice")
    assert code == 0
    exported = one_json(out)
    credentials = exported["credentials"]
    assert isinstance(credentials, list)
    assert credentials[0]["received"]["content"] == badge.read_text(encoding="utf-8")
    assert credentials[0]["verification"]["status"] == "valid"
    for key in ("assessments", "plans", "conversation", "identities"):
        assert key in exported

    code, out, _ = coach("wallet", "erase", "--learner", "alice", "--json")
    assert code == 0
    assert one_json(out) == {"learner_id": "alice", "erased": True}
    code, out, _ = coach("wallet", "export", "--learner", "alice")
    assert code == 2
    assert "no learner" in str(one_json(out)["error"])
    code, out, _ = coach("wallet", "list", "--learner", "alice", "--json")
    assert one_json(out)["credentials"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "JSON"),
        (b"[" * 3000 + b"]" * 3000, "nested"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, ""),
        ('{"n": "é"}'.encode("utf-16"), "UTF"),
    ],
)
def test_bad_files_exit_2_with_one_line_and_store_nothing(
    env: dict[str, str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, out, _ = coach("wallet", "add", str(path), "--learner", "bob", "--json")
    assert code == 2
    error = str(one_json(out)["error"])
    assert message in error
    assert "\n" not in error
    code, out, _ = coach("wallet", "list", "--learner", "bob", "--json")
    assert one_json(out)["credentials"] == []


def test_missing_file_and_bad_learner_id_are_bad_input(env: dict[str, str]) -> None:
    code, out, _ = coach("wallet", "add", "/nonexistent/badge.json", "--learner", "bob", "--json")
    assert code == 2
    assert "cannot read" in str(one_json(out)["error"])
    code, out, _ = coach("wallet", "list", "--learner", "../etc/passwd", "--json")
    assert code == 2
    assert "learner id" in str(one_json(out)["error"])


def test_a_database_that_is_down_is_reported_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("COACH_DATABASE_URL", f"postgresql+psycopg://x@127.0.0.1:{port}/coach")
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    code, out, _ = coach("wallet", "list", "--learner", "bob", "--json")
    assert code == 1
    assert "unavailable" in str(one_json(out)["error"])


def test_the_installed_program_prints_one_json_object(tmp_path: Path, catalogue_dir: Path) -> None:
    badge = shared_data(*DCC, BASIC_OB3)
    coach_bin = Path(sys.executable).with_name("coach")
    environment = {
        **os.environ,
        "COACH_DATA_DIR": str(tmp_path / "data"),
        "COACH_CATALOGUE": str(catalogue_dir),
    }
    environment.pop("COACH_DATABASE_URL", None)
    done = subprocess.run(
        [str(coach_bin), "wallet", "add", str(badge), "--learner", "carol", "--json"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert one_json(done.stdout)["credential_id"] == "cred.teamwork"
    assert (tmp_path / "data" / "coach.sqlite3").exists()
