"""Fixtures for the retrieval tests: a small catalogue and the model, loaded once."""

from __future__ import annotations

import pytest

from bots.cli.index_cmd import load_embedder
from knowledge.embedding import PACKAGED_MODEL, Embedder
from knowledge.schema import Catalogue
from tests.retrieval.helpers import small_catalogue


@pytest.fixture
def catalogue() -> Catalogue:
    return small_catalogue()


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """The offline model, loaded once per session (shared with the CLI's cache)."""
    return load_embedder(PACKAGED_MODEL)
