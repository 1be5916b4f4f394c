"""Which facet of a credential or of its recognition a question is about."""

from __future__ import annotations

import re

from coach.recognition import Aspect

_INFO: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "prerequisites",
        re.compile(
            r"prerequisite|requirement|need (to know |to have )?before|"
            r"entry|eligib|can i (start|take|join)",
            re.I,
        ),
    ),
    (
        "stacks",
        re.compile(
            r"stack|count(s)? towards|lead(s)? to|part of|build(s)? towards|"
            r"what can i do (next|after)",
            re.I,
        ),
    ),
    ("cost", re.compile(r"how much|cost|price|fee|expensive|cheap|pay|afford", re.I)),
    (
        "duration",
        re.compile(
            r"how long|duration|how many (hours|weeks)|time (does|will)|"
            r"take to|workload|effort",
            re.I,
        ),
    ),
    (
        "content",
        re.compile(
            r"learn|cover|teach|content|syllabus|outcome|skills|topics",
            re.I,
        ),
    ),
    ("provider", re.compile(r"who (offers|runs|provides|awards|issues)|provider|offered by", re.I)),
)

_RECOGNITION: tuple[tuple[Aspect, re.Pattern[str]], ...] = (
    (
        "expiry",
        re.compile(
            r"expir|renew|lapse|still valid|valid for|valid until|how long is it "
            r"valid",
            re.I,
        ),
    ),
    (
        "credit-transfer",
        re.compile(
            r"\bcredits?\b|transfer|\bects\b|count(s)? (for|towards) (a|my|the) "
            r"(degree|bachelor|master|diploma)",
            re.I,
        ),
    ),
    ("endorsement", re.compile(r"employer|endorse|compan(y|ies)|industry|hire|recruit", re.I)),
    ("framework-level", re.compile(r"\beqf\b|\bnqf\b|framework|what level|which level", re.I)),
    (
        "accreditation",
        re.compile(
            r"ac{1,2}red{1,2}it|quality assur|official|regulat|licen[cs]|approved|legit", re.I
        ),
    ),
)


def info_aspect(text: str) -> str:
    """``cost``, ``duration``, ``content``, ``prerequisites``, ``stacks``, ``provider`` or
    ``overview``."""
    for name, pattern in _INFO:
        if pattern.search(text):
            return name
    return "overview"


def recognition_aspect(text: str, *, has_country: bool) -> Aspect:
    """The recognition question asked; ``country`` when only a place is named."""
    for name, pattern in _RECOGNITION:
        if pattern.search(text):
            return name
    return "country" if has_country else "any"
