"""Qualifications reached by stacking credentials, with their stacking rules."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from knowledge.schema.common import EntryId, EqfLevel, Price, Value
from knowledge.schema.credential import CredentialType


class ElectivePool(Value):
    """Choose from ``credentials`` until ``min_credits`` and ``min_count`` are met."""

    id: EntryId
    title: str = ""
    credentials: tuple[EntryId, ...] = Field(min_length=1)
    min_credits: float | None = Field(default=None, ge=0)
    min_count: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _has_a_minimum(self) -> ElectivePool:
        if self.min_credits is None and self.min_count is None:
            raise ValueError("an elective pool needs min_credits or min_count")
        return self


class StackingRules(Value):
    """The rules a set of credentials must meet to earn the qualification.

    * ``required``: every one of these credentials.
    * ``elective_pools``: each pool's minimum met from its own credentials; a
      credential counts in one pool only (no credit counted twice).
    * ``min_total_credits``: credits over required and elective credentials.
    * ``max_transfer_credits``: cap on credits counted from credentials awarded
      by another provider than the qualification's.
    * ``recency_years``: credentials already held count only if earned within
      this many years.
    * ``min_level``: counted credentials must be at this EQF level or above.
    """

    required: tuple[EntryId, ...] = ()
    elective_pools: tuple[ElectivePool, ...] = ()
    min_total_credits: float | None = Field(default=None, ge=0)
    max_transfer_credits: float | None = Field(default=None, ge=0)
    recency_years: int | None = Field(default=None, ge=1, le=50)
    min_level: EqfLevel | None = None


class Qualification(Value):
    """A larger credential (certificate, diploma, degree) earned by stacking."""

    id: EntryId
    title: str = Field(min_length=1, max_length=300)
    aliases: tuple[str, ...] = ()
    type: CredentialType
    provider: EntryId
    description: str = Field(default="", max_length=10000)
    domain: EntryId
    eqf_level: EqfLevel | None = None
    credit_unit: str = "ECTS"
    rules: StackingRules
    award_fee: Price | None = Field(default=None, description="Fee for the award itself.")
    url: str | None = None
    last_reviewed: dt.date | None = None
