"""The learner database: ports, records, the SQL adapter and an in-memory fake.

``open_database(url)`` gives one ``SqlStore`` that implements ``LearnerStore``,
``WalletStore`` and ``AccountStore`` on SQLite (WAL, synchronous=FULL) or
PostgreSQL, migrating the schema with Alembic on open. ``MemoryStore`` is the
fake with the same behaviour. Errors: see ``coach.store.errors``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.store.errors import (
    StoreConflictError,
    StoreSchemaError,
    StoreUnavailableError,
    UnknownLearnerError,
)
from coach.store.memory import MemoryStore
from coach.store.ports import (
    Account,
    AccountStore,
    Identity,
    LearnerStore,
    NewWalletRecord,
    PlanRecord,
    Store,
    Turn,
    WalletRecord,
    WalletStore,
)

if TYPE_CHECKING:
    from coach.store.sql import SqlStore


def open_database(url: str) -> SqlStore:
    """The store on ``url`` (an SQLAlchemy URL), its schema brought up to date."""
    from coach.store.sql import open_database as _open

    return _open(url)


def open_stores(url: str) -> tuple[SqlStore, SqlStore]:
    """``(learner store, wallet store)`` for ``bots.wiring``: one object serves both."""
    store = open_database(url)
    return store, store


__all__ = [
    "Account",
    "AccountStore",
    "Identity",
    "LearnerStore",
    "MemoryStore",
    "NewWalletRecord",
    "PlanRecord",
    "Store",
    "StoreConflictError",
    "StoreSchemaError",
    "StoreUnavailableError",
    "Turn",
    "UnknownLearnerError",
    "WalletRecord",
    "WalletStore",
    "open_database",
    "open_stores",
]
