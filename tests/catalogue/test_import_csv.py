"""CSV import with the shipped template."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bots.cli.app import app
from knowledge.importers.csv_import import COLUMNS
from knowledge.importers.run import import_catalogue
from knowledge.loading import load_catalogue

TEMPLATE = (
    Path(__file__).resolve().parents[2] / "knowledge" / "data" / "templates" / "credentials.csv"
)


def test_template_header_lists_every_column_and_imports_clean(tmp_path: Path) -> None:
    assert TEMPLATE.read_text().splitlines()[0] == ",".join(COLUMNS)
    outcome, _ = import_catalogue(TEMPLATE, "csv", tmp_path / "out", {})
    assert outcome.ok
    assert outcome.warnings == []
    catalogue = load_catalogue(tmp_path / "out")
    advanced = catalogue.credentials["cred.sql-advanced"]
    assert advanced.prerequisites[0].credentials == ("cred.sql-basics",)
    assert advanced.languages == ("en", "nl")
    assert advanced.participation.pacing == "cohort"
    assert advanced.workload.credits == 3
    assert catalogue.providers["prov.example-uni"].country == "NL"


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("\n".join([",".join(COLUMNS), *rows]) + "\n", encoding="utf-8")
    return path


ROW = (
    "{id},{title},Badge,prov.a,Provider A,company,DE,data,,,{hours},,,{price},EUR,4,online,,,"
    "{prereq},,,,,"
)


def test_empty_required_cells_skip_the_row_unless_a_default_is_given(tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        ROW.format(id="c1", title="One", hours="", price="10", prereq=""),
        ROW.format(id="c2", title="Two", hours="20", price="", prereq="c1"),
    )
    outcome, report = import_catalogue(source, "csv", tmp_path / "a", {})
    assert report.ok
    assert outcome.counts["credentials"] == 0
    assert any("row 2 (c1)" in w and "--default hours=..." in w for w in outcome.warnings)
    outcome, _ = import_catalogue(source, "csv", tmp_path / "b", {"hours": "12", "price": "0"})
    catalogue = load_catalogue(tmp_path / "b")
    assert catalogue.credentials["c1"].workload.hours == 12
    assert catalogue.credentials["c2"].price.amount == 0
    assert "--default hours used for 1 entry" in outcome.warnings


def test_bad_numbers_and_dangling_prerequisites_are_reported(tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        ROW.format(id="c1", title="One", hours="lots", price="10", prereq=""),
        ROW.format(id="c2", title="Two", hours="20", price="5", prereq="c1"),
    )
    outcome, _ = import_catalogue(source, "csv", tmp_path / "out", {})
    assert outcome.ok
    assert any("row 2 (c1)" in w and "does not parse" in w for w in outcome.warnings)
    assert any("dropped prerequisite(s) c1" in w for w in outcome.warnings)
    assert load_catalogue(tmp_path / "out").credentials["c2"].prerequisites == ()


def test_schema_violations_skip_the_row_with_the_field(tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        ROW.format(id="c1", title="One", hours="20", price="10", prereq="").replace(
            "online", "telepathy"
        ),
    )
    outcome, _ = import_catalogue(source, "csv", tmp_path / "out", {})
    assert outcome.counts["credentials"] == 0
    assert any("participation.mode" in w for w in outcome.warnings)


def test_bad_csv_files_exit_2_with_a_clear_error(tmp_path: Path) -> None:
    runner = CliRunner()
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,colour\nx,red\n")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"title\ncaf\xe9\n")
    for source in (wrong, latin, tmp_path / "absent.csv"):
        result = runner.invoke(
            app,
            [
                "catalogue",
                "import",
                str(source),
                "--format",
                "csv",
                "--out",
                str(tmp_path / "o"),
                "--json",
            ],
        )
        assert result.exit_code == 2, result.output
        assert json.loads(result.stdout)["error"]
        assert "Traceback" not in result.output
    result = runner.invoke(
        app, ["catalogue", "import", str(TEMPLATE), "--format", "xml", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2


def test_oversized_sources_are_refused_unread(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("knowledge.importers.csv_import.MAX_SOURCE_BYTES", 10)
    monkeypatch.setattr("knowledge.importers.ctdl.MAX_SOURCE_BYTES", 10)
    monkeypatch.setattr("knowledge.importers.ob3.MAX_SOURCE_BYTES", 10)
    source = tmp_path / "big.json"
    source.write_text('{"@graph": []}' + " " * 100)
    for source_format in ("csv", "ctdl", "ob3"):
        result = CliRunner().invoke(
            app,
            [
                "catalogue",
                "import",
                str(source),
                "--format",
                source_format,
                "--out",
                str(tmp_path / source_format),
            ],
        )
        assert result.exit_code == 2
        assert "larger than" in result.output
