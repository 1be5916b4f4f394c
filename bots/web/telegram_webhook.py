"""``POST /telegram/webhook``: Telegram updates delivered to ``coach serve``.

The python-telegram-bot application is built on the first update (webhook
mode: no updater, no polling) and processes each update before the request
returns, so an update Telegram redelivers after a failure is deduplicated by
its id in the database, not in this process.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException, Request, Response
from telegram import Update

from bots.settings import Settings
from bots.telegram.backend import TelegramBackend
from bots.telegram.bot import build_application

log = logging.getLogger("stackwise.telegram")
SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105 - a header name


class TelegramWebhook:
    """Checks the secret, then hands the update to python-telegram-bot."""

    def __init__(self, settings: Settings, backend: Callable[[], TelegramBackend]) -> None:
        self._settings = settings
        self._backend = backend
        self._application: Any = None
        self._lock = asyncio.Lock()

    async def handle(self, request: Request) -> Response:
        token = self._settings.telegram_bot_token
        secret = self._settings.telegram_webhook_secret
        if token is None:
            raise HTTPException(404, "Telegram is not configured on this server.")
        sent = request.headers.get(SECRET_HEADER, "")
        if secret is None or not hmac.compare_digest(
            sent.encode(), secret.get_secret_value().encode()
        ):
            raise HTTPException(403, "Wrong or missing secret token.")
        try:
            data = json.loads(await request.body())
        except ValueError as exc:
            raise HTTPException(400, "The update is not JSON.") from exc
        if not isinstance(data, dict):
            raise HTTPException(400, "The update is not a JSON object.")
        application = await self._app()
        update = Update.de_json(data, application.bot)
        await application.process_update(update)
        return Response(status_code=200)

    async def _app(self) -> Any:
        async with self._lock:
            if self._application is None:
                token = self._settings.telegram_bot_token
                assert token is not None
                application = build_application(
                    token.get_secret_value(),
                    self._backend(),
                    base_url=self._settings.telegram_base_url,
                    webhook=True,
                )
                await application.initialize()
                self._application = application
            return self._application
