"""Narrow ports the coach's conversation layer talks through.

The coach routes to retrieval, the learner store and the wallet. Each is
reached through one of these ``Protocol`` s, so the dialogue code states
exactly what it needs and the real adapters (and the in-memory fakes in tests)
only have to match structurally. The planner and the assessment are pure and
imported directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeAlias

from coach.store.ports import ExchangeTurn, Role, Turn, WalletStore


class SearchHitLike(Protocol):
    """One retrieval hit: a catalogue entry id, its kind and title, a score."""

    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def score(self) -> float: ...


class SearchResultsLike(Protocol):
    """Hits best first; ``degraded`` when only part of the index answered."""

    @property
    def hits(self) -> Sequence[SearchHitLike]: ...

    @property
    def degraded(self) -> bool: ...


class RelevanceLike(Protocol):
    """Whether the catalogue answers a query at all (absolute, unlike a ranking)."""

    @property
    def matched(self) -> bool: ...

    @property
    def by_words_only(self) -> bool: ...


class RetrieverPort(Protocol):
    """Semantic search over the catalogue (``knowledge.index``)."""

    def search(self, query: str, *, k: int = ..., filters: Any = ...) -> SearchResultsLike: ...

    def relevance(self, query: str, *, filters: Any = ...) -> RelevanceLike: ...

    def corrections(self, query: str) -> Sequence[tuple[str, str]]: ...


class LearnerStatePort(Protocol):
    """Per-learner state and history (``coach.store.LearnerStore``)."""

    def ensure_learner(self, learner_id: str) -> None: ...

    def get_state(self, learner_id: str, key: str) -> Mapping[str, Any] | None: ...

    def put_state(self, learner_id: str, key: str, value: dict[str, Any]) -> None: ...

    def append_turn(
        self, learner_id: str, role: Role, text: str, intent: str | None = None
    ) -> Turn: ...

    def record_exchange(
        self,
        learner_id: str,
        key: str,
        state: dict[str, Any],
        turns: Sequence[ExchangeTurn],
    ) -> None:
        """One chat turn's state and messages, saved in one transaction."""
        ...

    def export_learner(self, learner_id: str) -> Mapping[str, Any]: ...

    def erase_learner(self, learner_id: str) -> None: ...


#: The learner's wallet records: the store's own port, since importing a badge
#: (``coach.wallet.service.import_badge``) needs all of it.
WalletPort: TypeAlias = WalletStore
