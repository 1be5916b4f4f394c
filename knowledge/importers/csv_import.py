"""Import credentials (and their providers) from a CSV file.

The template is ``knowledge/data/templates/credentials.csv``; the columns are
documented in ``knowledge/importers/README.md``. One row is one credential;
the provider columns are repeated on each row of the same provider. List
cells (``learning_outcomes``, ``prerequisites``, ``languages``,
``achievement_ids``) separate items with ``;``. An empty cell of a required
column follows the defaults policy of ``knowledge.importers.common``; a cell
that does not parse skips its row with a warning naming row and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from knowledge.importers.common import (
    MAX_SOURCE_BYTES,
    Draft,
    ImportSourceError,
    default_flags,
    drop_empty,
    slug,
)

COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "type",
    "provider_id",
    "provider_name",
    "provider_kind",
    "provider_country",
    "domain",
    "description",
    "learning_outcomes",
    "hours",
    "credits",
    "credit_unit",
    "price",
    "currency",
    "duration_weeks",
    "mode",
    "pacing",
    "eqf_level",
    "prerequisites",
    "languages",
    "assessment",
    "supervision",
    "url",
    "achievement_ids",
)


def import_csv(path: Path, defaults: Mapping[str, str]) -> Draft:
    """Credentials and providers from a CSV file in the template's columns."""
    rows = _rows(path)
    draft = Draft()
    providers: dict[str, dict[str, Any]] = {}
    for number, row in rows:
        _row(draft, number, row, defaults, providers)
    return draft


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ImportSourceError(f"{path}: larger than {MAX_SOURCE_BYTES:,} bytes")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ImportSourceError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise ImportSourceError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
        if "title" not in header:
            raise ImportSourceError(
                f"{path}: no 'title' column; use the template's header: {','.join(COLUMNS)}"
            )
        unknown = [name for name in header if name not in COLUMNS]
        if unknown:
            raise ImportSourceError(f"{path}: unknown column(s) {', '.join(unknown)}")
        return [
            (number, {k: (v or "").strip() for k, v in row.items() if k is not None})
            for number, row in enumerate(reader, start=2)
        ]
    except csv.Error as exc:
        raise ImportSourceError(f"{path}: not a valid CSV file ({exc})") from exc


def _row(
    draft: Draft,
    number: int,
    row: dict[str, str],
    defaults: Mapping[str, str],
    providers: dict[str, dict[str, Any]],
) -> None:
    where = f"row {number}"
    title = row.get("title", "")
    if not title:
        draft.skip(where, "no title")
        return
    entry_id = draft.unique_id(row.get("id") or slug(title, prefix="cred-"))
    try:
        numbers = {
            column: float(row[column]) if row.get(column) else None
            for column in ("hours", "credits", "price", "duration_weeks", "eqf_level")
        }
    except ValueError as exc:
        draft.skip(f"{where} ({entry_id})", f"a number column does not parse: {exc}")
        return
    entry: dict[str, Any] = {
        "id": entry_id,
        "title": title,
        "description": row.get("description", ""),
        "learning_outcomes": _list(row.get("learning_outcomes")),
        "assessment": row.get("assessment", ""),
        "url": row.get("url") or None,
        "languages": _list(row.get("languages")) or None,
        "achievement_ids": _list(row.get("achievement_ids")),
    }
    if row.get("supervision"):
        entry["supervision"] = row["supervision"]
    if numbers["eqf_level"] is not None:
        entry["eqf_level"] = int(numbers["eqf_level"])
    prerequisites = _list(row.get("prerequisites"))
    if prerequisites:
        entry["prerequisites"] = [{"credentials": prerequisites}]
    missing: list[str] = []
    fill = draft.fill
    fill(entry, ("type",), row.get("type") or None, "type", defaults, missing)
    fill(entry, ("domain",), row.get("domain") or None, "domain", defaults, missing)
    fill(entry, ("workload", "hours"), numbers["hours"], "hours", defaults, missing)
    if numbers["credits"] is not None and "workload" in entry:
        entry["workload"]["credits"] = numbers["credits"]
        unit = row.get("credit_unit") or defaults.get("credit_unit")
        if not unit:
            missing.append("credit_unit")
        else:
            entry["workload"]["credit_unit"] = unit
    fill(entry, ("price", "amount"), numbers["price"], "price", defaults, missing)
    if "price" in entry:
        entry["price"]["currency"] = row.get("currency") or defaults.get("currency", "EUR")
    fill(entry, ("duration_weeks",), numbers["duration_weeks"], "weeks", defaults, missing)
    fill(entry, ("participation", "mode"), row.get("mode") or None, "mode", defaults, missing)
    if row.get("pacing") and "participation" in entry:
        entry["participation"]["pacing"] = row["pacing"]
    entry["provider"] = _provider(draft, where, row, defaults, providers, missing)
    if missing:
        draft.skip(
            f"{where} ({entry_id})",
            f"empty {', '.join(missing)} (fill the cells or supply {default_flags(missing)})",
        )
        return
    draft.add("credentials", drop_empty(entry))


def _provider(
    draft: Draft,
    where: str,
    row: dict[str, str],
    defaults: Mapping[str, str],
    providers: dict[str, dict[str, Any]],
    missing: list[str],
) -> str | None:
    name = row.get("provider_name") or ""
    provider_id = row.get("provider_id") or (slug(name, prefix="prov-") if name else "")
    if not provider_id:
        missing.append("provider")
        return None
    known = providers.get(provider_id)
    if known is not None:
        if name and name != known["name"]:
            draft.warn(
                f"{where}: provider {provider_id!r} named {name!r} here but "
                f"{known['name']!r} earlier; kept the first"
            )
        return provider_id
    entry: dict[str, Any] = {"id": draft.unique_id(provider_id), "name": name or None}
    provider_missing: list[str] = []
    if not name:
        provider_missing.append("provider_name")
    draft.fill(
        entry,
        ("kind",),
        row.get("provider_kind") or None,
        "provider_kind",
        defaults,
        provider_missing,
    )
    draft.fill(
        entry,
        ("country",),
        row.get("provider_country") or None,
        "country",
        defaults,
        provider_missing,
    )
    providers[provider_id] = entry
    if provider_missing:
        draft.skip(f"{where}: provider {provider_id!r}", f"empty {', '.join(provider_missing)}")
    else:
        draft.add("providers", entry)
    return str(entry["id"])


def _list(cell: str | None) -> list[str]:
    return [item.strip() for item in (cell or "").split(";") if item.strip()]
