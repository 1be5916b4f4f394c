"""Schema check: turn raw entries into schema models, one problem per bad field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from knowledge.schema import (
    CatalogueInfo,
    Credential,
    Provider,
    Qualification,
    Recognition,
    Role,
    Skill,
)
from knowledge.validation.reading import INFO_FILE, RawCatalogue
from knowledge.validation.report import Problems

MODELS: Mapping[str, type[BaseModel]] = {
    "providers": Provider,
    "skills": Skill,
    "credentials": Credential,
    "qualifications": Qualification,
    "roles": Role,
    "recognitions": Recognition,
}

#: Singular names, for messages ("'x' is a skill, not a credential").
SINGULAR: Mapping[str, str] = {
    "providers": "provider",
    "skills": "skill",
    "credentials": "credential",
    "qualifications": "qualification",
    "roles": "role",
    "recognitions": "recognition record",
}


@dataclass
class Checked:
    """Entries that passed the schema, with where each came from."""

    info: CatalogueInfo | None = None
    #: kind -> list of (model, where)
    valid: dict[str, list[tuple[Any, str]]] = field(default_factory=dict)
    #: ids of entries that failed the schema (so references to them are not
    #: reported a second time as dangling): id -> kind
    invalid_ids: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def check_schema(raw: RawCatalogue, problems: Problems) -> Checked:
    """Validate every entry against its model; report every failing field."""
    checked = Checked(valid={kind: [] for kind in MODELS}, counts=dict.fromkeys(MODELS, 0))
    if raw.info is not None:
        try:
            checked.info = CatalogueInfo.model_validate(raw.info)
        except ValidationError as exc:
            _report(exc, INFO_FILE, problems)
    for entry in raw.entries:
        checked.counts[entry.kind] += 1
        if entry.model is not None:
            checked.valid[entry.kind].append((entry.model, entry.where))
            continue
        model = MODELS[entry.kind]
        try:
            value = model.model_validate(entry.data)
        except ValidationError as exc:
            _report(exc, entry.where, problems)
            if entry.raw_id is not None:
                checked.invalid_ids.setdefault(entry.raw_id, entry.kind)
            continue
        checked.valid[entry.kind].append((value, entry.where))
    return checked


def _report(exc: ValidationError, where: str, problems: Problems) -> None:
    for error in exc.errors(include_url=False, include_input=False):
        location = ".".join(str(part) for part in error["loc"])
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        problems.error(f"{where} > {location}" if location else where, message)
