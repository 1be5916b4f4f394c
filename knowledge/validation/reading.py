"""Read a catalogue folder into raw entries, reporting every unreadable file.

A catalogue is a folder with ``catalogue.yaml`` (the ``CatalogueInfo``) and any
number of ``*.yaml`` / ``*.yml`` / ``*.json`` files in it or its subfolders
(hidden files and folders are skipped). Each file is a mapping whose keys are
entry kinds (``providers``, ``skills``, ``credentials``, ``qualifications``,
``roles``, ``recognitions``), each a list of entries.

Limits that keep a hostile or broken file from hanging the coach:

* a file larger than ``MAX_JSON_BYTES`` (JSON) or ``MAX_YAML_BYTES`` (YAML,
  which parses about ten times slower) is refused unread;
* YAML anchors and aliases are allowed, but a file whose aliases expand to
  far more nodes than it holds ("billion laughs") is refused;
* nesting deeper than the parsers' recursion limit is refused.

JSON files take a fast path: pydantic parses and validates the whole file in
one call (``model_validate_json``), several times faster than ``json.load``
plus per-entry validation. Any failure there sends the file down the ordinary
path, which reports each problem with its entry.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.errors import CatalogueError
from knowledge.schema import Credential, Provider, Qualification, Recognition, Role, Skill
from knowledge.validation.report import Problems

#: Entry kinds a catalogue file may hold, in the order they are checked.
KINDS: tuple[str, ...] = (
    "providers",
    "skills",
    "credentials",
    "qualifications",
    "roles",
    "recognitions",
)

INFO_FILE = "catalogue.yaml"
SUFFIXES = frozenset({".yaml", ".yml", ".json"})
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_YAML_BYTES = 16 * 1024 * 1024
#: A YAML file may expand through aliases to at most this many times its own
#: node count (plus a small allowance for ordinary ``<<: *defaults`` merges).
_ALIAS_EXPANSION_FACTOR = 10
_ALIAS_EXPANSION_ALLOWANCE = 100_000

_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogueUnreadable(CatalogueError):  # noqa: N818 - pairs with CatalogueInvalid
    """The catalogue path is not a readable folder."""


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry as read from a file, before schema validation."""

    kind: str
    data: Any
    file: str
    index: int
    #: The entry already validated (JSON fast path), else None.
    model: BaseModel | None = None

    @property
    def raw_id(self) -> str | None:
        if self.model is not None:
            return str(getattr(self.model, "id", "")) or None
        if isinstance(self.data, dict):
            value = self.data.get("id")
            if isinstance(value, str):
                return value
        return None

    @property
    def where(self) -> str:
        entry_id = self.raw_id
        suffix = f" ({entry_id})" if entry_id else ""
        return f"{self.file}: {self.kind}[{self.index}]{suffix}"


@dataclass(frozen=True, slots=True)
class RawCatalogue:
    """Everything read from a folder: the info mapping and the raw entries."""

    info: Any
    entries: tuple[RawEntry, ...]


def read_folder(root: Path, problems: Problems) -> RawCatalogue:
    """Read every catalogue file under ``root``; report what cannot be read."""
    if not root.is_dir():
        raise CatalogueUnreadable(f"{root} is not a folder")
    if not os.access(root, os.R_OK | os.X_OK):
        raise CatalogueUnreadable(f"{root} is not readable")
    info: Any = None
    entries: list[RawEntry] = []
    info_path = root / INFO_FILE
    if info_path.is_file():
        before = len(problems.errors)
        info = _read_file(info_path, INFO_FILE, problems)
        if info is None and len(problems.errors) == before:
            problems.error(INFO_FILE, "is empty: it needs at least a name")
        elif info is not None and not isinstance(info, dict):
            problems.error(INFO_FILE, f"must be a mapping, not a {_type_name(info)}")
            info = None
    else:
        problems.error(INFO_FILE, "missing: a catalogue folder needs a catalogue.yaml")
    for path in _catalogue_files(root):
        relative = path.relative_to(root).as_posix()
        if relative == INFO_FILE:
            continue
        if path.suffix.lower() == ".json":
            fast = _read_json_fast(path, relative)
            if fast is not None:
                entries.extend(fast)
                continue
        data = _read_file(path, relative, problems)
        if data is None:
            continue
        entries.extend(_entries_of(data, relative, problems))
    return RawCatalogue(info=info, entries=tuple(entries))


def _catalogue_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if path.suffix.lower() in SUFFIXES:
                found.append(path)
    return found


class _JsonFile(BaseModel):
    """A whole catalogue file, for the JSON fast path."""

    model_config = ConfigDict(extra="forbid")

    providers: list[Provider] | None = None
    skills: list[Skill] | None = None
    credentials: list[Credential] | None = None
    qualifications: list[Qualification] | None = None
    roles: list[Role] | None = None
    recognitions: list[Recognition] | None = None


def _read_json_fast(path: Path, relative: str) -> list[RawEntry] | None:
    """Validated entries of a clean JSON file; None to take the ordinary path."""
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            return None
        parsed = _JsonFile.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, RecursionError):
        return None
    entries: list[RawEntry] = []
    for kind in KINDS:
        models: list[BaseModel] | None = getattr(parsed, kind)
        entries.extend(
            RawEntry(kind=kind, data=None, file=relative, index=index, model=model)
            for index, model in enumerate(models or ())
        )
    return entries


def _read_file(path: Path, where: str, problems: Problems) -> Any:
    """Parse one file; None (with a problem reported) when it cannot be read."""
    is_json = path.suffix.lower() == ".json"
    limit = MAX_JSON_BYTES if is_json else MAX_YAML_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            problems.error(
                where, f"file is too large ({size:,} bytes; the limit is {limit:,} bytes)"
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(where, f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.error(where, f"not UTF-8 text (invalid byte at offset {exc.start})")
        return None
    try:
        data = _parse_json(text) if is_json else _parse_yaml(text)
    except json.JSONDecodeError as exc:
        problems.error(where, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        position = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.error(where, f"invalid YAML{position}: {exc.problem or exc}")
        return None
    except yaml.YAMLError as exc:
        problems.error(where, f"invalid YAML: {exc}")
        return None
    except RecursionError:
        problems.error(where, "nested too deeply to read")
        return None
    except _AliasBombError as exc:
        problems.error(where, str(exc))
        return None
    if data is None:
        problems.warn(where, "file is empty")
    return data


def _parse_json(text: str) -> Any:
    return json.loads(text)


class _AliasBombError(Exception):
    pass


def _parse_yaml(text: str) -> Any:
    data = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a safe loader
    unique, expanded = _node_counts(data)
    if expanded > unique * _ALIAS_EXPANSION_FACTOR + _ALIAS_EXPANSION_ALLOWANCE:
        raise _AliasBombError(
            f"YAML aliases expand {unique:,} nodes into {expanded:,}: "
            "refused as a likely alias bomb"
        )
    return data


def _node_counts(data: Any) -> tuple[int, int]:
    """(distinct containers, nodes after expanding shared references).

    Iterative and memoised by object identity, so it runs in time linear in
    the distinct nodes even when aliases would expand exponentially.
    """
    expanded_size: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, children_done = stack.pop()
        if not isinstance(node, dict | list):
            continue
        key = id(node)
        children = list(node.values()) if isinstance(node, dict) else node
        if children_done:
            total = 1
            for child in children:
                if not isinstance(child, dict | list):
                    total += 1
                elif id(child) in in_progress:
                    raise _AliasBombError("YAML aliases make a structure contain itself")
                else:
                    total += expanded_size[id(child)]
            expanded_size[key] = total
            in_progress.discard(key)
            continue
        if key in expanded_size or key in in_progress:
            continue
        in_progress.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if isinstance(child, dict | list))
    if not isinstance(data, dict | list):
        return 1, 1
    return len(expanded_size), expanded_size[id(data)]


def _entries_of(data: Any, file: str, problems: Problems) -> list[RawEntry]:
    if not isinstance(data, dict):
        problems.error(
            file,
            f"must be a mapping with keys such as {', '.join(KINDS)}, not a {_type_name(data)}",
        )
        return []
    entries: list[RawEntry] = []
    for key, value in data.items():
        if key not in KINDS:
            problems.error(
                file, f"unknown top-level key {key!r} (expected one of: {', '.join(KINDS)})"
            )
            continue
        if value is None:
            continue
        if not isinstance(value, list):
            problems.error(
                f"{file}: {key}", f"must be a list of entries, not a {_type_name(value)}"
            )
            continue
        entries.extend(
            RawEntry(kind=key, data=item, file=file, index=index)
            for index, item in enumerate(value)
        )
    return entries


def _type_name(value: Any) -> str:
    names = {dict: "mapping", list: "list", str: "string", int: "number", float: "number"}
    return names.get(type(value), type(value).__name__)
