"""``coach catalogue ...`` through the real Typer app: exit codes and --json shape."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bots.cli.app import app

runner = CliRunner()


def test_validate_json_on_a_valid_catalogue(write_catalogue, catalogue_files) -> None:
    result = runner.invoke(
        app, ["catalogue", "validate", str(write_catalogue(catalogue_files)), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    assert payload["errors"] == []
    assert payload["counts"]["credentials"] == 3


def test_validate_json_lists_every_error_and_exits_1(write_catalogue, catalogue_files) -> None:
    catalogue_files["credentials/data.yaml"]["credentials"][0]["provider"] = "prov.ghost"
    catalogue_files["broken.yaml"] = "credentials: [\n"
    result = runner.invoke(
        app, ["catalogue", "validate", str(write_catalogue(catalogue_files)), "--json"]
    )
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert {error["where"] for error in payload["errors"]} == {
        "broken.yaml",
        "credentials/data.yaml: credentials[0] (cred.py1) > provider",
    }
    assert all(set(error) == {"where", "message"} for error in payload["errors"])


def test_validate_human_output_names_the_problem(write_catalogue, catalogue_files) -> None:
    catalogue_files["credentials/data.yaml"]["credentials"][0]["provider"] = "prov.ghost"
    result = runner.invoke(app, ["catalogue", "validate", str(write_catalogue(catalogue_files))])
    assert result.exit_code == 1
    assert "unknown provider 'prov.ghost'" in result.stdout
    assert "Traceback" not in result.output


def test_validate_missing_folder_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["catalogue", "validate", str(tmp_path / "nope"), "--json"])
    assert result.exit_code == 2
    assert "not a folder" in json.loads(result.stdout)["error"]


def test_validate_defaults_to_the_catalogue_setting(
    write_catalogue, catalogue_files, monkeypatch
) -> None:
    monkeypatch.setenv("COACH_CATALOGUE", str(write_catalogue(catalogue_files)))
    result = runner.invoke(app, ["catalogue", "validate", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["roles"] == 1


def test_validate_a_file_instead_of_a_folder_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text("name: x\n")
    result = runner.invoke(app, ["catalogue", "validate", str(path)])
    assert result.exit_code == 2
    assert "not a folder" in result.output


def test_synth_and_import_refuse_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("a: 1\n")
    result = runner.invoke(app, ["catalogue", "synth", "--size", "5", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "not an empty folder" in " ".join(result.output.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.yaml"]
