"""Builders for a small hand-made catalogue used by the retrieval tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from knowledge.embedding import HashingEmbedder, Vectors
from knowledge.schema import (
    Catalogue,
    CatalogueInfo,
    Credential,
    Provider,
    Qualification,
    Recognition,
    Role,
    Skill,
)


def credential(cid: str, title: str, **over: Any) -> Credential:
    fields: dict[str, Any] = {
        "id": cid,
        "title": title,
        "type": "MicroCredential",
        "provider": "uni-north",
        "description": f"{title} for working professionals.",
        "domain": "data",
        "eqf_level": 5,
        "workload": {"hours": 50, "credits": 2},
        "price": {"amount": 250, "currency": "EUR"},
        "duration_weeks": 6,
        "participation": {"mode": "online", "pacing": "self-paced"},
    }
    fields.update(over)
    return Credential.model_validate(fields)


def small_catalogue() -> Catalogue:
    skills = [
        Skill(
            id="sql",
            name="SQL querying",
            domain="data",
            description="Writing queries against relational databases.",
            levels=("I can read a query", "I can write joins", "I can tune", "I can teach"),
        ),
        Skill(
            id="python",
            name="Python programming",
            domain="data",
            description="Writing Python scripts and programs.",
            levels=("I can run a script", "I can write functions", "I can design", "I lead"),
        ),
        Skill(
            id="first-aid",
            name="First aid",
            domain="health",
            description="Emergency care for injuries.",
            levels=("I know the basics", "I can help", "I can lead", "I can train"),
        ),
    ]
    providers = [
        Provider(
            id="uni-north",
            name="Northfield University",
            kind="university",
            country="DE",
            description="A public university.",
        ),
        Provider(
            id="medskills",
            name="MedSkills Academy",
            kind="company",
            country="FR",
            description="Health training.",
        ),
    ]
    credentials = [
        credential(
            "sql-basics",
            "SQL Foundations",
            aliases=("Intro to SQL",),
            learning_outcomes=("Write SELECT queries with joins",),
            skills=({"skill": "sql", "level": 2},),
        ),
        credential(
            "python-data",
            "Python for Data Analysis",
            skills=({"skill": "python", "level": 2},),
            price={"amount": 480, "currency": "EUR"},
            workload={"hours": 120},
            eqf_level=6,
        ),
        credential(
            "first-aid-cert",
            "Workplace First Aid Certificate",
            type="Certificate",
            provider="medskills",
            domain="health",
            eqf_level=4,
            price={"amount": 120, "currency": "EUR"},
            workload={"hours": 16},
            participation={"mode": "onsite", "pacing": "cohort"},
            skills=({"skill": "first-aid", "level": 2},),
        ),
    ]
    qualification = Qualification.model_validate(
        {
            "id": "data-cert",
            "title": "Certificate in Data Practice",
            "type": "Certificate",
            "provider": "uni-north",
            "domain": "data",
            "eqf_level": 6,
            "rules": {"required": ["sql-basics", "python-data"]},
        }
    )
    role = Role.model_validate(
        {
            "id": "data-analyst",
            "title": "Data Analyst",
            "aliases": ["BI analyst"],
            "domain": "data",
            "description": "Turns data into decisions.",
            "required_skills": [{"skill": "sql", "level": 3, "essential": True}],
        }
    )
    recognition = Recognition.model_validate(
        {
            "id": "rec-first-aid-fr",
            "kind": "regulatory",
            "granted_by": "French Ministry of Labour",
            "credential": "first-aid-cert",
            "countries": ["FR", "BE"],
            "detail": "Approved as the workplace first aider qualification.",
            "source_url": "https://example.org/first-aid",
        }
    )
    return Catalogue(
        info=CatalogueInfo(name="retrieval test"),
        providers={p.id: p for p in providers},
        skills={s.id: s for s in skills},
        credentials={c.id: c for c in credentials},
        qualifications={qualification.id: qualification},
        roles={role.id: role},
        recognitions={recognition.id: recognition},
    )


def with_credentials(
    catalogue: Catalogue, *extra: Credential, drop: tuple[str, ...] = ()
) -> Catalogue:
    """A copy of ``catalogue`` with credentials added or replaced and some dropped."""
    table = {k: v for k, v in catalogue.credentials.items() if k not in drop}
    table.update({c.id: c for c in extra})
    return replace(catalogue, credentials=table)


class CountingEmbedder(HashingEmbedder):
    """The hashing fake, remembering every text it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        self.texts.extend(texts)
        return super().encode(texts, batch_size=batch_size)
