"""The schema comes from the Alembic migrations; a database that is down or broken
raises the store's errors with a clear message."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from coach.errors import StoreError
from coach.store import StoreSchemaError, StoreUnavailableError, open_database
from coach.store.engine import MIGRATIONS, alembic_config, create_store_engine, schema_revision
from coach.store.models import Base
from coach.store.sql import SqlStore

EXPECTED_TABLES = {
    "learners",
    "identities",
    "learner_state",
    "turns",
    "plans",
    "wallet_records",
    "accounts",
    "sessions",
    "processed_events",
    "alembic_version",
}


def _head() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_migrations_build_the_schema_from_an_empty_database(database_url: str) -> None:
    store = open_database(database_url)
    try:
        assert schema_revision(store.engine) == _head()
        with store.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) == EXPECTED_TABLES
            # the models describe exactly what the migrations built
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        store.close()


def test_opening_again_keeps_the_data_and_the_revision(database_url: str) -> None:
    first = open_database(database_url)
    learner = first.create_learner()
    first.close()
    second = open_database(database_url)
    try:
        assert second.learner_exists(learner)
        assert schema_revision(second.engine) == _head()
    finally:
        second.close()


def test_migrations_downgrade_to_empty_and_up_again(database_url: str) -> None:
    open_database(database_url).close()
    engine = create_store_engine(database_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    store = open_database(database_url)
    try:
        assert store.ping()
        assert store.create_learner()
    finally:
        store.close()


def test_a_database_from_a_newer_version_is_refused(database_url: str) -> None:
    open_database(database_url).close()
    engine = create_store_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00000000000'"))
    engine.dispose()
    with pytest.raises(StoreSchemaError, match="cannot be migrated"):
        open_database(database_url)


def test_sqlite_file_gets_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'nested' / 'coach.sqlite3'}"
    store = open_database(url)
    try:
        assert (tmp_path / "new" / "nested" / "coach.sqlite3").exists()
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_postgresql_that_is_down_raises_store_unavailable() -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/coach"
    with pytest.raises(StoreUnavailableError, match="unavailable"):
        open_database(url)
    store = SqlStore(create_store_engine(url))
    assert store.ping() is False
    with pytest.raises(StoreUnavailableError):
        store.create_learner()
    with pytest.raises(StoreError):
        store.list_credentials("lrn_x")


def test_sqlite_in_an_unwritable_place_raises_store_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreUnavailableError, match="cannot create the database folder"):
        open_database(f"sqlite:///{blocker / 'coach.sqlite3'}")


def test_unsupported_database_urls_are_refused() -> None:
    with pytest.raises(StoreError, match="unsupported database"):
        open_database("mysql://localhost/coach")
    with pytest.raises(StoreError, match="not valid"):
        open_database("not a url")


def test_postgresql_connections_killed_by_the_server_are_replaced(
    postgres_database_url: str,
) -> None:
    postgres_url = postgres_database_url
    store = open_database(postgres_url)
    try:
        learner = store.create_learner()
        admin = create_store_engine(postgres_url)
        with admin.begin() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        admin.dispose()
        # pool_pre_ping notices the dead connection and opens a new one
        assert store.learner_exists(learner)
        store.put_state(learner, "dialogue", {"ok": True})
    finally:
        store.close()
