"""A small hand-built catalogue for the assessment machine's tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.embedding import Embedder
from knowledge.schema import (
    Catalogue,
    CatalogueInfo,
    Credential,
    Provider,
    Qualification,
    Role,
    RoleSkill,
    Skill,
    StackingRules,
)

TODAY = dt.date(2026, 11, 29)


def _skill(skill_id: str, name: str, levels: list[str], depends: tuple[str, ...] = ()) -> Skill:
    return Skill(
        id=skill_id, name=name, domain="data-analysis", levels=tuple(levels), depends_on=depends
    )


SKILLS = [
    _skill(
        "spreadsheets",
        "Spreadsheets",
        [
            "I can enter data and use simple formulas like SUM in a spreadsheet.",
            "I can sort, filter and build pivot tables to summarise a dataset.",
            "I can build lookup-based workbooks that others rely on for reporting.",
            "I design spreadsheet models with validation and teach colleagues to use them.",
        ],
    ),
    _skill(
        "sql",
        "SQL",
        [
            "I can read a simple SELECT query and change its filter.",
            "I write queries with joins, grouping and aggregates on my own.",
            "I write window functions and tune slow queries with indexes.",
            "I design database schemas and review other people's queries.",
        ],
    ),
    _skill(
        "statistics",
        "Statistics",
        [
            "I can compute an average, a median and a percentage correctly.",
            "I can describe a distribution and explain variance and correlation.",
            "I run hypothesis tests and regressions and interpret their results.",
            "I choose and defend statistical methods for experiments and surveys.",
        ],
    ),
    _skill(
        "python",
        "Python",
        [
            "I can run a Python script someone gave me and change a variable.",
            "I write small scripts with loops, functions and files.",
            "I analyse data with pandas and write reusable modules.",
            "I build tested, packaged Python tools that a team maintains.",
        ],
    ),
    _skill(
        "visualisation",
        "Data visualisation",
        [
            "I can make a basic bar or line chart from a table.",
            "I choose the right chart type and label it so it reads clearly.",
            "I build interactive dashboards that managers use every week.",
            "I set visual standards and coach others in data storytelling.",
        ],
        ("spreadsheets",),
    ),
    _skill(
        "modelling",
        "Predictive modelling",
        [
            "I know what a predictive model is and what training data means.",
            "I can fit a linear or logistic regression with a library.",
            "I build, validate and compare several models to pick the best one.",
            "I deploy models to production and monitor their performance over time.",
        ],
        ("python", "statistics"),
    ),
    _skill(
        "experiments",
        "Experiment design",
        [
            "I know what an A/B test is for.",
            "I can read an A/B test report and say whether the result holds.",
            "I plan A/B tests with sample sizes and success metrics.",
            "I run an experimentation programme across several teams.",
        ],
        ("statistics",),
    ),
]


def _credential(cid: str, title: str, skills: list[tuple[str, int]]) -> Credential:
    return Credential.model_validate(
        {
            "id": cid,
            "title": title,
            "type": "MicroCredential",
            "provider": "uni-north",
            "domain": "data-analysis",
            "skills": [{"skill": s, "level": lv} for s, lv in skills],
            "workload": {"hours": 50, "credits": 2},
            "price": {"amount": 300},
            "duration_weeks": 6,
            "participation": {"mode": "online"},
        }
    )


def build_catalogue(extra_roles: list[dict[str, Any]] | None = None) -> Catalogue:
    """The small catalogue; ``extra_roles`` adds roles for specific tests."""
    roles = [
        Role(
            id="data-analyst",
            title="Data Analyst",
            aliases=("analytics specialist",),
            domain="data-analysis",
            required_skills=(
                RoleSkill(skill="sql", level=3, essential=True),
                RoleSkill(skill="spreadsheets", level=3, essential=True),
                RoleSkill(skill="statistics", level=2, essential=True),
                RoleSkill(skill="visualisation", level=3),
                RoleSkill(skill="python", level=2),
            ),
        ),
        Role(
            id="data-scientist",
            title="Data Scientist",
            domain="data-analysis",
            required_skills=(
                RoleSkill(skill="python", level=3, essential=True),
                RoleSkill(skill="statistics", level=3, essential=True),
                RoleSkill(skill="modelling", level=3, essential=True),
                RoleSkill(skill="experiments", level=2),
                RoleSkill(skill="sql", level=2),
            ),
        ),
    ]
    roles += [Role.model_validate(r) for r in extra_roles or []]
    credentials = [
        _credential("sql-basics", "SQL Basics", [("sql", 2)]),
        _credential("sql-advanced", "Advanced SQL", [("sql", 3)]),
        _credential("stats-intro", "Introductory Statistics", [("statistics", 2)]),
        _credential("python-data", "Python for Data", [("python", 3)]),
    ]
    qualification = Qualification(
        id="cert-analytics",
        title="Certificate in Business Analytics",
        type="Certificate",
        provider="uni-north",
        domain="data-analysis",
        rules=StackingRules(required=("sql-basics", "stats-intro"), elective_pools=()),
    )
    return Catalogue(
        info=CatalogueInfo(name="assessment-test", sample_data=True),
        providers={
            "uni-north": Provider(
                id="uni-north", name="North University", kind="university", country="NL"
            )
        },
        skills={s.id: s for s in SKILLS},
        credentials={c.id: c for c in credentials},
        qualifications={qualification.id: qualification},
        roles={r.id: r for r in roles},
    )


@pytest.fixture
def catalogue() -> Catalogue:
    return build_catalogue()


def write_catalogue(catalogue: Catalogue, folder: Path) -> Path:
    """Write ``catalogue`` as a catalogue folder (for the CLI's loader)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalogue.yaml").write_text(yaml.safe_dump(catalogue.info.model_dump(mode="json")))
    tables = {
        "providers": catalogue.providers,
        "skills": catalogue.skills,
        "credentials": catalogue.credentials,
        "qualifications": catalogue.qualifications,
        "roles": catalogue.roles,
    }
    entries = {
        name: [e.model_dump(mode="json", exclude_defaults=True) for e in table.values()]
        for name, table in tables.items()
    }
    (folder / "entries.yaml").write_text(yaml.safe_dump(entries, sort_keys=False))
    return folder


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """The offline sentence-transformers model, loaded once for the whole session."""
    import torch

    from knowledge.embedding import SentenceTransformerEmbedder

    # One intra-op thread: on a shared 2-core machine, more threads make each
    # short encode over ten times slower through contention.
    torch.set_num_threads(1)

    return SentenceTransformerEmbedder()
