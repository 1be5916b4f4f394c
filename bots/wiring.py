"""Build the coach from ``Settings``: catalogue, learner store, embedder,
retriever and (optionally) the language model, once per process.

Everything built here is shared by every learner and holds no per-learner
state; conversation state lives in the learner store.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from typing import Any

from bots.settings import Settings
from coach.agent import Coach
from coach.dialogue.policy import DialogueEngine
from coach.ports import LearnerStatePort, RetrieverPort, WalletPort
from coach.wallet.jsonld import configure_default_store
from coach.wallet.result import VerificationResult
from knowledge.embedding import CachedEmbedder, Embedder, SentenceTransformerEmbedder
from knowledge.loading import load_catalogue
from knowledge.schema import Catalogue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CoachServices:
    """The coach and the stores behind it (channels use the stores for wallet pages)."""

    coach: Coach
    catalogue: Catalogue
    store: LearnerStatePort
    wallet: WalletPort | None
    embedder: Embedder
    retriever: RetrieverPort | None


_LOCK = threading.Lock()
_CACHE: dict[tuple[str, ...], CoachServices] = {}


def _key(settings: Settings) -> tuple[str, ...]:
    return (
        str(settings.catalogue.resolve()),
        settings.resolved_database_url,
        str(settings.data_dir.resolve()),
        settings.chroma_url or "",
        settings.embedding_model,
        settings.llm,
        settings.llm_model,
        settings.openai_base_url or "",
    )


def now() -> dt.datetime:
    """The one clock the coach is given."""
    return dt.datetime.now(dt.UTC)


def open_stores(settings: Settings) -> tuple[LearnerStatePort, WalletPort]:
    """The learner and wallet stores on the configured database (one SQL store serves both)."""
    from coach.store import open_stores as _open

    learner, wallet = _open(settings.resolved_database_url)
    return learner, wallet


def open_retriever(settings: Settings, catalogue: Catalogue, embedder: Embedder) -> RetrieverPort:
    """Hybrid retrieval over the catalogue; the index is brought up to date incrementally.

    When the vector store cannot be opened or built the retriever still answers from
    names and words (its results say ``degraded``).
    """
    from knowledge.errors import VectorIndexError
    from knowledge.index import MemoryVectorStore, Retriever, build_index, open_store

    try:
        store = open_store(settings.index_dir, settings.chroma_url)
    except VectorIndexError as exc:
        log.warning("vector_index_unavailable reason=%s", type(exc).__name__)
        return Retriever(catalogue, MemoryVectorStore(), embedder)
    try:
        build_index(catalogue, store, embedder)
    except VectorIndexError as exc:
        # Keep the real store: once the server answers again, dense search comes back.
        log.warning("vector_index_not_built reason=%s", type(exc).__name__)
    return Retriever(catalogue, store, embedder)


def offline_verifier(data: bytes) -> VerificationResult:
    """Verify badge bytes with the offline resolver (nothing is fetched at run time)."""
    from coach.wallet.resolver import OfflineResolver
    from coach.wallet.verify import verify_credential

    return verify_credential(data, resolver=OfflineResolver(), now=now())


def open_model(settings: Settings) -> Any | None:
    """The language-model coach for ``COACH_LLM=openai``, else None."""
    if settings.llm != "openai":
        return None
    from coach.llm.agent import ModelCoach
    from coach.llm.client import OpenAIChatClient

    client = OpenAIChatClient(
        model=settings.llm_model,
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none",
        timeout=settings.llm_timeout_seconds,
    )
    # A turn may take several model calls (tools, then the answer).
    return ModelCoach(client, timeout_seconds=3 * settings.llm_timeout_seconds)


def build_services(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    store: LearnerStatePort | None = None,
    wallet: WalletPort | None = None,
) -> CoachServices:
    """Build (or reuse) the coach for these settings."""
    key = _key(settings)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and embedder is None and store is None:
            return cached
        catalogue = load_catalogue(settings.catalogue)
        # Contexts no package ships (CLR 2.0) are seeded into the data dir once.
        configure_default_store(settings.data_dir / "contexts")
        if embedder is None:
            # One cache for the intent classifier and the retriever: a message both
            # need is embedded once.
            embedder = CachedEmbedder(SentenceTransformerEmbedder(settings.embedding_model))
        if store is None:
            store, wallet = open_stores(settings)
        retriever = open_retriever(settings, catalogue, embedder)
        coach = Coach(
            catalogue=catalogue,
            embedder=embedder,
            store=store,
            wallet=wallet,
            retriever=retriever,
            model=open_model(settings),
            now=now,
            engine=DialogueEngine(catalogue, embedder),
            verifier=offline_verifier,
        )
        services = CoachServices(coach, catalogue, store, wallet, embedder, retriever)
        _CACHE[key] = services
        return services


def build_coach(settings: Settings) -> Coach:
    """The process-wide coach for ``settings``."""
    return build_services(settings).coach
