"""One message, understood: intent, facet, mentioned entries and extracted values.

Context from the conversation state fills gaps: a question without a named
credential refers to the one just discussed; "and in Germany?" repeats the last
recognition question for another country; "cheaper" re-plans the current goal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.dialogue.aspects import info_aspect, recognition_aspect
from coach.dialogue.extract import (
    Money,
    extract_countries,
    extract_hours_per_week,
    extract_money,
    extract_objective,
    extract_weeks,
)
from coach.dialogue.intents import IntentClassifier
from coach.dialogue.linking import EntityLinker, Links, content_words, normalise
from coach.dialogue.state import DialogueState


@dataclass(frozen=True)
class Understanding:
    """What the coach took a message to mean."""

    intent: str
    aspect: str
    text: str
    links: Links
    countries: tuple[str, ...]
    money: Money | None
    hours_per_week: float | None
    weeks: float | None
    objective: str | None
    decided_by: str

    @property
    def has_constraints(self) -> bool:
        return any(
            v is not None for v in (self.money, self.hours_per_week, self.weeks, self.objective)
        )


_CARRY_WORDS = ("and ", "what about", "how about", "same for", "also")

_GOAL_STATEMENT = re.compile(r"^\s*my (new |main |career )?goal is\b", re.I)

_PRONOUN = re.compile(r"\b(it|its|it's|this|that|these|those|them|they|one|same)\b", re.I)


def refers_back(text: str) -> bool:
    """Whether a message leans on what was discussed ("how long does it take?")
    rather than naming a new subject ("tell me about agile")."""
    if _PRONOUN.search(text):
        return True
    return not content_words(text)


def understand(
    text: str,
    state: DialogueState,
    classifier: IntentClassifier,
    linker: EntityLinker,
) -> Understanding:
    """Intent and slots of ``text``, with the conversation's context applied."""
    links = linker.link(text)
    countries = extract_countries(text)
    money = extract_money(text)
    hours = extract_hours_per_week(text)
    weeks = extract_weeks(text)
    objective = extract_objective(text)
    lowered = text.lower().strip()
    named = bool(links.mentions or links.ambiguous)
    recognition_context = state.last_intent == "recognition"
    carry = lowered.startswith(_CARRY_WORDS) or len(lowered.split()) <= 4
    constrained_plan = bool(hours or weeks or money or objective) and bool(
        state.goal or state.last_intent == "plan"
    )

    # Rules first; then context and named entries; the embedding only when nothing else
    # decides (it is the one costly step of a turn).
    ruled = classifier.by_rule(text)
    if ruled == "plan" and _GOAL_STATEMENT.match(text):
        ruled = "set_goal"  # "my goal is X" names a goal even when X's title says "route"
    if ruled is not None:
        intent, decided_by = ruled, "rule"
    elif (countries and recognition_context and carry) or named or constrained_plan:
        intent, decided_by = "unknown", "context"
    else:
        guess = classifier.nearest(text)
        intent, decided_by = guess.intent, "nearest"
        if intent == "erase_data":
            # Erasing is destructive: only explicit wording (a rule) may ask for it, never a
            # message that merely sounds like the examples.
            intent = "unknown"
    if intent in ("unknown", "out_of_scope", "search", "credential_info") and (
        countries and recognition_context and carry
    ):
        intent = "recognition"  # "and in Germany?"
    elif intent in ("unknown", "out_of_scope") and named:
        intent = "credential_info"
    elif intent in ("unknown", "out_of_scope") and (hours or weeks or money or objective):
        if state.goal or state.last_intent == "plan":
            intent = "plan"
    elif intent == "unknown" and recognition_context and carry and not named:
        intent = "recognition"
    constrained = money is not None or hours is not None or weeks is not None
    if intent == "credential_info" and state.last_intent == "plan" and not named and constrained:
        intent = "plan"

    # The facet is read from the words around the names: a title such as "Full-Stack ..."
    # must not make a price question a stacking one.
    asked = _without_names(text, links)
    if intent == "recognition":
        aspect: str = recognition_aspect(asked, has_country=bool(countries))
        follow_up = recognition_context and not named and (countries or carry)
        if aspect in ("any", "country") and follow_up and state.last_aspect:
            aspect = state.last_aspect if not countries else _carry_aspect(state.last_aspect)
    elif intent == "credential_info":
        aspect = info_aspect(asked)
    else:
        aspect = ""
    return Understanding(
        intent=intent,
        aspect=aspect,
        text=text,
        links=links,
        countries=countries,
        money=money,
        hours_per_week=hours,
        weeks=weeks,
        objective=objective,
        decided_by=decided_by,
    )


def _without_names(text: str, links: Links) -> str:
    """``text`` (normalised) with the titles of the entries it names taken out."""
    asked = f" {normalise(text)} "
    for mention in (*links.mentions, *(m for group in links.ambiguous for m in group)):
        title = normalise(mention.title)
        if title:
            asked = asked.replace(f" {title} ", " ")
    return asked.strip()


def _carry_aspect(previous: str) -> str:
    """A new country keeps the question's kind; expiry has no country, so ask broadly."""
    return "country" if previous in ("expiry", "any") else previous
