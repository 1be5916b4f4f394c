"""Identity check: ids are unique across every kind of entry.

Citations name entries by id alone, so a credential and a skill sharing an id
would make a citation ambiguous. The first occurrence wins; every later one is
reported with where the first one is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.validation.report import Problems
from knowledge.validation.schema_check import SINGULAR, Checked


@dataclass
class Indexed:
    """Valid entries by kind and id (duplicates dropped), plus every known id."""

    #: kind -> id -> model
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: id -> where (for messages of later checks)
    where: dict[str, str] = field(default_factory=dict)
    #: id -> kind, for valid and schema-invalid entries alike
    kinds: dict[str, str] = field(default_factory=dict)


def check_identity(checked: Checked, problems: Problems) -> Indexed:
    """Index entries by id, reporting every id used twice."""
    indexed = Indexed(tables={kind: {} for kind in checked.valid})
    for kind, entries in checked.valid.items():
        table = indexed.tables[kind]
        for model, where in entries:
            entry_id: str = model.id
            first = indexed.where.get(entry_id)
            if first is not None:
                first_kind = SINGULAR[indexed.kinds[entry_id]]
                problems.error(
                    where, f"duplicate id {entry_id!r}: already used by the {first_kind} at {first}"
                )
                continue
            table[entry_id] = model
            indexed.where[entry_id] = where
            indexed.kinds[entry_id] = kind
        for qualification in table.values() if kind == "qualifications" else ():
            _check_pool_ids(qualification, indexed.where[qualification.id], problems)
    for entry_id, kind in checked.invalid_ids.items():
        indexed.kinds.setdefault(entry_id, kind)
    return indexed


def _check_pool_ids(qualification: Any, where: str, problems: Problems) -> None:
    seen: set[str] = set()
    for index, pool in enumerate(qualification.rules.elective_pools):
        if pool.id in seen:
            problems.error(
                f"{where} > rules.elective_pools.{index}.id",
                f"duplicate elective pool id {pool.id!r} in this qualification",
            )
        seen.add(pool.id)
