"""Turn a coach ``Answer`` into Telegram messages (pure, no network).

Text is sent with parse mode HTML, so every piece of untrusted text is escaped;
long answers are split under Telegram's 4,096-character limit at line breaks;
quick replies become an inline keyboard on the last message.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from coach.answer import Answer

TELEGRAM_TEXT_LIMIT = 4096
#: Telegram allows at most 64 bytes of callback data per button.
CALLBACK_DATA_LIMIT = 64
_BUTTONS_PER_ROW = 2


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class OutgoingText:
    html: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())


def render_answer(answer: Answer) -> list[OutgoingText]:
    """The messages that carry ``answer``: escaped text, sources, then buttons."""
    body = html.escape(answer.text.strip() or "…", quote=False)
    if answer.citations:
        lines = ["", "<b>Sources</b>"]
        for citation in answer.citations:
            title = html.escape(citation.title, quote=False)
            if citation.url and citation.url.startswith(("https://", "http://")):
                href = html.escape(citation.url, quote=True)
                lines.append(f'• <a href="{href}">{title}</a> ({html.escape(citation.id)})')
            else:
                lines.append(f"• {title} ({html.escape(citation.id)})")
        body += "\n".join(lines)
    chunks = split_html_text(body)
    buttons = _keyboard(answer)
    messages = [OutgoingText(chunk) for chunk in chunks[:-1]]
    messages.append(OutgoingText(chunks[-1], buttons))
    return messages


def split_html_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split at line breaks (then spaces) so no piece exceeds ``limit``.

    Splits never fall inside an HTML entity or tag: the text only holds escaped
    entities and whole-line tags, and a cut backs off to the last newline or space.
    """
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
            amp = rest.rfind("&", 0, cut)
            if amp != -1 and ";" not in rest[amp:cut]:
                cut = amp  # never split an entity like &amp;
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    pieces.append(rest)
    # Telegram refuses empty or blank messages.
    return [piece for piece in pieces if piece.strip()] or ["…"]


def _keyboard(answer: Answer) -> tuple[tuple[Button, ...], ...]:
    usable = [
        Button(action.label[:60], action.payload)
        for action in answer.actions
        if len(action.payload.encode()) <= CALLBACK_DATA_LIMIT
    ]
    rows = [
        tuple(usable[i : i + _BUTTONS_PER_ROW]) for i in range(0, len(usable), _BUTTONS_PER_ROW)
    ]
    return tuple(rows)
