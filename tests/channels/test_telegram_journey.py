"""A learner's journey on Telegram, end to end against the Bot API emulator.

The real python-telegram-bot client talks to the `telegram-test-api` emulator
(through the fix-up layer in tests/fixtures/telegram.py); updates reach the
coach through the webhook of the real web app, with its secret token checked.
The learner sets a goal, takes the quick assessment by pressing buttons, gets
a plan (its picture falls back to a note: the emulator refuses sendPhoto),
sends a badge file (the emulator refuses getFile: the bot says so) and asks a
recognition question.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Bot

from bots.settings import DEMO_CATALOGUE, Settings
from bots.web.app import create_app
from knowledge.loading import load_catalogue
from tests.fixtures.telegram import ServerThread, TelegramEmulator

TOKEN = "777:journey-token"
SECRET = "journey-secret-0123456789"
USER = 9001
GOAL = "qual-nordvale-cert-data-analytics"


class Chat:
    """The learner's side of the chat: send, press, and read what the bot sent."""

    def __init__(self, emulator: TelegramEmulator, user_id: int) -> None:
        self.emulator = emulator
        self.user_id = user_id
        self.inbox: list[dict[str, Any]] = []

    def send(self, text: str) -> None:
        self.emulator.client_send(TOKEN, text, user_id=self.user_id, command=text.startswith("/"))

    def press(self, data: str) -> None:
        self.emulator.client_press(TOKEN, data, user_id=self.user_id)

    def wait(self, predicate: Any, timeout: float = 60) -> list[dict[str, Any]]:
        """Messages received until one satisfies ``predicate``; fails on timeout."""
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fresh = self.emulator.bot_messages(TOKEN, user_id=self.user_id)
            seen.extend(fresh)
            if any(predicate(message) for message in fresh):
                self.inbox.extend(seen)
                return seen
            time.sleep(0.2)
        texts = [m.get("text", "")[:120] for m in seen]
        raise AssertionError(f"no matching bot message within {timeout}s; got {texts}")


def buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


@pytest.fixture(scope="module")
def journey_chat(
    telegram_emulator: TelegramEmulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Chat]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("telegram-journey"),
        catalogue=DEMO_CATALOGUE,
        telegram_bot_token=TOKEN,
        telegram_base_url=telegram_emulator.bot_base_url,
        telegram_webhook_secret=SECRET,
    )
    with ServerThread(create_app(settings)) as server:
        # Warm the coach so the first webhook delivery does not wait for the model.
        assert httpx.post(f"{server.url}/api/sessions", timeout=300).status_code == 201

        async def register() -> None:
            bot = Bot(TOKEN, base_url=telegram_emulator.bot_base_url)
            async with bot:
                await bot.set_webhook(f"{server.url}/telegram/webhook", secret_token=SECRET)

        asyncio.run(register())
        yield Chat(telegram_emulator, USER)


def test_the_webhook_refuses_a_wrong_secret(journey_chat: Chat) -> None:
    hook = journey_chat.emulator.layer.hooks[TOKEN]
    response = httpx.post(
        hook.url,
        json={"update_id": 1},
        headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
        timeout=30,
    )
    assert response.status_code == 403


def test_goal_assessment_plan_badge_and_recognition_on_telegram(journey_chat: Chat) -> None:
    chat = journey_chat
    chat.send("/start")
    chat.wait(lambda m: "learning coach" in m.get("text", "").lower())

    chat.send("/goal Certificate in Data Analytics")
    goal = chat.wait(lambda m: any(GOAL in data for data in buttons(m)))
    assess_button = next(d for m in goal for d in buttons(m) if d.startswith("assess:start"))

    chat.press(assess_button)
    questions = 0
    message = chat.wait(lambda m: any(d.startswith("assess:") for d in buttons(m)))[-1]
    while True:
        options = buttons(message)
        if not any(d.startswith("assess:level:") or d.startswith("assess:yes") for d in options):
            break
        questions += 1
        assert questions <= 14, "the quick assessment asks at most 12 questions (+ confirmations)"
        choice = next(
            (d for d in options if d == "assess:level:2"),
            next(d for d in options if d.startswith("assess:")),
        )
        chat.press(choice)
        message = chat.wait(lambda m: bool(m.get("text")))[-1]
    summary = " ".join(m.get("text", "") for m in chat.inbox[-3:]).lower()
    assert "level" in summary or "gap" in summary, summary

    chat.send("/plan")
    plan_messages = chat.wait(lambda m: "pathway to" in m.get("text", "").lower())
    plan_text = " ".join(m.get("text", "") for m in plan_messages)
    assert "picture not delivered" in plan_text.lower(), "the refused photo falls back to a note"
    catalogue = load_catalogue(DEMO_CATALOGUE)
    assert any(c.title in plan_text for c in catalogue.credentials.values()), plan_text[:500]

    chat.emulator.client_send(
        TOKEN,
        "",
        user_id=USER,
        document={"file_id": "badge-77", "file_unique_id": "badge-77", "file_name": "badge.json"},
    )
    chat.wait(lambda m: "could not download" in m.get("text", "").lower())

    credential = catalogue.credentials["cred-nordvale-data-foundations"]
    chat.send(f"Is {credential.title} accredited?")
    answer = chat.wait(lambda m: "sources" in m.get("text", "").lower(), timeout=60)
    assert any("rec-" in m.get("text", "") for m in answer)


def test_export_falls_back_to_a_note_when_the_api_refuses_files(journey_chat: Chat) -> None:
    journey_chat.send("/export")
    journey_chat.wait(lambda m: "export file" in m.get("text", "").lower())


def test_coach_telegram_polls_the_bot_api_and_answers(
    telegram_emulator: TelegramEmulator, tmp_path_factory: pytest.TempPathFactory
) -> None:
    token = "778:polling-token"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "COACH_TELEGRAM_BASE_URL": telegram_emulator.bot_base_url,
        "COACH_DATA_DIR": str(tmp_path_factory.mktemp("telegram-polling")),
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "coach"), "telegram"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        telegram_emulator.client_send(token, "/help", user_id=4242, command=True)
        deadline = time.monotonic() + 240
        replies: list[dict[str, Any]] = []
        while time.monotonic() < deadline and not replies:
            replies = telegram_emulator.bot_messages(token, user_id=4242)
            time.sleep(0.5)
        assert replies, "the polling bot answered"
        assert "coach" in replies[0].get("text", "").lower()
    finally:
        process.terminate()
        process.wait(timeout=30)
