"""The conversation state, persisted per learner (``LearnerStore`` key ``dialogue``).

Frozen and JSON-serialisable, so any process (or channel) can pick the
conversation up where another left it. Nothing per-learner lives in memory.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.planner import Objective

STATE_KEY = "dialogue"


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Constraints(_Value):
    """What the learner said limits a plan."""

    budget: float | None = None
    currency: str | None = None
    hours_per_week: float | None = None
    weeks: float | None = None
    objective: Objective | None = None


class Pending(_Value):
    """A question the coach asked and is waiting on.

    ``kind`` is ``choose`` (which of ``options`` did you mean) or ``confirm_erase``.
    ``intent``, ``aspect`` and ``country`` are the request to finish once answered;
    ``others`` are entries already settled for it (the other side of a comparison).
    """

    kind: Literal["choose", "confirm_erase"]
    options: tuple[str, ...] = ()
    intent: str | None = None
    aspect: str | None = None
    country: str | None = None
    others: tuple[str, ...] = ()


class DialogueState(_Value):
    """Where the conversation with one learner stands."""

    version: int = 1
    turns: int = 0
    goal: str | None = Field(default=None, description="Target entry id of the learner's goal.")
    focus: tuple[str, ...] = Field(default=(), description="Entries discussed last.")
    last_intent: str | None = None
    last_aspect: str | None = None
    last_country: str | None = None
    constraints: Constraints = Constraints()
    pending: Pending | None = None
    assessment: dict[str, Any] | None = Field(
        default=None, description="The running self-assessment's state (its own JSON)."
    )
    assessment_target: str | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DialogueState:
        """The stored state, or a fresh one when there is none or it is unreadable."""
        if not data:
            return cls()
        try:
            return cls.model_validate(data)
        except ValueError:
            return cls()
