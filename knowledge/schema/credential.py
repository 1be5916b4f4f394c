"""Credentials a learner can earn: micro-credentials, badges, certificates, ...

Covers the mandatory and optional elements of the EU Council Recommendation on
micro-credentials (2022), Annex I: title, awarding body (``provider``), country
(the provider's), learning outcomes, notional workload, EQF level, type of
assessment, form of participation, quality assurance, prerequisites,
supervision and identity verification, and integration / stackability (derived
from the qualifications that count the credential).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from knowledge.schema.common import (
    EntryId,
    EqfLevel,
    LanguageCode,
    Participation,
    Price,
    SkillLevel,
    Supervision,
    Value,
    Workload,
)

#: Subset of the Open Badges 3.0 ``achievementType`` vocabulary (CTDL classes
#: map onto it) that a catalogue entry can take.
CredentialType = Literal[
    "MicroCredential",
    "Badge",
    "Certificate",
    "Certification",
    "CertificateOfCompletion",
    "Course",
    "License",
    "Diploma",
    "Degree",
    "AssociateDegree",
    "BachelorDegree",
    "MasterDegree",
]


class PrerequisiteGroup(Value):
    """One condition of a credential's prerequisites.

    The group holds when at least ``min_count`` of its items hold (all of them
    when ``min_count`` is ``None``). A credential's groups must all hold.
    """

    min_count: int | None = Field(default=None, ge=1)
    credentials: tuple[EntryId, ...] = ()
    skills: tuple[SkillLevel, ...] = ()
    description: str = ""

    @property
    def item_count(self) -> int:
        return len(self.credentials) + len(self.skills)

    @property
    def required_count(self) -> int:
        return self.item_count if self.min_count is None else self.min_count

    @model_validator(mode="after")
    def _not_empty(self) -> PrerequisiteGroup:
        if self.item_count == 0:
            raise ValueError("a prerequisite group needs at least one credential or skill")
        if self.min_count is not None and self.min_count > self.item_count:
            raise ValueError(
                f"min_count {self.min_count} exceeds the {self.item_count} items of the group"
            )
        return self


class Validity(Value):
    """How long the credential stays valid and how it is renewed."""

    months: int | None = Field(default=None, ge=1, le=600, description="None: never expires.")
    renewal: str = ""


class Credential(Value):
    """A credential a learner can earn."""

    id: EntryId
    title: str = Field(min_length=1, max_length=300)
    aliases: tuple[str, ...] = ()
    type: CredentialType
    provider: EntryId
    description: str = Field(default="", max_length=10000)
    learning_outcomes: tuple[str, ...] = ()
    skills: tuple[SkillLevel, ...] = ()
    domain: EntryId
    eqf_level: EqfLevel | None = None
    workload: Workload
    price: Price
    duration_weeks: float = Field(gt=0, le=520, description="Typical duration in weeks.")
    participation: Participation
    assessment: str = Field(default="", description="Type of assessment.")
    supervision: Supervision = "unsupervised"
    quality_assurance: str = ""
    prerequisites: tuple[PrerequisiteGroup, ...] = ()
    validity: Validity = Validity()
    languages: tuple[LanguageCode, ...] = ("en",)
    url: str | None = None
    last_reviewed: dt.date | None = None
    achievement_ids: tuple[str, ...] = Field(
        default=(), description="Open Badges Achievement ids its badges carry."
    )
