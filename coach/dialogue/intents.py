"""Intent recognition without a language model: keyword rules, then the nearest
embedded example utterances (``intents.yaml``).

The example vectors are computed once per classifier; a turn costs one
embedding of the message (skipped entirely when a rule decides).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from knowledge.embedding import Embedder, Vectors

#: Every intent the coach acts on; ``unknown`` when nothing fits.
INTENTS: tuple[str, ...] = (
    "greeting",
    "help",
    "set_goal",
    "assess",
    "plan",
    "credential_info",
    "compare",
    "recognition",
    "search",
    "add_badge",
    "verify_badge",
    "wallet",
    "export_data",
    "erase_data",
    "out_of_scope",
)


@dataclass(frozen=True)
class IntentGuess:
    """The recognised intent, how sure, and what decided it (``rule`` or ``nearest``)."""

    intent: str
    score: float
    by: str


@dataclass(frozen=True)
class IntentSpec:
    """One intent's rules and example utterances."""

    name: str
    rules: tuple[re.Pattern[str], ...]
    examples: tuple[str, ...]


def load_specs(path: Path | None = None) -> tuple[IntentSpec, ...]:
    """Read the intent file (the packaged ``intents.yaml`` by default)."""
    if path is None:
        text = resources.files("coach.dialogue").joinpath("intents.yaml").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    raw: Mapping[str, Any] = yaml.safe_load(text)["intents"]
    specs = []
    for name, body in raw.items():
        if name not in INTENTS:
            raise ValueError(f"unknown intent {name!r} in the intent file")
        specs.append(
            IntentSpec(
                name=name,
                rules=tuple(re.compile(r, re.IGNORECASE) for r in body.get("rules", ())),
                examples=tuple(body.get("examples", ())),
            )
        )
    return tuple(specs)


class IntentClassifier:
    """Rules first (in file order), then a similarity-weighted vote of the nearest examples."""

    def __init__(
        self,
        embedder: Embedder,
        specs: Sequence[IntentSpec] | None = None,
        *,
        neighbours: int = 3,
        threshold: float = 0.45,
    ) -> None:
        self._embedder = embedder
        self._specs = tuple(specs) if specs is not None else load_specs()
        self._labels = [s.name for s in self._specs for _ in s.examples]
        examples = [e for s in self._specs for e in s.examples]
        self._vectors: Vectors = embedder.encode(examples)
        self._neighbours = neighbours
        self.threshold = threshold

    def by_rule(self, text: str) -> str | None:
        """The first intent whose rule matches, or None."""
        for spec in self._specs:
            if any(rule.search(text) for rule in spec.rules):
                return spec.name
        return None

    def nearest(self, text: str) -> IntentGuess:
        """The similarity-weighted vote of the ``neighbours`` nearest examples."""
        vector = self._embedder.encode([text])[0]
        scores = self._vectors @ vector
        top = np.argsort(-scores)[: self._neighbours]
        votes: dict[str, float] = {}
        for index in top:
            votes[self._labels[index]] = votes.get(self._labels[index], 0.0) + float(scores[index])
        best = max(votes, key=lambda k: votes[k])
        best_score = max(float(scores[i]) for i in top if self._labels[i] == best)
        if best_score < self.threshold:
            return IntentGuess("unknown", best_score, "nearest")
        return IntentGuess(best, best_score, "nearest")

    def classify(self, text: str) -> IntentGuess:
        """Rules decide when one matches; otherwise the nearest examples do."""
        ruled = self.by_rule(text)
        if ruled is not None:
            return IntentGuess(ruled, 1.0, "rule")
        return self.nearest(text)
