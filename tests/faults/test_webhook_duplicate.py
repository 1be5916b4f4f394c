"""Telegram delivers the same update twice to the webhook: the learner gets one answer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowledge.embedding import Embedder
from knowledge.synth import write_synthetic
from tests.channels.fake_bot_api import FakeBotApi
from tests.faults.conftest import fault_app, fault_settings
from tests.fixtures.telegram import ServerThread

TOKEN = "5151:faults-webhook"
SECRET = "faults-webhook-secret-0123456789"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


@pytest.fixture(scope="module")
def bot_api() -> Iterator[tuple[FakeBotApi, str]]:
    api = FakeBotApi()
    with ServerThread(api.app) as server:
        yield api, f"{server.url}/bot"


def _update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Learner"},
            "text": text,
        },
    }


def _answers_to(api: FakeBotApi, user_id: int) -> list[str]:
    return [
        call.fields.get("text", "")
        for call in api.calls_to("sendMessage")
        if call.fields.get("chat_id") == str(user_id)
    ]


def test_the_same_update_posted_twice_to_the_webhook_is_answered_once(
    bot_api: tuple[FakeBotApi, str], fault_embedder: Embedder, tmp_path: Path
) -> None:
    api, base_url = bot_api
    catalogue = tmp_path / "catalogue"
    write_synthetic(catalogue, 30, seed=13)
    settings = fault_settings(
        tmp_path / "data",
        catalogue=catalogue,
        telegram_bot_token=TOKEN,
        telegram_base_url=base_url,
        telegram_webhook_secret=SECRET,
    )
    user = 7301
    with TestClient(fault_app(settings, fault_embedder)) as client:
        update = _update(880_001, user, "hello")
        first = client.post("/telegram/webhook", json=update, headers=HEADERS)
        second = client.post("/telegram/webhook", json=update, headers=HEADERS)
        assert first.status_code == 200
        assert second.status_code == 200, "a redelivery is acknowledged, or Telegram retries"
        assert len(_answers_to(api, user)) == 1

        # A new update from the same learner is still answered.
        fresh = client.post(
            "/telegram/webhook", json=_update(880_002, user, "help"), headers=HEADERS
        )
        assert fresh.status_code == 200
        assert len(_answers_to(api, user)) == 2
