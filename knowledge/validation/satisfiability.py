"""Satisfiability check: every qualification can be earned from the catalogue.

For each qualification the check asks whether *some* set of catalogue
credentials meets all its stacking rules at once:

* required credentials below ``min_level`` can never count: unsatisfiable;
* each elective pool needs ``min_count`` credentials and ``min_credits``
  credits from its own eligible credentials (at ``min_level`` or above, not
  already required); a credential counts in one pool only;
* ``min_total_credits`` must be reachable from required and pool credentials;
* ``max_transfer_credits`` caps the credits counted from credentials awarded
  by other providers than the qualification's, which can make pool or total
  minimums unreachable.

When pools do not share credentials the answer follows from sums (exact, see
``_check_disjoint``). When they do, a small CP-SAT model decides it exactly.
A credential without an EQF level is assumed to meet ``min_level`` (with a
warning): the check only reports what is certainly impossible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from knowledge.schema import Credential, Qualification
from knowledge.validation.identity import Indexed
from knowledge.validation.report import Problems

_SCALE = 100  # credits in hundredths, for the integer model


@dataclass(frozen=True)
class _Pool:
    index: int
    id: str
    members: tuple[str, ...]
    min_count: int
    min_credits: float


def check_qualifications(indexed: Indexed, problems: Problems) -> None:
    """Report every qualification whose rules no set of credentials can satisfy."""
    credentials: dict[str, Credential] = indexed.tables["credentials"]
    for qid, qualification in indexed.tables["qualifications"].items():
        _check_one(qualification, indexed.where[qid], credentials, problems)


def _check_one(
    qualification: Qualification,
    where: str,
    credentials: dict[str, Credential],
    problems: Problems,
) -> None:
    rules = qualification.rules
    if not rules.required and not rules.elective_pools and not rules.min_total_credits:
        problems.warn(f"{where} > rules", "the stacking rules require nothing")
        return
    min_level = rules.min_level
    unlevelled: list[str] = []

    def eligible(cid: str) -> bool:
        credential = credentials.get(cid)
        if credential is None:
            return False  # dangling: already reported by the reference check
        if min_level is None:
            return True
        if credential.eqf_level is None:
            unlevelled.append(cid)
            return True
        return credential.eqf_level >= min_level

    impossible = False
    required: list[str] = []
    for index, cid in enumerate(dict.fromkeys(rules.required)):
        credential = credentials.get(cid)
        if credential is None:
            impossible = True
            continue
        if not eligible(cid):
            problems.error(
                f"{where} > rules.required.{index}",
                f"required credential {cid!r} is at EQF level {credential.eqf_level}, "
                f"below the rules' min_level {min_level}: it can never count",
            )
            impossible = True
        required.append(cid)
    pools: list[_Pool] = []
    for index, pool in enumerate(rules.elective_pools):
        also_required = [cid for cid in pool.credentials if cid in rules.required]
        if also_required:
            problems.warn(
                f"{where} > rules.elective_pools.{index}",
                f"{', '.join(also_required)} also required: counted as required, not in the pool",
            )
        members = tuple(
            cid
            for cid in dict.fromkeys(pool.credentials)
            if cid not in rules.required and eligible(cid)
        )
        pools.append(_Pool(index, pool.id, members, pool.min_count or 0, pool.min_credits or 0.0))
    if unlevelled:
        problems.warn(
            f"{where} > rules.min_level",
            f"{len(set(unlevelled))} counted credential(s) have no EQF level, so min_level "
            f"{min_level} cannot be checked for them (e.g. {sorted(set(unlevelled))[0]})",
        )
    if impossible:
        return
    credit = {cid: _credits(credentials[cid]) for cid in _all(required, pools)}
    own = {cid: credentials[cid].provider == qualification.provider for cid in credit}
    cap = math.inf if rules.max_transfer_credits is None else rules.max_transfer_credits
    shared = _shares_credentials(pools)
    if not _check_disjoint(
        where,
        rules.min_total_credits,
        required,
        pools,
        credit,
        own,
        cap,
        problems,
        count_only=shared,
    ):
        return
    if shared:
        _check_with_model(
            where, rules.min_total_credits, required, pools, credit, own, cap, problems
        )


def _all(required: list[str], pools: list[_Pool]) -> set[str]:
    members = set(required)
    for pool in pools:
        members.update(pool.members)
    return members


def _credits(credential: Credential) -> float:
    return credential.workload.credits or 0.0


def _shares_credentials(pools: list[_Pool]) -> bool:
    seen: set[str] = set()
    for pool in pools:
        if seen.intersection(pool.members):
            return True
        seen.update(pool.members)
    return False


def _check_disjoint(
    where: str,
    min_total: float | None,
    required: list[str],
    pools: list[_Pool],
    credit: dict[str, float],
    own: dict[str, bool],
    cap: float,
    problems: Problems,
    *,
    count_only: bool,
) -> bool:
    """Necessary conditions, each reported on its own; exact for disjoint pools.

    With disjoint pools, credits from other providers can be spread freely up
    to the cap, so the rules hold exactly when: every pool has enough eligible
    credentials; each pool's shortfall of own-provider credits is covered by
    its other-provider credits within the cap; the shortfalls together fit
    under the cap; and the total is reachable. Returns False after reporting.
    """
    ok = True
    needs: list[float] = []
    for pool in pools:
        path = f"{where} > rules.elective_pools.{pool.index}"
        if pool.min_count > len(pool.members):
            problems.error(
                path,
                f"pool {pool.id!r} needs {pool.min_count} credentials but only "
                f"{len(pool.members)} of its credentials can count",
            )
            ok = False
        own_credits = sum(credit[cid] for cid in pool.members if own[cid])
        other_credits = sum(credit[cid] for cid in pool.members if not own[cid])
        reachable = own_credits + min(other_credits, cap)
        if pool.min_credits > reachable + 1e-9:
            problems.error(
                path,
                f"pool {pool.id!r} needs {pool.min_credits:g} credits but its credentials "
                f"give at most {reachable:g}{_cap_note(other_credits, cap)}",
            )
            ok = False
        needs.append(max(0.0, pool.min_credits - own_credits))
    if ok and not count_only and sum(needs) > cap + 1e-9:
        problems.error(
            f"{where} > rules.max_transfer_credits",
            f"the pools together need {sum(needs):g} credits from other providers, "
            f"above max_transfer_credits {cap:g}",
        )
        ok = False
    members = _all(required, pools)
    own_all = sum(credit[cid] for cid in members if own[cid])
    other_all = sum(credit[cid] for cid in members if not own[cid])
    reachable_total = own_all + min(other_all, cap)
    if min_total is not None and min_total > reachable_total + 1e-9:
        problems.error(
            f"{where} > rules.min_total_credits",
            f"needs {min_total:g} credits but required and elective credentials give at most "
            f"{reachable_total:g}{_cap_note(other_all, cap)}",
        )
        ok = False
    return ok


def _cap_note(other_credits: float, cap: float) -> str:
    if other_credits > cap:
        return f" ({other_credits:g} from other providers, capped at {cap:g})"
    return ""


def _check_with_model(
    where: str,
    min_total: float | None,
    required: list[str],
    pools: list[_Pool],
    credit: dict[str, float],
    own: dict[str, bool],
    cap: float,
    problems: Problems,
) -> None:
    """Exact check for pools that share credentials (CP-SAT, imported lazily)."""
    from ortools.sat.python import cp_model

    model: Any = cp_model.CpModel()
    scaled = {cid: round(value * _SCALE) for cid, value in credit.items()}
    counted: dict[tuple[str, int], Any] = {}
    chosen: dict[tuple[str, int], Any] = {}
    for pool in pools:
        for cid in pool.members:
            chosen[cid, pool.index] = model.NewBoolVar(f"x_{pool.index}_{cid}")
            counted[cid, pool.index] = model.NewIntVar(0, scaled[cid], f"k_{pool.index}_{cid}")
            model.Add(counted[cid, pool.index] <= scaled[cid] * chosen[cid, pool.index])
    for cid in credit:
        uses = [chosen[key] for key in chosen if key[0] == cid]
        if len(uses) > 1:
            model.Add(sum(uses) <= 1)
    required_counted = {cid: model.NewIntVar(0, scaled[cid], f"r_{cid}") for cid in required}
    for pool in pools:
        model.Add(sum(chosen[cid, pool.index] for cid in pool.members) >= pool.min_count)
        model.Add(
            sum(counted[cid, pool.index] for cid in pool.members)
            >= math.ceil(pool.min_credits * _SCALE - 1e-6)
        )
    everything = list(required_counted.items()) + [(key[0], var) for key, var in counted.items()]
    if min_total is not None:
        model.Add(sum(var for _, var in everything) >= math.ceil(min_total * _SCALE - 1e-6))
    if cap != math.inf:
        model.Add(sum(var for cid, var in everything if not own[cid]) <= int(cap * _SCALE))
    solver: Any = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 2.0
    solver.parameters.num_workers = 1
    status = solver.Solve(model)
    if status == cp_model.INFEASIBLE:
        problems.error(
            f"{where} > rules",
            "the stacking rules cannot be met together: the elective pools share credentials "
            "and no assignment of credentials to pools meets every minimum"
            + (" within max_transfer_credits" if cap != math.inf else ""),
        )
    elif status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        problems.warn(f"{where} > rules", "could not decide in time whether the rules can be met")
