"""What every importer shares: defaults, drafts, pruning, writing, the report.

Policy for values the schema requires but a source lacks (price, hours,
duration, mode of participation, domain, a provider's country or kind):
the entry is **skipped with a warning** naming what is missing, unless the
user supplies a default with ``--default FIELD=VALUE``. Every default that
was used is listed in the warnings too (how many entries took it), so an
imported catalogue never carries a value nobody chose. Entries that refer to
a skipped entry are skipped in turn (a qualification missing a required
credential would otherwise look easier than it is); a missing prerequisite
is dropped from the credential with a warning instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.errors import CatalogueError
from knowledge.importers.writer import write_catalogue_folder
from knowledge.schema import CatalogueInfo
from knowledge.validation import ValidationReport, validate_catalogue
from knowledge.validation.reading import KINDS
from knowledge.validation.references import references_of
from knowledge.validation.schema_check import MODELS, SINGULAR

#: Source files above this size are refused unread.
MAX_SOURCE_BYTES = 64 * 1024 * 1024

#: ``--default`` fields and what they fill in.
DEFAULT_FIELDS: Mapping[str, str] = {
    "hours": "credential workload.hours (notional learning hours)",
    "price": "credential price.amount",
    "currency": "currency of a defaulted price (ISO 4217; EUR when not given)",
    "weeks": "credential duration_weeks",
    "mode": "credential participation.mode (online, onsite or blended)",
    "domain": "credential and qualification domain (an id such as data-science)",
    "country": "provider country (ISO 3166 alpha-2)",
    "provider_kind": "provider kind (university, company, professional-body, ...)",
    "provider": "name of the awarding body when the source names none",
    "type": "credential type when the source names none (e.g. Certificate, Badge)",
    "credit_unit": "unit of credits a source gives without one (OB3 creditsAvailable)",
}


class ImportSourceError(CatalogueError):
    """The source file cannot be imported at all (unreadable, wrong format)."""


class ImportOutcome(BaseModel):
    """What ``coach catalogue import --json`` prints."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    format: str
    out: str
    counts: dict[str, int]
    skipped: int
    warnings: list[str]
    errors: list[dict[str, str]]


def parse_defaults(pairs: Iterable[str]) -> dict[str, str]:
    """``["hours=20", "mode=online"]`` -> mapping; unknown fields are an error."""
    defaults: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not value.strip():
            raise ImportSourceError(f"--default expects FIELD=VALUE, got {pair!r}")
        if name not in DEFAULT_FIELDS:
            raise ImportSourceError(
                f"unknown --default field {name!r} (known: {', '.join(DEFAULT_FIELDS)})"
            )
        defaults[name] = value.strip()
    return defaults


def slug(text: str, *, prefix: str = "") -> str:
    """An entry id from any text: lower-case ASCII, dots and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9._-]+", "-", ascii_text.lower()).strip("-._")
    cleaned = (prefix + cleaned) if cleaned else prefix + "entry"
    if not cleaned[0].isalnum():
        cleaned = "x" + cleaned
    return cleaned[:120]


#: An ISO 8601 duration (years to seconds); seconds are matched only so that an
#: importer can decide whether to accept them.
_ISO_DURATION = re.compile(
    r"^P(?:(?P<y>[\d.]+)Y)?(?:(?P<mo>[\d.]+)M)?(?:(?P<w>[\d.]+)W)?(?:(?P<d>[\d.]+)D)?"
    r"(?:T(?:(?P<h>[\d.]+)H)?(?:(?P<mi>[\d.]+)M)?(?:(?P<s>[\d.]+)S)?)?$"
)


def iso_duration(value: str | None, *, allow_seconds: bool) -> tuple[float | None, float | None]:
    """(hours, weeks) of an ISO 8601 duration; (None, None) when it is not one.

    Hours come from the time part (H, M), weeks from the date part (Y, M, W, D);
    seconds never count, and with ``allow_seconds=False`` a duration naming them
    is refused as a whole.
    """
    match = _ISO_DURATION.match(value.strip()) if value else None
    if not match or (not allow_seconds and match.group("s") is not None):
        return None, None
    parts = {key: float(v) for key, v in match.groupdict().items() if v and key != "s"}
    hours = parts.get("h", 0.0) + parts.get("mi", 0.0) / 60
    weeks = (
        parts.get("y", 0.0) * 52
        + parts.get("mo", 0.0) * 52 / 12
        + parts.get("w", 0.0)
        + parts.get("d", 0.0) / 7
    )
    return (hours or None), (round(weeks, 2) or None)


def http_url(value: Any) -> str | None:
    """``value`` when it is an http(s) URL string, else None."""
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def as_number(value: Any) -> float | None:
    """A JSON number or numeric string as a float; None for anything else (booleans too)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def default_flags(fields: Iterable[str]) -> str:
    """The ``--default`` options that would fill ``fields``, for skip messages."""
    return " ".join(f"--default {name}=..." for name in fields)


def not_in_source(fields: list[str]) -> str:
    """Why an entry is skipped: the source lacks ``fields`` and no default was given."""
    return f"the source gives no {', '.join(fields)} (supply {default_flags(fields)} to import it)"


def drop_empty(entry: dict[str, Any]) -> dict[str, Any]:
    """``entry`` without empty optional values, so that the schema's defaults apply."""
    return {k: v for k, v in entry.items() if v not in (None, "", [], {})}


@dataclass
class Draft:
    """Entries built from a source, as plain data, plus what was lost on the way."""

    entries: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {kind: [] for kind in KINDS}
    )
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0
    defaults_used: Counter[str] = field(default_factory=Counter)
    _ids: set[str] = field(default_factory=set)

    def unique_id(self, wanted: str) -> str:
        """``wanted``, or ``wanted-2`` ... when taken (ids are unique across kinds)."""
        candidate, number = wanted, 2
        while candidate in self._ids:
            candidate = f"{wanted[:110]}-{number}"
            number += 1
        self._ids.add(candidate)
        return candidate

    def add(self, kind: str, entry: dict[str, Any]) -> None:
        self.entries[kind].append(entry)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def skip(self, what: str, reason: str) -> None:
        self.skipped += 1
        self.warnings.append(f"skipped {what}: {reason}")

    def fill(
        self,
        entry: dict[str, Any],
        path: tuple[str, ...],
        value: Any,
        default_name: str,
        defaults: Mapping[str, str],
        missing: list[str],
    ) -> None:
        """Set ``entry[path]`` from the source value, else the default, else note it missing."""
        if value is None:
            if default_name in defaults:
                value = defaults[default_name]
                self.defaults_used[default_name] += 1
            else:
                missing.append(default_name)
                return
        target = entry
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value


def finish(
    draft: Draft, out: Path, info: CatalogueInfo, source_format: str
) -> tuple[ImportOutcome, ValidationReport]:
    """Validate drafts against the schema, prune dangling ones, write, validate the folder."""
    models = _schema_pass(draft)
    _prune(draft, models)
    for name, count in sorted(draft.defaults_used.items()):
        draft.warn(f"--default {name} used for {count} entr{'y' if count == 1 else 'ies'}")
    write_catalogue_folder(
        out, info, {kind: list(table.values()) for kind, table in models.items()}
    )
    _, report = validate_catalogue(out)
    outcome = ImportOutcome(
        ok=report.ok,
        format=source_format,
        out=str(out),
        counts=report.counts,
        skipped=draft.skipped,
        warnings=draft.warnings + [f"{w.where}: {w.message}" for w in report.warnings],
        errors=[{"where": e.where, "message": e.message} for e in report.errors],
    )
    return outcome, report


def _schema_pass(draft: Draft) -> dict[str, dict[str, BaseModel]]:
    models: dict[str, dict[str, BaseModel]] = {kind: {} for kind in KINDS}
    for kind in KINDS:
        for data in draft.entries[kind]:
            try:
                model = MODELS[kind].model_validate(data)
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                where = ".".join(str(part) for part in first["loc"]) or "entry"
                draft.skip(
                    f"{SINGULAR[kind]} {data.get('id')!r}",
                    f"{where}: {first['msg']}"
                    + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""),
                )
                continue
            models[kind][str(data["id"])] = model
    return models


def _prune(draft: Draft, models: dict[str, dict[str, BaseModel]]) -> None:
    """Drop entries that name skipped entries, until nothing dangles."""
    changed = True
    while changed:
        changed = False
        known = {entry_id: kind for kind, table in models.items() for entry_id in table}
        for kind in KINDS:
            for entry_id, model in list(models[kind].items()):
                dangling = [
                    (path, target)
                    for path, target, allowed in references_of(model)
                    if known.get(target) not in allowed
                ]
                if not dangling:
                    continue
                changed = True
                if kind == "credentials" and all(
                    p.startswith("prerequisites") for p, _ in dangling
                ):
                    models[kind][entry_id] = _without_prerequisites(model, {t for _, t in dangling})
                    draft.warn(
                        f"credential {entry_id!r}: dropped prerequisite(s) "
                        f"{', '.join(sorted({t for _, t in dangling}))} (not imported)"
                    )
                    continue
                del models[kind][entry_id]
                draft.skip(
                    f"{SINGULAR[kind]} {entry_id!r}",
                    f"it refers to {dangling[0][1]!r} ({dangling[0][0]}), which was not imported",
                )


def _without_prerequisites(model: BaseModel, gone: set[str]) -> BaseModel:
    data = model.model_dump(mode="json", exclude_defaults=True)
    groups = []
    for group in data.get("prerequisites", []):
        credentials = [cid for cid in group.get("credentials", []) if cid not in gone]
        items = len(credentials) + len(group.get("skills", []))
        if items == 0:
            continue
        group["credentials"] = credentials
        if group.get("min_count") and group["min_count"] > items:
            group["min_count"] = items
        groups.append(group)
    data["prerequisites"] = groups
    return type(model).model_validate(data)
