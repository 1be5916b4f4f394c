"""Retrieval quality against a hand-written judgement set.

A judgement is a query, the ids that answer it and optional filters
(``evals/data/retrieval_judgements.yaml``). Metrics are the usual binary
relevance ones: recall@5 (share of relevant ids in the top 5, capped by how
many there are), MRR (reciprocal rank of the first relevant hit) and nDCG@10.
Pure functions over ranked id lists; ``evaluate`` runs a retriever.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from knowledge.index.filters import SearchFilters
from knowledge.index.retriever import Mode, Retriever


class Judgement(BaseModel):
    """One query and the catalogue ids that answer it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    query: str = Field(min_length=1)
    relevant: tuple[str, ...] = Field(min_length=1)
    tags: tuple[str, ...] = ()
    filters: SearchFilters | None = None


def load_judgements(path: Path) -> list[Judgement]:
    """Read a judgement file (a YAML list of judgements)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return TypeAdapter(list[Judgement]).validate_python(data)


def split_judgements(judgements: Sequence[Judgement]) -> tuple[list[Judgement], list[Judgement]]:
    """The tuning half and the held-out half, by a hash of each query.

    Deterministic and independent of order, so adding queries never moves an
    existing one to the other half. Ranking constants are tuned on the first
    half only; the second shows whether the tuning generalises.
    """
    tuning: list[Judgement] = []
    held_out: list[Judgement] = []
    for judgement in judgements:
        digest = hashlib.blake2b(judgement.query.encode(), digest_size=8).digest()
        (tuning if digest[0] % 2 == 0 else held_out).append(judgement)
    return tuning, held_out


#: Letters next to each letter on a QWERTY keyboard, for substitution typos.
_NEIGHBOURS = {
    row[i]: row[max(i - 1, 0) : i] + row[i + 1 : i + 2]
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i in range(len(row))
}
_TYPO_WORD = re.compile(r"\b[A-Za-z]{5,}\b")


def with_typos(query: str, words: int = 2) -> str:
    """``query`` with one typo in each of up to ``words`` of its words of five letters
    or more: two letters swapped, one dropped, one doubled, or one replaced by a key
    next to it; never the first letter. Seeded by the query, so the same query always
    gets the same typos: a robustness measure that no one can tune by hand."""
    seed = hashlib.blake2b(query.encode(), digest_size=8).digest()
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    spans = [m.span() for m in _TYPO_WORD.finditer(query)]
    chosen = sorted(rng.sample(spans, min(words, len(spans))), reverse=True)
    for start, end in chosen:  # from the end, so earlier spans keep their offsets
        word = query[start:end]
        at = rng.randrange(1, len(word) - 1)
        letter = word[at].lower()
        kind = rng.choice(("swap", "drop", "double", "key"))
        if kind == "swap":
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        elif kind == "drop":
            word = word[:at] + word[at + 1 :]
        elif kind == "double":
            word = word[:at] + word[at] + word[at:]
        else:
            word = word[:at] + rng.choice(_NEIGHBOURS.get(letter, letter)) + word[at + 1 :]
        query = query[:start] + word + query[end:]
    return query


def recall_at(ranked: Sequence[str], relevant: Sequence[str], k: int) -> float:
    wanted = set(relevant)
    return len(wanted & set(ranked[:k])) / min(len(wanted), k)


def reciprocal_rank(ranked: Sequence[str], relevant: Sequence[str]) -> float:
    wanted = set(relevant)
    for rank, key in enumerate(ranked, start=1):
        if key in wanted:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: Sequence[str], k: int) -> float:
    wanted = set(relevant)
    gain = sum(1.0 / math.log2(i + 2) for i, key in enumerate(ranked[:k]) if key in wanted)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(wanted), k)))
    return gain / ideal


#: How a caller turns a judgement into what the retriever gets: ranking text and filters
#: (the coach reads limits such as "under 300 euros" from the query first).
Prepare = Callable[[Judgement], tuple[str, SearchFilters | None]]


def as_written(judgement: Judgement) -> tuple[str, SearchFilters | None]:
    """The query text unchanged, with the judgement's own filters."""
    return judgement.query, judgement.filters


def evaluate(
    retriever: Retriever,
    judgements: Sequence[Judgement],
    mode: Mode = "hybrid",
    prepare: Prepare = as_written,
) -> dict[str, object]:
    """Mean recall@5, MRR and nDCG@10 overall and per tag, for one retrieval mode.

    ``prepare`` runs the same way for every mode, so the modes compare on equal input.
    """
    rows: list[tuple[Judgement, float, float, float]] = []
    for judgement in judgements:
        text, filters = prepare(judgement)
        hits = retriever.search(text, k=10, filters=filters, mode=mode).hits
        ranked = [hit.id for hit in hits]
        rows.append(
            (
                judgement,
                recall_at(ranked, judgement.relevant, 5),
                reciprocal_rank(ranked, judgement.relevant),
                ndcg_at(ranked, judgement.relevant, 10),
            )
        )

    def summary(selected: list[tuple[Judgement, float, float, float]]) -> dict[str, float]:
        n = len(selected) or 1
        return {
            "queries": len(selected),
            "recall@5": round(sum(r[1] for r in selected) / n, 4),
            "mrr": round(sum(r[2] for r in selected) / n, 4),
            "ndcg@10": round(sum(r[3] for r in selected) / n, 4),
        }

    tags = sorted({tag for judgement in judgements for tag in judgement.tags})
    return {
        **summary(rows),
        "by_tag": {tag: summary([r for r in rows if tag in r[0].tags]) for tag in tags},
        "misses": [r[0].query for r in rows if r[1] == 0.0],
    }
