"""Structural JSON Schema checks of OB 3.0 / VC credentials (the project's own
schemas, written from the specifications' required properties), plus a
credential's declared ``credentialSchema`` when the resolver can supply it."""

from __future__ import annotations

import copy
import json
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

from coach.wallet.resolver import DocumentResolver, ResolutionError

_ONE_OR_MANY_STRINGS = {
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
}
_PROFILE_REF = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
    ]
}
#: The Open Badges 3.0 AchievementType vocabulary; anything else must be ``ext:``-prefixed.
ACHIEVEMENT_TYPES = (
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
    "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion",
    "Certification", "CommunityService", "Competency", "Course", "CoCurricular", "Degree",
    "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
    "JourneymanCertificate", "LearningProgram", "License", "Membership",
    "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate", "MasterDegree",
    "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
)  # fmt: skip
_ACHIEVEMENT_TYPE = {
    "anyOf": [
        {"enum": list(ACHIEVEMENT_TYPES)},
        {"type": "string", "pattern": "^ext:[A-Za-z0-9._-]+$"},
    ]
}
_ACHIEVEMENT = {
    "type": "object",
    "required": ["id", "type", "name", "description", "criteria"],
    "properties": {
        "id": {"type": "string"},
        "type": _ONE_OR_MANY_STRINGS,
        "name": {"type": "string"},
        "description": {"type": "string"},
        "criteria": {"type": "object"},
        "achievementType": _ACHIEVEMENT_TYPE,
    },
}
_PROOF = {"type": "object", "required": ["type"]}


def _credential_schema(version: int, open_badge: bool) -> dict[str, Any]:
    required = ["@context", "type", "issuer", "credentialSubject", "proof"]
    if version == 1:
        required.append("issuanceDate")  # VC 1.1 requires it
    elif open_badge:
        required.append("validFrom")  # OB 3.0 requires it; plain VC 2.0 does not
    if open_badge:
        required.append("id")
    subject: dict[str, Any] = {"type": "object"}
    if open_badge:
        subject = {
            "type": "object",
            "required": ["achievement"],
            "properties": {"achievement": _ACHIEVEMENT},
        }
    properties: dict[str, Any] = {
        "@context": {"type": "array", "minItems": 1},
        "id": {"type": "string"},
        "type": {"type": "array", "contains": {"const": "VerifiableCredential"}},
        "issuer": _PROFILE_REF,
        "credentialSubject": subject,
        "proof": {"type": "array", "minItems": 1, "items": _PROOF},
        "validFrom": {"type": "string"},
        "validUntil": {"type": "string"},
        "issuanceDate": {"type": "string"},
        "expirationDate": {"type": "string"},
    }
    if version == 2:
        # VC 2.0 replaced the 1.1 date properties; mixing them is a schema error.
        properties["issuanceDate"] = False
        properties["expirationDate"] = False
    return {"type": "object", "required": required, "properties": properties}


def normalise(document: dict[str, Any]) -> dict[str, Any]:
    """A copy with ``proof`` and ``type`` as arrays (the OB 3.0 schema wants both)."""
    out = copy.deepcopy(document)
    for key in ("proof", "type"):
        if key in out and not isinstance(out[key], list):
            out[key] = [out[key]]
    return out


def vc_version(document: dict[str, Any]) -> int:
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    return 2 if first == "https://www.w3.org/ns/credentials/v2" else 1


def builtin_errors(document: dict[str, Any], *, with_proof: bool = True) -> list[str]:
    """Errors against the project's structural schema for this credential's kind."""
    types = document.get("type")
    type_list = [t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]
    open_badge = bool({"OpenBadgeCredential", "AchievementCredential"} & set(type_list))
    schema = _credential_schema(vc_version(document), open_badge)
    if not with_proof:
        schema["required"] = [r for r in schema["required"] if r != "proof"]
    validator = Draft202012Validator(schema)
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in sorted(validator.iter_errors(normalise(document)), key=str)
    ][:5]


def declared_schema_errors(
    document: dict[str, Any], resolver: DocumentResolver
) -> tuple[list[str], list[str]]:
    """(errors, notes) for each declared credentialSchema the resolver can supply."""
    declared = document.get("credentialSchema")
    entries = declared if isinstance(declared, list) else [declared] if declared else []
    errors: list[str] = []
    notes: list[str] = []
    for entry in entries:
        url = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(url, str):
            errors.append("a credentialSchema entry has no id")
            continue
        try:
            schema = json.loads(resolver.fetch(url))
            cls = validator_for(schema, default=Draft202012Validator)
            cls.check_schema(schema)
        except (ResolutionError, ValueError) as exc:
            notes.append(f"declared schema {url} not fetched ({exc}); built-in schema applied")
            continue
        except Exception as exc:  # a broken schema document
            notes.append(f"declared schema {url} unusable: {exc}")
            continue
        validator = cls(schema)
        for error in list(validator.iter_errors(normalise(document)))[:3]:
            errors.append(f"{url}: {error.message}")
    return errors, notes
