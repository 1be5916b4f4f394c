"""What the coach knows about a learner's skills and held credentials.

Shared by the self-assessment (which produces estimates), the wallet (verified
credentials evidence skills and credits) and the planner (which consumes both).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EstimateSource = Literal["self-assessed", "verified-credential"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SkillEstimate(_Value):
    """One skill's level for a learner, where it came from, and how sure we are."""

    skill: str
    level: int = Field(ge=0, le=8, description="0: none.")
    source: EstimateSource
    confidence: float = Field(ge=0.0, le=1.0)
    assessed_on: dt.date
    evidence: str | None = Field(
        default=None, description="Wallet record id or a short note from the learner."
    )


class HeldCredential(_Value):
    """A credential the learner holds, linked to a catalogue entry."""

    credential_id: str = Field(description="Catalogue credential id.")
    earned_on: dt.date
    verified: bool = Field(description="True only when wallet verification said valid.")
    wallet_record: str | None = None
    credits: float | None = Field(default=None, ge=0)


class Profile(_Value):
    """A learner's skill estimates and held credentials."""

    learner_id: str
    skills: Mapping[str, SkillEstimate] = Field(default_factory=dict)
    holdings: tuple[HeldCredential, ...] = ()

    def level_of(self, skill_id: str) -> int:
        estimate = self.skills.get(skill_id)
        return estimate.level if estimate is not None else 0

    def holds(self, credential_id: str) -> bool:
        return any(held.credential_id == credential_id for held in self.holdings)
