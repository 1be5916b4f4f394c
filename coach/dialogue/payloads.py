"""Quick-reply payloads sent back as the message (``Answer.actions[].payload``).

``info:<aspect>:<id>``, ``recognition:<aspect>:<id>``, ``goal:<id>``, ``plan:<id>``,
``plan:objective:<objective>``, ``choose:<id>``, ``assess:...`` (handed to the
assessment), ``wallet:show``, ``help:<topic>`` and ``erase:yes|no``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast, get_args

from coach.answer import Answer
from coach.dialogue import compose_info, handlers, session
from coach.dialogue.state import DialogueState
from coach.dialogue.tools import LearnerTools
from coach.dialogue.turn import HELP_ACTIONS, HELP_TEXT, TurnResult, after
from coach.planner import Objective
from coach.recognition import Aspect

if TYPE_CHECKING:
    from coach.dialogue.policy import DialogueEngine

RECOGNITION_ASPECTS = frozenset(get_args(Aspect))
OBJECTIVES = frozenset(get_args(Objective))


def route_payload(
    engine: DialogueEngine, tools: LearnerTools, state: DialogueState, text: str
) -> TurnResult:
    """Answer a quick-reply payload (``info:cost:<id>``, ``choose:<id>``, ``assess:...``)."""
    head, _, rest = text.partition(":")
    if head == "choose" and state.pending is not None and rest in state.pending.options:
        return engine.finish_choice(tools, state, state.pending, rest)
    state = state.model_copy(update={"pending": None})
    if head == "info":
        aspect, _, entry = rest.partition(":")
        if engine.linker.kind(entry):
            answer = compose_info.credential_answer(engine.catalogue, entry, aspect)
            return TurnResult(answer, after(state, "credential_info", aspect, focus=(entry,)))
    if head == "recognition":
        aspect, _, entry = rest.partition(":")
        if aspect in RECOGNITION_ASPECTS and engine.linker.kind(entry):
            return handlers.recognition_for(tools, state, entry, cast(Aspect, aspect), None)
    if head == "goal" and engine.linker.kind(rest):
        return handlers.goal_for(engine.catalogue, state, rest)
    if head == "plan":
        if rest.startswith("objective:"):
            objective = rest.split(":", 1)[1]
            if objective in OBJECTIVES and state.goal:
                constraints = state.constraints.model_copy(update={"objective": objective})
                return handlers.plan_for(engine.catalogue, tools, state, state.goal, constraints)
        elif engine.linker.kind(rest):
            return handlers.plan_for(engine.catalogue, tools, state, rest, state.constraints)
    if head == "assess":
        if rest.startswith("start"):
            target = rest.partition(":")[2] or state.goal
            return session.assessment_start(engine.catalogue, tools, state, target or None)
        if state.assessment is not None:
            return session.assessment_advance(engine.catalogue, tools, state, text)
    if head == "wallet":
        return session.wallet(engine.catalogue, tools, state)
    if head == "help":
        hint = {
            "goal": 'Tell me your goal, e.g. "I want to become a data analyst".',
            "search": 'Tell me a topic, e.g. "find credentials about cloud computing".',
        }.get(rest, HELP_TEXT)
        return TurnResult(Answer(text=hint, intent="help", actions=HELP_ACTIONS), state)
    if head == "erase":
        return session.confirm_erase(tools, state, rest == "yes")
    answer = Answer(
        text="That option has expired. Ask me again, or ask for help.",
        intent="unknown",
        actions=HELP_ACTIONS,
    )
    return TurnResult(answer, state)
