"""Tables of the learner database (SQLAlchemy 2 declarative models).

Every table that holds a learner's data carries ``learner_id`` with
``ON DELETE CASCADE``, and every query of ``coach.store.sql`` filters on it.
The schema is created and changed only by the Alembic migrations in
``coach/store/migrations``; these models must match the latest one (a test
compares them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Constraint names fixed so migrations can refer to them on both backends.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Auto-increment keys: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
Serial = BigInteger().with_variant(Integer(), "sqlite")

LEARNER_FK = "learners.id"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _learner_column() -> Mapped[str]:
    return mapped_column(String(64), ForeignKey(LEARNER_FK, ondelete="CASCADE"), index=True)


class LearnerRow(Base):
    __tablename__ = "learners"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class IdentityRow(Base):
    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_identities_channel"),)

    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = _learner_column()
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(256))
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class StateRow(Base):
    __tablename__ = "learner_state"

    learner_id: Mapped[str] = mapped_column(
        String(64), ForeignKey(LEARNER_FK, ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TurnRow(Base):
    __tablename__ = "turns"
    __table_args__ = (Index("ix_turns_learner_order", "learner_id", "id"),)

    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = _learner_column()
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64), nullable=True)
    meta: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = _learner_column()
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WalletRow(Base):
    __tablename__ = "wallet_records"
    __table_args__ = (UniqueConstraint("learner_id", "sha256", name="uq_wallet_learner_sha256"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    learner_id: Mapped[str] = _learner_column()
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    media_type: Mapped[str] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    verification: Mapped[dict[str, Any]] = mapped_column(JSON)
    verified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    issuer_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    issuer_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    credential_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    link_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    link_evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    earned_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    credits: Mapped[float | None] = mapped_column(Float, nullable=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AccountRow(Base):
    __tablename__ = "accounts"

    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    learner_id: Mapped[str] = _learner_column()
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    learner_id: Mapped[str] = _learner_column()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ProcessedRow(Base):
    """Idempotency keys (Telegram update ids): no learner data, so erase leaves them."""

    __tablename__ = "processed_events"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    processed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


#: Tables holding a learner's rows, children first (erase order).
LEARNER_TABLES = (
    SessionRow,
    AccountRow,
    WalletRow,
    PlanRow,
    TurnRow,
    StateRow,
    IdentityRow,
)
