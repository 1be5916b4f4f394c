"""The grounding check every model answer passes before it is sent.

Each catalogue entry, provider, price, duration and credit figure a model
answer states must appear in that turn's tool results. Sentences that fail are
cut (repair); when nothing trustworthy is left the caller replaces the whole
answer with the deterministic one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.dialogue.linking import EntityLinker, normalise

_NUMBER = r"\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("price", re.compile(rf"(?:€|\$|£|\b(?:EUR|USD|GBP|CHF)\s?)\s?({_NUMBER})", re.I)),
    (
        "price",
        re.compile(rf"({_NUMBER})\s?(?:€|EUR\b|USD\b|GBP\b|CHF\b|euros?\b|dollars?\b)", re.I),
    ),
    (
        "duration",
        re.compile(rf"({_NUMBER})\s?(?:-\s?)?(?:weeks?|hours?|hrs?|months?|days?)\b", re.I),
    ),
    ("credits", re.compile(rf"({_NUMBER})\s?(?:credits?|ECTS|CEUs?)\b", re.I)),
)
_CITED = re.compile(r"\[([a-z0-9][a-z0-9._-]{0,127})\]")
_CREDENTIAL_WORDS = (
    r"Certificate|Certification|Diploma|Degree|Badge|Micro-?credential|Bootcamp|Nanodegree|"
    r"Bachelor|Master"
)
_NAMED = re.compile(
    rf"\b((?:[A-Z][\w+#.-]*\s+)(?:(?:[A-Z][\w+#.-]*|of|in|for|and|&)\s+){{0,6}}"
    rf"(?:{_CREDENTIAL_WORDS})s?)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


_FIELDS: dict[str, frozenset[str]] = {
    "price": frozenset({"amount", "cost", "award_fee", "budget"}),
    "duration": frozenset(
        {"duration_weeks", "hours", "weeks", "start_week", "end_week", "months", "hours_per_week"}
    ),
    "credits": frozenset(
        {"credits", "min_total_credits", "min_credits", "max_transfer_credits", "needed", "reached"}
    ),
}
#: Fields that name catalogue entries (free text such as descriptions never counts).
_NAME_FIELDS = frozenset(
    {
        "id",
        "title",
        "target",
        "target_title",
        "towards_title",
        "towards_qualification",
        "subject_id",
        "subject_title",
        "about",
        "about_title",
        "record_id",
        "provider",
        "provider_name",
        "credential",
        "credential_id",
        "qualification",
    }
)
_GRANTED = re.compile(
    r"(?:accredited|endorsed|recogni[sz]ed|approved|certified|validated) by (?:the )?"
    r"([A-Z][\w&.-]*(?:\s+(?:[A-Z][\w&.-]*|of|for|and|&))*)"
)


@dataclass(frozen=True)
class Evidence:
    """What a turn's tool results establish: figures by kind (from structured fields only,
    never from free text such as descriptions), recognising bodies, and all text."""

    figures: dict[str, set[float]]
    bodies: set[str]
    names: set[str]

    @classmethod
    def of(cls, results: object) -> Evidence:
        figures: dict[str, set[float]] = {kind: set() for kind in _FIELDS}
        bodies: set[str] = set()
        names: set[str] = set()

        def walk(value: object, key: str = "") -> None:
            if isinstance(value, dict):
                for child_key, child in value.items():
                    walk(child, str(child_key))
            elif isinstance(value, list | tuple):
                for child in value:
                    walk(child, key)
            elif isinstance(value, bool):
                return
            elif isinstance(value, int | float):
                for kind, keys in _FIELDS.items():
                    if key in keys:
                        figures[kind].add(float(value))
            elif isinstance(value, str):
                if key in ("granted_by", "provider_name"):
                    bodies.add(normalise(value))
                if key in _NAME_FIELDS:
                    names.add(value)
                    names.add(normalise(value))

        walk(results)
        return cls(figures=figures, bodies=bodies, names=names)

    def names_entry(self, text: str) -> bool:
        key = normalise(text)
        return bool(key) and (text in self.names or key in self.names)


@dataclass(frozen=True)
class Violation:
    """A statement the tool results do not support."""

    kind: str
    value: str
    sentence: str


class Grounder:
    """Checks model answers against evidence (the JSON text of the turn's tool results)."""

    def __init__(self, linker: EntityLinker) -> None:
        self._linker = linker

    def violations(self, answer: str, results: object) -> list[Violation]:
        """Every statement in ``answer`` that ``results`` (the turn's tool results) lack."""
        evidence = Evidence.of(results)
        found: list[Violation] = []
        for sentence in (s.strip() for s in _SENTENCE.split(answer)):
            if not sentence:
                continue
            for kind, pattern in _FIGURES:
                for match in pattern.finditer(sentence):
                    value = float(re.sub(r"[,\s]", "", match.group(1)))
                    if value not in evidence.figures[kind]:
                        found.append(Violation(kind, match.group(0), sentence))
            for cited in _CITED.findall(sentence):
                if cited not in evidence.names:
                    found.append(Violation("citation", cited, sentence))
            for mention in self._linker.link(sentence, fuzzy=False).mentions:
                if mention.id not in evidence.names and not evidence.names_entry(mention.title):
                    found.append(Violation("entry", mention.id, sentence))
            for name in _NAMED.findall(sentence):
                if not evidence.names_entry(name):
                    found.append(Violation("entry", name, sentence))
            for body in _GRANTED.findall(sentence):
                key = normalise(body)
                if not any(key in known or known in key for known in evidence.bodies if known):
                    found.append(Violation("recognition", body, sentence))
        return found

    def repair(self, answer: str, results: object) -> tuple[str | None, list[Violation]]:
        """The answer without unsupported sentences, or None when too little is left."""
        problems = self.violations(answer, results)
        if not problems:
            return answer, []
        bad = {v.sentence for v in problems}
        sentences = [s.strip() for s in _SENTENCE.split(answer) if s.strip()]
        kept = [s for s in sentences if s not in bad]
        if not kept or len(kept) < len(sentences) / 2:
            return None, problems
        return " ".join(kept), problems


def cited_ids(answer: str, linker: EntityLinker, results: object) -> list[str]:
    """Catalogue entries the answer names (exact names or [ids]) that the results hold."""
    evidence = Evidence.of(results)
    ids: list[str] = []
    for mention in linker.link(answer, fuzzy=False).mentions:
        if mention.id in evidence.names and mention.id not in ids:
            ids.append(mention.id)
    for cited in _CITED.findall(answer):
        if cited in evidence.names and cited not in ids and linker.kind(cited):
            ids.append(cited)
    return ids
