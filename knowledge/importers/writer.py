"""Write catalogue entries as a catalogue folder (the format ``knowledge.loading`` reads).

Entries go to one file per kind (``credentials.yaml``, ...) or, with
``chunk``, to numbered JSON files of at most ``chunk`` entries each
(``credentials/0000.json``), which load much faster at scale. Fields equal to
their schema default are left out, so the files stay readable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from knowledge.schema import CatalogueInfo
from knowledge.validation.reading import INFO_FILE, KINDS

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def entry_to_data(entry: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """Plain JSON-able data for an entry (schema model or mapping)."""
    if isinstance(entry, BaseModel):
        return entry.model_dump(mode="json", exclude_defaults=True)
    return dict(entry)


def write_catalogue_folder(
    out: Path,
    info: CatalogueInfo,
    entries: Mapping[str, Sequence[BaseModel | Mapping[str, Any]]],
    *,
    file_format: Literal["yaml", "json"] = "yaml",
    chunk: int | None = None,
) -> list[Path]:
    """Write ``catalogue.yaml`` and the entries into ``out``; return the files written.

    ``out`` may exist but must be empty: nothing is overwritten, and no stray
    file ends up read as part of the catalogue.
    """
    info_path = out / INFO_FILE
    if info_path.exists():
        raise FileExistsError(f"{info_path} already exists; choose an empty folder")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} is not an empty folder; choose an empty folder")
    out.mkdir(parents=True, exist_ok=True)
    info_path.write_text(_dump_yaml(info.model_dump(mode="json", exclude_defaults=True)), "utf-8")
    written = [info_path]
    for kind in KINDS:
        items = [entry_to_data(entry) for entry in entries.get(kind, ())]
        if not items:
            continue
        if chunk is None:
            path = out / f"{kind}.{file_format}"
            written.append(_write(path, {kind: items}, file_format))
            continue
        for number, start in enumerate(range(0, len(items), chunk)):
            path = out / kind / f"{number:04d}.json"
            path.parent.mkdir(exist_ok=True)
            written.append(_write(path, {kind: items[start : start + chunk]}, "json"))
    return written


def _write(path: Path, data: dict[str, Any], file_format: str) -> Path:
    if file_format == "json":
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
    else:
        path.write_text(_dump_yaml(data), "utf-8")
    return path


def _dump_yaml(data: Any) -> str:
    return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100))
