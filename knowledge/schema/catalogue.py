"""The catalogue: every entry, indexed by id, plus derived relations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import Field

from knowledge.schema.common import Value
from knowledge.schema.credential import Credential
from knowledge.schema.provider import Provider
from knowledge.schema.qualification import Qualification
from knowledge.schema.recognition import Recognition
from knowledge.schema.role import Role
from knowledge.schema.skill import Skill


class CatalogueInfo(Value):
    """The catalogue's own description (``catalogue.yaml``)."""

    name: str = Field(min_length=1)
    version: str = "1"
    description: str = ""
    sample_data: bool = Field(default=False, description="True for fictional demo data.")
    publisher: str = ""


@dataclass(frozen=True)
class Catalogue:
    """A validated catalogue. Build it with ``knowledge.loading``, not by hand."""

    info: CatalogueInfo
    providers: Mapping[str, Provider] = field(default_factory=dict)
    skills: Mapping[str, Skill] = field(default_factory=dict)
    credentials: Mapping[str, Credential] = field(default_factory=dict)
    qualifications: Mapping[str, Qualification] = field(default_factory=dict)
    roles: Mapping[str, Role] = field(default_factory=dict)
    recognitions: Mapping[str, Recognition] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "providers": len(self.providers),
            "skills": len(self.skills),
            "credentials": len(self.credentials),
            "qualifications": len(self.qualifications),
            "roles": len(self.roles),
            "recognitions": len(self.recognitions),
        }

    @cached_property
    def stacks_into(self) -> Mapping[str, tuple[str, ...]]:
        """Credential id -> ids of qualifications whose rules count it."""
        result: dict[str, list[str]] = {}
        for qualification in self.qualifications.values():
            rules = qualification.rules
            members = set(rules.required)
            for pool in rules.elective_pools:
                members.update(pool.credentials)
            for credential_id in sorted(members):
                result.setdefault(credential_id, []).append(qualification.id)
        return {key: tuple(value) for key, value in result.items()}

    @cached_property
    def recognitions_by_subject(self) -> Mapping[str, tuple[Recognition, ...]]:
        """Covered entry id (credential, qualification or provider) -> records."""
        result: dict[str, list[Recognition]] = {}
        for record in self.recognitions.values():
            for subject in (record.credential, record.qualification, record.provider):
                if subject:
                    result.setdefault(subject, []).append(record)
        return {key: tuple(value) for key, value in result.items()}

    def title_of(self, entry_id: str) -> str | None:
        """Human title of any entry, or None when the id is unknown."""
        for table in (self.credentials, self.qualifications, self.roles):
            entry = table.get(entry_id)
            if entry is not None:
                return entry.title
        provider = self.providers.get(entry_id)
        if provider is not None:
            return provider.name
        skill = self.skills.get(entry_id)
        if skill is not None:
            return skill.name
        record = self.recognitions.get(entry_id)
        return record.detail if record is not None else None
