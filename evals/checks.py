"""Deterministic checks of a coach answer against a case's expectations.

Numbers in expected facts are compared as numbers: ``1200`` matches
"1,200", "1 200" or "1200.00" in the answer.
"""

from __future__ import annotations

import re
from typing import Any

from coach.answer import Answer
from knowledge.index.documents import credential_metadata
from knowledge.index.filters import SearchFilters
from knowledge.schema import Catalogue

_NUMBER = re.compile(r"\d[\d,\u202f\u00a0 ]*(?:\.\d+)?")
#: Phrases the coach uses when the catalogue has no answer or the request is out of scope.
REFUSAL_MARKERS = (
    "not in the catalogue",
    "isn't in the catalogue",
    "is not in the catalogue",
    "no credential",
    "couldn't find",
    "could not find",
    "can't help",
    "cannot help",
    "don't know",
    "do not know",
    "not something i",
    "outside",
    "only help",
    "no match",
    "nothing in the catalogue",
    "don't have",
    "not listed",
)


def numbers_in(text: str) -> list[float]:
    """Every number written in ``text`` (thousands separators removed)."""
    found: list[float] = []
    for match in _NUMBER.finditer(text):
        raw = re.sub(r"[,\u202f\u00a0 ]", "", match.group(0))
        try:
            found.append(float(raw))
        except ValueError:
            continue
    return found


def _has_fact(text: str, fact: str | float | int) -> bool:
    if isinstance(fact, int | float) and not isinstance(fact, bool):
        return any(abs(n - float(fact)) < 1e-6 for n in numbers_in(text))
    return str(fact).lower() in text.lower()


def is_refusal(answer: Answer) -> bool:
    """True when the answer declines or says the catalogue has nothing."""
    text = answer.text.lower()
    return answer.intent in {"out_of_scope", "refuse"} or any(m in text for m in REFUSAL_MARKERS)


def check_answer(
    answer: Answer,
    expect: dict[str, Any],
    catalogue: Catalogue,
    own_records: frozenset[str] = frozenset(),
) -> list[str]:
    """Every unmet expectation, one sentence each (empty: the answer passes).

    ``own_records`` are the asking learner's wallet record ids: citing them is fine,
    citing anyone else's (or anything not in the catalogue) fails the case.
    """
    problems: list[str] = []
    intent = expect.get("intent")
    if intent is not None:
        wanted = [intent] if isinstance(intent, str) else list(intent)
        if answer.intent not in wanted:
            problems.append(f"intent {answer.intent!r}, expected {' or '.join(wanted)}")
    for fact in expect.get("facts", []):
        if not _has_fact(answer.text, fact):
            problems.append(f"missing fact {fact!r}")
    any_of = expect.get("any_of", [])
    if any_of and not any(_has_fact(answer.text, fact) for fact in any_of):
        problems.append(f"none of {any_of!r} in the answer")
    for bad in expect.get("absent", []):
        if bad.lower() in answer.text.lower():
            problems.append(f"must not contain {bad!r}")
    cited = {c.id for c in answer.citations}
    for wanted_id in expect.get("citations", []):
        if wanted_id not in cited:
            problems.append(f"citation {wanted_id!r} missing (cited: {sorted(cited)})")
    cites_any = expect.get("cites_any", [])
    if cites_any and not cited.intersection(cites_any):
        problems.append(f"cites none of {cites_any!r} (cited: {sorted(cited)})")
    within = expect.get("within")
    if within:
        limits = SearchFilters.model_validate(within)
        for wanted_id in sorted(cited):
            credential = catalogue.credentials.get(wanted_id)
            if credential is not None and not limits.matches(credential_metadata(credential)):
                problems.append(f"cites {wanted_id!r}, outside the limits {within}")
    if expect.get("no_citations_outside_catalogue", True):
        known = catalogue_ids(catalogue) | own_records
        unknown = sorted(c for c in cited if c not in known and not c.startswith("urn:"))
        if unknown:
            problems.append(f"cites records not in the catalogue: {unknown}")
    refusal = expect.get("refusal")
    if refusal is True and not is_refusal(answer):
        problems.append("expected a refusal or 'not in the catalogue'")
    if refusal is False and is_refusal(answer):
        problems.append("refused, expected an answer")
    return problems


def catalogue_ids(catalogue: Catalogue) -> set[str]:
    """Every id an answer may cite from this catalogue."""
    ids: set[str] = set()
    for name in ("credentials", "qualifications", "roles", "providers", "skills", "recognitions"):
        group = getattr(catalogue, name, None)
        if group is not None:
            ids.update(group.keys())
    return ids
