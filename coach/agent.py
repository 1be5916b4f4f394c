"""The coach facade: one object every channel talks to.

``Coach.respond(learner_id, message)`` runs one turn and returns an ``Answer``;
``Coach.stream`` yields text chunks and then the final ``Answer``. The coach
holds only per-process things (catalogue, vectors, clients); each turn loads
the learner's conversation state from the store and writes it back, so any
process or channel can continue any conversation.

With a language model configured the model answers through the same tools,
and every model answer is grounded (checked against that turn's tool results)
before it leaves; any failure falls back to the deterministic coach.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from typing import Protocol

from coach.answer import Answer
from coach.dialogue.policy import DialogueEngine
from coach.dialogue.state import STATE_KEY, DialogueState
from coach.dialogue.tools import LearnerTools
from coach.dialogue.turn import TurnResult
from coach.ports import LearnerStatePort, RetrieverPort, WalletPort
from coach.store.ports import ExchangeTurn
from coach.wallet.result import VerificationResult
from knowledge.embedding import Embedder
from knowledge.schema import Catalogue

log = logging.getLogger(__name__)

#: Longest message the coach reads; the rest is cut (a chat message, not a document).
MAX_MESSAGE_CHARS = 2000


class LanguageModelCoach(Protocol):
    """The language-model path (``coach.llm.agent.ModelCoach``): a turn through the tools."""

    def turn(self, coach: Coach, learner_id: str, message: str) -> TurnResult: ...

    async def aturn(self, coach: Coach, learner_id: str, message: str) -> TurnResult: ...


class Coach:
    """A retrieval-augmented coach, with or without a language model."""

    def __init__(
        self,
        *,
        catalogue: Catalogue,
        embedder: Embedder,
        store: LearnerStatePort,
        wallet: WalletPort | None = None,
        retriever: RetrieverPort | None = None,
        model: LanguageModelCoach | None = None,
        now: Callable[[], dt.datetime],
        engine: DialogueEngine | None = None,
        verifier: Callable[[bytes], VerificationResult] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.embedder = embedder
        self.store = store
        self.wallet = wallet
        self.retriever = retriever
        self.model = model
        self.now = now
        self.verifier = verifier
        self.engine = engine if engine is not None else DialogueEngine(catalogue, embedder)

    # --- per-turn plumbing ------------------------------------------------------------
    def tools_for(self, learner_id: str) -> LearnerTools:
        """The capabilities bound to ``learner_id`` (from the session, never from a model)."""
        now = self.now()
        return LearnerTools(
            learner_id=learner_id,
            catalogue=self.catalogue,
            store=self.store,
            wallet=self.wallet,
            retriever=self.retriever,
            today=now.date(),
            now=now,
            verifier=self.verifier,
            embedder=self.embedder,
        )

    def _ensure(self, learner_id: str) -> DialogueState:
        """The learner's dialogue state, creating the learner on first contact."""
        if not learner_id:
            raise ValueError("learner_id is required")
        stored = self.store.get_state(learner_id, STATE_KEY)
        if stored is None:
            # A learner the CLI or an evaluation names on first contact. A stored state
            # proves the learner exists, which saves a database round trip per turn.
            self.store.ensure_learner(learner_id)
        return DialogueState.from_json(dict(stored) if stored else None)

    def load_state(self, learner_id: str) -> DialogueState:
        stored = self.store.get_state(learner_id, STATE_KEY)
        return DialogueState.from_json(dict(stored) if stored else None)

    def _save(self, learner_id: str, message: str, result: TurnResult) -> None:
        if result.erased:
            return  # nothing of an erased learner may be written back
        answer = result.answer
        # State and both messages in one transaction: a restart never keeps half a turn.
        turns: tuple[ExchangeTurn, ...] = (
            ("learner", message, None),
            ("coach", answer.text, answer.intent),
        )
        self.store.record_exchange(learner_id, STATE_KEY, result.state.to_json(), turns)

    def deterministic_turn(
        self,
        learner_id: str,
        message: str,
        attachments: list[bytes] | None = None,
        *,
        state: DialogueState | None = None,
    ) -> TurnResult:
        """One turn of the rule-and-retrieval coach (no language model)."""
        if state is None:
            state = self.load_state(learner_id)
        return self.engine.turn(
            self.tools_for(learner_id),
            state,
            message[:MAX_MESSAGE_CHARS],
            attachments=attachments,
        )

    # --- public API ---------------------------------------------------------------
    def respond(
        self, learner_id: str, message: str, *, attachments: list[bytes] | None = None
    ) -> Answer:
        """Answer one message from ``learner_id``."""
        state = self._ensure(learner_id)
        message = message[:MAX_MESSAGE_CHARS]
        result: TurnResult
        if self.model is not None and not attachments:
            result = self.model.turn(self, learner_id, message)
        else:
            result = self.deterministic_turn(learner_id, message, attachments, state=state)
        self._save(learner_id, message, result)
        return result.answer

    async def stream(self, learner_id: str, message: str) -> AsyncIterator[str | Answer]:
        """Text chunks as they are ready, then the final ``Answer``.

        Chunks from a language model are held back until the grounding check
        passes, so nothing ungrounded reaches the learner.
        """
        state = self._ensure(learner_id)
        message = message[:MAX_MESSAGE_CHARS]
        result: TurnResult
        if self.model is not None:
            result = await self.model.aturn(self, learner_id, message)
        else:
            result = self.deterministic_turn(learner_id, message, state=state)
        self._save(learner_id, message, result)
        for line in result.answer.text.splitlines(keepends=True):
            yield line
        yield result.answer
