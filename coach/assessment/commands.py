"""Reading what the learner sent: a button payload, a keyword, a number, or words."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Longest message read as an answer; longer ones get a re-prompt, not a guess.
MAX_INPUT = 2000

_VERBS = frozenset(
    {
        "level",
        "skip",
        "back",
        "pause",
        "resume",
        "finish",
        "confirm",
        "target",
        "verified",
        "sure",
        "start",
    }
)
_KEYWORDS: dict[str, tuple[str, str]] = {
    "skip": ("skip", ""),
    "pass": ("skip", ""),
    "skip it": ("skip", ""),
    "back": ("back", ""),
    "go back": ("back", ""),
    "previous": ("back", ""),
    "undo": ("back", ""),
    "pause": ("pause", ""),
    "stop": ("pause", ""),
    "later": ("pause", ""),
    "not now": ("pause", ""),
    "resume": ("resume", ""),
    "continue": ("resume", ""),
    "finish": ("finish", ""),
    "finish now": ("finish", ""),
    "done": ("finish", ""),
    "yes": ("yes", ""),
    "y": ("yes", ""),
    "yep": ("yes", ""),
    "yeah": ("yes", ""),
    "right": ("yes", ""),
    "correct": ("yes", ""),
    "that's right": ("yes", ""),
    "ok": ("yes", ""),
    "no": ("no", ""),
    "n": ("no", ""),
    "nope": ("no", ""),
    "not really": ("no", ""),
    "wrong": ("no", ""),
    "none": ("level", "0"),
    "none yet": ("level", "0"),
    "none of these": ("level", "0"),
    "none of these yet": ("level", "0"),
    "none of them": ("level", "0"),
    "nothing": ("level", "0"),
    "never": ("level", "0"),
    "no experience": ("level", "0"),
}
_NUMBER = re.compile(r"^(?:level|option|number|#)?\s*(\d{1,3})$")
_TRAILING = re.compile(r"[\s.!?]+$")


@dataclass(frozen=True)
class Command:
    """``verb`` is a payload verb, ``yes``/``no``, ``text`` (free words) or ``invalid``."""

    verb: str
    arg: str = ""


def parse(text: str) -> Command:
    """Classify one message (already stripped and length-checked)."""
    low = text.lower()
    if low.startswith("assess:"):
        parts = text.split(":", 2)
        verb = parts[1].lower() if len(parts) > 1 else ""
        if verb not in _VERBS:
            return Command("invalid", text)
        return Command(verb, parts[2].strip() if len(parts) > 2 else "")
    key = _TRAILING.sub("", low)
    if key in _KEYWORDS:
        verb, arg = _KEYWORDS[key]
        return Command(verb, arg)
    number = _NUMBER.match(key)
    if number:
        return Command("level", number.group(1))
    return Command("text", text)
