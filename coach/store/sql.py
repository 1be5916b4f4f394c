"""The SQL adapter: ``SqlStore`` implements every store port on SQLite or PostgreSQL.

One short transaction per method. Every statement about a learner's data filters
on the ``learner_id`` the caller passed (taken from the session), so one learner
never reaches another's rows. Writes for an unknown learner raise
``UnknownLearnerError``; reads of one return nothing. Driver failures surface as
``StoreUnavailableError`` / ``StoreError`` (see ``coach.store.engine``).
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, bindparam, delete, exists, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from coach.profile import HeldCredential
from coach.store.engine import BEGIN_MODE, create_store_engine, guard, migrate
from coach.store.errors import StoreConflictError, UnknownLearnerError
from coach.store.export import build_export
from coach.store.models import (
    LEARNER_TABLES,
    AccountRow,
    IdentityRow,
    LearnerRow,
    PlanRow,
    ProcessedRow,
    SessionRow,
    StateRow,
    TurnRow,
    WalletRow,
)
from coach.store.ports import (
    DEFAULT_SESSION_TTL,
    Account,
    ExchangeTurn,
    Identity,
    NewWalletRecord,
    PlanRecord,
    Role,
    Store,
    Turn,
    WalletRecord,
    check_learner_id,
    check_name,
    check_role,
    checked_exchange,
    clean_text,
    json_copy,
    new_learner_id,
    new_record_id,
    new_session_token,
    normalise_username,
    token_hash,
    utc_now,
)

# The statements of every chat turn, built once: constructing an SQLAlchemy statement
# costs more Python than executing its cached compiled form.
_STATE_VALUE = select(StateRow.value).where(
    StateRow.learner_id == bindparam("learner_id"), StateRow.key == bindparam("key")
)
_STATE_UPDATE = (
    update(StateRow)
    .where(StateRow.learner_id == bindparam("b_learner"), StateRow.key == bindparam("b_key"))
    .values(value=bindparam("b_value"), updated_at=bindparam("b_at"))
)
_LEARNER_EXISTS = select(exists().where(LearnerRow.id == bindparam("learner_id")))
_SESSION_LOOKUP = select(SessionRow.learner_id, SessionRow.expires_at).where(
    SessionRow.token_hash == bindparam("token_hash")
)


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _wallet_record(row: Any) -> WalletRecord:
    return WalletRecord(
        id=row.id,
        learner_id=row.learner_id,
        sha256=row.sha256,
        size=row.size,
        data=bytes(row.data),
        media_type=row.media_type,
        format=row.format,
        status=row.status,
        verification=row.verification,
        verified_at=_utc(row.verified_at),
        title=row.title,
        issuer_id=row.issuer_id,
        issuer_name=row.issuer_name,
        credential_id=row.credential_id,
        link_confidence=row.link_confidence,
        link_evidence=row.link_evidence,
        earned_on=row.earned_on,
        credits=row.credits,
        added_at=_utc(row.added_at),
    )


def _turn(row: Any) -> Turn:
    return Turn(
        id=row.id,
        role=row.role,
        text=row.text,
        intent=row.intent,
        meta=row.meta,
        at=_utc(row.created_at),
    )


class SqlStore:
    """``LearnerStore``, ``WalletStore`` and ``AccountStore`` on one SQLAlchemy engine."""

    def __init__(self, engine: Engine, *, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.engine = engine
        self._clock = clock
        self._sqlite = engine.dialect.name == "sqlite"

    # --- plumbing ----------------------------------------------------------
    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with guard(action), self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        with guard(action), self.engine.connect() as connection:
            if self._sqlite:
                connection = connection.execution_options(**{BEGIN_MODE: "IMMEDIATE"})
            with connection.begin():
                yield connection

    @staticmethod
    def _require(connection: Connection, learner_id: str) -> None:
        found = connection.execute(_LEARNER_EXISTS, {"learner_id": learner_id}).scalar()
        if not found:
            raise UnknownLearnerError(f"no learner {learner_id!r}")

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> bool:
        try:
            with self._read("ping") as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    # --- learners and identities ------------------------------------------
    def create_learner(self) -> str:
        learner_id = new_learner_id()
        with self._write("creating a learner") as connection:
            connection.execute(insert(LearnerRow).values(id=learner_id, created_at=self._clock()))
        return learner_id

    def ensure_learner(self, learner_id: str) -> None:
        check_learner_id(learner_id)
        if self.learner_exists(learner_id):
            return
        try:
            with self._write("creating a learner") as connection:
                connection.execute(
                    insert(LearnerRow).values(id=learner_id, created_at=self._clock())
                )
        except IntegrityError:
            pass  # created meanwhile by another process: that is the goal

    def learner_exists(self, learner_id: str) -> bool:
        with self._read("looking up a learner") as connection:
            return bool(connection.execute(_LEARNER_EXISTS, {"learner_id": learner_id}).scalar())

    def _identity_owner(self, connection: Connection, channel: str, external_id: str) -> str | None:
        owner = connection.execute(
            select(IdentityRow.learner_id).where(
                IdentityRow.channel == channel, IdentityRow.external_id == external_id
            )
        ).scalar()
        return str(owner) if owner is not None else None

    def learner_for_identity(
        self, channel: str, external_id: str, *, create: bool = True
    ) -> str | None:
        check_name(channel, "a channel")
        with self._read("looking up an identity") as connection:
            owner = self._identity_owner(connection, channel, external_id)
        if owner is not None or not create:
            return owner
        learner_id = new_learner_id()
        try:
            with self._write("creating a learner") as connection:
                now = self._clock()
                connection.execute(insert(LearnerRow).values(id=learner_id, created_at=now))
                connection.execute(
                    insert(IdentityRow).values(
                        learner_id=learner_id,
                        channel=channel,
                        external_id=external_id,
                        linked_at=now,
                    )
                )
        except IntegrityError:
            # Another process mapped this identity first: use its learner.
            with self._read("looking up an identity") as connection:
                return self._identity_owner(connection, channel, external_id)
        return learner_id

    def link_identity(self, learner_id: str, channel: str, external_id: str) -> None:
        check_name(channel, "a channel")
        with self._write("linking an identity") as connection:
            self._require(connection, learner_id)
            connection.execute(
                delete(IdentityRow).where(
                    IdentityRow.channel == channel, IdentityRow.external_id == external_id
                )
            )
            connection.execute(
                insert(IdentityRow).values(
                    learner_id=learner_id,
                    channel=channel,
                    external_id=external_id,
                    linked_at=self._clock(),
                )
            )

    def identities(self, learner_id: str) -> builtins.list[Identity]:
        with self._read("reading identities") as connection:
            return self._identities(connection, learner_id)

    @staticmethod
    def _identities(connection: Connection, learner_id: str) -> builtins.list[Identity]:
        rows = connection.execute(
            select(IdentityRow).where(IdentityRow.learner_id == learner_id).order_by(IdentityRow.id)
        ).all()
        return [
            Identity(channel=r.channel, external_id=r.external_id, linked_at=_utc(r.linked_at))
            for r in rows
        ]

    # --- state, turns, plans ----------------------------------------------
    def get_state(self, learner_id: str, key: str) -> dict[str, Any] | None:
        with self._read("reading state") as connection:
            value = connection.execute(
                _STATE_VALUE, {"learner_id": learner_id, "key": key}
            ).scalar()
        return dict(value) if isinstance(value, dict) else None

    def put_state(self, learner_id: str, key: str, value: dict[str, Any]) -> None:
        check_name(key, "a state key")
        stored = json_copy(value)
        with self._write("saving state") as connection:
            self._require(connection, learner_id)
            now = self._clock()
            self._upsert_state(connection, learner_id, key, stored, now)

    @staticmethod
    def _upsert_state(
        connection: Connection,
        learner_id: str,
        key: str,
        stored: dict[str, Any],
        now: dt.datetime,
    ) -> None:
        """Update the state row, or insert it (the caller has checked the learner)."""
        changed = connection.execute(
            _STATE_UPDATE,
            {"b_learner": learner_id, "b_key": key, "b_value": stored, "b_at": now},
        ).rowcount
        if not changed:
            connection.execute(
                insert(StateRow).values(
                    learner_id=learner_id, key=key, value=stored, updated_at=now
                )
            )

    def record_exchange(
        self,
        learner_id: str,
        key: str,
        state: dict[str, Any],
        turns: Sequence[ExchangeTurn],
    ) -> None:
        stored, cleaned = checked_exchange(key, state, turns)
        now = self._clock()
        rows = [
            {
                "learner_id": learner_id,
                "role": role,
                "text": text,
                "intent": intent,
                "meta": None,
                "created_at": now,
            }
            for role, text, intent in cleaned
        ]
        # One transaction and few round trips per chat turn: a state row that exists
        # proves the learner exists (foreign key), so the existence check only runs
        # on a learner's first turn.
        with self._write("saving a turn") as connection:
            changed = connection.execute(
                _STATE_UPDATE,
                {"b_learner": learner_id, "b_key": key, "b_value": stored, "b_at": now},
            ).rowcount
            if not changed:
                self._require(connection, learner_id)
                connection.execute(
                    insert(StateRow).values(
                        learner_id=learner_id, key=key, value=stored, updated_at=now
                    )
                )
            if rows:
                connection.execute(insert(TurnRow), rows)

    def _all_state(self, connection: Connection, learner_id: str) -> dict[str, dict[str, Any]]:
        rows = connection.execute(
            select(StateRow.key, StateRow.value)
            .where(StateRow.learner_id == learner_id)
            .order_by(StateRow.key)
        ).all()
        return {row.key: row.value for row in rows}

    def append_turn(
        self,
        learner_id: str,
        role: Role,
        text: str,
        intent: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Turn:
        check_role(role)
        stored_meta = json_copy(meta) if meta is not None else None
        now = self._clock()
        cleaned = clean_text(text)
        with self._write("saving a turn") as connection:
            self._require(connection, learner_id)
            result = connection.execute(
                insert(TurnRow)
                .values(
                    learner_id=learner_id,
                    role=role,
                    text=cleaned,
                    intent=intent,
                    meta=stored_meta,
                    created_at=now,
                )
                .returning(TurnRow.id)
            )
            turn_id = int(result.scalar_one())
        return Turn(id=turn_id, role=role, text=cleaned, intent=intent, meta=stored_meta, at=now)

    def recent_turns(self, learner_id: str, limit: int = 20) -> builtins.list[Turn]:
        if limit <= 0:
            return []
        with self._read("reading turns") as connection:
            rows = connection.execute(
                select(TurnRow)
                .where(TurnRow.learner_id == learner_id)
                .order_by(TurnRow.id.desc())
                .limit(limit)
            ).all()
        return [_turn(row) for row in reversed(rows)]

    def _all_turns(self, connection: Connection, learner_id: str) -> builtins.list[Turn]:
        rows = connection.execute(
            select(TurnRow).where(TurnRow.learner_id == learner_id).order_by(TurnRow.id)
        ).all()
        return [_turn(row) for row in rows]

    def save_plan(self, learner_id: str, plan: dict[str, Any]) -> PlanRecord:
        stored = json_copy(plan)
        now = self._clock()
        with self._write("saving a plan") as connection:
            self._require(connection, learner_id)
            plan_id = connection.execute(
                insert(PlanRow)
                .values(learner_id=learner_id, plan=stored, created_at=now)
                .returning(PlanRow.id)
            ).scalar_one()
        return PlanRecord(id=int(plan_id), plan=stored, created_at=now)

    def plans(self, learner_id: str) -> builtins.list[PlanRecord]:
        with self._read("reading plans") as connection:
            return self._plans(connection, learner_id)

    @staticmethod
    def _plans(connection: Connection, learner_id: str) -> builtins.list[PlanRecord]:
        rows = connection.execute(
            select(PlanRow).where(PlanRow.learner_id == learner_id).order_by(PlanRow.id)
        ).all()
        return [PlanRecord(id=r.id, plan=r.plan, created_at=_utc(r.created_at)) for r in rows]

    def mark_processed(self, source: str, key: str) -> bool:
        try:
            with self._write("recording an event") as connection:
                connection.execute(
                    insert(ProcessedRow).values(
                        source=source[:32], key=key[:200], processed_at=self._clock()
                    )
                )
        except IntegrityError:
            return False
        return True

    # --- export and erase -------------------------------------------------
    def export_learner(self, learner_id: str) -> dict[str, Any]:
        with self._read("exporting a learner") as connection:
            created = connection.execute(
                select(LearnerRow.created_at).where(LearnerRow.id == learner_id)
            ).scalar()
            if created is None:
                raise UnknownLearnerError(f"no learner {learner_id!r}")
            account_rows = connection.execute(
                select(AccountRow).where(AccountRow.learner_id == learner_id)
            ).all()
            return build_export(
                learner_id,
                created_at=_utc(created),
                identities=self._identities(connection, learner_id),
                accounts=[self._account(r) for r in account_rows],
                state=self._all_state(connection, learner_id),
                turns=self._all_turns(connection, learner_id),
                plans=self._plans(connection, learner_id),
                wallet=self._wallet(connection, learner_id),
                exported_at=self._clock(),
            )

    def erase_learner(self, learner_id: str) -> None:
        with self._write("erasing a learner") as connection:
            # Explicit deletes (not only ON DELETE CASCADE): correct even where
            # foreign keys were switched off by someone's tool.
            for table in LEARNER_TABLES:
                connection.execute(delete(table).where(table.learner_id == learner_id))
            connection.execute(delete(LearnerRow).where(LearnerRow.id == learner_id))

    # --- wallet -----------------------------------------------------------
    def _find_by_hash(self, connection: Connection, learner_id: str, digest: str) -> Any:
        return connection.execute(
            select(WalletRow).where(WalletRow.learner_id == learner_id, WalletRow.sha256 == digest)
        ).first()

    def add_credential(self, learner_id: str, record: NewWalletRecord) -> WalletRecord:
        digest = record.sha256
        values = record.model_dump(exclude={"data", "verification", "link_evidence"})
        values["verification"] = json_copy(record.verification)
        if record.link_evidence is not None:
            values["link_evidence"] = json_copy(record.link_evidence)
        for key in ("title", "issuer_id", "issuer_name"):
            if values.get(key) is not None:
                values[key] = clean_text(values[key])
        try:
            with self._write("storing a credential") as connection:
                self._require(connection, learner_id)
                existing = self._find_by_hash(connection, learner_id, digest)
                if existing is not None:
                    return _wallet_record(existing)
                record_id = new_record_id()
                connection.execute(
                    insert(WalletRow).values(
                        id=record_id,
                        learner_id=learner_id,
                        sha256=digest,
                        size=len(record.data),
                        data=record.data,
                        added_at=self._clock(),
                        **values,
                    )
                )
                row = connection.execute(select(WalletRow).where(WalletRow.id == record_id)).one()
                return _wallet_record(row)
        except IntegrityError:
            # The same bytes were stored meanwhile by another process.
            with self._read("reading a credential") as connection:
                existing = self._find_by_hash(connection, learner_id, digest)
            if existing is None:
                raise UnknownLearnerError(f"no learner {learner_id!r}") from None
            return _wallet_record(existing)

    def list_credentials(self, learner_id: str) -> builtins.list[WalletRecord]:
        with self._read("reading the wallet") as connection:
            return self._wallet(connection, learner_id)

    @staticmethod
    def _wallet(connection: Connection, learner_id: str) -> builtins.list[WalletRecord]:
        """The learner's credentials, oldest first."""
        rows = connection.execute(
            select(WalletRow)
            .where(WalletRow.learner_id == learner_id)
            .order_by(WalletRow.added_at, WalletRow.id)
        ).all()
        return [_wallet_record(row) for row in rows]

    def get_credential(self, learner_id: str, record_id: str) -> WalletRecord | None:
        with self._read("reading a credential") as connection:
            row = connection.execute(
                select(WalletRow).where(
                    WalletRow.learner_id == learner_id, WalletRow.id == record_id
                )
            ).first()
        return _wallet_record(row) if row is not None else None

    def delete_credential(self, learner_id: str, record_id: str) -> bool:
        with self._write("deleting a credential") as connection:
            removed = connection.execute(
                delete(WalletRow).where(
                    WalletRow.learner_id == learner_id, WalletRow.id == record_id
                )
            ).rowcount
        return bool(removed)

    def holdings(self, learner_id: str) -> builtins.list[HeldCredential]:
        return [held for record in self.list_credentials(learner_id) for held in record.held()]

    def list(self, learner_id: str) -> builtins.list[WalletRecord]:
        """Alias of ``list_credentials`` for ``coach.ports.WalletPort``."""
        return self.list_credentials(learner_id)

    # --- sessions and accounts --------------------------------------------
    def create_session(self, learner_id: str, *, ttl: dt.timedelta | None = None) -> str:
        token = new_session_token()
        now = self._clock()
        with self._write("creating a session") as connection:
            self._require(connection, learner_id)
            connection.execute(
                insert(SessionRow).values(
                    token_hash=token_hash(token),
                    learner_id=learner_id,
                    created_at=now,
                    expires_at=now + (ttl or DEFAULT_SESSION_TTL),
                )
            )
        return token

    def learner_for_session(self, token: str) -> str | None:
        with self._read("checking a session") as connection:
            row = connection.execute(_SESSION_LOOKUP, {"token_hash": token_hash(token)}).first()
        if row is None or _utc(row.expires_at) <= self._clock():
            return None
        return str(row.learner_id)

    def revoke_session(self, token: str) -> None:
        with self._write("revoking a session") as connection:
            connection.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))

    @staticmethod
    def _account(row: Any) -> Account:
        return Account(
            username=row.username,
            learner_id=row.learner_id,
            password_hash=row.password_hash,
            created_at=_utc(row.created_at),
        )

    def create_account(self, learner_id: str, username: str, password_hash: str) -> Account:
        name = normalise_username(username)
        if not name or len(name) > 100:
            raise StoreConflictError("a username is 1-100 characters")
        now = self._clock()
        try:
            with self._write("creating an account") as connection:
                self._require(connection, learner_id)
                connection.execute(
                    insert(AccountRow).values(
                        username=name,
                        learner_id=learner_id,
                        password_hash=password_hash,
                        created_at=now,
                    )
                )
        except IntegrityError as exc:
            raise StoreConflictError(f"the username {name!r} is taken") from exc
        return Account(
            username=name, learner_id=learner_id, password_hash=password_hash, created_at=now
        )

    def account(self, username: str) -> Account | None:
        with self._read("reading an account") as connection:
            row = connection.execute(
                select(AccountRow).where(AccountRow.username == normalise_username(username))
            ).first()
        return self._account(row) if row is not None else None


def open_database(url: str, *, clock: Callable[[], dt.datetime] = utc_now) -> SqlStore:
    """The store on ``url``, its schema migrated to the latest revision.

    SQLite: the folder is created. Raises ``StoreUnavailableError`` when the
    database cannot be reached and ``StoreSchemaError`` when it cannot be migrated.
    """
    engine = create_store_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return SqlStore(engine, clock=clock)


def _implements_ports(store: SqlStore) -> Store:
    """Never called: makes mypy check that ``SqlStore`` matches every port."""
    return store
