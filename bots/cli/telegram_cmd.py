"""``coach telegram``: the Telegram bot in polling mode (or registering a webhook)."""

from __future__ import annotations

import asyncio

import typer

from bots.cli.output import EXIT_BAD_INPUT, console, fail
from bots.settings import load_settings


def telegram(
    webhook_url: str = typer.Option(
        "",
        help="Instead of polling, register this public URL of POST /telegram/webhook and exit.",
    ),
) -> None:
    """Run the Telegram bot by polling (or register the webhook of `coach serve`)."""
    from bots.channel_backend import build_channel_backend
    from bots.telegram.bot import build_application, publish_commands

    settings = load_settings()
    if settings.telegram_bot_token is None:
        fail("TELEGRAM_BOT_TOKEN is not set.", code=EXIT_BAD_INPUT)
    token = settings.telegram_bot_token.get_secret_value()
    backend = build_channel_backend(settings)
    application = build_application(token, backend, base_url=settings.telegram_base_url)

    if webhook_url:
        secret = settings.telegram_webhook_secret
        if secret is None:
            fail("Set COACH_TELEGRAM_WEBHOOK_SECRET before registering a webhook.")
        asyncio.run(_register_webhook(application, webhook_url, secret.get_secret_value()))
        console.print(f"Webhook registered: {webhook_url}")
        return

    async def post_init(app: object) -> None:
        await publish_commands(application)

    application.post_init = post_init
    console.print("Telegram bot polling; press Ctrl+C to stop.")
    application.run_polling(drop_pending_updates=False)


async def _register_webhook(application: object, url: str, secret: str) -> None:
    bot = application.bot  # type: ignore[attr-defined]
    async with bot:
        await bot.set_webhook(url, secret_token=secret)


def register(app: typer.Typer) -> None:
    app.command("telegram")(telegram)
