"""Job roles a learner can aim for."""

from __future__ import annotations

from pydantic import Field

from knowledge.schema.common import EntryId, Level, Value


class RoleSkill(Value):
    """A skill a role needs, at a level; ``essential`` marks the must-haves."""

    skill: EntryId
    level: Level
    essential: bool = False


class Role(Value):
    """A job role, with the skills it needs and credentials employers ask for."""

    id: EntryId
    title: str = Field(min_length=1, max_length=300)
    aliases: tuple[str, ...] = ()
    domain: EntryId
    description: str = Field(default="", max_length=10000)
    esco_code: str | None = None
    onet_code: str | None = None
    required_skills: tuple[RoleSkill, ...] = Field(min_length=1)
    asked_credentials: tuple[EntryId, ...] = Field(
        default=(), description="Credentials employers in the catalogue ask for."
    )
