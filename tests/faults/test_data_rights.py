"""Data rights: export gives the whole record; erase leaves the learner's marker nowhere.

After a journey on the web and on Telegram the learner erases their data; then
their marker text is searched for in every table of the database, every file of
the data dir and every captured log line (message text is never logged).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from bots.telegram.commands import ERASE_CONFIRM
from knowledge.embedding import Embedder
from knowledge.synth import write_synthetic
from tests.channels.fake_bot_api import FakeBotApi
from tests.faults.conftest import fault_app, fault_settings, new_learner
from tests.fixtures.postgres import PostgresServer
from tests.fixtures.telegram import ServerThread

TOKEN = "6161:faults-rights"
SECRET = "faults-rights-secret-0123456789"
HOOK = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
WEB_MARKER = "zebracorn-web-4471"
TG_MARKER = "quokkafish-tg-9902"
TG_USER = 918273645


@pytest.fixture(scope="module")
def bot_api() -> Iterator[tuple[FakeBotApi, str]]:
    api = FakeBotApi()
    with ServerThread(api.app) as server:
        yield api, f"{server.url}/bot"


def _database_dump(url: str) -> str:
    """Every row of every table, as JSON text."""
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    rows: list[str] = []
    with psycopg.connect(conninfo) as connection:
        tables = connection.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
            "AND table_type = 'BASE TABLE'"
        ).fetchall()
        assert tables, "the store created its tables"
        for schema, table in tables:
            query = f'SELECT row_to_json(t)::text FROM "{schema}"."{table}" t'
            rows += [row[0] for row in connection.execute(query)]
    return "\n".join(rows)


def _files_text(folder: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def _tg_message(update_id: int, text: str) -> dict[str, Any]:
    person = {"id": TG_USER, "is_bot": False, "first_name": "Learner"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": TG_USER, "type": "private"},
            "from": person,
            "text": text,
        },
    }


def _tg_button(update_id: int, data: str) -> dict[str, Any]:
    person = {"id": TG_USER, "is_bot": False, "first_name": "Learner"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "from": person,
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": update_id,
                "date": int(time.time()),
                "chat": {"id": TG_USER, "type": "private"},
                "from": {"id": 6161, "is_bot": True, "first_name": "Stackwise"},
                "text": "Are you sure?",
            },
        },
    }


def test_erase_leaves_the_marker_in_no_table_file_or_log(
    postgres_server: PostgresServer,
    bot_api: tuple[FakeBotApi, str],
    fault_embedder: Embedder,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    api, base_url = bot_api
    catalogue = tmp_path / "catalogue"
    write_synthetic(catalogue, 30, seed=17)
    database = postgres_server.create_database("faults_rights")
    data_dir = tmp_path / "data"
    settings = fault_settings(
        data_dir,
        catalogue=catalogue,
        database_url=database,
        telegram_bot_token=TOKEN,
        telegram_base_url=base_url,
        telegram_webhook_secret=SECRET,
    )
    with TestClient(fault_app(settings, fault_embedder)) as client:
        learner_id, headers = new_learner(client)
        for message in (f"hello, my name is {WEB_MARKER}", "find credentials about testing"):
            response = client.post("/api/chat", json={"message": message}, headers=headers)
            assert response.status_code == 200
        badge = json.dumps({"name": WEB_MARKER, "type": ["VerifiableCredential"]}).encode()
        files = {"file": ("badge.json", badge, "application/json")}
        assert client.post("/api/wallet", files=files, headers=headers).status_code < 500

        assert client.post("/telegram/webhook", json=_tg_message(990_001, "/start"), headers=HOOK)
        said = client.post(
            "/telegram/webhook", json=_tg_message(990_002, f"I am {TG_MARKER}"), headers=HOOK
        )
        assert said.status_code == 200

        exported = client.get("/api/wallet/export", headers=headers)
        assert exported.status_code == 200
        record = exported.json()
        assert WEB_MARKER in json.dumps(record), "the export holds the learner's conversation"
        assert learner_id in json.dumps(record)
        assert TG_MARKER not in json.dumps(record), "another learner's data is not exported"

        dump = _database_dump(database)
        for marker in (WEB_MARKER, TG_MARKER):
            assert marker in dump, "the marker was stored before erase"
            assert marker not in caplog.text, "message text is never logged"

        assert client.delete("/api/wallet", headers=headers).status_code == 204
        erased = client.post(
            "/telegram/webhook", json=_tg_button(990_003, ERASE_CONFIRM), headers=HOOK
        )
        assert erased.status_code == 200
        replies = [c.fields.get("text", "") for c in api.calls_to("sendMessage")]
        assert any("erased" in text for text in replies), replies

    dump = _database_dump(database)
    for marker in (WEB_MARKER, TG_MARKER, learner_id, str(TG_USER)):
        assert marker not in dump, f"{marker} is still in the database"
    stored = _files_text(data_dir)
    for marker in (WEB_MARKER, TG_MARKER):
        assert marker.encode() not in stored, f"{marker} is in a file of the data dir"
        assert marker not in caplog.text, f"{marker} is in the logs"
