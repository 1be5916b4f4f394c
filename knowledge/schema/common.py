"""Value types shared by every catalogue entity.

Field names follow the EU Council Recommendation on micro-credentials (2022,
Annex I), Open Badges 3.0 ``Achievement`` and CTDL where they overlap.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

#: Stable identifier of a catalogue entry: lower-case, dots, dashes, underscores.
EntryId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,127}$")]

#: ISO 3166-1 alpha-2 country code, or ``EU`` for the whole Union.
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]

#: ISO 4217 currency code.
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]

#: What people write for a currency (symbols, codes, names), lower-cased, to its code.
CURRENCY_WORDS: dict[str, str] = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "chf": "CHF",
    "francs": "CHF",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "pln": "PLN",
    "zloty": "PLN",
    "cad": "CAD",
    "aud": "AUD",
    "inr": "INR",
    "rupees": "INR",
    "jpy": "JPY",
    "yen": "JPY",
}

#: ISO 639-1 language code.
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$")]

#: Proficiency level on a skill's own scale (1 = first descriptor).
Level = Annotated[int, Field(ge=1, le=8)]

#: European Qualifications Framework level.
EqfLevel = Annotated[int, Field(ge=1, le=8)]


class Value(BaseModel):
    """Base for immutable catalogue values: unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class SkillLevel(Value):
    """A skill at a proficiency level (taught by a credential, or required)."""

    skill: EntryId
    level: Level


CreditUnit = Literal["ECTS", "US-credit", "CEU", "CPD-hour", "SCQF", "UK-credit"]


class Workload(Value):
    """Notional workload: study hours and, where awarded, credits (EU element)."""

    hours: float = Field(gt=0, le=20000, description="Notional learning hours.")
    credits: float | None = Field(default=None, ge=0, le=400)
    credit_unit: CreditUnit = "ECTS"


class Price(Value):
    """What a learner pays for the credential, including assessment fees."""

    amount: float = Field(ge=0, le=200000)
    currency: CurrencyCode = "EUR"


Mode = Literal["online", "onsite", "blended"]
Pacing = Literal["self-paced", "cohort"]


class Participation(Value):
    """Form of participation (EU element): where and how learning happens."""

    mode: Mode
    pacing: Pacing = "self-paced"


Supervision = Literal[
    "unsupervised",  # no supervision, no identity verification
    "supervised",  # supervised, no identity verification
    "supervised-id-verified",  # supervised online or onsite with identity verification
]
