"""The coach's capabilities, bound to one learner for one turn.

Both the deterministic policy and the language-model path call these; the
learner id is fixed when the bundle is built (from the session), so nothing a
model writes can point a tool at another learner's data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coach.dialogue.state import Constraints
from coach.errors import CoachError
from coach.planner import PlanRequest, PlanResult, make_plan
from coach.ports import LearnerStatePort, RetrieverPort, WalletPort
from coach.profile import HeldCredential, Profile, SkillEstimate
from coach.recognition import Aspect, RecognitionFindings, find_recognition
from coach.store.ports import WalletRecord
from coach.wallet import service as wallet_service
from coach.wallet.result import VerificationResult
from knowledge.embedding import Embedder
from knowledge.index.documents import credential_metadata
from knowledge.index.filters import SearchFilters
from knowledge.index.relevance import topic_of
from knowledge.schema import Catalogue, Credential

PROFILE_KEY = "profile"


class CapabilityUnavailableError(CoachError):
    """This coach was set up without the capability (no wallet store or no verifier)."""


@dataclass(frozen=True)
class Hit:
    """A search result, reduced to what answers need."""

    id: str
    kind: str
    title: str
    score: float


@dataclass(frozen=True)
class LearnerTools:
    """Everything a turn may do, for ``learner_id`` only."""

    learner_id: str
    catalogue: Catalogue
    store: LearnerStatePort
    wallet: WalletPort | None
    retriever: RetrieverPort | None
    today: dt.date
    now: dt.datetime | None = None
    verifier: Callable[[bytes], VerificationResult] | None = None
    embedder: Embedder | None = None

    # --- catalogue -------------------------------------------------------
    def search(
        self, query: str, *, k: int = 5, filters: SearchFilters | None = None
    ) -> tuple[list[Hit], bool]:
        """Semantic search; ``(hits, degraded)``. Without a retriever: title words."""
        if self.retriever is not None:
            results = self.retriever.search(query, k=k, filters=filters)
            hits = [Hit(h.id, h.kind, h.title, float(h.score)) for h in results.hits]
            return hits, bool(results.degraded)
        words = {w for w in query.lower().split() if len(w) > 3}
        scored = []
        for credential, text in self._credential_texts(filters):
            score = sum(1 for w in words if w in text)
            if score:
                scored.append(Hit(credential.id, "credential", credential.title, float(score)))
        scored.sort(key=lambda h: (-h.score, h.title))
        return scored[:k], True

    def corrections(self, query: str) -> list[tuple[str, str]]:
        """The words of ``query`` the search read as others (misspellings the catalogue's
        vocabulary corrects), as ``(typed, read)`` pairs; none without a retriever."""
        return [] if self.retriever is None else list(self.retriever.corrections(query))

    def answers(self, query: str, filters: SearchFilters | None = None) -> bool | None:
        """Whether the catalogue (within ``filters``) has anything on ``query`` at all:
        True, False, or None when only words could be weighed and they fell short
        (vector store down, a model with no fitted thresholds, no retriever), which
        is too weak to tell a learner that nothing matches.

        Without a retriever, the words are one credential's title and description
        holding at least half of the query's topic words.
        """
        if self.retriever is not None:
            verdict = self.retriever.relevance(query, filters=filters)
            if verdict.matched:
                return True
            return None if verdict.by_words_only else False
        words = set(re.findall(r"[a-z0-9]{3,}", topic_of(query).lower()))
        if not words:
            return None
        for _, text in self._credential_texts(filters):
            if 2 * sum(1 for w in words if w in text) >= len(words):
                return True
        return None

    def _credential_texts(self, filters: SearchFilters | None) -> Iterator[tuple[Credential, str]]:
        """Each credential within ``filters`` with its lower-cased title and description:
        what the retriever-less fallbacks match words against."""
        for credential in self.catalogue.credentials.values():
            if filters is None or filters.matches(credential_metadata(credential)):
                yield credential, f"{credential.title} {credential.description}".lower()

    def recognition(
        self, subject: str, *, aspect: Aspect = "any", country: str | None = None
    ) -> RecognitionFindings:
        return find_recognition(
            self.catalogue, subject, aspect=aspect, country=country, today=self.today
        )

    # --- learner ---------------------------------------------------------
    def wallet_records(self) -> Sequence[WalletRecord]:
        if self.wallet is None:
            return []
        return list(self.wallet.list_credentials(self.learner_id))

    def holdings(self) -> tuple[HeldCredential, ...]:
        if self.wallet is None:
            return ()
        return tuple(self.wallet.holdings(self.learner_id))

    def profile(self) -> Profile:
        """Self-assessed skills (stored by the assessment) plus verified holdings."""
        stored = self.store.get_state(self.learner_id, PROFILE_KEY) or {}
        skills: dict[str, SkillEstimate] = {}
        raw_skills: Mapping[str, Any] = stored.get("skills", {})
        for skill_id, estimate in raw_skills.items():
            try:
                skills[skill_id] = SkillEstimate.model_validate(estimate)
            except ValueError:
                continue
        return Profile(learner_id=self.learner_id, skills=skills, holdings=self.holdings())

    def import_badge(self, data: bytes) -> wallet_service.ImportOutcome:
        """Verify ``data`` and store it in this learner's wallet."""
        if self.wallet is None or self.verifier is None:
            raise CapabilityUnavailableError("the wallet is not available in this setup")
        now = self.now or dt.datetime.combine(self.today, dt.time(), tzinfo=dt.UTC)
        return wallet_service.import_badge(
            self.wallet, self.catalogue, self.learner_id, data, verify=self.verifier, now=now
        )

    # --- planner ---------------------------------------------------------
    def plan(
        self, target: str, constraints: Constraints, *, country: str | None = None
    ) -> PlanResult:
        """The planner's ``PlanResult`` for this learner's profile."""
        fields: dict[str, Any] = {"target": target}
        if constraints.budget is not None:
            fields["budget"] = constraints.budget
        if constraints.hours_per_week is not None:
            fields["hours_per_week"] = constraints.hours_per_week
        if constraints.weeks is not None:
            fields["weeks"] = round(constraints.weeks)
        if constraints.objective is not None:
            fields["objective"] = constraints.objective
        if country is not None:
            fields["country"] = country
        request = PlanRequest.parse(**fields)
        return make_plan(self.catalogue, request, self.profile(), today=self.today)
