"""The synthetic catalogue: deterministic, valid at every size, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bots.cli.app import app
from knowledge.loading import load_catalogue
from knowledge.synth import synthesise, write_synthetic
from knowledge.validation import validate_catalogue


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "a", 300, seed=7)
    write_synthetic(tmp_path / "b", 300, seed=7)
    write_synthetic(tmp_path / "c", 300, seed=8)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert _tree(tmp_path / "a") != _tree(tmp_path / "c")


@pytest.mark.parametrize("size", [1, 40, 4500])
def test_synthetic_catalogue_validates_clean(tmp_path: Path, size: int) -> None:
    write_synthetic(tmp_path / "cat", size, seed=size)
    catalogue, report = validate_catalogue(tmp_path / "cat")
    assert report.errors == []
    assert report.warnings == []
    assert catalogue is not None
    assert report.counts["credentials"] == size
    assert len(catalogue.credentials) == size


def test_synthetic_catalogue_has_every_feature_the_checks_look_at() -> None:
    data = synthesise(3000, seed=1)
    credentials = data["credentials"]
    assert any(c.get("prerequisites") for c in credentials)
    rules = [q["rules"] for q in data["qualifications"]]
    assert any(r.get("elective_pools") for r in rules)
    assert any("max_transfer_credits" in r for r in rules)
    assert any("min_level" in r for r in rules)
    assert {r["kind"] for r in data["recognitions"]} >= {
        "accreditation",
        "endorsement",
        "credit-transfer",
        "framework-level",
    }
    assert any(s["depends_on"] for s in data["skills"])
    assert len({c["domain"] for c in credentials}) >= 8


def test_synth_command_writes_a_loadable_catalogue(tmp_path: Path) -> None:
    out = tmp_path / "syn"
    result = CliRunner().invoke(
        app, ["catalogue", "synth", "--size", "60", "--seed", "3", "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["size"] == 60
    assert len(load_catalogue(out).credentials) == 60
    again = CliRunner().invoke(app, ["catalogue", "synth", "--size", "5", "--out", str(out)])
    assert again.exit_code == 2
