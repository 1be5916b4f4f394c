"""Catalogue schema: pydantic models, one module per concept.

``Catalogue`` is the validated whole; the others are its entries and values.
"""

from knowledge.schema.catalogue import Catalogue, CatalogueInfo
from knowledge.schema.common import (
    Participation,
    Price,
    SkillLevel,
    Workload,
)
from knowledge.schema.credential import (
    Credential,
    CredentialType,
    PrerequisiteGroup,
    Validity,
)
from knowledge.schema.provider import Provider, ProviderKind
from knowledge.schema.qualification import ElectivePool, Qualification, StackingRules
from knowledge.schema.recognition import Recognition, RecognitionKind, RecognitionOutcome
from knowledge.schema.role import Role, RoleSkill
from knowledge.schema.skill import Skill

__all__ = [
    "Catalogue",
    "CatalogueInfo",
    "Credential",
    "CredentialType",
    "ElectivePool",
    "Participation",
    "PrerequisiteGroup",
    "Price",
    "Provider",
    "ProviderKind",
    "Qualification",
    "Recognition",
    "RecognitionKind",
    "RecognitionOutcome",
    "Role",
    "RoleSkill",
    "Skill",
    "SkillLevel",
    "StackingRules",
    "Validity",
    "Workload",
]
