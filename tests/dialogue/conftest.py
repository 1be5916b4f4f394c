"""Fixtures for the conversation tests: a small catalogue, stores, a coach."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest

from coach.agent import Coach
from coach.dialogue.policy import DialogueEngine
from knowledge.embedding import HashingEmbedder
from knowledge.schema import Catalogue
from tests.dialogue.catalogue import TODAY, small_catalogue


class DictLearnerStore:
    """Learner state and history in dicts (used until coach.store.memory exists)."""

    def __init__(self) -> None:
        self.states: dict[tuple[str, str], dict[str, Any]] = {}
        self.turns: dict[str, list[tuple[str, str]]] = {}

    def get_state(self, learner_id: str, key: str) -> Mapping[str, Any] | None:
        return self.states.get((learner_id, key))

    def put_state(self, learner_id: str, key: str, value: Mapping[str, Any]) -> None:
        self.states[(learner_id, key)] = dict(value)

    def append_turn(self, learner_id: str, role: str, text: str) -> None:
        self.turns.setdefault(learner_id, []).append((role, text))

    def export_learner(self, learner_id: str) -> Mapping[str, Any]:
        return {
            "state": {k: v for (lid, k), v in self.states.items() if lid == learner_id},
            "turns": self.turns.get(learner_id, []),
        }

    def erase_learner(self, learner_id: str) -> None:
        self.states = {k: v for k, v in self.states.items() if k[0] != learner_id}
        self.turns.pop(learner_id, None)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return small_catalogue()


@pytest.fixture(scope="session")
def engine(catalogue: Catalogue) -> DialogueEngine:
    return DialogueEngine(catalogue, HashingEmbedder())


@pytest.fixture
def store() -> DictLearnerStore:
    return DictLearnerStore()


@pytest.fixture
def coach(catalogue: Catalogue, engine: DialogueEngine, store: DictLearnerStore) -> Coach:
    return Coach(
        catalogue=catalogue,
        embedder=HashingEmbedder(),
        store=store,
        now=lambda: dt.datetime.combine(TODAY, dt.time(12, 0), tzinfo=dt.UTC),
        engine=engine,
    )
