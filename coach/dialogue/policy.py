"""The deterministic coach: one turn, from message and state to answer and state.

``DialogueEngine`` holds only per-process things (catalogue, intent vectors,
name index); everything about the learner arrives in ``DialogueState`` and
``LearnerTools`` and leaves in the returned state.
"""

from __future__ import annotations

import re
from typing import cast

from coach.answer import Action, Answer
from coach.dialogue import compose_info, compose_plan, session
from coach.dialogue.intents import IntentClassifier
from coach.dialogue.linking import EntityLinker, Mention, normalise
from coach.dialogue.payloads import route_payload
from coach.dialogue.state import Constraints, DialogueState, Pending
from coach.dialogue.tools import LearnerTools
from coach.dialogue.turn import HELP_ACTIONS, HELP_TEXT, TurnResult
from coach.dialogue.turn import after as _after
from coach.dialogue.understand import Understanding, refers_back, understand
from coach.errors import PlanningError
from coach.recognition import Aspect, render_findings
from knowledge.embedding import Embedder
from knowledge.schema import Catalogue

_PAYLOAD = re.compile(r"^[a-z_]+:[A-Za-z0-9_.:-]*$")
_CHOICE = re.compile(r"^\s*(?:#|number |option )?(\d{1,2})\s*[.)]?\s*$", re.I)
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
            chosen = self._chosen(state.pending, text)
            if chosen is not None:
                return self.finish_choice(tools, state, state.pending, chosen)
            state = state.model_copy(update={"pending": None})
        if not text:
            return TurnResult(Answer(text=HELP_TEXT, intent="help", actions=HELP_ACTIONS), state)
        if state.assessment is not None and self.classifier.by_rule(text) in _ASSESSMENT_INPUT:
            return session.assessment_advance(self.catalogue, tools, state, text)
        if _CHOICE.match(text):
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
        intent = meaning.intent
        if intent in ("greeting", "help"):
            return self._help(state, intent, text)
        if intent in ("out_of_scope", "unknown"):
            return self._decline(state, intent)
        if intent == "wallet":
            return session.wallet(self.catalogue, tools, state)
        if intent in ("add_badge", "verify_badge"):
            return session.badge_how_to(self.catalogue, tools, state, intent)
        if intent == "export_data":
            return session.export(tools, state)
        if intent == "erase_data":
            return session.ask_erase(state)
        if intent == "search":
            hits, degraded = tools.search(text, k=8)
            hits = [h for h in hits if h.kind in ("credential", "qualification", "role")][:5]
            answer = compose_info.search_answer(self.catalogue, hits, degraded=degraded)
            focus = tuple(h.id for h in hits[:1])
            return TurnResult(answer, _after(state, "search", focus=focus))
        if intent == "set_goal":
            return self._set_goal(tools, state, meaning, text)
        if intent == "plan":
            return self._plan(tools, state, meaning, text)
        if intent == "assess":
            target = self._first(meaning, ("qualification", "role", "credential")) or state.goal
            return session.assessment_start(self.catalogue, tools, state, target)
        if intent == "compare":
            return self._compare(tools, state, meaning, text)
        if intent == "recognition":
            return self._recognition(tools, state, meaning, text)
        return self._info(tools, state, meaning, text)

    def _help(self, state: DialogueState, intent: str, text: str) -> TurnResult:
        lowered = text.lower()
        if intent == "greeting" and not lowered.startswith(("hi", "hello", "hey", "good", "hallo")):
            reply = "You're welcome. Anything else? Ask for help to see what I can do."
            return TurnResult(Answer(text=reply, intent="greeting", actions=HELP_ACTIONS), state)
        greeting = "Hello! " if intent == "greeting" else ""
        goal = ""
        if state.goal:
            goal = f"\nYour current goal: {self.catalogue.title_of(state.goal) or state.goal}."
        answer = Answer(text=greeting + HELP_TEXT + goal, intent=intent, actions=HELP_ACTIONS)
        return TurnResult(answer, _after(state, intent))

    def _decline(self, state: DialogueState, intent: str) -> TurnResult:
        text = (
            "That's outside what I can help with: I'm a coach for credentials and learning "
            "pathways. I can find credentials, plan a path to a goal, assess your skills or "
            "answer recognition questions."
        )
        answer = Answer(text=text, intent="out_of_scope", actions=HELP_ACTIONS)
        return TurnResult(answer, _after(state, "out_of_scope"))

    # --- entity resolution ---------------------------------------------------
    def _first(self, meaning: Understanding, kinds: tuple[str, ...]) -> str | None:
        for kind in kinds:
            found = meaning.links.of_kind(kind)
            if found:
                return found[0].id
        return None

    def _subjects(
        self, meaning: Understanding, state: DialogueState, kinds: tuple[str, ...]
    ) -> list[str]:
        named = [m.id for m in meaning.links.mentions if m.kind in kinds]
        if named or meaning.links.ambiguous:
            return named  # an ambiguous name must be asked about, not replaced by the focus
        if not refers_back(meaning.text):
            return []  # it names something we could not link: search, don't assume
        return [f for f in state.focus if self.linker.kind(f) in kinds]

    def _clarify(
        self,
        state: DialogueState,
        options: list[Mention] | list[tuple[str, str]],
        pending: Pending,
        question: str,
    ) -> TurnResult:
        pairs = [(m.id, m.title) if isinstance(m, Mention) else m for m in options][:6]
        lines = [question] + [f"{n}. {title}" for n, (_, title) in enumerate(pairs, start=1)]
        answer = Answer(
            text="\n".join(lines),
            intent="clarify",
            citations=tuple(compose_info.cite(self.catalogue, i) for i, _ in pairs),
            actions=tuple(Action(label=t[:60], payload=f"choose:{i}") for i, t in pairs),
        )
        pending = pending.model_copy(update={"options": tuple(i for i, _ in pairs)})
        return TurnResult(answer, state.model_copy(update={"pending": pending}))

    def _need_subject(
        self,
        tools: LearnerTools,
        state: DialogueState,
        meaning: Understanding,
        text: str,
        pending: Pending,
    ) -> TurnResult:
        """Nothing named and nothing in focus: ask, offering search matches if any."""
        if meaning.links.ambiguous:
            group = list(meaning.links.ambiguous[0])
            return self._clarify(state, group, pending, "Which one do you mean?")
        hits, _ = tools.search(text, k=3)
        if hits:
            options = [(h.id, h.title) for h in hits]
            return self._clarify(state, options, pending, "Which one do you mean?")
        answer = Answer(
            text="Which credential do you mean? Tell me its name, or ask me to find credentials "
            "on a topic.",
            intent="clarify",
        )
        return TurnResult(answer, state)

    def _chosen(self, pending: Pending, text: str) -> str | None:
        match = _CHOICE.match(text)
        if match:
            index = int(match.group(1)) - 1
            return pending.options[index] if 0 <= index < len(pending.options) else None
        key = normalise(text)
        for option in pending.options:
            if key in (normalise(option), normalise(self.linker.title(option))):
                return option
        links = self.linker.link(text, fuzzy=False)
        for mention in links.mentions:
            if mention.id in pending.options:
                return mention.id
        return None

    def finish_choice(
        self, tools: LearnerTools, state: DialogueState, pending: Pending, chosen: str
    ) -> TurnResult:
        state = state.model_copy(update={"pending": None})
        intent = pending.intent or "credential_info"
        if intent == "compare":
            others = [o for o in pending.others if o != chosen]
            if others:
                answer = compose_info.compare_answer(self.catalogue, others[0], chosen)
                return TurnResult(answer, _after(state, "compare", focus=(others[0], chosen)))
        if intent == "recognition":
            aspect = cast(Aspect, pending.aspect or "any")
            return self.recognition_for(tools, state, chosen, aspect, pending.country)
        if intent == "set_goal":
            return self.goal_for(state, chosen)
        if intent == "plan":
            return self.plan_for(tools, state, chosen, state.constraints)
        if intent == "assess":
            return session.assessment_start(self.catalogue, tools, state, chosen)
        answer = compose_info.credential_answer(
            self.catalogue, chosen, pending.aspect or "overview"
        )
        return TurnResult(answer, _after(state, "credential_info", focus=(chosen,)))

    # --- intents ------------------------------------------------------------------
    def _info(
        self, tools: LearnerTools, state: DialogueState, meaning: Understanding, text: str
    ) -> TurnResult:
        kinds = ("credential", "qualification", "role", "provider")
        subjects = self._subjects(meaning, state, kinds)
        if not subjects:
            pending = Pending(kind="choose", intent="credential_info", aspect=meaning.aspect)
            return self._need_subject(tools, state, meaning, text, pending)
        subject = subjects[0]
        answer = compose_info.credential_answer(self.catalogue, subject, meaning.aspect)
        return TurnResult(answer, _after(state, "credential_info", meaning.aspect, (subject,)))

    def _compare(
        self, tools: LearnerTools, state: DialogueState, meaning: Understanding, text: str
    ) -> TurnResult:
        named = [m.id for m in meaning.links.mentions if m.kind == "credential"]
        if len(named) < 2:
            named = (named + [f for f in state.focus if f not in named])[:2]
        if len(named) == 2:
            answer = compose_info.compare_answer(self.catalogue, named[0], named[1])
            return TurnResult(answer, _after(state, "compare", focus=tuple(named)))
        pending = Pending(kind="choose", intent="compare", others=tuple(named))
        if meaning.links.ambiguous:
            group = list(meaning.links.ambiguous[0])
            return self._clarify(state, group, pending, "Which one should I compare?")
        answer = Answer(
            text="Which two credentials should I compare? Name them both.", intent="clarify"
        )
        return TurnResult(answer, state.model_copy(update={"focus": tuple(named)}))

    def _recognition(
        self, tools: LearnerTools, state: DialogueState, meaning: Understanding, text: str
    ) -> TurnResult:
        kinds = ("credential", "qualification", "provider")
        subjects = self._subjects(meaning, state, kinds)
        aspect = cast(Aspect, meaning.aspect or "any")
        country = meaning.countries[0] if meaning.countries else None
        if country is None and state.last_intent == "recognition" and not meaning.links.mentions:
            country = state.last_country if aspect == state.last_aspect else None
        if not subjects:
            pending = Pending(kind="choose", intent="recognition", aspect=aspect, country=country)
            return self._need_subject(tools, state, meaning, text, pending)
        return self.recognition_for(tools, state, subjects[0], aspect, country)

    def recognition_for(
        self,
        tools: LearnerTools,
        state: DialogueState,
        subject: str,
        aspect: Aspect,
        country: str | None,
    ) -> TurnResult:
        findings = tools.recognition(subject, aspect=aspect, country=country)
        answer = render_findings(findings)
        new_state = _after(state, "recognition", aspect, (subject,))
        return TurnResult(answer, new_state.model_copy(update={"last_country": country}))

    def _set_goal(
        self, tools: LearnerTools, state: DialogueState, meaning: Understanding, text: str
    ) -> TurnResult:
        target = self._first(meaning, ("role", "qualification", "credential"))
        if target is None:
            options = [(r.id, r.title) for r in list(self.catalogue.roles.values())[:3]] + [
                (q.id, q.title) for q in list(self.catalogue.qualifications.values())[:3]
            ]
            if meaning.links.ambiguous:
                group = list(meaning.links.ambiguous[0])
                return self._clarify(
                    state, group, Pending(kind="choose", intent="set_goal"), "Which goal?"
                )
            hits, _ = tools.search(text, k=3)
            if hits and not re.search(r"\b(change|new|set)\b", text, re.I):
                options = [(h.id, h.title) for h in hits]
            return self._clarify(
                state,
                options,
                Pending(kind="choose", intent="set_goal"),
                "What is your goal? Pick one or name a role, certificate or degree:",
            )
        return self.goal_for(state, target)

    def goal_for(self, state: DialogueState, target: str) -> TurnResult:
        title = self.catalogue.title_of(target) or target
        answer = Answer(
            text=f"Goal set: {title}. Shall I plan the credentials to get there, or first "
            "assess what you already know?",
            intent="set_goal",
            citations=(compose_info.cite(self.catalogue, target),),
            actions=(
                Action(label="Plan my path", payload=f"plan:{target}"),
                Action(label="Assess my skills first", payload=f"assess:start:{target}"),
            ),
        )
        new_state = _after(state, "set_goal", focus=(target,))
        return TurnResult(answer, new_state.model_copy(update={"goal": target}))

    def _plan(
        self, tools: LearnerTools, state: DialogueState, meaning: Understanding, text: str
    ) -> TurnResult:
        constraints = _merge_constraints(state.constraints, meaning)
        target = self._first(meaning, ("qualification", "role")) or state.goal
        if target is None:
            target = self._first(meaning, ("credential",))
        if target is None:
            new_state = state.model_copy(update={"constraints": constraints})
            return self._set_goal(tools, new_state, meaning, text)
        return self.plan_for(tools, state, target, constraints)

    def plan_for(
        self, tools: LearnerTools, state: DialogueState, target: str, constraints: Constraints
    ) -> TurnResult:
        state = state.model_copy(update={"constraints": constraints, "goal": target})
        try:
            result = tools.plan(target, constraints)
        except PlanningError as exc:
            answer = Answer(text=f"I can't plan that right now: {exc}", intent="plan")
            return TurnResult(answer, _after(state, "plan", focus=(target,)))
        answer = compose_plan.plan_answer(self.catalogue, result.to_contract(), constraints)
        answer = session.with_picture(self.catalogue, answer, result)
        return TurnResult(answer, _after(state, "plan", focus=(target,)))


def _merge_constraints(previous: Constraints, meaning: Understanding) -> Constraints:
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


__all__ = ["DialogueEngine", "TurnResult"]
