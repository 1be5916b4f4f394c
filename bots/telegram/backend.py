"""What the Telegram channel needs from Stackwise, as one narrow port."""

from __future__ import annotations

from typing import Any, Protocol

from coach.answer import Answer


class TelegramBackend(Protocol):
    """Learner mapping, idempotency and the coach, for the Telegram adapter."""

    def learner_for_user(self, telegram_user_id: int) -> str:
        """The Stackwise learner of a Telegram user (created on first contact)."""
        ...

    def first_delivery(self, update_id: int) -> bool:
        """True the first time an update id is seen: repeated deliveries are dropped."""
        ...

    def respond(self, learner_id: str, message: str, attachments: list[bytes]) -> Answer: ...

    def export(self, learner_id: str) -> dict[str, Any]: ...

    def erase(self, learner_id: str) -> None:
        """Remove the learner everywhere, including the Telegram mapping."""
        ...
