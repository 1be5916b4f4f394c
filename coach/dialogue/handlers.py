"""Per-intent answers of the deterministic coach: help, search, entry facts,
comparisons, recognition, goals and plans.

``DialogueEngine`` (``policy.py``) decides which of these a message gets; each
takes the catalogue, the learner's tools and state and what the message meant,
and returns the answer with the next state. Asking back when the subject is
unclear is in ``clarify.py``; wallet, data and assessment turns in ``session.py``.
"""

from __future__ import annotations

import re
from itertools import zip_longest
from typing import cast

from coach.answer import Action, Answer
from coach.dialogue import compose_info, compose_plan, session
from coach.dialogue.clarify import clarify, first_link, need_subject, subjects
from coach.dialogue.linking import EntityLinker
from coach.dialogue.state import Constraints, DialogueState, Pending
from coach.dialogue.tools import Hit, LearnerTools
from coach.dialogue.turn import HELP_ACTIONS, HELP_TEXT, TurnResult, after
from coach.dialogue.understand import Understanding
from coach.errors import PlanningError
from coach.recognition import Aspect, render_findings
from coach.search_query import understand_search
from knowledge.index.filters import SearchFilters
from knowledge.schema import Catalogue

#: Entries shown when nothing in the catalogue is about what was asked.
_NEAREST_SHOWN = 3

#: A job or field named as the goal: "become a plumber", "retrain as a nurse".
_NAMED_GOAL = re.compile(
    r"\b(?:become|retrain as|train as|work as|get into|be an?)\s+(?:an?\s+)?(?P<goal>[^.?!]+)",
    re.IGNORECASE,
)


# --- conversation ---------------------------------------------------------------
def help_answer(catalogue: Catalogue, state: DialogueState, intent: str, text: str) -> TurnResult:
    """What the coach can do (after a hello), or a reply to thanks."""
    lowered = text.lower()
    if intent == "greeting" and not lowered.startswith(("hi", "hello", "hey", "good", "hallo")):
        reply = "You're welcome. Anything else? Ask for help to see what I can do."
        return TurnResult(Answer(text=reply, intent="greeting", actions=HELP_ACTIONS), state)
    greeting = "Hello! " if intent == "greeting" else ""
    goal = ""
    if state.goal:
        goal = f"\nYour current goal: {catalogue.title_of(state.goal) or state.goal}."
    answer = Answer(text=greeting + HELP_TEXT + goal, intent=intent, actions=HELP_ACTIONS)
    return TurnResult(answer, after(state, intent))


def decline(state: DialogueState) -> TurnResult:
    """Out of scope: say what the coach is for."""
    text = (
        "That's outside what I can help with: I'm a coach for credentials and learning "
        "pathways. I can find credentials, plan a path to a goal, assess your skills or "
        "answer recognition questions."
    )
    answer = Answer(text=text, intent="out_of_scope", actions=HELP_ACTIONS)
    return TurnResult(answer, after(state, "out_of_scope"))


# --- catalogue questions --------------------------------------------------------
def search(
    catalogue: Catalogue, tools: LearnerTools, state: DialogueState, text: str
) -> TurnResult:
    """Credentials, qualifications and roles matching ``text``, within its stated limits.

    A ranking always has a best entry, so the answer first asks the retriever
    whether the catalogue answers the topic at all. When nothing within the limits
    ("online, under 50 EUR") does but something without them does, the answer says
    so and shows those; when nothing does, it says that and shows only the nearest
    few, marked as such, rather than a confident list of misses.
    """
    request = understand_search(text)
    hits, degraded = _shown(tools, request.text, request.filters)
    # Only a sure "no" (``False``) calls the hits misses: words alone are too weak.
    matched = bool(hits) and tools.answers(request.text, request.filters) is not False
    relaxed = False
    if not matched and request.filters is not None:
        loose, loose_degraded = _shown(tools, request.text, None)
        if loose and tools.answers(request.text, None) is not False:
            hits, degraded, matched, relaxed = loose, loose_degraded, True, True
        elif not hits:
            hits, degraded = loose, loose_degraded
    if not matched:
        hits = hits[:_NEAREST_SHOWN]
    answer = compose_info.search_answer(
        catalogue,
        hits,
        degraded=degraded,
        constraints=request.constraints,
        relaxed=relaxed,
        matched=matched,
        corrections=tools.corrections(request.text) if hits else (),
    )
    focus = tuple(h.id for h in hits[:1])
    return TurnResult(answer, after(state, "search", focus=focus))


def _shown(tools: LearnerTools, text: str, filters: SearchFilters | None) -> tuple[list[Hit], bool]:
    hits, degraded = tools.search(text, k=8, filters=filters)
    return [h for h in hits if h.kind in ("credential", "qualification", "role")][:5], degraded


def info(
    catalogue: Catalogue,
    linker: EntityLinker,
    tools: LearnerTools,
    state: DialogueState,
    meaning: Understanding,
    text: str,
) -> TurnResult:
    """One aspect (or an overview) of the entry the message is about."""
    kinds = ("credential", "qualification", "role", "provider")
    found = subjects(linker, meaning, state, kinds)
    if not found:
        pending = Pending(kind="choose", intent="credential_info", aspect=meaning.aspect)
        return need_subject(catalogue, linker, tools, state, meaning, text, pending)
    subject = found[0]
    answer = compose_info.credential_answer(catalogue, subject, meaning.aspect)
    return TurnResult(answer, after(state, "credential_info", meaning.aspect, (subject,)))


def compare(catalogue: Catalogue, state: DialogueState, meaning: Understanding) -> TurnResult:
    """Two credentials side by side: those named, filled up from the focus."""
    named = [m.id for m in meaning.links.mentions if m.kind == "credential"]
    if len(named) < 2:
        named = (named + [f for f in state.focus if f not in named])[:2]
    if len(named) == 2:
        answer = compose_info.compare_answer(catalogue, named[0], named[1])
        return TurnResult(answer, after(state, "compare", focus=tuple(named)))
    pending = Pending(kind="choose", intent="compare", others=tuple(named))
    if meaning.links.ambiguous:
        group = list(meaning.links.ambiguous[0])
        return clarify(catalogue, state, group, pending, "Which one should I compare?")
    answer = Answer(
        text="Which two credentials should I compare? Name them both.", intent="clarify"
    )
    return TurnResult(answer, state.model_copy(update={"focus": tuple(named)}))


def recognition(
    catalogue: Catalogue,
    linker: EntityLinker,
    tools: LearnerTools,
    state: DialogueState,
    meaning: Understanding,
    text: str,
) -> TurnResult:
    """Recognition of the entry asked about; a bare country follows up the last question."""
    kinds = ("credential", "qualification", "provider")
    found = subjects(linker, meaning, state, kinds)
    aspect = cast(Aspect, meaning.aspect or "any")
    country = meaning.countries[0] if meaning.countries else None
    if country is None and state.last_intent == "recognition" and not meaning.links.mentions:
        country = state.last_country if aspect == state.last_aspect else None
    if not found:
        pending = Pending(kind="choose", intent="recognition", aspect=aspect, country=country)
        return need_subject(catalogue, linker, tools, state, meaning, text, pending)
    return recognition_for(tools, state, found[0], aspect, country)


def recognition_for(
    tools: LearnerTools,
    state: DialogueState,
    subject: str,
    aspect: Aspect,
    country: str | None,
) -> TurnResult:
    findings = tools.recognition(subject, aspect=aspect, country=country)
    answer = render_findings(findings)
    new_state = after(state, "recognition", aspect, (subject,))
    return TurnResult(answer, new_state.model_copy(update={"last_country": country}))


# --- goals and plans ------------------------------------------------------------
def set_goal(
    catalogue: Catalogue,
    tools: LearnerTools,
    state: DialogueState,
    meaning: Understanding,
    text: str,
) -> TurnResult:
    """Set the named goal, or ask for one (offering matches or a few roles and degrees)."""
    target = first_link(meaning, ("role", "qualification", "credential"))
    if target is None:
        options = _starter_goals(catalogue)
        if meaning.links.ambiguous:
            group = list(meaning.links.ambiguous[0])
            return clarify(
                catalogue, state, group, Pending(kind="choose", intent="set_goal"), "Which goal?"
            )
        found, _ = tools.search(text, k=8)
        hits = [h for h in found if h.kind in ("role", "qualification", "credential")][:3]
        asks_anew = re.search(r"\b(change|new|set)\b", text, re.I)
        question = "What is your goal? Pick one or name a role, certificate or degree:"
        # Offer what the words found only when the catalogue is about them: "become a
        # plumber" gets the general choices, not three data-engineering entries, and
        # is told the catalogue has nothing for a plumber.
        if hits and not asks_anew and tools.answers(text):
            options = [(h.id, h.title) for h in hits]
        elif (
            not asks_anew
            and (named := _NAMED_GOAL.search(text)) is not None
            and tools.answers(named.group("goal")) is False
        ):
            question = f"I found nothing in the catalogue for that goal. {question}"
        return clarify(
            catalogue, state, options, Pending(kind="choose", intent="set_goal"), question
        )
    return goal_for(catalogue, state, target)


_STARTER_GOALS = 6


def _starter_goals(catalogue: Catalogue) -> list[tuple[str, str]]:
    """A few roles from as many domains as there are, for a learner with no goal in
    mind: a catalogue lists its roles domain by domain, so the first few would all
    be of one field."""
    by_domain: dict[str, list[tuple[str, str]]] = {}
    for role in catalogue.roles.values():
        by_domain.setdefault(role.domain, []).append((role.id, role.title))
    rounds = zip_longest(*by_domain.values())
    return [role for round_ in rounds for role in round_ if role is not None][:_STARTER_GOALS]


def goal_for(catalogue: Catalogue, state: DialogueState, target: str) -> TurnResult:
    title = catalogue.title_of(target) or target
    answer = Answer(
        text=f"Goal set: {title}. Shall I plan the credentials to get there, or first "
        "assess what you already know?",
        intent="set_goal",
        citations=(compose_info.cite(catalogue, target),),
        actions=(
            Action(label="Plan my path", payload=f"plan:{target}"),
            Action(label="Assess my skills first", payload=f"assess:start:{target}"),
        ),
    )
    new_state = after(state, "set_goal", focus=(target,))
    return TurnResult(answer, new_state.model_copy(update={"goal": target}))


def plan(
    catalogue: Catalogue,
    tools: LearnerTools,
    state: DialogueState,
    meaning: Understanding,
    text: str,
) -> TurnResult:
    """Plan towards the named target or the goal, with this message's constraints added."""
    constraints = merge_constraints(state.constraints, meaning)
    target = first_link(meaning, ("qualification", "role")) or state.goal
    if target is None:
        target = first_link(meaning, ("credential",))
    if target is None:
        new_state = state.model_copy(update={"constraints": constraints})
        return set_goal(catalogue, tools, new_state, meaning, text)
    return plan_for(catalogue, tools, state, target, constraints)


def plan_for(
    catalogue: Catalogue,
    tools: LearnerTools,
    state: DialogueState,
    target: str,
    constraints: Constraints,
) -> TurnResult:
    state = state.model_copy(update={"constraints": constraints, "goal": target})
    try:
        result = tools.plan(target, constraints)
    except PlanningError as exc:
        answer = Answer(text=f"I can't plan that right now: {exc}", intent="plan")
        return TurnResult(answer, after(state, "plan", focus=(target,)))
    answer = compose_plan.plan_answer(catalogue, result, constraints)
    answer = session.with_picture(catalogue, answer, result)
    return TurnResult(answer, after(state, "plan", focus=(target,)))


def merge_constraints(previous: Constraints, meaning: Understanding) -> Constraints:
    """The stored constraints with those this message states replacing them."""
    update: dict[str, object] = {}
    if meaning.money is not None:
        update["budget"] = meaning.money.amount
        update["currency"] = meaning.money.currency
    if meaning.hours_per_week is not None:
        update["hours_per_week"] = meaning.hours_per_week
    if meaning.weeks is not None:
        update["weeks"] = meaning.weeks
    if meaning.objective is not None:
        update["objective"] = meaning.objective
    return previous.model_copy(update=update)
