"""Reference check: every id an entry names exists, and is of the right kind.

A reference to an entry that exists but failed the schema is not reported
again (its schema errors already are).
"""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.schema import Credential, Qualification, Recognition, Role, Skill
from knowledge.validation.identity import Indexed
from knowledge.validation.report import Problems
from knowledge.validation.schema_check import SINGULAR

#: (field path, referenced id, kinds the reference may point at)
Reference = tuple[str, str, tuple[str, ...]]

_CREDENTIAL = ("credentials",)
_SKILL = ("skills",)
_PROVIDER = ("providers",)
_QUALIFICATION = ("qualifications",)


def check_references(indexed: Indexed, problems: Problems) -> None:
    """Report every reference that points at nothing or at the wrong kind."""
    kinds = indexed.kinds
    for table in indexed.tables.values():
        for entry_id, entry in table.items():
            for path, target, allowed in references_of(entry):
                if kinds.get(target) not in allowed:  # the hot path stays inline
                    where = indexed.where[entry_id]
                    _check_one(indexed, where, path, target, allowed, problems)


def _check_one(
    indexed: Indexed,
    where: str,
    path: str,
    target: str,
    allowed: tuple[str, ...],
    problems: Problems,
) -> None:
    actual = indexed.kinds.get(target)
    if actual in allowed:
        return
    wanted = " or ".join(SINGULAR[kind] for kind in allowed)
    if actual is None:
        problems.error(f"{where} > {path}", f"unknown {wanted} {target!r}")
    else:
        problems.error(f"{where} > {path}", f"{target!r} is a {SINGULAR[actual]}, not a {wanted}")


def references_of(entry: object) -> Iterator[Reference]:
    """Every id an entry refers to, with its field path and allowed kinds."""
    if isinstance(entry, Credential):
        yield "provider", entry.provider, _PROVIDER
        for index, taught in enumerate(entry.skills):
            yield f"skills.{index}.skill", taught.skill, _SKILL
        for group_index, group in enumerate(entry.prerequisites):
            base = f"prerequisites.{group_index}"
            for index, credential_id in enumerate(group.credentials):
                yield f"{base}.credentials.{index}", credential_id, _CREDENTIAL
            for index, needed in enumerate(group.skills):
                yield f"{base}.skills.{index}.skill", needed.skill, _SKILL
    elif isinstance(entry, Skill):
        for index, skill_id in enumerate(entry.depends_on):
            yield f"depends_on.{index}", skill_id, _SKILL
    elif isinstance(entry, Qualification):
        yield "provider", entry.provider, _PROVIDER
        for index, credential_id in enumerate(entry.rules.required):
            yield f"rules.required.{index}", credential_id, _CREDENTIAL
        for pool_index, pool in enumerate(entry.rules.elective_pools):
            for index, credential_id in enumerate(pool.credentials):
                path = f"rules.elective_pools.{pool_index}.credentials.{index}"
                yield path, credential_id, _CREDENTIAL
    elif isinstance(entry, Role):
        for index, role_skill in enumerate(entry.required_skills):
            yield f"required_skills.{index}.skill", role_skill.skill, _SKILL
        for index, credential_id in enumerate(entry.asked_credentials):
            # Employers may ask for a stacked qualification (a degree) too.
            yield f"asked_credentials.{index}", credential_id, _CREDENTIAL + _QUALIFICATION
    elif isinstance(entry, Recognition):
        if entry.credential:
            yield "credential", entry.credential, _CREDENTIAL
        if entry.qualification:
            yield "qualification", entry.qualification, _QUALIFICATION
        if entry.provider:
            yield "provider", entry.provider, _PROVIDER
        if entry.granted_by_provider:
            yield "granted_by_provider", entry.granted_by_provider, _PROVIDER
        if entry.towards_qualification:
            yield "towards_qualification", entry.towards_qualification, _QUALIFICATION
