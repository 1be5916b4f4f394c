"""The language-model coach: a tool-calling loop, grounded answers, a token budget,
and a fallback to the deterministic coach whenever the model fails.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import logging
from typing import TYPE_CHECKING

from coach.answer import Action, Answer
from coach.dialogue.compose_info import cite
from coach.dialogue.state import DialogueState
from coach.dialogue.turn import TurnResult
from coach.errors import ModelError
from coach.llm.client import ChatClient, Message
from coach.llm.grounding import Grounder, cited_ids
from coach.llm.prompt import SYSTEM_PROMPT, learner_message, tool_result
from coach.llm.tools import TOOL_SPECS, ToolBox

if TYPE_CHECKING:
    from coach.agent import Coach

log = logging.getLogger(__name__)

BUDGET_KEY = "llm_budget"

#: Intents the deterministic policy always handles, with or without a model.
_POLICY_INTENTS = frozenset({"assess", "erase_data", "export_data", "add_badge"})


class ModelCoach:
    """Runs a turn through a chat model; falls back to the deterministic coach."""

    def __init__(
        self,
        client: ChatClient,
        *,
        max_steps: int = 5,
        daily_token_budget: int = 50_000,
        timeout_seconds: float = 30.0,
        stream: bool = False,
    ) -> None:
        self.client = client
        self.max_steps = max_steps
        self.daily_token_budget = daily_token_budget
        self.timeout_seconds = timeout_seconds
        self.stream = stream

    # --- budget ----------------------------------------------------------------------
    def _used(self, coach: Coach, learner_id: str, today: dt.date) -> int:
        stored = coach.store.get_state(learner_id, BUDGET_KEY) or {}
        if stored.get("date") != today.isoformat():
            return 0
        return int(stored.get("tokens", 0))

    def _spend(self, coach: Coach, learner_id: str, today: dt.date, tokens: int) -> None:
        used = self._used(coach, learner_id, today) + tokens
        coach.store.put_state(learner_id, BUDGET_KEY, {"date": today.isoformat(), "tokens": used})

    # --- the turn ------------------------------------------------------------------
    def turn(self, coach: Coach, learner_id: str, message: str) -> TurnResult:
        """Synchronous wrapper for channels without an event loop."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.aturn(coach, learner_id, message))
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self.aturn(coach, learner_id, message)).result()

    async def aturn(self, coach: Coach, learner_id: str, message: str) -> TurnResult:
        today = coach.now().date()
        if self._used(coach, learner_id, today) >= self.daily_token_budget:
            log.info("llm_budget_exhausted learner=%s", learner_id)
            return coach.deterministic_turn(learner_id, message)
        state = coach.load_state(learner_id)
        # Confirmations, pending choices, payloads and the stateful flows (the assessment,
        # erasure, export) are the dialogue policy's job; the model answers the rest.
        if (
            state.pending is not None
            or _is_payload(message)
            or state.assessment is not None
            or coach.engine.classifier.by_rule(message) in _POLICY_INTENTS
        ):
            return coach.deterministic_turn(learner_id, message)
        box = ToolBox(coach.tools_for(learner_id))
        tokens = [0, 0]
        try:
            text = await asyncio.wait_for(
                self._loop(coach, state, message, box, tokens), self.timeout_seconds
            )
        except (ModelError, TimeoutError) as exc:
            cause = repr(exc.__cause__)[:120] if exc.__cause__ else str(exc)[:80]
            log.warning(
                "llm_fallback learner=%s reason=%s cause=%s",
                learner_id,
                type(exc).__name__,
                cause,
            )
            self._spend(coach, learner_id, today, sum(tokens))
            return coach.deterministic_turn(learner_id, message)
        self._spend(coach, learner_id, today, sum(tokens))
        log.info(
            "llm_turn learner=%s input_tokens=%d output_tokens=%d tools=%d",
            learner_id,
            tokens[0],
            tokens[1],
            len(box.results),
        )
        return self._grounded(coach, learner_id, state, message, text, box)

    async def _loop(
        self,
        coach: Coach,
        state: DialogueState,
        message: str,
        box: ToolBox,
        tokens: list[int],
    ) -> str:
        messages = [
            Message(role="system", content=SYSTEM_PROMPT),
            Message(role="user", content=learner_message(message, _context(coach, state))),
        ]
        for _ in range(self.max_steps):
            reply = await self.client.complete(messages, TOOL_SPECS, stream=self.stream)
            tokens[0] += reply.input_tokens
            tokens[1] += reply.output_tokens
            if not reply.tool_calls:
                if not reply.content.strip():
                    raise ModelError("the model gave an empty answer")
                return reply.content
            messages.append(
                Message(role="assistant", content=reply.content, tool_calls=reply.tool_calls)
            )
            for call in reply.tool_calls:
                payload = box.run(call.name, call.arguments)
                messages.append(
                    Message(role="tool", content=tool_result(payload), tool_call_id=call.id)
                )
        raise ModelError("the model did not finish within its step limit")

    def _grounded(
        self,
        coach: Coach,
        learner_id: str,
        state: DialogueState,
        message: str,
        text: str,
        box: ToolBox,
    ) -> TurnResult:
        linker = coach.engine.linker
        repaired, problems = Grounder(linker).repair(text, box.results)
        if repaired is None:
            log.warning(
                "llm_ungrounded learner=%s replaced=1 problems=%d", learner_id, len(problems)
            )
            return coach.deterministic_turn(learner_id, message)
        if problems:
            log.warning(
                "llm_ungrounded learner=%s replaced=0 problems=%d", learner_id, len(problems)
            )
        ids = cited_ids(repaired, linker, box.results)
        guess = coach.engine.classifier.classify(message).intent
        intent = guess if guess != "unknown" else "llm"
        answer = Answer(
            text=repaired,
            intent=intent,
            citations=tuple(cite(coach.catalogue, i) for i in ids),
            actions=tuple(
                Action(
                    label=f"More on {coach.catalogue.title_of(i)}"[:60],
                    payload=f"info:overview:{i}",
                )
                for i in ids[:3]
            ),
        )
        new_state = state.model_copy(
            update={
                "turns": state.turns + 1,
                "last_intent": intent,
                "focus": tuple(ids[:2]) or state.focus,
            }
        )
        return TurnResult(answer, new_state)


def _is_payload(message: str) -> bool:
    head, sep, _ = message.strip().partition(":")
    return bool(sep) and head.isidentifier() and head.islower() and " " not in message.strip()


def _context(coach: Coach, state: DialogueState) -> str:
    """What the conversation is about (titles only; no learner data beyond this session)."""
    parts = []
    if state.goal:
        parts.append(f"Learner's goal: {coach.catalogue.title_of(state.goal)} [{state.goal}].")
    if state.focus:
        named = ", ".join(f"{coach.catalogue.title_of(f)} [{f}]" for f in state.focus)
        parts.append(f"Discussed last: {named}.")
    return " ".join(parts)


__all__ = ["BUDGET_KEY", "ModelCoach"]
