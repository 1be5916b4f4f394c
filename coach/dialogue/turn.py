"""What one turn produces, and the replies every part of the dialogue shares."""

from __future__ import annotations

from dataclasses import dataclass

from coach.answer import Action, Answer
from coach.dialogue.state import DialogueState

HELP_ACTIONS = (
    Action(label="Set a goal", payload="help:goal"),
    Action(label="Assess my skills", payload="assess:start"),
    Action(label="Find credentials", payload="help:search"),
    Action(label="My wallet", payload="wallet:show"),
)

HELP_TEXT = (
    "I'm your learning coach for micro-credentials. I can:\n"
    "- find credentials and tell you their cost, duration, content and prerequisites\n"
    "- compare two credentials\n"
    "- set a goal (a certificate, degree or job role) and plan which credentials to stack\n"
    "- run a short self-assessment of your skills\n"
    "- answer recognition questions: accreditation, employer endorsement, credit transfer, "
    "countries, expiry\n"
    "- keep and verify your badges, and export or erase your data.\n"
    'Try: "I want to become a data analyst" or "how much is <credential>?"'
)


@dataclass(frozen=True)
class TurnResult:
    """The answer, the state to store, and whether the learner's data was erased."""

    answer: Answer
    state: DialogueState
    erased: bool = False


def after(
    state: DialogueState, intent: str, aspect: str | None = None, focus: tuple[str, ...] = ()
) -> DialogueState:
    update: dict[str, object] = {"last_intent": intent, "last_aspect": aspect, "pending": None}
    if focus:
        update["focus"] = focus
    return state.model_copy(update=update)
