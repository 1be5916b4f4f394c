"""The assessment's persisted state: frozen, JSON-serialisable values.

A channel stores ``state.model_dump(mode="json")`` (the coach keeps it under the
learner store key ``assessment``) and hands it back on the next turn, from any
process or channel; nothing lives in memory between turns.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

STATE_KEY = "assessment"

#: Quick mode asks at most this many skill questions.
QUICK_LIMIT = 12

Mode = Literal["quick", "thorough"]
TargetKind = Literal["role", "qualification", "domain"]

#: ``need_target``: waiting for a goal; ``choose_target``: which of ``choices``;
#: ``confirm_verified``: confirm levels evidenced by verified credentials;
#: ``asking``: a skill question is open; ``confirm_level``: a free-text answer
#: needs confirming; ``follow_up``: how sure / what evidence; ``done``: finished.
Phase = Literal[
    "need_target",
    "choose_target",
    "confirm_verified",
    "asking",
    "confirm_level",
    "follow_up",
    "done",
]

#: How a level was obtained.
RecordHow = Literal["button", "free-text", "verified", "inferred", "skipped"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TargetRef(_Value):
    """A resolved goal: a role, a qualification or a domain of the catalogue."""

    kind: TargetKind
    id: str
    title: str


class Requirement(_Value):
    """A skill the target needs, at a level; ``rank`` 0 is the highest impact."""

    skill: str
    level: int = Field(ge=1, le=8)
    essential: bool = False
    rank: int = Field(ge=0)


class Prefill(_Value):
    """A level evidenced by a verified wallet credential, waiting to be confirmed."""

    skill: str
    level: int = Field(ge=1, le=8)
    credential_id: str
    wallet_record: str | None = None


class Record(_Value):
    """One skill's outcome; ``level`` None means skipped (unknown)."""

    skill: str
    level: int | None = Field(default=None, ge=0, le=8)
    how: RecordHow
    confidence: float = Field(ge=0.0, le=1.0)
    on: dt.date
    evidence: str | None = None
    inferred_from: str | None = None


class PendingLevel(_Value):
    """A free-text answer read as ``level``; ``alternative`` is the runner-up."""

    skill: str
    level: int = Field(ge=0, le=8)
    alternative: int | None = Field(default=None, ge=0, le=8)
    text: str = Field(max_length=2000)


class AssessmentState(_Value):
    """Where one learner's self-assessment stands."""

    version: Literal[1] = 1
    mode: Mode = "quick"
    phase: Phase = "need_target"
    paused: bool = False
    follow_up: bool = Field(default=False, description="Ask how sure / evidence after answers.")
    started_on: dt.date
    target: TargetRef | None = None
    choices: tuple[TargetRef, ...] = ()
    requirements: tuple[Requirement, ...] = Field(
        default=(), description="Target skills, foundations first."
    )
    prefills: tuple[Prefill, ...] = ()
    records: tuple[Record, ...] = ()
    asked: tuple[str, ...] = Field(default=(), description="Skills asked at least once.")
    history: tuple[str, ...] = Field(default=(), description="Answered skills, for Back.")
    current: str | None = None
    pending: PendingLevel | None = None

    @property
    def limit(self) -> int | None:
        return QUICK_LIMIT if self.mode == "quick" else None

    def record_of(self, skill_id: str) -> Record | None:
        for record in self.records:
            if record.skill == skill_id:
                return record
        return None

    def requirement_of(self, skill_id: str) -> Requirement | None:
        for requirement in self.requirements:
            if requirement.skill == skill_id:
                return requirement
        return None
