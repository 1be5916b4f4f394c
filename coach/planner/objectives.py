"""The objectives as integer linear functions of the selection, and their lexicographic order.

Each criterion is ``sum(coef[c] * x[c]) + constant``. Consecutive criteria are
folded into one weighted objective when the weights stay small enough for exact
integer arithmetic (criterion k is multiplied by the range of what follows plus
one), so most plans need a single solve while remaining exactly lexicographic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from coach.planner.problem import Problem

#: The lexicographic criteria of each objective, most important first.
STAGES: dict[str, tuple[str, ...]] = {
    "cheapest": ("cost", "hours", "count", "unpreferred"),
    "fastest": ("hours", "weeks", "cost", "count", "unpreferred"),
    "recognized": ("unasked", "unrecognised", "cost", "hours", "unpreferred"),
    "balanced": ("balanced", "cost", "hours", "count", "unpreferred"),
}

#: Largest objective range folded into one solve (well inside 64-bit exact integers).
MAX_RANGE = 2**42


@dataclass(frozen=True)
class Linear:
    """``sum(coefs[c] * x[c]) + constant`` over the candidate credentials."""

    coefs: dict[str, int]
    constant: int = 0

    @cached_property
    def low(self) -> int:
        return self.constant + sum(min(0, v) for v in self.coefs.values())

    @cached_property
    def high(self) -> int:
        return self.constant + sum(max(0, v) for v in self.coefs.values())

    @property
    def span(self) -> int:
        return self.high - self.low

    def value(self, chosen: set[str]) -> int:
        return self.constant + sum(v for c, v in self.coefs.items() if c in chosen)


def cents(amount: float) -> int:
    return round(amount * 100)


def tenths(hours: float) -> int:
    return round(hours * 10)


def criterion(problem: Problem, name: str) -> Linear:
    items = problem.items
    ids = sorted(items)
    if name == "cost":
        return Linear({c: cents(items[c].cost) for c in ids})
    if name == "hours":
        return Linear({c: tenths(items[c].hours) for c in ids})
    if name == "weeks":
        return Linear({c: items[c].weeks for c in ids})
    if name == "count":
        return Linear(dict.fromkeys(ids, 1))
    if name == "unpreferred":
        return Linear({c: 1 for c in ids if not items[c].preferred})
    if name == "unasked":
        asked = [c for c in problem.asked if c in items]
        return Linear(dict.fromkeys(asked, -1), len(asked))
    if name == "unrecognised":
        top = max((item.recognition for item in items.values()), default=0)
        return Linear({c: top + 1 - items[c].recognition for c in ids})
    if name == "balanced":
        return Linear(balanced_weights(problem))
    raise ValueError(f"unknown criterion {name!r}")


def balanced_weights(problem: Problem) -> dict[str, int]:
    """Normalised cost + hours + weeks, less recognition, gap impact and preference.

    Never <= 0, so no step is added for its own sake; a credential a role's
    employers ask for weighs less, so it wins among those that close the same gaps.
    """
    items = problem.items.values()
    ref_cost = max((i.cost for i in items), default=1.0) or 1.0
    ref_hours = max((i.hours for i in items), default=1.0) or 1.0
    ref_weeks = max((i.weeks for i in items), default=1) or 1
    ref_rec = max((i.recognition for i in items), default=1) or 1
    ref_impact = max((g.impact for g in problem.gaps), default=1) or 1
    weights = {}
    for cid, item in sorted(problem.items.items()):
        # the gaps that matter most for a role: distance to the level, doubled when essential
        impact = sum(g.impact for g in problem.gaps if item.skills.get(g.skill, 0) >= g.level)
        weight = round(
            1000 * item.cost / ref_cost
            + 1000 * item.hours / ref_hours
            + 500 * item.weeks / ref_weeks
            + 400
            - 300 * item.recognition / ref_rec
            - 150 * impact / ref_impact
            - (100 if item.preferred else 0)
        )
        if cid in problem.asked:
            weight -= 600  # employers ask for it: preferred, yet never added for that alone
        weights[cid] = max(weight, 1)
    return weights


def stages(problem: Problem, names: tuple[str, ...]) -> list[Linear]:
    """The criteria, constant ones dropped, neighbours folded while exact."""
    folded: list[Linear] = []
    for name in names:
        nxt = criterion(problem, name)
        if nxt.span == 0:
            continue  # the same for every selection: decides nothing
        if folded and (folded[-1].span + 1) * (nxt.span + 1) <= MAX_RANGE:
            prev = folded[-1]
            scale = nxt.span + 1
            coefs = {c: v * scale for c, v in prev.coefs.items()}
            for c, v in nxt.coefs.items():
                coefs[c] = coefs.get(c, 0) + v
            folded[-1] = Linear(coefs, prev.constant * scale + nxt.constant - nxt.low)
        else:
            folded.append(nxt)
    return folded
