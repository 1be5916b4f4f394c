"""``coach index`` and ``coach search`` end to end, with the real offline model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bots.cli.app import app
from knowledge.embedding import Embedder
from knowledge.importers.writer import write_catalogue_folder
from knowledge.index import catalogue_documents
from knowledge.schema import Catalogue
from tests.retrieval.helpers import small_catalogue


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_embedder: Embedder) -> Catalogue:
    catalogue = small_catalogue()
    folder = tmp_path / "catalogue"
    write_catalogue_folder(
        folder,
        catalogue.info,
        {
            "providers": list(catalogue.providers.values()),
            "skills": list(catalogue.skills.values()),
            "credentials": list(catalogue.credentials.values()),
            "qualifications": list(catalogue.qualifications.values()),
            "roles": list(catalogue.roles.values()),
            "recognitions": list(catalogue.recognitions.values()),
        },
    )
    monkeypatch.setenv("COACH_CATALOGUE", str(folder))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COACH_CHROMA_URL", raising=False)
    monkeypatch.delenv("COACH_EMBEDDING_MODEL", raising=False)
    return catalogue


def test_index_json_prints_one_line_and_is_incremental(env: Catalogue) -> None:
    runner = CliRunner()
    total = len(catalogue_documents(env))
    first = runner.invoke(app, ["index", "--json"])
    assert first.exit_code == 0, first.output
    lines = first.stdout.strip().splitlines()
    assert len(lines) == 1
    payload = json.loads(lines[0])
    assert set(payload) == {"indexed", "unchanged", "removed", "seconds"}
    assert (payload["indexed"], payload["unchanged"], payload["removed"]) == (total, 0, 0)

    second = json.loads(runner.invoke(app, ["index", "--json"]).stdout)
    assert (second["indexed"], second["unchanged"]) == (0, total)
    rebuilt = json.loads(runner.invoke(app, ["index", "--rebuild", "--json"]).stdout)
    assert rebuilt["indexed"] == total


def test_search_json_lists_ranked_results(env: Catalogue) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["search", "learn to write database queries", "--k", "3", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    rows = payload["results"]
    assert len(rows) == 3
    assert set(rows[0]) == {"id", "title", "type", "score"}
    assert rows[0]["id"] in {"sql-basics", "sql"}
    assert rows[0]["score"] >= rows[-1]["score"]


def test_search_applies_the_limits_written_in_the_query_unless_literal(env: Catalogue) -> None:
    runner = CliRunner()
    limited = runner.invoke(app, ["search", "first aid course under 100 euros", "--json"])
    assert limited.exit_code == 0, limited.output
    payload = json.loads(limited.stdout)
    assert payload["limits"] == ["at most 100 EUR"]
    assert payload["results"] == []  # first aid costs 120 EUR; nothing else has a price so low

    literal = json.loads(
        runner.invoke(
            app, ["search", "first aid course under 100 euros", "--literal", "--json"]
        ).stdout
    )
    assert "limits" not in literal
    assert literal["results"][0]["id"] == "first-aid-cert"

    empty = runner.invoke(app, ["search", "first aid course under 100 euros"])
    assert empty.exit_code == 0
    assert "no results within the limits (at most 100 EUR)" in empty.stdout


def test_search_says_when_nothing_in_the_catalogue_is_about_the_query(env: Catalogue) -> None:
    runner = CliRunner()
    covered = json.loads(runner.invoke(app, ["search", "database queries", "--json"]).stdout)
    assert covered["matched"] is True
    assert set(covered["evidence"]) == {"similarity", "coverage"}
    lacking = json.loads(runner.invoke(app, ["search", "piano lessons", "--json"]).stdout)
    assert lacking["matched"] is False
    assert lacking["results"]  # still the nearest entries, for whoever wants them

    shown = runner.invoke(app, ["search", "piano lessons"])
    assert shown.exit_code == 0
    assert "nothing in the catalogue is about this" in shown.stderr


def test_search_reports_how_it_read_misspelt_words(env: Catalogue) -> None:
    runner = CliRunner()
    typed = json.loads(runner.invoke(app, ["search", "database qeuries", "--json"]).stdout)
    assert typed["read_as"] == "database queries"
    assert typed["results"][0]["id"] in {"sql-basics", "sql"}
    spelled = json.loads(runner.invoke(app, ["search", "database queries", "--json"]).stdout)
    assert "read_as" not in spelled
    shown = runner.invoke(app, ["search", "database qeuries"])
    assert "read as: database queries" in shown.stderr


def test_search_rejects_an_empty_query(env: Catalogue) -> None:
    result = CliRunner().invoke(app, ["search", "  ", "--json"])
    assert result.exit_code == 2
    assert "error" in json.loads(result.stdout)


def test_index_of_a_missing_catalogue_is_a_clear_error(env: Catalogue, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["index", "--catalogue", str(tmp_path / "nope"), "--json"])
    assert result.exit_code == 2
    assert "error" in json.loads(result.stdout)
