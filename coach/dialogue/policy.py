"""The deterministic coach: one turn, from message and state to answer and state.

``DialogueEngine`` holds only per-process things (catalogue, intent vectors,
name index); everything about the learner arrives in ``DialogueState`` and
``LearnerTools`` and leaves in the returned state. This module only routes:
the per-intent answers are in ``handlers.py``, asking back in ``clarify.py``,
the learner's own things (wallet, data, assessment) in ``session.py`` and
quick-reply payloads in ``payloads.py``.
"""

from __future__ import annotations

import re
from typing import cast

from coach.answer import Answer
from coach.dialogue import compose_info, handlers, session
from coach.dialogue.clarify import CHOICE, chosen, first_link
from coach.dialogue.intents import IntentClassifier
from coach.dialogue.linking import EntityLinker
from coach.dialogue.payloads import route_payload
from coach.dialogue.state import DialogueState, Pending
from coach.dialogue.tools import LearnerTools
from coach.dialogue.turn import HELP_ACTIONS, HELP_TEXT, TurnResult
from coach.dialogue.turn import after as _after
from coach.dialogue.understand import Understanding, understand
from coach.recognition import Aspect
from coach.search_query import understand_search
from knowledge.embedding import Embedder
from knowledge.schema import Catalogue

_PAYLOAD = re.compile(r"^[a-z_]+:[A-Za-z0-9_.:-]*$")
_YES = re.compile(r"^\s*(yes|y|yeah|yep|sure|confirm|ok|do it|erase:yes)\b", re.I)

#: While an assessment runs, messages with these rule intents (None: no rule) go to it;
#: anything else is answered by the dialogue and the assessment waits.
_ASSESSMENT_INPUT = (None, "assess", "set_goal", "greeting")


class DialogueEngine:
    """Per-process, learner-free machinery of the deterministic coach."""

    def __init__(self, catalogue: Catalogue, embedder: Embedder) -> None:
        self.catalogue = catalogue
        self.classifier = IntentClassifier(embedder)
        self.linker = EntityLinker(catalogue)

    # --- entry point ---------------------------------------------------------
    def turn(
        self,
        tools: LearnerTools,
        state: DialogueState,
        message: str,
        *,
        attachments: list[bytes] | None = None,
    ) -> TurnResult:
        """Answer ``message`` for the learner ``tools`` is bound to."""
        state = state.model_copy(update={"turns": state.turns + 1})
        text = message.strip()
        if attachments:
            return session.badges(self.catalogue, tools, state, attachments)
        if state.pending is not None and state.pending.kind == "confirm_erase":
            return session.confirm_erase(tools, state, bool(_YES.match(text)))
        if _PAYLOAD.match(text):
            return route_payload(self, tools, state, text)
        if state.pending is not None and state.pending.kind == "choose":
            picked = chosen(self.linker, state.pending, text)
            if picked is not None:
                return self.finish_choice(tools, state, state.pending, picked)
            state = state.model_copy(update={"pending": None})
        if not text:
            return TurnResult(Answer(text=HELP_TEXT, intent="help", actions=HELP_ACTIONS), state)
        if state.assessment is not None and self.classifier.by_rule(text) in _ASSESSMENT_INPUT:
            return session.assessment_advance(self.catalogue, tools, state, text)
        if CHOICE.match(text):
            answer = Answer(
                text="I'm not sure which option that number picks: the list it belonged to is "
                "gone. Ask me again, or ask for help.",
                intent="clarify",
                actions=HELP_ACTIONS,
            )
            return TurnResult(answer, state)
        meaning = understand(text, state, self.classifier, self.linker)
        return self._dispatch(tools, state, meaning, text)

    # --- routing ---------------------------------------------------------------
    def _dispatch(
        self, tools: LearnerTools, state: DialogueState, meaning: Understanding, text: str
    ) -> TurnResult:
        catalogue = self.catalogue
        intent = meaning.intent
        if intent in ("greeting", "help"):
            return handlers.help_answer(catalogue, state, intent, text)
        if intent in ("out_of_scope", "unknown"):
            # No rule and no example utterance fits, yet a bare topic ("kubernetes
            # operator", "ethical hacking") is the commonest search of all: the
            # catalogue itself decides whether it is one (a sure "yes" only). A message
            # close to an out-of-scope example ("what's the weather") stays declined.
            unfitted = intent == "unknown" and meaning.decided_by == "nearest"
            if unfitted and tools.answers(understand_search(text).text):
                return handlers.search(catalogue, tools, state, text)
            return handlers.decline(state)
        if intent == "wallet":
            return session.wallet(catalogue, tools, state)
        if intent in ("add_badge", "verify_badge"):
            return session.badge_how_to(catalogue, tools, state, intent)
        if intent == "export_data":
            return session.export(tools, state)
        if intent == "erase_data":
            return session.ask_erase(state)
        if intent == "search":
            return handlers.search(catalogue, tools, state, text)
        if intent == "set_goal":
            return handlers.set_goal(catalogue, tools, state, meaning, text)
        if intent == "plan":
            return handlers.plan(catalogue, tools, state, meaning, text)
        if intent == "assess":
            target = first_link(meaning, ("qualification", "role", "credential")) or state.goal
            return session.assessment_start(catalogue, tools, state, target)
        if intent == "compare":
            return handlers.compare(catalogue, state, meaning)
        if intent == "recognition":
            return handlers.recognition(catalogue, self.linker, tools, state, meaning, text)
        return handlers.info(catalogue, self.linker, tools, state, meaning, text)

    def finish_choice(
        self, tools: LearnerTools, state: DialogueState, pending: Pending, option: str
    ) -> TurnResult:
        """Carry on with the intent that asked, now that the learner picked ``option``."""
        state = state.model_copy(update={"pending": None})
        intent = pending.intent or "credential_info"
        if intent == "compare":
            others = [o for o in pending.others if o != option]
            if others:
                answer = compose_info.compare_answer(self.catalogue, others[0], option)
                return TurnResult(answer, _after(state, "compare", focus=(others[0], option)))
        if intent == "recognition":
            aspect = cast(Aspect, pending.aspect or "any")
            return handlers.recognition_for(tools, state, option, aspect, pending.country)
        if intent == "set_goal":
            return handlers.goal_for(self.catalogue, state, option)
        if intent == "plan":
            return handlers.plan_for(self.catalogue, tools, state, option, state.constraints)
        if intent == "assess":
            return session.assessment_start(self.catalogue, tools, state, option)
        answer = compose_info.credential_answer(
            self.catalogue, option, pending.aspect or "overview"
        )
        return TurnResult(answer, _after(state, "credential_info", focus=(option,)))


__all__ = ["DialogueEngine", "TurnResult"]
