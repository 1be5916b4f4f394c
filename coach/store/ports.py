"""Ports of the learner database, and the records that cross them.

Three ``Protocol`` s, each implemented by the SQL adapter (``coach.store.sql``)
and by the in-memory fake (``coach.store.memory``):

- ``LearnerStore``: learners, their channel identities, JSON state (dialogue,
  assessment, profile, ...), conversation turns, plans, idempotency keys,
  export and erase;
- ``WalletStore``: the credentials a learner received, as received, with their
  verification result and catalogue link;
- ``AccountStore``: web sessions (only a hash of each token is kept) and
  username/password accounts (the hash comes from ``coach.store.passwords``).

Every method that reads or writes a learner's data takes the learner id from
its caller (the authenticated session or the channel mapping) and filters by
it, so one learner never reaches another's rows. Reads of an unknown learner
return nothing; writes raise ``UnknownLearnerError``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Sequence
from typing import Any, Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict, Field

from coach.profile import HeldCredential

Role = Literal["learner", "coach"]
#: One message of a chat exchange, as ``record_exchange`` saves it: (role, text, intent).
ExchangeTurn = tuple[Role, str, str | None]

#: What ``create_learner`` makes: "lrn_" and 22 url-safe characters (128 bits).
LEARNER_PREFIX = "lrn_"

#: Learner ids the store accepts from callers (the CLI lets people pick one).
LEARNER_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

#: Channel names and state keys: short identifiers.
NAME_PATTERN = re.compile(r"^[a-z0-9_.:-]{1,32}$")

#: Session lifetime when the caller does not say.
DEFAULT_SESSION_TTL = dt.timedelta(days=90)


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Identity(_Value):
    """A learner's identity on one channel (``telegram`` user id, ``web`` account)."""

    channel: str
    external_id: str
    linked_at: dt.datetime


class Turn(_Value):
    """One message of the conversation history."""

    id: int
    role: Role
    text: str
    intent: str | None = None
    meta: dict[str, Any] | None = None
    at: dt.datetime


class PlanRecord(_Value):
    """A plan the coach made for the learner (the planner's JSON)."""

    id: int
    plan: dict[str, Any]
    created_at: dt.datetime


class NewWalletRecord(_Value):
    """What the wallet service hands the store for one received credential."""

    data: bytes = Field(description="The file exactly as received.")
    media_type: str = Field(description="application/json, application/jwt, image/png, ...")
    format: str = Field(description="coach.wallet.result.CredentialFormat value.")
    status: Literal["valid", "invalid", "indeterminate"]
    verification: dict[str, Any] = Field(description="VerificationResult.model_dump(mode='json').")
    verified_at: dt.datetime
    title: str | None = Field(default=None, description="Achievement name, for lists.")
    issuer_id: str | None = None
    issuer_name: str | None = None
    credential_id: str | None = Field(default=None, description="Linked catalogue credential.")
    link_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    link_evidence: dict[str, Any] | None = Field(
        default=None, description="How the link was made (which fields matched)."
    )
    earned_on: dt.date | None = None
    credits: float | None = Field(default=None, ge=0)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class WalletRecord(_Value):
    """A stored credential: the bytes as received plus what the coach learnt from them."""

    id: str
    learner_id: str
    sha256: str
    size: int
    data: bytes
    media_type: str
    format: str
    status: Literal["valid", "invalid", "indeterminate"]
    verification: dict[str, Any]
    verified_at: dt.datetime
    title: str | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    credential_id: str | None = None
    link_confidence: float | None = None
    link_evidence: dict[str, Any] | None = None
    earned_on: dt.date | None = None
    credits: float | None = None
    added_at: dt.datetime

    def summary(self) -> dict[str, Any]:
        """The record without its bytes (lists, API answers)."""
        return {
            "id": self.id,
            "title": self.title,
            "format": self.format,
            "media_type": self.media_type,
            "status": self.status,
            "reasons": list(self.verification.get("reasons", [])),
            "issuer": {"id": self.issuer_id, "name": self.issuer_name},
            "credential_id": self.credential_id,
            "link_confidence": self.link_confidence,
            "earned_on": self.earned_on.isoformat() if self.earned_on else None,
            "credits": self.credits,
            "verified_at": self.verified_at.isoformat(),
            "added_at": self.added_at.isoformat(),
            "sha256": self.sha256,
            "size": self.size,
        }

    def export(self) -> dict[str, Any]:
        """The full record for the learner's export: the credential as received too."""
        try:
            original: dict[str, str] = {"encoding": "utf-8", "content": self.data.decode("utf-8")}
        except UnicodeDecodeError:
            original = {"encoding": "base64", "content": base64.b64encode(self.data).decode()}
        return {
            **self.summary(),
            "received": original,
            "verification": self.verification,
            "link_evidence": self.link_evidence,
        }

    def held(self) -> list[HeldCredential]:
        """The catalogue credentials this record proves: its link, plus the other
        credentials of a CLR transcript (``link_evidence["also"]``)."""
        if self.credential_id is None:
            return []
        earned_on = self.earned_on or self.added_at.date()
        verified = self.status == "valid"
        holdings = [
            HeldCredential(
                credential_id=self.credential_id,
                earned_on=earned_on,
                verified=verified,
                wallet_record=self.id,
                credits=self.credits,
            )
        ]
        also = (self.link_evidence or {}).get("also", [])
        for extra in also if isinstance(also, list) else []:
            if not isinstance(extra, dict) or not isinstance(extra.get("credential_id"), str):
                continue
            credits = extra.get("credits")
            holdings.append(
                HeldCredential(
                    credential_id=extra["credential_id"],
                    earned_on=earned_on,
                    verified=verified,
                    wallet_record=self.id,
                    credits=float(credits) if isinstance(credits, int | float) else None,
                )
            )
        return holdings


class Account(_Value):
    """A web account: a username bound to a learner, with an argon2 password hash."""

    username: str
    learner_id: str
    password_hash: str
    created_at: dt.datetime


class LearnerStore(Protocol):
    """Learners, identities, state, history, plans, idempotency, export and erase."""

    def create_learner(self) -> str:
        """A new learner with a random id ("lrn_" + 22 url-safe characters)."""
        ...

    def ensure_learner(self, learner_id: str) -> None:
        """Create the learner with this id unless it exists (the CLI's ``--learner``)."""
        ...

    def learner_exists(self, learner_id: str) -> bool: ...

    def learner_for_identity(
        self, channel: str, external_id: str, *, create: bool = True
    ) -> str | None:
        """The learner behind a channel identity; a new one on first contact when ``create``."""
        ...

    def link_identity(self, learner_id: str, channel: str, external_id: str) -> None:
        """Bind a channel identity to the learner (moves it if it named another learner)."""
        ...

    def identities(self, learner_id: str) -> list[Identity]: ...

    def get_state(self, learner_id: str, key: str) -> dict[str, Any] | None: ...

    def put_state(self, learner_id: str, key: str, value: dict[str, Any]) -> None: ...

    def append_turn(
        self,
        learner_id: str,
        role: Role,
        text: str,
        intent: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Turn: ...

    def record_exchange(
        self,
        learner_id: str,
        key: str,
        state: dict[str, Any],
        turns: Sequence[ExchangeTurn],
    ) -> None:
        """Save one conversation step at once: the state under ``key`` and the turns
        ``(role, text, intent)`` in order (one transaction; raises ``UnknownLearnerError``)."""
        ...

    def recent_turns(self, learner_id: str, limit: int = 20) -> list[Turn]:
        """The last ``limit`` turns, oldest first."""
        ...

    def save_plan(self, learner_id: str, plan: dict[str, Any]) -> PlanRecord: ...

    def plans(self, learner_id: str) -> list[PlanRecord]:
        """Every saved plan, oldest first."""
        ...

    def mark_processed(self, source: str, key: str) -> bool:
        """True only the first time ``(source, key)`` is seen (Telegram update ids)."""
        ...

    def export_learner(self, learner_id: str) -> dict[str, Any]:
        """The learner's whole record as JSON-ready data (see ``coach.store.export``)."""
        ...

    def erase_learner(self, learner_id: str) -> None:
        """Remove every row about the learner: identities, state, turns, plans,
        wallet, accounts, sessions. Erasing an unknown learner does nothing."""
        ...

    def ping(self) -> bool:
        """Whether the database answers (readiness checks)."""
        ...


class WalletStore(Protocol):
    """The learner's received credentials."""

    def add_credential(self, learner_id: str, record: NewWalletRecord) -> WalletRecord:
        """Store one credential; the same bytes twice for one learner returns the first record."""
        ...

    def list_credentials(self, learner_id: str) -> list[WalletRecord]:
        """The learner's records, oldest first."""
        ...

    def get_credential(self, learner_id: str, record_id: str) -> WalletRecord | None: ...

    def delete_credential(self, learner_id: str, record_id: str) -> bool:
        """Remove one record; False when the learner has no such record."""
        ...

    def holdings(self, learner_id: str) -> list[HeldCredential]:
        """Catalogue credentials the wallet proves (linked records only)."""
        ...


class AccountStore(Protocol):
    """Web sessions and accounts."""

    def create_session(self, learner_id: str, *, ttl: dt.timedelta | None = None) -> str:
        """A new session token (256 random bits); only its SHA-256 is stored."""
        ...

    def learner_for_session(self, token: str) -> str | None:
        """The learner of a live session, or None (unknown, revoked or expired)."""
        ...

    def revoke_session(self, token: str) -> None: ...

    def create_account(self, learner_id: str, username: str, password_hash: str) -> Account:
        """Raises ``StoreConflictError`` when the username is taken."""
        ...

    def account(self, username: str) -> Account | None: ...


class Store(LearnerStore, WalletStore, AccountStore, Protocol):
    """All three ports on one database (what ``open_database`` returns)."""

    def close(self) -> None: ...


def new_learner_id() -> str:
    """A random learner id: "lrn_" + 22 url-safe characters (128 bits)."""
    return LEARNER_PREFIX + secrets.token_urlsafe(16)


def new_record_id() -> str:
    """A random wallet record id."""
    return "wr_" + secrets.token_urlsafe(12)


def new_session_token() -> str:
    """A session token with 256 random bits."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the store keeps of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_username(username: str) -> str:
    """Usernames compare case-insensitively and without surrounding spaces."""
    return username.strip().casefold()


def check_learner_id(learner_id: str) -> str:
    """The id unchanged, or ValueError when it cannot be a learner id."""
    if not LEARNER_ID_PATTERN.fullmatch(learner_id):
        raise ValueError("a learner id is 1-64 letters, digits, '.', '_' or '-'")
    return learner_id


def check_name(name: str, what: str) -> str:
    """Channel names and state keys: short lower-case identifiers."""
    if not NAME_PATTERN.fullmatch(name):
        raise ValueError(f"{what} must be 1-32 characters of a-z, 0-9, '_', '.', ':' or '-'")
    return name


def utc_now() -> dt.datetime:
    """The default clock of both stores."""
    return dt.datetime.now(dt.UTC)


def json_copy(value: dict[str, Any]) -> dict[str, Any]:
    """A deep copy through JSON: refuses what the database could not store either."""
    result = json.loads(json.dumps(value, allow_nan=False))
    if not isinstance(result, dict):
        raise TypeError("state must be a JSON object")
    return result


def check_role(role: str) -> None:
    """ValueError unless ``role`` is one a turn may have (see ``Role``)."""
    if role not in get_args(Role):
        raise ValueError("role must be 'learner' or 'coach'")


def clean_text(text: str) -> str:
    """Text as the database can hold it (PostgreSQL refuses NUL characters)."""
    return text.replace("\x00", "\ufffd")


def checked_exchange(
    key: str, state: dict[str, Any], turns: Sequence[ExchangeTurn]
) -> tuple[dict[str, Any], list[ExchangeTurn]]:
    """What ``record_exchange`` stores: the state copied through JSON and the turns
    with text the database can hold; ValueError on a bad key or role, before any write."""
    check_name(key, "a state key")
    for role, _, _ in turns:
        check_role(role)
    return json_copy(state), [(role, clean_text(text), intent) for role, text, intent in turns]
