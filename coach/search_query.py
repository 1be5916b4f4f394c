"""A learner's search message: the words to rank on and the constraints to filter by.

"online cybersecurity courses under 100 euros" asks for cybersecurity courses,
but only online ones priced at most 100 EUR. The rankers cannot honour "under
100 euros" (it is not a topic), so the constraints become ``SearchFilters``,
applied before ranking, and their words leave the ranking text.

Only unambiguous phrasings count. "online" is a study mode in "online course"
or "do it online" but a topic in "online safety" or "online marketing"; a
level is an EQF level only as "level 5" or "EQF 5"; a price needs a currency.
What is not understood stays in the text for the rankers, so nothing is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.dialogue.extract import extract_price_limit
from knowledge.index.filters import SearchFilters
from knowledge.schema.common import Mode

_STUDY_NOUN = (
    r"(?:courses?|class(?:es)?|badges?|certificates?|certifications?|credentials?|"
    r"micro-?credentials?|programm?e?s?|modules?|degrees?|training|options?|bootcamps?|"
    r"study|learning|format|versions?)"
)
_STUDY_VERB = r"(?:study|studying|learn|learning|do|doing|take|taking|done|taken|attend)"
# "online marketing course" is about marketing online, not a course taken online.
_ONLINE_TOPIC = (
    r"(?:marketing|safety|security|privacy|advertising|ads|reputation|sales|business|"
    r"stores?|shops?|presence|communit(?:y|ies)|payments?|harassment|fraud|behaviou?r|"
    r"content|research|retail)"
)
_END = r"(?=\s*(?:please|pls|only|thanks?|thank you)?\s*[.!?]*\s*$)"

# (mode, pattern): group 1 of the first pattern that matches is the mode's phrase,
# removed from the ranking text.
_MODE_PHRASES: tuple[tuple[Mode, str], ...] = (
    (
        "online",
        rf"\b((?:(?:fully|entirely|completely|100 ?%)\s+)?online(?:[- ]only)?)"
        rf"(?!\s+{_ONLINE_TOPIC}\b)(?=(?:\s+[\w-]+){{0,3}}?[\s-]+{_STUDY_NOUN}\b|{_END})",
    ),
    (
        "online",
        rf"\b{_STUDY_VERB}(?:\s+(?:it|this|them|that|everything))?\s+"
        rf"((?:(?:fully|entirely|completely)\s+)?(?:online|remotely|from home))\b",
    ),
    ("online", rf"\b(remote)(?=\s+{_STUDY_NOUN}\b)"),
    (
        "onsite",
        r"\b(in[- ]person|on[- ]?site|on campus|face[- ]to[- ]face|in a classroom|"
        r"classroom[- ]based)\b",
    ),
    ("blended", rf"\b(blended(?:\s+learning)?|hybrid(?=\s+{_STUDY_NOUN}\b))"),
)
_MODES = tuple((mode, re.compile(phrase, re.IGNORECASE)) for mode, phrase in _MODE_PHRASES)
_NEGATED = re.compile(
    r"\b(?:not|no|never|without|rather than|instead of|don'?t want(?: to do it)?)\s+"
    r"(?:(?:fully|entirely|completely|an?|the)\s+)?$",
    re.IGNORECASE,
)
_FREE = re.compile(
    r"\b(?:for free|free of charge|at no cost|no cost|zero cost|costs? nothing|"
    r"without paying|free(?![- ](?:time|form|lanc\w*|dom)\b))\b",
    re.IGNORECASE,
)
# "level 5" and "EQF 5", but not "at least level 5" (no minimum-level filter) or
# another framework's level ("RQF level 5").
_LEVEL = re.compile(
    r"(?<!least )(?<!above )(?<!rqf )(?<!nqf )(?<!scqf )"
    r"\b(?:eqf[- ]?(?:level[- ]?)?|level[- ]?)([1-8])\b(?!\s*(?:\+|or (?:above|higher|more)))",
    re.IGNORECASE,
)
_HOURS = re.compile(
    r"\b(?:under|below|less than|at most|no more than|max(?:imum)?(?: of)?|up to|"
    r"shorter than)\s+(\d{1,4})\s*(?:hours?|hrs?|h)\b"
    r"(?!\s*(?:a|per|each|every|/)\s*(?:week|wk|day))",
    re.IGNORECASE,
)
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[,.!?;:])")
_REPEATED_MARK = re.compile(r"([,;:])(?:\s*[,;:])+")
_WORD = re.compile(r"[^\W_]{2,}")


@dataclass(frozen=True)
class SearchRequest:
    """What to rank on, what to filter by, and the constraints in words (for the answer)."""

    text: str
    filters: SearchFilters | None
    constraints: tuple[str, ...] = ()


def understand_search(message: str, given: SearchFilters | None = None) -> SearchRequest:
    """Split ``message`` into ranking text and the constraints it states.

    ``given`` are filters a caller set on purpose (an eval case's, a judgement's):
    they win over what the text said, field by field.
    """
    spans: list[tuple[int, int]] = []
    values: dict[str, object] = {}
    said: list[str] = []

    mode_phrase = _study_mode(message)
    if mode_phrase is not None:
        values["mode"], span = mode_phrase
        spans.append(span)
        said.append(str(values["mode"]))
    price = extract_price_limit(message)
    if price is not None:
        values["max_price"], values["currency"] = price.amount, price.currency
        spans.append((price.start, price.end))
        said.append(f"at most {price.amount:g} {price.currency}")
    else:
        free = _FREE.search(message)
        if free is not None:
            values["max_price"] = 0.0
            spans.append(free.span())
            said.append("free")
    level = _LEVEL.search(message)
    if level is not None:
        values["eqf_level"] = int(level.group(1))
        spans.append(level.span())
        said.append(f"EQF level {level.group(1)}")
    hours = _HOURS.search(message)
    if hours is not None:
        values["max_hours"] = float(hours.group(1))
        spans.append(hours.span())
        said.append(f"at most {hours.group(1)} hours")

    if not values:
        return SearchRequest(text=message, filters=given)
    text = _without(message, spans)
    # A message that was all constraints ("anything free online?") keeps its words.
    if not _WORD.search(text):
        text = message
    filters = merged(SearchFilters.model_validate(values), given)
    return SearchRequest(text=text, filters=filters, constraints=tuple(said))


def _study_mode(message: str) -> tuple[Mode, tuple[int, int]] | None:
    """The first study mode the message asks for; "not online" asks for none."""
    for mode, pattern in _MODES:
        for found in pattern.finditer(message):
            if not _NEGATED.search(message, 0, found.start(1)):
                return mode, found.span(1)
    return None


def merged(parsed: SearchFilters | None, given: SearchFilters | None) -> SearchFilters | None:
    """``given`` (set by a caller on purpose) wins over what the text said, field by field."""
    if parsed is None or given is None:
        return given if parsed is None else parsed
    explicit = given.model_dump(exclude_unset=True)
    return parsed.model_copy(update=explicit)


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    kept: list[str] = []
    position = 0
    for start, end in sorted(spans):
        if start >= position:
            kept.append(text[position:start])
            position = end
        else:
            position = max(position, end)
    kept.append(text[position:])
    text = " ".join(" ".join(kept).split())
    text = _REPEATED_MARK.sub(r"\1", _SPACE_BEFORE_MARK.sub("", text))
    return text.strip(" ,;:")
