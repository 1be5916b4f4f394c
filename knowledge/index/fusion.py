"""Fusing the dense and lexical rankings into one score per document.

Pure numpy over row numbers; ``knowledge.index.retriever`` does the IO around it.

Scores, not ranks, are combined: reciprocal rank fusion throws away how far
apart two hits are, so a lexical hit on one common word counted as much as a
close paraphrase. Each side is scaled to [0, 1] first:

* dense: cosine similarity rescaled between the best hit (1) and the hit at
  ``NORM_DEPTH`` (0), so the spread of the top hits counts rather than the
  model's absolute similarity level, which varies from query to query;
* lexical: BM25 divided by the query's best BM25 score.

The fused score is ``DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical``.
Then two lifts that use the catalogue's structure:

* names: an entry whose id, title or alias the query is exactly gets
  ``EXACT_BOOST``; one whose title or alias appears as a phrase inside the
  query gets ``PHRASE_BOOST``;
* skills: a learner describing what they want to learn or do often matches a
  skill best ("visual board to manage work in progress" is the Kanban skill),
  but wants something to take or a job to aim at. Each skill among the top
  ``SKILL_SPREAD_TOP`` passes ``SKILL_SPREAD`` of its score to the entries built
  on it (credentials teaching it, roles needing it), keeping the best lift per
  entry.

The constants were tuned on the tuning half of the judgement set (see
``knowledge.index.evaluation.split_judgements``) and checked on the other half.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Share of the dense side in the fused score.
DENSE_WEIGHT = 0.7
#: The dense hit at this rank scales to 0 (the best to 1).
NORM_DEPTH = 20
#: Added when the query is exactly an entry's id, title or alias.
EXACT_BOOST = 1.0
#: Added when an entry's title or alias is a phrase of two words or more in the query.
PHRASE_BOOST = 0.03
#: Share of a skill's fused score passed on to the entries built on it.
SKILL_SPREAD = 0.5
#: How many of the best hits are looked at for skills to spread.
SKILL_SPREAD_TOP = 10


def scale_dense(similarities: FloatArray) -> FloatArray:
    """Best-first cosine similarities rescaled to [0, 1] (see the module docstring)."""
    if similarities.size == 0:
        return similarities
    top = float(similarities[0])
    floor = float(similarities[min(NORM_DEPTH, similarities.size) - 1])
    spread = max(top - floor, 1e-6)
    scaled: FloatArray = np.clip((similarities - floor) / spread, 0.0, None).astype(np.float32)
    return scaled


def fuse(
    size: int,
    dense_rows: IntArray | None,
    dense_scores: FloatArray | None,
    lexical: FloatArray | None,
    boosts: Mapping[int, float],
) -> tuple[FloatArray, IntArray]:
    """Fused scores of all ``size`` rows and the candidate rows, dense order first.

    ``dense_rows``/``dense_scores`` are the dense hits, best first (None when the
    vector store could not answer); ``lexical`` one BM25 score per row, 0 for
    rows that do not match or are filtered out (None: lexical side not used).
    """
    fused = np.zeros(size, dtype=np.float32)
    seen = np.zeros(size, dtype=bool)
    parts: list[IntArray] = []
    dense_weight = DENSE_WEIGHT if lexical is not None else 1.0
    if dense_rows is not None and dense_scores is not None and dense_rows.size:
        fused[dense_rows] += dense_weight * scale_dense(dense_scores)
        seen[dense_rows] = True
        parts.append(dense_rows)
    if lexical is not None:
        best = float(lexical.max()) if lexical.size else 0.0
        if best > 0.0:
            lexical_weight = 1.0 - DENSE_WEIGHT if dense_rows is not None else 1.0
            fused += (lexical_weight / best) * lexical
            # Boolean masks, not np.unique: thousands of rows can match a common word.
            fresh = np.flatnonzero((lexical > 0) & ~seen)
            seen[fresh] = True
            parts.append(fresh)
    if boosts:
        rows = np.fromiter(boosts.keys(), dtype=np.int64, count=len(boosts))
        fused[rows] += np.fromiter(boosts.values(), dtype=np.float32, count=len(boosts))
        parts.append(rows[~seen[rows]])
    if not parts:
        return fused, np.zeros(0, dtype=np.int64)
    return fused, np.concatenate(parts)


def spread_skills(
    fused: FloatArray,
    candidates: IntArray,
    is_skill: BoolArray,
    built_on: Mapping[int, IntArray],
    mask: BoolArray | None,
) -> IntArray:
    """Lift entries built on the best-scoring skills; returns the grown candidates."""
    if candidates.size == 0:
        return candidates
    top = candidates[_top(fused[candidates], SKILL_SPREAD_TOP)]
    lifts: dict[int, float] = {}
    for row in top[is_skill[top]]:
        share = SKILL_SPREAD * float(fused[row])
        if share <= 0.0:
            continue
        for entry in built_on.get(int(row), ()):
            key = int(entry)
            if share > lifts.get(key, 0.0) and (mask is None or mask[key]):
                lifts[key] = share
    if not lifts:
        return candidates
    rows = np.fromiter(lifts.keys(), dtype=np.int64, count=len(lifts))
    shares = np.fromiter(lifts.values(), dtype=np.float32, count=len(lifts))
    fused[rows] += shares
    known = np.zeros(fused.size, dtype=bool)
    known[candidates] = True
    return np.concatenate([candidates, rows[~known[rows]]])


def best_rows(fused: FloatArray, candidates: IntArray, k: int) -> list[tuple[int, float]]:
    """The ``k`` best candidates by fused score; ties keep the candidates' order."""
    if candidates.size == 0:
        return []
    scores = fused[candidates]
    return [(int(candidates[i]), float(scores[i])) for i in _top(scores, k)]


def _top(scores: FloatArray, k: int) -> IntArray:
    """Positions of the ``k`` highest scores, best first; ties keep their order."""
    if scores.size > k:
        keep = np.argpartition(-scores, k - 1)[:k]
        keep.sort()  # back to input order so the stable sort breaks ties by it
    else:
        keep = np.arange(scores.size)
    order: IntArray = keep[np.argsort(-scores[keep], kind="stable")]
    return order


def built_on(
    skill_rows: Mapping[str, int], entries: Sequence[tuple[int, Sequence[str]]]
) -> dict[int, IntArray]:
    """Skill row -> rows of the entries built on it (from each entry's skill ids)."""
    out: dict[int, list[int]] = {}
    for row, skills in entries:
        for skill in skills:
            skill_row = skill_rows.get(skill)
            if skill_row is not None:
                out.setdefault(skill_row, []).append(row)
    return {key: np.asarray(rows, dtype=np.int64) for key, rows in out.items()}
