"""Reading a free-text answer as a level, without a language model.

The learner's words are compared with the skill's proficiency descriptors
(plus a "no experience yet" anchor for level 0): by embedding similarity when an
``Embedder`` is given, else by fuzzy token overlap. A small margin between the
two best levels, or a low best similarity, means "unsure": the machine then
asks the learner to confirm instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from knowledge.embedding import Embedder
from knowledge.schema import Skill

#: Level-0 anchors: ways people say they have not done it yet ({name}: the skill).
NONE_ANCHORS = (
    "I have never done any {name} and have no experience with it yet.",
    "{name} is completely new to me; I have never tried it.",
    "I don't know anything about {name}.",
)

#: Anchor vectors per (model, skill, wording): descriptors are encoded once, not
#: on every answer. Only a cache of a pure function, never per-learner state.
_ANCHOR_CACHE: dict[tuple[str, str, tuple[str, ...]], Any] = {}
_CACHE_LIMIT = 512

#: Thresholds per similarity kind: (minimum for any match, minimum to be sure,
#: minimum margin over the runner-up to be sure).
_THRESHOLDS = {"embedding": (0.2, 0.45, 0.06), "lexical": (0.3, 0.85, 0.15)}


@dataclass(frozen=True)
class LevelMatch:
    """The best level, the runner-up, and whether the reading is sure enough."""

    level: int | None
    alternative: int | None
    similarity: float
    margin: float
    sure: bool


def match_level(text: str, skill: Skill, embedder: Embedder | None) -> LevelMatch:
    """Map ``text`` to a level of ``skill`` (0 = none) with a sureness verdict."""
    # "SQL" stays "SQL"; "Data visualisation" reads as "data visualisation".
    name = skill.name if skill.name.isupper() else skill.name.lower()
    anchors: list[tuple[int, str]] = [(0, a.format(name=name)) for a in NONE_ANCHORS]
    anchors += [(index + 1, d) for index, d in enumerate(skill.levels)]
    if embedder is not None:
        kind = "embedding"
        texts = tuple(a for _, a in anchors)
        key = (embedder.model_name, skill.id, texts)
        anchor_vectors = _ANCHOR_CACHE.get(key)
        if anchor_vectors is None:
            anchor_vectors = embedder.encode(list(texts))
            if len(_ANCHOR_CACHE) >= _CACHE_LIMIT:
                _ANCHOR_CACHE.clear()
            _ANCHOR_CACHE[key] = anchor_vectors
        query = embedder.encode([text])[0]
        sims = (anchor_vectors @ query).astype(float).tolist()
    else:
        kind = "lexical"
        sims = [fuzz.token_set_ratio(text.lower(), a.lower()) / 100.0 for _, a in anchors]
    per_level: dict[int, float] = {}
    for (level, _), sim in zip(anchors, sims, strict=True):
        per_level[level] = max(per_level.get(level, -1.0), float(sim))
    ranked = sorted(per_level.items(), key=lambda item: -item[1])
    (best_level, best), (second_level, second) = ranked[0], ranked[1]
    floor, sure_at, sure_margin = _THRESHOLDS[kind]
    if best < floor or not np.isfinite(best):
        return LevelMatch(None, None, best, 0.0, False)
    margin = best - second
    sure = best >= sure_at and margin >= sure_margin
    return LevelMatch(best_level, second_level, round(best, 4), round(margin, 4), sure)
