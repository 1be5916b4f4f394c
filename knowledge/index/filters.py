"""Search filters: one value, evaluated on document metadata.

``SearchFilters`` is what the coach passes in (``coach.search_query`` reads
"under 300 euros" from a message). ``matches`` is the reference semantics on one metadata mapping;
``FilterColumns`` evaluates the same semantics over many documents at once
with numpy, so filtering happens before ranking at any catalogue size. A filter
on a field excludes entries that lack the field (a role has no price). Prices
compare in the filter's currency only (no exchange rates offline), except that
a free entry is within any price limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from knowledge.index.documents import IndexDocument, Kind, MetaValue
from knowledge.schema.common import Mode

BoolArray = npt.NDArray[np.bool_]


class SearchFilters(BaseModel):
    """Metadata constraints applied before ranking; unset fields do not filter."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kinds: tuple[Kind, ...] = ()
    domain: str | None = None
    max_price: float | None = Field(default=None, ge=0)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    max_hours: float | None = Field(default=None, ge=0)
    mode: Mode | None = None
    eqf_level: int | None = Field(default=None, ge=1, le=8)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    provider: str | None = None

    def is_empty(self) -> bool:
        return self == SearchFilters()

    def matches(self, meta: Mapping[str, MetaValue]) -> bool:
        """Whether one document's metadata passes every set constraint."""
        if self.kinds and meta.get("kind") not in self.kinds:
            return False
        for key, wanted in (
            ("domain", self.domain),
            ("mode", self.mode),
            ("eqf_level", self.eqf_level),
            ("provider", self.provider),
        ):
            if wanted is not None and meta.get(key) != wanted:
                return False
        if self.max_price is not None:
            price = meta.get("price_amount")
            if not isinstance(price, int | float):
                return False
            # Free is within any limit, whatever currency the entry is priced in.
            if price != 0 and (
                meta.get("price_currency") != self.currency or price > self.max_price
            ):
                return False
        if self.max_hours is not None:
            hours = meta.get("hours")
            if not isinstance(hours, int | float) or hours > self.max_hours:
                return False
        if self.country is not None:
            countries = meta.get("countries")
            if not isinstance(countries, list) or self.country not in countries:
                return False
        return True


class FilterColumns:
    """Column arrays of the filterable metadata of a fixed document list."""

    def __init__(self, docs: Sequence[IndexDocument]) -> None:
        self.size = len(docs)
        self._str: dict[str, npt.NDArray[np.object_]] = {}
        for key in ("kind", "domain", "mode", "provider", "price_currency"):
            self._str[key] = np.array([_text(d.metadata.get(key)) for d in docs], dtype=object)
        self._num: dict[str, npt.NDArray[np.float64]] = {}
        for key in ("price_amount", "hours", "eqf_level"):
            self._num[key] = np.array([_number(d.metadata.get(key)) for d in docs])
        self._country: dict[str, list[int]] = {}
        for row, doc in enumerate(docs):
            countries = doc.metadata.get("countries")
            if isinstance(countries, list):
                for code in countries:
                    self._country.setdefault(code, []).append(row)

    def mask(self, filters: SearchFilters | None) -> BoolArray | None:
        """Rows that pass ``filters``; None when nothing filters."""
        if filters is None or filters.is_empty():
            return None
        keep = np.ones(self.size, dtype=bool)
        if filters.kinds:
            keep &= np.isin(self._str["kind"], list(filters.kinds))
        for key, wanted in (
            ("domain", filters.domain),
            ("mode", filters.mode),
            ("provider", filters.provider),
        ):
            if wanted is not None:
                keep &= self._str[key] == wanted
        if filters.eqf_level is not None:
            keep &= self._num["eqf_level"] == filters.eqf_level
        with np.errstate(invalid="ignore"):  # NaN (absent) compares False: excluded
            if filters.max_price is not None:
                price = self._num["price_amount"]
                in_budget = (price <= filters.max_price) & (
                    self._str["price_currency"] == filters.currency
                )
                keep &= in_budget | (price == 0)
            if filters.max_hours is not None:
                keep &= self._num["hours"] <= filters.max_hours
        if filters.country is not None:
            in_country = np.zeros(self.size, dtype=bool)
            in_country[self._country.get(filters.country, [])] = True
            keep &= in_country
        return keep


def _text(value: MetaValue | None) -> str:
    return value if isinstance(value, str) else ""


def _number(value: MetaValue | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return float("nan")
    return float(value)
