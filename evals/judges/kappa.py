"""Cohen's kappa: agreement between a judge and human labels beyond chance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def cohens_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Kappa for two equally long label sequences (1.0 perfect, 0.0 chance)."""
    if len(first) != len(second) or not first:
        raise ValueError("kappa needs two non-empty label sequences of equal length")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    left, right = Counter(first), Counter(second)
    expected = sum(left[label] * right[label] for label in left.keys() | right.keys()) / (n * n)
    if expected == 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return (observed - expected) / (1 - expected)
