"""``coach wallet verify``: JSON contract, --documents maps, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bots.cli.app import app
from tests.conftest import shared_data

FIXTURE = ("vc", "dcc-vc-test-fixtures")


def _map(tmp_path: Path, root: Path) -> Path:
    """A documents map with relative paths (resolved from the map's folder)."""
    link = tmp_path / "dcc"
    link.symlink_to(root)
    base = "https://digitalcredentials.github.io/vc-test-fixtures/"
    status_list = "statusLists/didkey-ed25519Signature2020/e5WK8CbZ1GjycuPombrj"
    mapping = {
        base + status_list: "dcc/" + status_list,
        base + "dids/legacy/did.json": "dcc/dids/legacy/did.json",
    }
    path = tmp_path / "map.json"
    path.write_text(json.dumps(mapping))
    return path


def test_verify_json_prints_the_contract_and_exits_0_when_valid(tmp_path: Path) -> None:
    root = shared_data(*FIXTURE)
    badge = root / "verifiableCredentials/v2/ed25519/didKey/legacy-noStatus-noExpiry.json"
    result = CliRunner().invoke(app, ["wallet", "verify", str(badge), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["status"] == "valid"
    assert payload["format"] == "ob3-data-integrity"
    assert {"status", "format", "reasons", "checks", "issuer", "achievement"} <= set(payload)
    ids = {c["id"] for c in payload["checks"]}
    assert {"format", "context", "schema", "proof", "key", "validity", "status", "subject"} <= ids
    assert payload["achievement"]["name"] == "Teamwork"


def test_verify_with_documents_map_finds_revocation_and_exits_1(tmp_path: Path) -> None:
    root = shared_data(*FIXTURE)
    badge = (
        root
        / "verifiableCredentials/v1/dataIntegrityProof/didWeb/legacy-revokedStatus-noExpiry.json"
    )
    result = CliRunner().invoke(
        app, ["wallet", "verify", str(badge), "--documents", str(_map(tmp_path, root)), "--json"]
    )
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["status"] == "invalid"
    assert payload["reasons"] == ["revoked"]


def test_verify_without_documents_stays_offline_and_indeterminate() -> None:
    root = shared_data(*FIXTURE)
    badge = (
        root / "verifiableCredentials/v1/dataIntegrityProof/didWeb/legacy-noStatus-noExpiry.json"
    )
    result = CliRunner().invoke(app, ["wallet", "verify", str(badge), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["status"] == "indeterminate"


def test_unreadable_input_exits_2_with_one_json_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    result = CliRunner().invoke(app, ["wallet", "verify", str(bad), "--json"])
    assert result.exit_code == 2
    assert "error" in json.loads(result.stdout)
    missing = CliRunner().invoke(app, ["wallet", "verify", str(tmp_path / "missing.json")])
    assert missing.exit_code == 2


def test_broken_documents_map_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    docs = tmp_path / "map.json"
    docs.write_text(json.dumps({"https://x.example/": "nowhere.json"}))
    result = CliRunner().invoke(app, ["wallet", "verify", str(bad), "--documents", str(docs)])
    assert result.exit_code == 2


def test_contexts_import_stores_only_pinned_copies(tmp_path: Path) -> None:
    clr = shared_data("contexts", "clr-v2p0-2.0.1.json")
    env = {"COACH_DATA_DIR": str(tmp_path / "data")}
    ok = CliRunner().invoke(app, ["wallet", "contexts", "import", str(clr), "--json"], env=env)
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["imported"][str(clr)].endswith("context-2.0.1.json")
    assert (tmp_path / "data" / "contexts" / "clr-v2p0-2.0.1.json").exists()
    other = tmp_path / "other.json"
    other.write_text('{"@context": {"x": "https://evil.example/x"}}')
    refused = CliRunner().invoke(app, ["wallet", "contexts", "import", str(other)], env=env)
    assert refused.exit_code == 2
