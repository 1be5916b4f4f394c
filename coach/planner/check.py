"""An independent checker: does a plan obey every rule? (Evaluation suites reuse it.)

It re-derives everything from the catalogue, the request and the profile, and
shares nothing with the integer programme except the exact stacking-rule check
in ``stacking.py``. ``check_plan`` returns the violations, empty when the plan is sound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from coach.planner.request import PlanRequest
from coach.planner.result import PlanResult, PlanStep
from coach.planner.stacking import Rule, satisfiable
from coach.profile import Profile
from knowledge.schema import Catalogue, Credential

_EPS = 1e-6


def _verified(profile: Profile, credential_id: str) -> bool:
    return any(h.credential_id == credential_id and h.verified for h in profile.holdings)


def _levels(catalogue: Catalogue, profile: Profile) -> dict[str, int]:
    levels = {skill: est.level for skill, est in profile.skills.items()}
    for held in profile.holdings:
        if not held.verified:
            continue
        credential = catalogue.credentials.get(held.credential_id)
        for taught in credential.skills if credential else ():
            levels[taught.skill] = max(levels.get(taught.skill, 0), taught.level)
    return levels


def _recognised(
    catalogue: Catalogue, credential: Credential, country: str, today: dt.date | None
) -> bool:
    for record in catalogue.recognitions.values():
        if record.outcome == "refused":
            continue
        if today is not None and not record.is_current(today):
            continue
        covers = record.credential == credential.id or (
            record.provider == credential.provider and record.credential is None
        )
        if covers and (country in record.countries or "EU" in record.countries):
            return True
    return False


def check_plan(
    catalogue: Catalogue,
    request: PlanRequest,
    profile: Profile,
    result: PlanResult,
    *,
    today: dt.date | None = None,
) -> list[str]:
    """Every rule the plan breaks, as one sentence each (empty: the plan is sound).

    Without ``today`` the date-dependent checks (recency, current recognition) are skipped.
    """
    if not result.feasible:
        problems = []
        if result.steps:
            problems.append("an infeasible result lists steps")
        if not result.infeasible_reason:
            problems.append("an infeasible result gives no reason")
        return problems
    violations: list[str] = []
    steps = list(result.steps)
    # only verified badges prove a holding (an unverified one may be earned again)
    held = {h.credential_id: h for h in profile.holdings if h.verified}
    ids = [s.id for s in steps]
    if len(set(ids)) != len(ids):
        violations.append("a credential appears twice in the plan")
    credentials: dict[str, Credential] = {}
    for step in steps:
        credential = catalogue.credentials.get(step.id)
        if credential is None:
            violations.append(f"{step.id}: not a catalogue credential")
            continue
        credentials[step.id] = credential
        violations.extend(_step_rules(catalogue, request, step, credential, today))
        if step.id in held:
            violations.append(f"{step.id}: the learner already holds it")
    if violations:
        return violations
    violations.extend(_totals(catalogue, request, result))
    violations.extend(_capacity(request, steps))
    levels = _levels(catalogue, profile)
    violations.extend(_prerequisites(steps, credentials, held, levels))
    violations.extend(_target(catalogue, request, profile, steps, credentials, levels, today))
    violations.extend(_useful(catalogue, request, steps, credentials, levels))
    violations.extend(_declared_counting(catalogue, request, result))
    return violations


def _step_rules(
    catalogue: Catalogue,
    request: PlanRequest,
    step: PlanStep,
    credential: Credential,
    today: dt.date | None,
) -> list[str]:
    problems = []
    if abs(step.cost - credential.price.amount) > _EPS:
        problems.append(f"{step.id}: cost {step.cost} is not the catalogue price")
    if abs(step.hours - credential.workload.hours) > _EPS:
        problems.append(f"{step.id}: hours {step.hours} are not the catalogue workload")
    if credential.provider in request.providers_avoid:
        problems.append(f"{step.id}: provider {credential.provider} is to be avoided")
    if request.modality and credential.participation.mode != request.modality:
        problems.append(f"{step.id}: not offered {request.modality}")
    if request.language and request.language not in credential.languages:
        problems.append(f"{step.id}: not offered in {request.language}")
    if request.country and not _recognised(catalogue, credential, request.country, today):
        problems.append(f"{step.id}: not recognised in {request.country}")
    if step.start_week < 1 or step.end_week < step.start_week:
        problems.append(f"{step.id}: bad weeks {step.start_week}-{step.end_week}")
    return problems


def _totals(catalogue: Catalogue, request: PlanRequest, result: PlanResult) -> list[str]:
    problems = []
    steps = result.steps
    fee = 0.0
    qualification = catalogue.qualifications.get(result.target)
    if qualification is not None and qualification.award_fee is not None:
        fee = qualification.award_fee.amount
    cost = sum(s.cost for s in steps) + fee
    if abs(result.totals.cost - cost) > 0.01:
        problems.append(f"total cost {result.totals.cost} is not the sum {cost}")
    if abs(result.totals.hours - sum(s.hours for s in steps)) > 0.01:
        problems.append("total hours are not the sum of the steps")
    finish = max((s.end_week for s in steps), default=0)
    if result.totals.weeks < finish:
        problems.append(f"total weeks {result.totals.weeks} end before the last step ({finish})")
    if request.budget is not None and cost > request.budget + 0.005:
        problems.append(f"cost {cost:g} is over the budget {request.budget:g}")
    if request.weeks is not None and finish > request.weeks:
        problems.append(f"finishes in week {finish}, after the deadline of {request.weeks} weeks")
    if request.max_credentials is not None and len(steps) > request.max_credentials:
        problems.append(
            f"{len(steps)} credentials, more than the {request.max_credentials} allowed"
        )
    return problems


def _capacity(request: PlanRequest, steps: list[PlanStep]) -> list[str]:
    finish = max((s.end_week for s in steps), default=0)
    for week in range(1, finish + 1):
        load = sum(
            s.hours / (s.end_week - s.start_week + 1)
            for s in steps
            if s.start_week <= week <= s.end_week
        )
        if request.hours_per_week is not None and load > request.hours_per_week + 1e-4:
            return [f"week {week} needs {load:.2f} hours, over {request.hours_per_week:g} a week"]
    return []


def _prerequisites(
    steps: list[PlanStep],
    credentials: dict[str, Credential],
    held: Mapping[str, object],
    levels: dict[str, int],
) -> list[str]:
    problems = []
    for step in steps:
        earlier = [s for s in steps if s.end_week < step.start_week]
        done = {s.id for s in earlier}
        taught: dict[str, int] = dict(levels)
        for s in earlier:
            for skill in credentials[s.id].skills:
                taught[skill.skill] = max(taught.get(skill.skill, 0), skill.level)
        for index, group in enumerate(credentials[step.id].prerequisites):
            met = sum(1 for c in group.credentials if c in held or c in done)
            met += sum(1 for need in group.skills if taught.get(need.skill, 0) >= need.level)
            if met < group.required_count:
                problems.append(
                    f"{step.id}: prerequisite group {index + 1} not met "
                    f"before week {step.start_week}"
                )
    return problems


def _target(
    catalogue: Catalogue,
    request: PlanRequest,
    profile: Profile,
    steps: list[PlanStep],
    credentials: dict[str, Credential],
    levels: dict[str, int],
    today: dt.date | None,
) -> list[str]:
    target = request.target
    planned = set(credentials)
    if target in catalogue.roles:
        reach = dict(levels)
        for credential in credentials.values():
            for skill in credential.skills:
                reach[skill.skill] = max(reach.get(skill.skill, 0), skill.level)
        return [
            f"role skill {need.skill} stays below level {need.level}"
            for need in catalogue.roles[target].required_skills
            if reach.get(need.skill, 0) < need.level
        ]
    if target in catalogue.credentials and target not in catalogue.qualifications:
        if target in planned or _verified(profile, target):
            return []
        return [f"the target credential {target} is not in the plan"]
    qualification = catalogue.qualifications[target]
    rules = qualification.rules
    counted: dict[str, float] = {}

    def eligible(credential: Credential) -> bool:
        level = credential.eqf_level
        return rules.min_level is None or (level is not None and level >= rules.min_level)

    fresh: set[str] = set()  # verified holdings inside the recency window
    for holding in profile.holdings:
        entry = catalogue.credentials.get(holding.credential_id)
        if not holding.verified or entry is None:
            continue
        if (
            rules.recency_years
            and today is not None
            and (today - holding.earned_on).days / 365.25 > rules.recency_years
        ):
            continue
        fresh.add(holding.credential_id)
        if eligible(entry):
            credits = holding.credits
            counted[holding.credential_id] = (
                credits if credits is not None else entry.workload.credits or 0.0
            )
    for cid, credential in credentials.items():
        if eligible(credential):
            counted[cid] = credential.workload.credits or 0.0
    required = set(rules.required)
    check_rules = [Rule(f"required:{c}", (c,), 1, required=True) for c in rules.required]
    for pool in rules.elective_pools:
        check_rules.append(
            Rule(
                f"pool:{pool.id}",
                tuple(c for c in pool.credentials if c not in required),
                pool.min_count or 0,
                pool.min_credits or 0.0,
            )
        )
    members = {m for rule in check_rules for m in rule.members}
    credits_in: dict[tuple[str, str], float] = {}
    transfer: set[str] = set()
    for record in catalogue.recognitions.values():
        if (
            record.kind != "credit-transfer"
            or record.towards_qualification != target
            or not record.credential
            or record.credential in members
            or record.outcome == "refused"
            or (today is not None and not record.is_current(today))
        ):
            continue
        cid = record.credential
        members.add(cid)
        transfer.add(cid)
        check_rules.append(Rule(f"transfer:{record.id}", (cid,)))
        source = catalogue.credentials.get(cid)
        if record.credits is not None:
            credits_in[(f"transfer:{record.id}", cid)] = record.credits
        elif source is not None:
            credits_in[(f"transfer:{record.id}", cid)] = source.workload.credits or 0.0
        if source is not None and cid not in counted and (cid in planned or cid in fresh):
            counted[cid] = credits_in[(f"transfer:{record.id}", cid)]
    for cid in members:
        source = catalogue.credentials.get(cid)
        if source is not None and source.provider != qualification.provider:
            transfer.add(cid)
    ok = satisfiable(
        check_rules,
        {c: v for c, v in counted.items() if c in members},
        frozenset(transfer),
        min_total=rules.min_total_credits or 0.0,
        transfer_cap=rules.max_transfer_credits,
        credits_in=credits_in,
    )
    if ok is False:
        return [f"the counted credentials do not meet the stacking rules of {target}"]
    return []


def _useful(
    catalogue: Catalogue,
    request: PlanRequest,
    steps: list[PlanStep],
    credentials: dict[str, Credential],
    levels: dict[str, int],
) -> list[str]:
    """No step that closes no gap, counts towards nothing and enables nothing."""
    target = request.target
    members: set[str] = set()
    gaps: dict[str, int] = {}
    asked: set[str] = set()
    if target in catalogue.qualifications:
        rules = catalogue.qualifications[target].rules
        members.update(rules.required)
        for pool in rules.elective_pools:
            members.update(pool.credentials)
        members.update(
            r.credential
            for r in catalogue.recognitions.values()
            if r.kind == "credit-transfer" and r.towards_qualification == target and r.credential
        )
    elif target in catalogue.roles:
        role = catalogue.roles[target]
        gaps = {n.skill: n.level for n in role.required_skills if levels.get(n.skill, 0) < n.level}
        asked = set(role.asked_credentials)
    else:
        members.add(target)
    problems = []
    for step in steps:
        credential = credentials[step.id]
        if step.id in members or step.id in asked:
            continue
        if any(s.level >= gaps.get(s.skill, 99) for s in credential.skills):
            continue
        later = [credentials[s.id] for s in steps if s.start_week > step.end_week]
        enables = any(
            step.id in group.credentials
            or any(
                need.skill in {s.skill for s in credential.skills if s.level >= need.level}
                and levels.get(need.skill, 0) < need.level
                for need in group.skills
            )
            for other in later
            for group in other.prerequisites
        )
        if not enables:
            problems.append(f"{step.id}: closes no gap, counts towards nothing, enables nothing")
    return problems


def _declared_counting(catalogue: Catalogue, request: PlanRequest, result: PlanResult) -> list[str]:
    """The coverage table never counts a credential twice or beyond its credits or the cap."""
    qualification = catalogue.qualifications.get(request.target)
    if qualification is None:
        return []
    problems = []
    seen: dict[str, str] = {}
    transfer = 0.0
    for requirement in result.requirements:
        if requirement.kind not in ("required", "pool"):
            continue
        for counted in requirement.by:
            if counted.id in seen:
                problems.append(f"{counted.id} counted in {seen[counted.id]} and {requirement.id}")
            seen[counted.id] = requirement.id
            credential = catalogue.credentials.get(counted.id)
            if credential is not None and credential.provider != qualification.provider:
                transfer += counted.credits
    cap = qualification.rules.max_transfer_credits
    if cap is not None and transfer > cap + _EPS:
        problems.append(f"{transfer:g} transfer credits counted, over the cap of {cap:g}")
    return problems
