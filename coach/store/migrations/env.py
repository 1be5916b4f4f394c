"""Alembic environment: runs on the connection ``coach.store.sql`` hands over.

There is no alembic.ini: the store builds the configuration in code, so the
migrations run from the installed package on any machine.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from coach.store.models import Base

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("coach.store migrations run only through coach.store.sql")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
