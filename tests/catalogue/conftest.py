"""Fixtures for catalogue tests: a small valid catalogue to break one way at a time."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

LEVELS = ["I can name it", "I can use it with help", "I can use it alone", "I can teach it"]


def _credential(cid: str, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": cid,
        "title": f"Credential {cid}",
        "type": "MicroCredential",
        "provider": "prov.uni",
        "domain": "data",
        "eqf_level": 6,
        "workload": {"hours": 50, "credits": 2, "credit_unit": "ECTS"},
        "price": {"amount": 300, "currency": "EUR"},
        "duration_weeks": 6,
        "participation": {"mode": "online"},
        "skills": [{"skill": "skill.python", "level": 2}],
    }
    entry.update(extra)
    return entry


def small_catalogue() -> dict[str, dict[str, Any]]:
    """File name -> content of a small catalogue that validates clean."""
    return {
        "catalogue.yaml": {"name": "Test catalogue", "sample_data": True},
        "providers.yaml": {
            "providers": [
                {
                    "id": "prov.uni",
                    "name": "Test University",
                    "kind": "university",
                    "country": "NL",
                },
                {"id": "prov.acme", "name": "Acme Ltd", "kind": "company", "country": "DE"},
            ]
        },
        "skills.yaml": {
            "skills": [
                {"id": "skill.python", "name": "Python", "domain": "data", "levels": LEVELS},
                {
                    "id": "skill.pandas",
                    "name": "pandas",
                    "domain": "data",
                    "levels": LEVELS,
                    "depends_on": ["skill.python"],
                },
            ]
        },
        "credentials/data.yaml": {
            "credentials": [
                _credential("cred.py1"),
                _credential(
                    "cred.py2",
                    prerequisites=[{"credentials": ["cred.py1"]}],
                    skills=[{"skill": "skill.pandas", "level": 3}],
                ),
                _credential("cred.acme", provider="prov.acme"),
            ]
        },
        "qualifications.yaml": {
            "qualifications": [
                {
                    "id": "qual.data",
                    "title": "Data certificate",
                    "type": "Certificate",
                    "provider": "prov.uni",
                    "domain": "data",
                    "eqf_level": 6,
                    "rules": {
                        "required": ["cred.py1"],
                        "elective_pools": [
                            {
                                "id": "pool.a",
                                "credentials": ["cred.py2", "cred.acme"],
                                "min_count": 1,
                            }
                        ],
                        "min_total_credits": 4,
                        "max_transfer_credits": 2,
                        "min_level": 6,
                    },
                }
            ]
        },
        "roles.yaml": {
            "roles": [
                {
                    "id": "role.analyst",
                    "title": "Data analyst",
                    "domain": "data",
                    "required_skills": [{"skill": "skill.pandas", "level": 3, "essential": True}],
                    "asked_credentials": ["qual.data"],
                }
            ]
        },
        "recognitions.json": {
            "recognitions": [
                {
                    "id": "rec.acc",
                    "kind": "accreditation",
                    "granted_by": "NVAO",
                    "qualification": "qual.data",
                    "detail": "Accredited certificate programme",
                    "source_url": "https://example.org/nvao",
                },
                {
                    "id": "rec.transfer",
                    "kind": "credit-transfer",
                    "granted_by": "Test University",
                    "granted_by_provider": "prov.uni",
                    "credential": "cred.acme",
                    "towards_qualification": "qual.data",
                    "credits": 2,
                    "detail": "Counts 2 ECTS towards the data certificate",
                    "source_url": "https://example.org/transfer",
                },
            ]
        },
    }


Writer = Callable[[dict[str, Any]], Path]


def write_files(root: Path, files: dict[str, Any]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        elif name.endswith(".json"):
            path.write_text(json.dumps(content), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture
def catalogue_files() -> dict[str, Any]:
    """A fresh, mutable copy of the small valid catalogue."""
    return copy.deepcopy(small_catalogue())


@pytest.fixture
def write_catalogue(tmp_path: Path) -> Writer:
    """Write files (name -> mapping, text or bytes) into a fresh folder."""
    counter = iter(range(1000))

    def write(files: dict[str, Any]) -> Path:
        return write_files(tmp_path / f"cat{next(counter)}", files)

    return write
