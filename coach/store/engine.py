"""Opening the database: engine settings per backend, schema migration, error mapping.

SQLite: the folder is created, every connection runs ``journal_mode=WAL``,
``synchronous=FULL`` (a commit is on disk before it returns, so an acknowledged
write survives SIGKILL and power loss), ``foreign_keys=ON`` and a busy timeout;
write transactions start with ``BEGIN IMMEDIATE`` so two processes never
deadlock upgrading a read lock. PostgreSQL: ``pool_pre_ping`` and a connect
timeout. Driver errors become ``StoreUnavailableError`` / ``StoreError`` with a
message a person understands.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.pool import StaticPool

from coach.errors import StoreError
from coach.store.errors import StoreSchemaError, StoreUnavailableError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

#: How long SQLite waits for another process's write lock before giving up (ms).
SQLITE_BUSY_TIMEOUT_MS = 30_000

#: PostgreSQL advisory lock key that serialises schema migrations across processes.
MIGRATION_LOCK_KEY = 0x5354_4B57  # "STKW"

#: Execution option a write transaction sets so SQLite takes the write lock up front.
BEGIN_MODE = "coach_sqlite_begin"


def _sqlite_file(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Manage transactions ourselves: pysqlite's implicit BEGIN would defer
        # the write lock and break durability reasoning.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_MODE, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_store_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings above (no connection made yet)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"the database URL is not valid: {exc}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = _sqlite_file(url)
        options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
        if path is None:
            options["poolclass"] = StaticPool
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailableError(
                    f"cannot create the database folder {path.parent}: {exc.strerror}"
                ) from exc
        engine = create_engine(url, **options)
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=10,
            pool_timeout=10,
            connect_args={"connect_timeout": 5},
        )
    raise StoreError(f"unsupported database {backend!r}: use sqlite or postgresql")


def describe(exc: BaseException) -> str:
    """The first line of a driver error, without SQL or parameters."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return text[0][:300] if text else type(original).__name__


@contextmanager
def guard(action: str) -> Iterator[None]:
    """Turn database failures into ``StoreUnavailableError`` / ``StoreError``."""
    try:
        yield
    except IntegrityError:
        raise  # a broken rule (duplicate key): the store methods decide what it means
    except (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError) as exc:
        raise StoreUnavailableError(
            f"the learner database is unavailable ({action}): {describe(exc)}"
        ) from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise StoreUnavailableError(
                f"the learner database connection was lost ({action}): {describe(exc)}"
            ) from exc
        raise StoreError(f"the learner database failed ({action}): {describe(exc)}") from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"the learner database failed ({action}): {describe(exc)}") from exc


def alembic_config(connection: Connection) -> Config:
    """Alembic configuration built in code (no alembic.ini): works from the installed package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest revision; safe when several processes open at once."""
    # Alembic narrates every step at INFO; a CLI command's stderr is not the place.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with guard("migrating the schema"), engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection = connection.execution_options(**{BEGIN_MODE: "IMMEDIATE"})
        with connection.begin():
            if engine.dialect.name == "postgresql":
                connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            try:
                command.upgrade(alembic_config(connection), "head")
            except SQLAlchemyError:
                raise
            except Exception as exc:  # alembic's own errors: a broken or newer schema
                raise StoreSchemaError(
                    f"the learner database schema cannot be migrated: {exc}"
                ) from exc


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with guard("reading the schema revision"), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
