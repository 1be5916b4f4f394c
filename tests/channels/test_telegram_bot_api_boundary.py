"""The Telegram adapter at the Bot API's HTTP boundary: files in, pictures and files out.

The emulator refuses sendPhoto, sendDocument and getFile, so these run against
a Bot API server of our own (tests/channels/fake_bot_api.py) with the real
python-telegram-bot client and the real coach behind it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from telegram import Update

from bots.channel_backend import ChannelServices, build_channel_backend
from bots.settings import Settings
from bots.telegram.bot import build_application
from knowledge.loading import load_catalogue
from tests.channels.fake_bot_api import FakeBotApi
from tests.fixtures.telegram import ServerThread

TOKEN = "4242:boundary-test"


@pytest.fixture(scope="module")
def bot_api() -> Iterator[tuple[FakeBotApi, str]]:
    api = FakeBotApi()
    with ServerThread(api.app) as server:
        yield api, f"{server.url}/bot"


@pytest.fixture(scope="module")
def backend(web_settings: Settings) -> ChannelServices:
    return build_channel_backend(web_settings)


_update_ids = iter(range(10_000, 20_000))


def _message(user_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Learner"},
            **extra,
        },
    }


async def _process(backend: ChannelServices, base_url: str, *updates: dict[str, Any]) -> None:
    application = build_application(TOKEN, backend, base_url=base_url, webhook=True)
    await application.initialize()
    try:
        for data in updates:
            await application.process_update(Update.de_json(data, application.bot))
    finally:
        await application.shutdown()


async def test_a_badge_sent_as_a_document_is_downloaded_and_verified(
    bot_api: tuple[FakeBotApi, str], backend: ChannelServices
) -> None:
    api, base_url = bot_api
    api.files["badge-1"] = json.dumps({"not": "a badge"}).encode()
    document = {"file_id": "badge-1", "file_unique_id": "u1", "file_name": "badge.json"}
    await _process(backend, base_url, _message(501, document=document))
    assert [call.fields["file_id"] for call in api.calls_to("getFile")] == ["badge-1"]
    replies = [call.fields["text"] for call in api.calls_to("sendMessage")]
    assert replies, "the learner gets an answer about the file"
    assert "download" not in replies[-1].lower(), "the file was downloaded, not refused"


async def test_the_plan_picture_is_sent_as_a_png_photo(
    bot_api: tuple[FakeBotApi, str], backend: ChannelServices, web_settings: Settings
) -> None:
    api, base_url = bot_api
    catalogue = load_catalogue(web_settings.catalogue)
    target = next(iter(catalogue.qualifications.values()))
    before = len(api.calls_to("sendPhoto"))
    await _process(
        backend,
        base_url,
        _message(502, text=f"my goal is {target.title}"),
        _message(502, text="make me a plan"),
    )
    photos = api.calls_to("sendPhoto")[before:]
    assert photos, [c.fields.get("text", "")[:80] for c in api.calls_to("sendMessage")[-3:]]
    assert photos[-1].files["photo"].startswith(b"\x89PNG\r\n\x1a\n")


async def test_export_sends_the_learners_record_as_a_json_file(
    bot_api: tuple[FakeBotApi, str], backend: ChannelServices
) -> None:
    api, base_url = bot_api
    entities = [{"type": "bot_command", "offset": 0, "length": 7}]
    await _process(
        backend,
        base_url,
        _message(503, text="marker for export 31"),
        _message(503, text="/export", entities=entities),
    )
    [document] = api.calls_to("sendDocument")[-1:]
    record = json.loads(document.files["document"])
    assert "marker for export 31" in json.dumps(record)


async def test_a_429_is_retried_after_the_delay_telegram_asks_for(
    bot_api: tuple[FakeBotApi, str], backend: ChannelServices
) -> None:
    api, base_url = bot_api
    api.throttle_next = 1
    before = len(api.calls_to("sendMessage"))
    started = time.monotonic()
    await _process(backend, base_url, _message(504, text="hello"))
    sends = api.calls_to("sendMessage")[before:]
    assert len(sends) >= 2, "the refused send was retried"
    assert time.monotonic() - started >= 1.0, "the retry waited for retry_after"


async def test_an_update_delivered_twice_is_handled_once(
    bot_api: tuple[FakeBotApi, str], backend: ChannelServices
) -> None:
    api, base_url = bot_api
    update = _message(505, text="hello")
    before = len(api.calls_to("sendMessage"))
    await _process(backend, base_url, update, update)
    answered = [c for c in api.calls_to("sendMessage")[before:] if c.fields["chat_id"] == "505"]
    assert len(answered) == 1
