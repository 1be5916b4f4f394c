"""Whether a set of counted credentials meets a qualification's stacking rules.

An exact check used by the exhaustive search and the plan checker (independent
of the integer programme): every credential counts in at most one requirement;
a transfer credential may count fewer of its credits so the transfer cap holds.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Give up the exact check past this many assignments (callers then report "unchecked").
MAX_COMBINATIONS = 50_000


@dataclass(frozen=True)
class Rule:
    """One requirement: members that may count in it, and its minimums."""

    id: str
    members: tuple[str, ...]
    min_count: int = 0
    min_credits: float = 0.0
    required: bool = False


def satisfiable(
    rules: Sequence[Rule],
    counted: Mapping[str, float],
    transfer: frozenset[str],
    *,
    min_total: float = 0.0,
    transfer_cap: float | None = None,
    credits_in: Mapping[tuple[str, str], float] | None = None,
) -> bool | None:
    """True/False, or None when there are too many assignments to try.

    ``counted``: credential -> credits, for the credentials that may count.
    ``credits_in``: (rule id, credential) -> credits when a rule counts its own amount.
    """
    overrides = credits_in or {}
    for rule in rules:
        if rule.required and not all(m in counted for m in rule.members):
            return False
    options: dict[str, list[str]] = {}
    for rule in rules:
        for member in rule.members:
            if member in counted:
                options.setdefault(member, []).append(rule.id)
    members = sorted(options)
    total_combos = 1
    for member in members:
        total_combos *= len(options[member])
        if total_combos > MAX_COMBINATIONS:
            return None
    by_id = {rule.id: rule for rule in rules}
    cap = float("inf") if transfer_cap is None else transfer_cap
    for choice in itertools.product(*(options[m] for m in members)):
        count: dict[str, int] = dict.fromkeys(by_id, 0)
        internal: dict[str, float] = dict.fromkeys(by_id, 0.0)
        external: dict[str, float] = dict.fromkeys(by_id, 0.0)
        for member, rule_id in zip(members, choice, strict=True):
            credits = overrides.get((rule_id, member), counted[member])
            count[rule_id] += 1
            if member in transfer:
                external[rule_id] += credits
            else:
                internal[rule_id] += credits
        if any(count[r.id] < r.min_count for r in rules):
            continue
        deficits = 0.0
        ok = True
        for rule in rules:
            short = max(0.0, rule.min_credits - internal[rule.id])
            if short > external[rule.id] + 1e-9:
                ok = False
                break
            deficits += short
        if not ok or deficits > cap + 1e-9:
            continue
        total = sum(internal.values()) + min(cap, sum(external.values()))
        if total + 1e-9 >= min_total:
            return True
    return False
