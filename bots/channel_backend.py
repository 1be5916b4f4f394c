"""The services both channels use: sessions, the coach, the wallet, data rights.

One ``ChannelServices`` object implements the web port and the Telegram port
over the real coach and learner store. It holds no per-learner state: every
call goes to the database, so any number of workers can serve one learner.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from bots.settings import Settings
from coach.agent import Coach
from coach.answer import Answer
from coach.dialogue.state import Constraints
from coach.planner import resolve_target
from coach.store.errors import StoreConflictError
from coach.store.passwords import check_password, hash_password
from coach.store.ports import Store

TELEGRAM_CHANNEL = "telegram"


class AccountError(ValueError):
    """An account cannot be created (name taken, password too short, ...)."""


class UnknownTargetError(LookupError):
    """A plan target that matches nothing in the catalogue."""

    def __init__(self, target: str, suggestions: list[str]) -> None:
        super().__init__(target)
        self.target = target
        self.suggestions = suggestions


class ChannelServices:
    """Implements ``bots.web.backend.ChannelBackend`` over the coach and the store."""

    def __init__(self, coach: Coach, store: Store) -> None:
        self._coach = coach
        self._store = store

    # sessions -------------------------------------------------------------
    def create_session(self) -> tuple[str, str]:
        learner_id = self._store.create_learner()
        return learner_id, self._store.create_session(learner_id)

    def learner_for_token(self, token: str) -> str | None:
        return self._store.learner_for_session(token)

    def revoke_session(self, token: str) -> None:
        self._store.revoke_session(token)

    def create_account(self, learner_id: str, username: str, password: str) -> None:
        """Bind the learner to a username and password (raises AccountError)."""
        try:
            password_hash = hash_password(password)
        except ValueError as exc:
            raise AccountError(str(exc)) from exc
        try:
            self._store.create_account(learner_id, username, password_hash)
        except StoreConflictError as exc:
            raise AccountError("That username is taken.") from exc
        except ValueError as exc:
            raise AccountError(str(exc)) from exc

    def login(self, username: str, password: str) -> tuple[str, str] | None:
        """A new session for the account's learner, or None for wrong credentials."""
        try:
            account = self._store.account(username)
        except ValueError:
            return None
        if account is None:
            hash_password("x" * 12)  # spend the same time as a real check: no user probing
            return None
        if not check_password(account.password_hash, password):
            return None
        return account.learner_id, self._store.create_session(account.learner_id)

    def learner_for_user(self, telegram_user_id: int) -> str:
        learner_id = self._store.learner_for_identity(TELEGRAM_CHANNEL, str(telegram_user_id))
        assert learner_id is not None  # create=True always yields a learner
        return learner_id

    def first_delivery(self, update_id: int) -> bool:
        return self._store.mark_processed(TELEGRAM_CHANNEL, str(update_id))

    # conversation ---------------------------------------------------------
    def respond(self, learner_id: str, message: str, attachments: list[bytes]) -> Answer:
        return self._coach.respond(learner_id, message, attachments=attachments or None)

    def stream(self, learner_id: str, message: str) -> AsyncIterator[str | Answer]:
        return self._coach.stream(learner_id, message)

    def plan(self, learner_id: str, target: str, constraints: dict[str, Any]) -> dict[str, Any]:
        """The plan contract of ``coach plan --json`` for this learner."""
        candidates = resolve_target(self._coach.catalogue, target)
        if not candidates:
            raise UnknownTargetError(target, [])
        best = candidates[0]
        if len(candidates) > 1 and best.score < 100 and candidates[1].score == best.score:
            raise UnknownTargetError(target, [c.id for c in candidates])
        result = self._coach.tools_for(learner_id).plan(best.id, Constraints(**constraints))
        contract: dict[str, Any] = result.to_contract()
        return contract

    # wallet and data rights -----------------------------------------------
    def wallet(self, learner_id: str) -> list[dict[str, Any]]:
        return [record.summary() for record in self._store.list_credentials(learner_id)]

    def export(self, learner_id: str) -> dict[str, Any]:
        return self._store.export_learner(learner_id)

    def erase(self, learner_id: str) -> None:
        self._store.erase_learner(learner_id)

    def ready(self) -> bool:
        return self._store.ping()


def build_channel_backend(settings: Settings) -> ChannelServices:
    """Wire the real coach and store from the settings (once per process)."""
    from bots.wiring import build_services

    services = build_services(settings)
    store: Store = services.store  # type: ignore[assignment]  # the SQL store serves every port
    return ChannelServices(services.coach, store)
