"""Store fixtures: the same tests run on the in-memory fake, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.store import MemoryStore, NewWalletRecord, open_database
from coach.store.ports import Store
from coach.store.sql import SqlStore
from knowledge.schema import Catalogue, CatalogueInfo, Credential, Provider

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)

ISSUER_DID = "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"
TEAMWORK_ACHIEVEMENT = "https://example.com/achievements/21st-century-skills/teamwork"


def _open_sql(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> SqlStore:
    if kind == "sqlite":
        return open_database(f"sqlite:///{tmp_path / 'data' / 'coach.sqlite3'}")
    url: str = request.getfixturevalue("postgres_url")
    return open_database(url)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Every backend of the store ports."""
    if request.param == "memory":
        yield MemoryStore()
        return
    sql = _open_sql(request.param, tmp_path, request)
    yield sql
    sql.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """The SQL adapter on both databases."""
    sql = _open_sql(request.param, tmp_path, request)
    yield sql
    sql.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'coach.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def wallet_record(data: bytes = b'{"badge": 1}', **fields: Any) -> NewWalletRecord:
    """A wallet record as the import service would hand it over."""
    values: dict[str, Any] = {
        "data": data,
        "media_type": "application/json",
        "format": "ob3-data-integrity",
        "status": "valid",
        "verification": {"status": "valid", "reasons": [], "checks": []},
        "verified_at": NOW,
        "title": "Teamwork",
        "issuer_id": ISSUER_DID,
        "issuer_name": "Example Corp",
    }
    values.update(fields)
    return NewWalletRecord(**values)


RecordFactory = Callable[..., NewWalletRecord]


@pytest.fixture
def make_record() -> RecordFactory:
    return wallet_record


def _credential(cid: str, provider: str, title: str, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": cid,
        "title": title,
        "type": "MicroCredential",
        "provider": provider,
        "domain": "teamwork",
        "workload": {"hours": 30, "credits": 1.5, "credit_unit": "ECTS"},
        "price": {"amount": 100, "currency": "EUR"},
        "duration_weeks": 4,
        "participation": {"mode": "online"},
    }
    entry.update(extra)
    return entry


def catalogue_entries() -> dict[str, Any]:
    """Providers and credentials the wallet tests link badges against."""
    return {
        "providers": [
            {
                "id": "prov.example",
                "name": "Example Corp",
                "kind": "company",
                "country": "US",
                "issuer_ids": [ISSUER_DID],
            },
            {"id": "prov.uni", "name": "Example University", "kind": "university", "country": "NL"},
        ],
        "credentials": [
            _credential(
                "cred.teamwork",
                "prov.example",
                "Teamwork",
                achievement_ids=[TEAMWORK_ACHIEVEMENT],
            ),
            _credential("cred.leadership", "prov.example", "Leadership Essentials"),
            _credential(
                "cred.text-analysis",
                "prov.uni",
                "Text Analysis",
                url="https://1edtech.edu/achievements/1",
            ),
            _credential("cred.data-basics", "prov.uni", "Data Analysis Basics"),
        ],
    }


@pytest.fixture
def catalogue() -> Catalogue:
    entries = catalogue_entries()
    return Catalogue(
        info=CatalogueInfo(name="Wallet test catalogue", sample_data=True),
        providers={p["id"]: Provider(**p) for p in entries["providers"]},
        credentials={c["id"]: Credential(**c) for c in entries["credentials"]},
    )


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """The same catalogue as a folder ``knowledge.loading`` reads."""
    root = tmp_path / "catalogue"
    root.mkdir()
    (root / "catalogue.yaml").write_text(
        yaml.safe_dump({"name": "Wallet test catalogue", "sample_data": True}), encoding="utf-8"
    )
    (root / "entries.yaml").write_text(yaml.safe_dump(catalogue_entries()), encoding="utf-8")
    return root
