"""Pure extractors: money, study hours per week, weeks and countries from text.

Each takes the learner's message and returns plain values (or ``None``); no
catalogue, no state. The dialogue policy decides what they mean in context.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from coach.planner import Objective
from knowledge.schema.common import CURRENCY_WORDS

_NUMBER_WORDS: dict[str, float] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "half a": 0.5,
    "a couple of": 2,
    "a few": 3,
}

_NUM = r"(\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
_WORDNUM = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
_QTY = rf"(?:{_NUM}\s*(k)?|({_WORDNUM}))"


class Money(BaseModel):
    """An amount of money; ``currency`` is ISO 4217 or None when not stated."""

    model_config = ConfigDict(frozen=True)
    amount: float
    currency: str | None = None


def parse_number(text: str) -> float | None:
    """A number written with digits (``1,200``, ``1 200``, ``2.5``, ``3k``) or in words."""
    cleaned = text.strip().lower()
    if cleaned in _NUMBER_WORDS:
        return _NUMBER_WORDS[cleaned]
    match = re.fullmatch(_NUM + r"\s*(k)?", cleaned)
    if match is None:
        return None
    digits = match.group(1)
    if re.fullmatch(r"\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?", digits):
        value = float(re.sub(r"[,\s]", "", digits))
    else:
        value = float(digits.replace(",", "."))
    return value * 1000 if match.group(2) else value


def _qty(match: re.Match[str], start: int) -> float | None:
    """The quantity captured by a ``_QTY`` group starting at group ``start``."""
    digits, kilo, word = match.group(start), match.group(start + 1), match.group(start + 2)
    if word:
        return _NUMBER_WORDS[word.lower()]
    if digits is None:
        return None
    value = parse_number(digits)
    if value is None:
        return None
    return value * 1000 if kilo else value


_CUR = "|".join(sorted((re.escape(w) for w in CURRENCY_WORDS), key=len, reverse=True))
_MONEY_BEFORE = re.compile(rf"(?<![a-z])({_CUR})\s*{_QTY}", re.IGNORECASE)
_MONEY_AFTER = re.compile(rf"{_QTY}\s*({_CUR})(?![a-z])", re.IGNORECASE)
_BUDGET = re.compile(
    rf"(?:budget|afford|spend|under|below|less than|max(?:imum)?|up to|at most|cost)"
    rf"\D{{0,20}}?{_NUM}\s*(k)?(?!\s*(?:hours?|hrs?|h\b|weeks?|months?|years?|%))",
    re.IGNORECASE,
)


_MONEY_PATTERNS = (_MONEY_BEFORE, _MONEY_AFTER)


def _amount(match: re.Match[str]) -> tuple[float, str] | None:
    """(amount, ISO code) of a ``_MONEY_BEFORE`` or ``_MONEY_AFTER`` match."""
    if match.re is _MONEY_BEFORE:
        currency, amount = match.group(1), _qty(match, 2)
    else:
        amount, currency = _qty(match, 1), match.group(4)
    return None if amount is None else (amount, CURRENCY_WORDS[currency.lower()])


def extract_money(text: str) -> Money | None:
    """The first amount of money in ``text`` ("under €500", "300 dollars", "budget 1k")."""
    for pattern in _MONEY_PATTERNS:
        match = pattern.search(text)
        found = None if match is None else _amount(match)
        if found is not None:
            return Money(amount=found[0], currency=found[1])
    match = _BUDGET.search(text)
    if match is not None:
        value = parse_number(match.group(1))
        if value is not None:
            return Money(amount=value * 1000 if match.group(2) else value, currency=None)
    return None


# A spending limit: a limit word then an amount with its currency ("under €300",
# "less than 300 euros"), or the amount then "or less" / "max" ("300 euros or less").
_LIMIT_BEFORE = re.compile(
    r"\b(?:under|below|less than|cheaper than|no more than|not more than|at most|"
    r"max(?:imum)?(?: of)?|up to|within|for less than|(?:a )?budget(?: of| is)?)\s*",
    re.IGNORECASE,
)
_LIMIT_AFTER = re.compile(r"\s*(?:or less|or cheaper|max(?:imum)?\b|tops\b)", re.IGNORECASE)


class PriceLimit(BaseModel):
    """A stated upper limit on price, and where it sits in the text (to strip it)."""

    model_config = ConfigDict(frozen=True)
    amount: float
    currency: str
    start: int
    end: int


def _money_at(text: str, start: int) -> tuple[float, str, int] | None:
    """An amount with its currency written exactly at ``start``: (amount, ISO code, end)."""
    for pattern in _MONEY_PATTERNS:
        match = pattern.match(text, start)
        found = None if match is None else _amount(match)
        if match is not None and found is not None:
            return found[0], found[1], match.end()
    return None


def extract_price_limit(text: str) -> PriceLimit | None:
    """The first price limit with a currency ("under 300 euros", "$500 or less").

    An amount without a currency ("under 300") is not a limit here: the catalogue
    prices in several currencies and guessing one would hide good matches.
    """
    for limit in _LIMIT_BEFORE.finditer(text):
        found = _money_at(text, limit.end())
        if found is not None:
            amount, currency, end = found
            return PriceLimit(amount=amount, currency=currency, start=limit.start(), end=end)
    for pattern in _MONEY_PATTERNS:
        for match in pattern.finditer(text):
            after = _LIMIT_AFTER.match(text, match.end())
            money = None if after is None else _amount(match)
            if after is not None and money is not None:
                return PriceLimit(
                    amount=money[0], currency=money[1], start=match.start(), end=after.end()
                )
    return None


_PER_WEEK = r"(?:a|an|per|each|every|/|in a)\s*(?:week|wk)\b|weekly|/\s*w\b|pw\b"
_HOURS_PER_WEEK = re.compile(
    rf"{_QTY}\s*(?:-|to)?\s*(?:hours?|hrs?|h)\b\s*(?:of\s+\w+\s+)?(?:{_PER_WEEK})",
    re.IGNORECASE,
)
_HOURS_PER_DAY = re.compile(
    rf"{_QTY}\s*(?:hours?|hrs?|h)\b\s*(?:a|per|each|every)\s*day\b", re.IGNORECASE
)


def extract_hours_per_week(text: str) -> float | None:
    """Study time per week: "5 hours a week", "10h/week", "2 hours a day" (x7)."""
    match = _HOURS_PER_WEEK.search(text)
    if match is not None:
        return _qty(match, 1)
    match = _HOURS_PER_DAY.search(text)
    if match is not None:
        per_day = _qty(match, 1)
        return None if per_day is None else per_day * 7
    return None


_SPAN = re.compile(
    rf"(?:in|within|by|over|under|less than|at most|up to|next|for|only have|have)\s+"
    rf"(?:the\s+next\s+)?{_QTY}\s*(weeks?|wks?|months?|years?)\b",
    re.IGNORECASE,
)
_UNIT_WEEKS = {"week": 1.0, "wk": 1.0, "month": 52 / 12, "year": 52.0}


def extract_weeks(text: str) -> float | None:
    """A time horizon in weeks: "in 12 weeks", "within 3 months", "in a year"."""
    match = _SPAN.search(text)
    if match is None:
        return None
    amount = _qty(match, 1)
    if amount is None:
        return None
    unit = match.group(4).lower().rstrip("s")
    return round(amount * _UNIT_WEEKS[unit], 1)


#: Country names, adjectives and demonyms -> ISO 3166-1 alpha-2 (``EU`` for the Union).
COUNTRY_NAMES: dict[str, str] = {
    "european union": "EU",
    "the eu": "EU",
    "europe": "EU",
    "european": "EU",
    "germany": "DE",
    "german": "DE",
    "deutschland": "DE",
    "france": "FR",
    "french": "FR",
    "spain": "ES",
    "spanish": "ES",
    "italy": "IT",
    "italian": "IT",
    "portugal": "PT",
    "portuguese": "PT",
    "netherlands": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "dutch": "NL",
    "belgium": "BE",
    "belgian": "BE",
    "luxembourg": "LU",
    "austria": "AT",
    "austrian": "AT",
    "switzerland": "CH",
    "swiss": "CH",
    "ireland": "IE",
    "irish": "IE",
    "united kingdom": "GB",
    "the uk": "GB",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "british": "GB",
    "england": "GB",
    "scotland": "GB",
    "denmark": "DK",
    "danish": "DK",
    "sweden": "SE",
    "swedish": "SE",
    "norway": "NO",
    "norwegian": "NO",
    "finland": "FI",
    "finnish": "FI",
    "iceland": "IS",
    "poland": "PL",
    "polish": "PL",
    "czechia": "CZ",
    "czech republic": "CZ",
    "czech": "CZ",
    "slovakia": "SK",
    "hungary": "HU",
    "hungarian": "HU",
    "romania": "RO",
    "romanian": "RO",
    "bulgaria": "BG",
    "greece": "GR",
    "greek": "GR",
    "croatia": "HR",
    "slovenia": "SI",
    "estonia": "EE",
    "latvia": "LV",
    "lithuania": "LT",
    "malta": "MT",
    "cyprus": "CY",
    "united states": "US",
    "the us": "US",
    "usa": "US",
    "america": "US",
    "american": "US",
    "canada": "CA",
    "canadian": "CA",
    "mexico": "MX",
    "brazil": "BR",
    "india": "IN",
    "indian": "IN",
    "china": "CN",
    "japan": "JP",
    "australia": "AU",
    "australian": "AU",
    "new zealand": "NZ",
    "south africa": "ZA",
    "nigeria": "NG",
    "kenya": "KE",
    "singapore": "SG",
    "turkey": "TR",
    "ukraine": "UA",
}
_COUNTRY = re.compile(
    r"(?<![a-z])("
    + "|".join(sorted((re.escape(n) for n in COUNTRY_NAMES), key=len, reverse=True))
    + r")(?![a-z])",
    re.IGNORECASE,
)
# Two-letter codes only when written in capitals ("in DE"), so "in" or "it" never match.
_CODE = re.compile(r"\b(?:in|for|to)\s+([A-Z]{2})\b")
_KNOWN_CODES = frozenset(COUNTRY_NAMES.values())


def extract_countries(text: str) -> tuple[str, ...]:
    """Countries named in ``text`` as ISO codes, in order of mention, without repeats."""
    found: list[tuple[int, str]] = []
    for match in _COUNTRY.finditer(text):
        found.append((match.start(), COUNTRY_NAMES[match.group(1).lower()]))
    for match in _CODE.finditer(text):
        code = match.group(1)
        if code in _KNOWN_CODES:
            found.append((match.start(1), code))
    seen: list[str] = []
    for _, code in sorted(found):
        if code not in seen:
            seen.append(code)
    return tuple(seen)


_OBJECTIVES: tuple[tuple[Objective, re.Pattern[str]], ...] = (
    ("cheapest", re.compile(r"\b(cheap\w*|less expensive|lower cost|cost less|save money)\b")),
    ("fastest", re.compile(r"\b(fast\w*|quick\w*|sooner|shorter|less time|asap)\b")),
    ("recognized", re.compile(r"\b(recogni[sz]ed|accredited|most recogni[sz]ed|respected)\b")),
    ("balanced", re.compile(r"\b(balanced|best overall|good balance)\b")),
)


def extract_objective(text: str) -> Objective | None:
    """What the learner wants a plan optimised for, if the message says so."""
    lowered = text.lower()
    for objective, pattern in _OBJECTIVES:
        if pattern.search(lowered):
            return objective
    return None
