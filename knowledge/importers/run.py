"""One entry point for every importer: source file in, catalogue folder out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from knowledge.importers.common import Draft, ImportOutcome, ImportSourceError, finish
from knowledge.schema import CatalogueInfo
from knowledge.validation import ValidationReport

SourceFormat = Literal["ctdl", "ob3", "csv"]


def _importer(source_format: str) -> Callable[[Path, Mapping[str, str]], Draft]:
    if source_format == "ctdl":
        from knowledge.importers.ctdl import import_ctdl

        return import_ctdl
    if source_format == "ob3":
        from knowledge.importers.ob3 import import_ob3

        return import_ob3
    if source_format == "csv":
        from knowledge.importers.csv_import import import_csv

        return import_csv
    raise ImportSourceError(f"unknown format {source_format!r} (use ctdl, ob3 or csv)")


def import_catalogue(
    source: Path,
    source_format: str,
    out: Path,
    defaults: Mapping[str, str],
    *,
    name: str | None = None,
) -> tuple[ImportOutcome, ValidationReport]:
    """Convert ``source`` into a catalogue folder at ``out`` and validate it.

    Raises ``ImportSourceError`` when the source cannot be read at all and
    ``FileExistsError`` when ``out`` already holds a catalogue.
    """
    if not source.is_file():
        raise ImportSourceError(f"{source} is not a readable file")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} is not an empty folder; choose an empty folder")
    draft = _importer(source_format)(source, defaults)
    info = CatalogueInfo(
        name=name or f"Imported from {source.name}",
        description=f"Converted by `coach catalogue import --format {source_format}`.",
    )
    return finish(draft, out, info, source_format)
