"""The python-telegram-bot application: short handlers that call the coach.

State lives in the project database (through the backend), never in
python-telegram-bot persistence, so polling and webhook workers are stateless.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bots.logs import event
from bots.telegram.backend import TelegramBackend
from bots.telegram.commands import (
    COMMANDS,
    ERASE,
    ERASE_CANCEL,
    ERASE_CONFIRM,
    EXPORT,
    command_message,
)
from bots.telegram.render import OutgoingText, render_answer
from coach.answer import Answer

log = logging.getLogger("stackwise.telegram")
MAX_BADGE_BYTES = 2 * 1024 * 1024
MAX_TEXT_CHARS = 4000


def build_application(
    token: str, backend: TelegramBackend, *, base_url: str | None = None, webhook: bool = False
) -> Application[Any, Any, Any, Any, Any, Any]:
    """An Application wired to ``backend``; ``webhook=True`` builds it without an updater."""
    builder = Application.builder().token(token).rate_limiter(AIORateLimiter(max_retries=3))
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.replace("/bot", "/file/bot"))
    if webhook:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data["backend"] = backend
    application.add_handler(TypeHandler(Update, _drop_repeated_updates), group=-1)
    application.add_handler(CommandHandler(EXPORT, _export))
    application.add_handler(CommandHandler(ERASE, _erase))
    application.add_handler(CommandHandler(list(COMMANDS), _command))
    application.add_handler(CallbackQueryHandler(_button))
    application.add_handler(MessageHandler(filters.Document.ALL, _document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _text))
    application.add_error_handler(_error)
    return application


async def publish_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Show the command menu in Telegram; optional, so a refusal is only logged."""
    commands = [BotCommand(name, description) for name, (_, description) in COMMANDS.items()]
    commands += [BotCommand(EXPORT, "Download your data"), BotCommand(ERASE, "Erase your data")]
    try:
        await application.bot.set_my_commands(commands)
    except TelegramError as exc:
        log.warning("set_my_commands failed error=%s", type(exc).__name__)


def _backend(context: ContextTypes.DEFAULT_TYPE) -> TelegramBackend:
    backend: TelegramBackend = context.bot_data["backend"]
    return backend


async def _drop_repeated_updates(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop an update whose id was already processed (Telegram redelivers on timeouts)."""
    if not isinstance(update, Update):
        return
    first = await asyncio.to_thread(_backend(context).first_delivery, update.update_id)
    if not first:
        event(log, "telegram.duplicate", update_id=update.update_id)
        raise ApplicationHandlerStop


async def _learner(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    user = update.effective_user
    if user is None:
        return None
    return await asyncio.to_thread(_backend(context).learner_for_user, user.id)


async def _reply(update: Update, context: ContextTypes.DEFAULT_TYPE, answer: Answer) -> None:
    """Send the answer's text (split, escaped), its buttons, then its images."""
    chat = update.effective_chat
    if chat is None:
        return
    for outgoing in render_answer(answer):
        await context.bot.send_message(
            chat.id,
            outgoing.html,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(outgoing),
            disable_web_page_preview=True,
        )
    for attachment in answer.attachments:
        if attachment.media_type != "image/png":
            continue
        try:
            await context.bot.send_photo(
                chat.id,
                InputFile(attachment.data, filename=attachment.name),
                caption=attachment.alt,
            )
        except TelegramError as exc:
            # Some Bot API servers refuse photos; the text already carries the content.
            event(log, "telegram.photo_failed", chat=chat.id, error=type(exc).__name__)
            await context.bot.send_message(chat.id, f"(Picture not delivered: {attachment.alt})")


def _markup(outgoing: OutgoingText) -> InlineKeyboardMarkup | None:
    if not outgoing.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in outgoing.buttons
        ]
    )


async def _ask_coach(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: str, attachments: list[bytes]
) -> None:
    learner_id = await _learner(update, context)
    if learner_id is None:
        return
    answer = await asyncio.to_thread(_backend(context).respond, learner_id, message, attachments)
    event(log, "telegram.turn", learner=learner_id, intent=answer.intent)
    await _reply(update, context, answer)


async def _text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text goes to the coach as it is (bounded in length)."""
    if update.message is None or update.message.text is None:
        return
    await _ask_coach(update, context, update.message.text[:MAX_TEXT_CHARS], [])


async def _command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start /help /goal /assess /plan /wallet /verify /reset become coach messages."""
    if update.message is None or update.message.text is None:
        return
    name = update.message.text.split()[0].lstrip("/").split("@")[0].lower()
    message = command_message(name, list(context.args or []))
    if message is not None:
        await _ask_coach(update, context, message, [])


async def _button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An inline button: its payload is sent to the coach as the learner's answer."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    try:
        await query.answer()
    except TelegramError as exc:
        event(log, "telegram.callback_answer_failed", error=type(exc).__name__)
    if query.data in (ERASE_CONFIRM, ERASE_CANCEL):
        await _finish_erase(update, context, confirmed=query.data == ERASE_CONFIRM)
        return
    await _ask_coach(update, context, query.data, [])


async def _document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A badge file (JSON, JWT, baked PNG or SVG): downloaded, then verified by the coach."""
    message = update.message
    if message is None or message.document is None:
        return
    document = message.document
    if document.file_size and document.file_size > MAX_BADGE_BYTES:
        await message.reply_text("That file is over the 2 MB limit for a badge.")
        return
    try:
        file = await document.get_file()
        data = bytes(await file.download_as_bytearray())
    except TelegramError as exc:
        event(log, "telegram.download_failed", error=type(exc).__name__)
        await message.reply_text(
            "I could not download that file from Telegram. Please try again, or paste the "
            "badge's JSON as a message."
        )
        return
    if len(data) > MAX_BADGE_BYTES:
        await message.reply_text("That file is over the 2 MB limit for a badge.")
        return
    await _ask_coach(update, context, message.caption or "", [data])


async def _export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export: the learner's whole record as a JSON file."""
    learner_id = await _learner(update, context)
    chat = update.effective_chat
    if learner_id is None or chat is None:
        return
    record = await asyncio.to_thread(_backend(context).export, learner_id)
    payload = json.dumps(record, indent=2, ensure_ascii=False, default=str).encode()
    try:
        await context.bot.send_document(
            chat.id, InputFile(payload, filename="stackwise-export.json"), caption="Your data"
        )
    except TelegramError as exc:
        event(log, "telegram.document_failed", learner=learner_id, error=type(exc).__name__)
        await context.bot.send_message(
            chat.id,
            "I could not send the export file here. You can download it from the web chat, "
            "or ask again later.",
        )


async def _erase(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/erase asks for confirmation before anything is removed."""
    chat = update.effective_chat
    if chat is None:
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes, erase everything", callback_data=ERASE_CONFIRM),
                InlineKeyboardButton("No, keep it", callback_data=ERASE_CANCEL),
            ]
        ]
    )
    await context.bot.send_message(
        chat.id,
        "This erases your wallet, assessments, plans and conversation with the coach. "
        "It cannot be undone. Erase everything?",
        reply_markup=keyboard,
    )


async def _finish_erase(
    update: Update, context: ContextTypes.DEFAULT_TYPE, *, confirmed: bool
) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    if not confirmed:
        await context.bot.send_message(chat.id, "Nothing was erased.")
        return
    learner_id = await _learner(update, context)
    if learner_id is None:
        return
    await asyncio.to_thread(_backend(context).erase, learner_id)
    event(log, "learner.erased", learner=learner_id, channel="telegram")
    await context.bot.send_message(chat.id, "Done: everything Stackwise held about you is erased.")


async def _error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (no message contents) and tell the learner something went wrong."""
    log.error("telegram handler failed error=%r", context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                update.effective_chat.id, "Sorry, something went wrong. Please try again."
            )
