"""Recognition records: the only source for recognition answers."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from knowledge.schema.common import CountryCode, EntryId, EqfLevel, Value

RecognitionKind = Literal[
    "accreditation",
    "endorsement",  # employer endorsement
    "credit-transfer",  # credit transfer / articulation agreement
    "regulatory",  # regulatory approval (licensing bodies, ministries)
    "framework-level",  # level in a qualifications framework (EQF, NQF)
]

#: ``granted`` recognises; ``partial`` recognises with limits (see ``detail``);
#: ``refused`` records an explicit non-recognition (e.g. not in this country).
RecognitionOutcome = Literal["granted", "partial", "refused"]


class Recognition(Value):
    """Who recognises what, where, how much, until when, and the source."""

    id: EntryId
    kind: RecognitionKind
    outcome: RecognitionOutcome = "granted"
    granted_by: str = Field(min_length=1, description="Organisation that grants it.")
    granted_by_provider: EntryId | None = Field(
        default=None, description="The granting organisation when it is a catalogue provider."
    )
    credential: EntryId | None = None
    qualification: EntryId | None = None
    provider: EntryId | None = None
    countries: tuple[CountryCode, ...] = ()
    institution: str | None = None
    towards_qualification: EntryId | None = Field(
        default=None, description="For credit transfer: the qualification credited."
    )
    credits: float | None = Field(default=None, ge=0, le=400)
    framework: str | None = None
    framework_level: EqfLevel | None = None
    detail: str = Field(min_length=1)
    conditions: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    source_url: str = Field(min_length=1)

    @model_validator(mode="after")
    def _covers_something(self) -> Recognition:
        if not (self.credential or self.qualification or self.provider):
            raise ValueError(
                "a recognition record must cover a credential, qualification or provider"
            )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self

    def is_current(self, today: dt.date) -> bool:
        """Whether the record applies on ``today`` (passed in: no clock here)."""
        if self.valid_from and today < self.valid_from:
            return False
        return not (self.valid_until and today > self.valid_until)
