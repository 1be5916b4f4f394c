"""``coach plan`` end to end on a catalogue folder written from a test catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bots.cli.app import app
from knowledge.schema import Catalogue
from tests.planner.factory import catalogue, cred, group, qual, role


def _write(cat: Catalogue, folder: Path) -> Path:
    folder.mkdir()
    (folder / "catalogue.yaml").write_text("name: planner test\n")
    entries = {
        "providers": [p.model_dump(mode="json") for p in cat.providers.values()],
        "skills": [s.model_dump(mode="json") for s in cat.skills.values()],
        "credentials": [c.model_dump(mode="json") for c in cat.credentials.values()],
        "qualifications": [q.model_dump(mode="json") for q in cat.qualifications.values()],
        "roles": [r.model_dump(mode="json") for r in cat.roles.values()],
    }
    (folder / "entries.json").write_text(json.dumps(entries))
    return folder


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    cat = catalogue(
        [
            cred("intro-data", cost=100, skills={"py": 2}),
            cred(
                "advanced-data",
                cost=300,
                skills={"py": 3},
                prereq=(group(credentials=("intro-data",)),),
            ),
        ],
        qualifications=[qual("data-cert", required=("advanced-data",))],
        roles=[role("data-analyst", {"py": (3, True)})],
    )
    monkeypatch.setenv("COACH_CATALOGUE", str(_write(cat, tmp_path / "cat")))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_plan_json_prints_one_contract_object(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "--target", "data-cert", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["feasible"] is True
    assert [s["id"] for s in payload["steps"]] == ["intro-data", "advanced-data"]
    assert payload["totals"]["cost"] == 400


def test_plan_resolves_a_target_from_text(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "--target", "Role data analyst", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["target"] == "data-analyst"


def test_infeasible_plan_exits_1_with_the_relaxation(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "--target", "data-cert", "--budget", "150", "--json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["feasible"] is False
    assert payload["relaxations"][0]["text"] == "budget 150 -> 400"


def test_unknown_target_exits_2_with_candidates(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "--target", "data", "--json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert "candidates" in payload
    assert payload["error"]


def test_bad_objective_exits_2_without_traceback(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "--target", "data-cert", "--objective", "random"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_picture_is_written(runner: CliRunner, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"path{suffix}"
    result = runner.invoke(app, ["plan", "--target", "data-cert", "--picture", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data


def test_learner_wallet_and_profile_come_from_the_store(runner: CliRunner, tmp_path: Path) -> None:
    import datetime as dt

    from coach.store import open_database
    from coach.store.ports import NewWalletRecord

    (tmp_path / "data").mkdir()
    store = open_database(f"sqlite:///{(tmp_path / 'data' / 'coach.sqlite3').resolve()}")
    learner = store.create_learner()
    store.add_credential(
        learner,
        NewWalletRecord(
            data=b'{"badge": 1}',
            media_type="application/json",
            format="ob3",
            status="valid",
            verification={"status": "valid"},
            verified_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            credential_id="intro-data",
            earned_on=dt.date(2025, 5, 1),
        ),
    )
    store.put_state(
        learner,
        "profile",
        {
            "skills": {
                "py": {
                    "skill": "py",
                    "level": 3,
                    "source": "self-assessed",
                    "confidence": 0.7,
                    "assessed_on": "2026-01-02",
                }
            }
        },
    )
    store.close()
    result = runner.invoke(app, ["plan", "--target", "data-cert", "--learner", learner, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [s["id"] for s in payload["steps"]] == ["advanced-data"]
    role_result = runner.invoke(
        app, ["plan", "--target", "data-analyst", "--learner", learner, "--json"]
    )
    assert json.loads(role_result.stdout)["status"] == "already-reached"


def test_filters_from_the_command_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "--target", "data-cert", "--modality", "onsite", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["relaxations"][0]["text"] == "modality onsite -> any"
    clash = runner.invoke(app, ["plan", "--target", "data-cert", "--prefer", "x", "--avoid", "x"])
    assert clash.exit_code == 2
