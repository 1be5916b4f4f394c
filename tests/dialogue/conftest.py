"""Fixtures for the conversation tests: a small catalogue, the demo catalogue, the
in-memory store, a coach."""

from __future__ import annotations

import datetime as dt

import pytest

from bots.settings import DEMO_CATALOGUE
from coach.agent import Coach
from coach.dialogue.policy import DialogueEngine
from coach.store import MemoryStore
from knowledge.embedding import HashingEmbedder
from knowledge.loading import load_catalogue
from knowledge.schema import Catalogue
from tests.dialogue.catalogue import TODAY, small_catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return small_catalogue()


@pytest.fixture(scope="session")
def demo() -> Catalogue:
    """The shipped demo catalogue (skips in a checkout without it)."""
    if not (DEMO_CATALOGUE / "catalogue.yaml").exists():
        pytest.skip("the demo catalogue is not in this checkout")
    return load_catalogue(DEMO_CATALOGUE)


@pytest.fixture(scope="session")
def engine(catalogue: Catalogue) -> DialogueEngine:
    return DialogueEngine(catalogue, HashingEmbedder())


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore(clock=lambda: dt.datetime.combine(TODAY, dt.time(12, 0), tzinfo=dt.UTC))


@pytest.fixture
def coach(catalogue: Catalogue, engine: DialogueEngine, store: MemoryStore) -> Coach:
    return Coach(
        catalogue=catalogue,
        embedder=HashingEmbedder(),
        store=store,
        now=lambda: dt.datetime.combine(TODAY, dt.time(12, 0), tzinfo=dt.UTC),
        engine=engine,
    )
