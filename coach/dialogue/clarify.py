"""Asking back: which entries a message is about, and the question when that is unclear.

The per-intent handlers ask these for their subject; when nothing is named (or
a name fits several entries) they put a numbered question with quick replies
and remember the options in a ``Pending`` choice, which ``chosen`` resolves on
the next turn.
"""

from __future__ import annotations

import re

from coach.answer import Action, Answer
from coach.dialogue import compose_info
from coach.dialogue.linking import EntityLinker, Mention, normalise
from coach.dialogue.state import DialogueState, Pending
from coach.dialogue.tools import LearnerTools
from coach.dialogue.turn import TurnResult
from coach.dialogue.understand import Understanding, refers_back
from knowledge.schema import Catalogue

#: A bare option number ("2", "#2", "option 2.").
CHOICE = re.compile(r"^\s*(?:#|number |option )?(\d{1,2})\s*[.)]?\s*$", re.I)


def first_link(meaning: Understanding, kinds: tuple[str, ...]) -> str | None:
    """The first linked entry of the first of ``kinds`` that has one."""
    for kind in kinds:
        found = meaning.links.of_kind(kind)
        if found:
            return found[0].id
    return None


def subjects(
    linker: EntityLinker, meaning: Understanding, state: DialogueState, kinds: tuple[str, ...]
) -> list[str]:
    """The entries of ``kinds`` the message names, else those in focus it refers back to."""
    named = [m.id for m in meaning.links.mentions if m.kind in kinds]
    if named or meaning.links.ambiguous:
        return named  # an ambiguous name must be asked about, not replaced by the focus
    if not refers_back(meaning.text):
        return []  # it names something we could not link: search, don't assume
    return [f for f in state.focus if linker.kind(f) in kinds]


def clarify(
    catalogue: Catalogue,
    state: DialogueState,
    options: list[Mention] | list[tuple[str, str]],
    pending: Pending,
    question: str,
) -> TurnResult:
    """A numbered question over ``options`` (six at most), remembered as ``pending``."""
    pairs = [(m.id, m.title) if isinstance(m, Mention) else m for m in options][:6]
    lines = [question] + [f"{n}. {title}" for n, (_, title) in enumerate(pairs, start=1)]
    answer = Answer(
        text="\n".join(lines),
        intent="clarify",
        citations=tuple(compose_info.cite(catalogue, i) for i, _ in pairs),
        actions=tuple(Action(label=t[:60], payload=f"choose:{i}") for i, t in pairs),
    )
    pending = pending.model_copy(update={"options": tuple(i for i, _ in pairs)})
    return TurnResult(answer, state.model_copy(update={"pending": pending}))


def need_subject(
    catalogue: Catalogue,
    linker: EntityLinker,
    tools: LearnerTools,
    state: DialogueState,
    meaning: Understanding,
    text: str,
    pending: Pending,
) -> TurnResult:
    """Nothing named and nothing in focus: ask, offering search matches if any."""
    if meaning.links.ambiguous:
        group = list(meaning.links.ambiguous[0])
        return clarify(catalogue, state, group, pending, "Which one do you mean?")
    if linker.names_something_absent(text):
        return not_in_catalogue(state)
    hits, _ = tools.search(text, k=3)
    if hits and tools.answers(text):  # never offer the least bad misses as choices
        options = [(h.id, h.title) for h in hits]
        return clarify(catalogue, state, options, pending, "Which one do you mean?")
    answer = Answer(
        text="Which credential do you mean? Tell me its name, or ask me to find credentials "
        "on a topic.",
        intent="clarify",
    )
    return TurnResult(answer, state)


def chosen(linker: EntityLinker, pending: Pending, text: str) -> str | None:
    """The pending option ``text`` picks: by number, id, title or a name in it."""
    match = CHOICE.match(text)
    if match:
        index = int(match.group(1)) - 1
        return pending.options[index] if 0 <= index < len(pending.options) else None
    key = normalise(text)
    for option in pending.options:
        if key in (normalise(option), normalise(linker.title(option))):
            return option
    links = linker.link(text, fuzzy=False)
    for mention in links.mentions:
        if mention.id in pending.options:
            return mention.id
    return None


def not_in_catalogue(state: DialogueState) -> TurnResult:
    """Say plainly that the thing asked about is not in the catalogue, and what to try."""
    answer = Answer(
        text="That is not in the catalogue: I have no credential, qualification or provider "
        "by that name. Check the spelling or the exact title (the provider's page shows it), "
        "or ask me to find credentials on the topic and I'll show what the catalogue has.",
        intent="clarify",
        actions=(Action(label="Find credentials", payload="help:search"),),
    )
    return TurnResult(answer, state)
