"""What the web channel needs from the rest of Stackwise, as one narrow port.

The real implementation (``bots.web.real_backend``) wires the coach and the
learner stores; the routes know nothing else. Every method takes the learner id
from the authenticated session, never from the request body.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

from bots.telegram.backend import TelegramBackend
from coach.answer import Answer


class WebBackend(Protocol):
    """Sessions, conversation, wallet and plans for one learner at a time."""

    def create_session(self) -> tuple[str, str]:
        """A new anonymous learner and a session token for it: ``(learner_id, token)``."""
        ...

    def learner_for_token(self, token: str) -> str | None: ...

    def create_account(self, learner_id: str, username: str, password: str) -> None:
        """Upgrade the learner to an account that survives devices (raises AccountError)."""
        ...

    def login(self, username: str, password: str) -> tuple[str, str] | None:
        """``(learner_id, token)`` of a new session, or None for wrong credentials."""
        ...

    def revoke_session(self, token: str) -> None: ...

    def respond(self, learner_id: str, message: str, attachments: list[bytes]) -> Answer: ...

    def stream(self, learner_id: str, message: str) -> AsyncIterator[str | Answer]: ...

    def wallet(self, learner_id: str) -> list[dict[str, Any]]: ...

    def export(self, learner_id: str) -> dict[str, Any]: ...

    def erase(self, learner_id: str) -> None: ...

    def plan(self, learner_id: str, target: str, constraints: dict[str, Any]) -> dict[str, Any]: ...

    def ready(self) -> bool:
        """Whether the database answers (for readiness checks)."""
        ...


class ChannelBackend(WebBackend, TelegramBackend, Protocol):
    """One object serves both channels (``bots.channel_backend.ChannelServices``)."""
