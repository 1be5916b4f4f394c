"""Credential providers (awarding bodies)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from knowledge.schema.common import CountryCode, EntryId, Value

ProviderKind = Literal[
    "university",
    "company",
    "professional-body",
    "bootcamp",
    "government",
    "nonprofit",
]


class Provider(Value):
    """An organisation that awards credentials.

    ``issuer_ids`` are the identifiers it uses as issuer on the badges it signs
    (DIDs, profile URLs), so a wallet badge can be matched to the provider.
    """

    id: EntryId
    name: str = Field(min_length=1, max_length=300)
    kind: ProviderKind
    country: CountryCode
    url: str | None = None
    description: str = Field(default="", max_length=5000)
    issuer_ids: tuple[str, ...] = ()
