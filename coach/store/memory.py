"""In-memory fake of every store port, for tests and for trying the coach without a database.

Behaves like ``coach.store.sql.SqlStore`` (same ids, same errors, same export), but
keeps nothing after the process ends. Thread-safe through one lock.
"""

from __future__ import annotations

import builtins
import copy
import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.profile import HeldCredential
from coach.store.errors import StoreConflictError, UnknownLearnerError
from coach.store.export import build_export
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


@dataclass
class _Learner:
    created_at: dt.datetime
    state: dict[str, dict[str, Any]] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    wallet: list[WalletRecord] = field(default_factory=list)


class MemoryStore:
    """Every port (``LearnerStore``, ``WalletStore``, ``AccountStore``) in process memory."""

    def __init__(self, *, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._learners: dict[str, _Learner] = {}
        self._identities: dict[tuple[str, str], tuple[str, dt.datetime]] = {}
        self._processed: set[tuple[str, str]] = set()
        self._sessions: dict[str, tuple[str, dt.datetime]] = {}
        self._accounts: dict[str, Account] = {}
        self._next_id = 1

    def _serial(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def _get(self, learner_id: str) -> _Learner:
        learner = self._learners.get(learner_id)
        if learner is None:
            raise UnknownLearnerError(f"no learner {learner_id!r}")
        return learner

    # --- learners and identities ------------------------------------------
    def create_learner(self) -> str:
        with self._lock:
            learner_id = new_learner_id()
            self._learners[learner_id] = _Learner(created_at=self._clock())
            return learner_id

    def ensure_learner(self, learner_id: str) -> None:
        check_learner_id(learner_id)
        with self._lock:
            self._learners.setdefault(learner_id, _Learner(created_at=self._clock()))

    def learner_exists(self, learner_id: str) -> bool:
        with self._lock:
            return learner_id in self._learners

    def learner_for_identity(
        self, channel: str, external_id: str, *, create: bool = True
    ) -> str | None:
        check_name(channel, "a channel")
        with self._lock:
            found = self._identities.get((channel, external_id))
            if found is not None:
                return found[0]
            if not create:
                return None
            learner_id = new_learner_id()
            now = self._clock()
            self._learners[learner_id] = _Learner(created_at=now)
            self._identities[(channel, external_id)] = (learner_id, now)
            return learner_id

    def link_identity(self, learner_id: str, channel: str, external_id: str) -> None:
        check_name(channel, "a channel")
        with self._lock:
            self._get(learner_id)
            self._identities[(channel, external_id)] = (learner_id, self._clock())

    def identities(self, learner_id: str) -> list[Identity]:
        with self._lock:
            return [
                Identity(channel=channel, external_id=external, linked_at=at)
                for (channel, external), (owner, at) in self._identities.items()
                if owner == learner_id
            ]

    # --- state, turns, plans ----------------------------------------------
    def get_state(self, learner_id: str, key: str) -> dict[str, Any] | None:
        with self._lock:
            learner = self._learners.get(learner_id)
            if learner is None or key not in learner.state:
                return None
            return copy.deepcopy(learner.state[key])

    def put_state(self, learner_id: str, key: str, value: dict[str, Any]) -> None:
        check_name(key, "a state key")
        stored = json_copy(value)
        with self._lock:
            self._get(learner_id).state[key] = stored

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
        with self._lock:
            learner = self._get(learner_id)
            turn = Turn(
                id=self._serial(),
                role=role,
                text=clean_text(text),
                intent=intent,
                meta=stored_meta,
                at=self._clock(),
            )
            learner.turns.append(turn)
            return turn

    def record_exchange(
        self,
        learner_id: str,
        key: str,
        state: dict[str, Any],
        turns: Sequence[ExchangeTurn],
    ) -> None:
        stored, cleaned = checked_exchange(key, state, turns)
        with self._lock:
            learner = self._get(learner_id)
            learner.state[key] = stored
            now = self._clock()
            for role, text, intent in cleaned:
                learner.turns.append(
                    Turn(id=self._serial(), role=role, text=text, intent=intent, at=now)
                )

    def recent_turns(self, learner_id: str, limit: int = 20) -> list[Turn]:
        with self._lock:
            learner = self._learners.get(learner_id)
            if learner is None or limit <= 0:
                return []
            return list(learner.turns[-limit:])

    def save_plan(self, learner_id: str, plan: dict[str, Any]) -> PlanRecord:
        stored = json_copy(plan)
        with self._lock:
            learner = self._get(learner_id)
            record = PlanRecord(id=self._serial(), plan=stored, created_at=self._clock())
            learner.plans.append(record)
            return record

    def plans(self, learner_id: str) -> list[PlanRecord]:
        with self._lock:
            learner = self._learners.get(learner_id)
            return list(learner.plans) if learner is not None else []

    def mark_processed(self, source: str, key: str) -> bool:
        with self._lock:
            if (source, key) in self._processed:
                return False
            self._processed.add((source, key))
            return True

    # --- export and erase -------------------------------------------------
    def export_learner(self, learner_id: str) -> dict[str, Any]:
        identities = self.identities(learner_id)
        with self._lock:
            learner = self._get(learner_id)
            accounts = [a for a in self._accounts.values() if a.learner_id == learner_id]
            return build_export(
                learner_id,
                created_at=learner.created_at,
                identities=identities,
                accounts=accounts,
                state=copy.deepcopy(learner.state),
                turns=list(learner.turns),
                plans=list(learner.plans),
                wallet=list(learner.wallet),
                exported_at=self._clock(),
            )

    def erase_learner(self, learner_id: str) -> None:
        with self._lock:
            self._learners.pop(learner_id, None)
            self._identities = {k: v for k, v in self._identities.items() if v[0] != learner_id}
            self._sessions = {k: v for k, v in self._sessions.items() if v[0] != learner_id}
            self._accounts = {k: a for k, a in self._accounts.items() if a.learner_id != learner_id}

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        """Nothing to release."""

    # --- wallet -----------------------------------------------------------
    def add_credential(self, learner_id: str, record: NewWalletRecord) -> WalletRecord:
        digest = record.sha256
        with self._lock:
            learner = self._get(learner_id)
            for existing in learner.wallet:
                if existing.sha256 == digest:
                    return existing
            stored = WalletRecord(
                id=new_record_id(),
                learner_id=learner_id,
                sha256=digest,
                size=len(record.data),
                added_at=self._clock(),
                **record.model_dump(exclude={"verification", "link_evidence"}),
                verification=json_copy(record.verification),
                link_evidence=(
                    json_copy(record.link_evidence) if record.link_evidence is not None else None
                ),
            )
            learner.wallet.append(stored)
            return stored

    def list_credentials(self, learner_id: str) -> builtins.list[WalletRecord]:
        with self._lock:
            learner = self._learners.get(learner_id)
            return builtins.list(learner.wallet) if learner is not None else []

    def get_credential(self, learner_id: str, record_id: str) -> WalletRecord | None:
        with self._lock:
            learner = self._learners.get(learner_id)
            if learner is None:
                return None
            return next((r for r in learner.wallet if r.id == record_id), None)

    def delete_credential(self, learner_id: str, record_id: str) -> bool:
        with self._lock:
            learner = self._learners.get(learner_id)
            if learner is None:
                return False
            before = len(learner.wallet)
            learner.wallet = [r for r in learner.wallet if r.id != record_id]
            return len(learner.wallet) < before

    def holdings(self, learner_id: str) -> builtins.list[HeldCredential]:
        return [held for record in self.list_credentials(learner_id) for held in record.held()]

    def list(self, learner_id: str) -> builtins.list[WalletRecord]:
        """Alias of ``list_credentials`` for ``coach.ports.WalletPort``."""
        return self.list_credentials(learner_id)

    # --- sessions and accounts --------------------------------------------
    def create_session(self, learner_id: str, *, ttl: dt.timedelta | None = None) -> str:
        token = new_session_token()
        with self._lock:
            self._get(learner_id)
            expires = self._clock() + (ttl or DEFAULT_SESSION_TTL)
            self._sessions[token_hash(token)] = (learner_id, expires)
        return token

    def learner_for_session(self, token: str) -> str | None:
        with self._lock:
            found = self._sessions.get(token_hash(token))
            if found is None or found[1] <= self._clock():
                return None
            return found[0]

    def revoke_session(self, token: str) -> None:
        with self._lock:
            self._sessions.pop(token_hash(token), None)

    def create_account(self, learner_id: str, username: str, password_hash: str) -> Account:
        name = normalise_username(username)
        if not name:
            raise StoreConflictError("a username cannot be empty")
        with self._lock:
            self._get(learner_id)
            if name in self._accounts:
                raise StoreConflictError(f"the username {name!r} is taken")
            account = Account(
                username=name,
                learner_id=learner_id,
                password_hash=password_hash,
                created_at=self._clock(),
            )
            self._accounts[name] = account
            return account

    def account(self, username: str) -> Account | None:
        with self._lock:
            return self._accounts.get(normalise_username(username))


def _implements_ports(store: MemoryStore) -> Store:
    """Never called: makes mypy check that ``MemoryStore`` matches every port."""
    return store
