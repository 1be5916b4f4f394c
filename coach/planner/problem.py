"""Turns a catalogue, a request and a profile into a planning problem of plain numbers.

The problem holds what every planner (CP-SAT, greedy, exhaustive) works on:

* ``items``: credentials the learner could add (not held, passing the request's
  filters, relevant to the target or needed by a relevant one's prerequisites);
* ``held``: what the wallet already brings, with whether it may count for the target
  (recency window and minimum level of the qualification);
* ``slots``: the target's requirements (required credentials, elective pools,
  credit-transfer records) or, for a role, the skill gaps.

Scheduling model (documented here because costs in weeks depend on it): credentials
run one after another; a self-paced credential takes ``ceil(hours / hours_per_week)``
weeks at up to the learner's weekly capacity; a cohort credential takes its
``duration_weeks`` (rounded up) and needs ``hours / weeks`` per week, so it is left
out when that exceeds the capacity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from coach.planner.filters import filter_reason, recognition_score, weeks_for
from coach.planner.request import PlanRequest
from coach.profile import Profile
from knowledge.schema import Catalogue, PrerequisiteGroup

#: Extra score for a credential a role's employers ask for.
ASKED_BONUS = 6

CREDIT_SCALE = 100  # credits are counted in hundredths inside the integer model


@dataclass(frozen=True)
class Item:
    """A credential the plan may add, in the units the models use."""

    id: str
    title: str
    provider: str
    cost: float
    currency: str
    hours: float
    weeks: int
    credits: float
    eqf: int | None
    skills: dict[str, int]
    prerequisites: tuple[PrerequisiteGroup, ...]
    recognition: int
    preferred: bool


@dataclass(frozen=True)
class Held:
    """A credential in the wallet and whether it can count for the target."""

    id: str
    earned_on: dt.date
    credits: float
    counts: bool
    why_not: str = ""


@dataclass(frozen=True)
class Slot:
    """A qualification requirement credentials are assigned to (each to one slot only)."""

    id: str
    kind: str  # "required" | "pool" | "transfer"
    title: str
    members: tuple[str, ...]
    min_count: int = 0
    min_credits: float = 0.0
    #: credits a member counts in this slot (credit-transfer records set their own)
    credits_override: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Gap:
    """A role skill the learner is below: level needed, current level, importance."""

    skill: str
    level: int
    current: int
    essential: bool

    @property
    def impact(self) -> int:
        return (self.level - self.current) * (2 if self.essential else 1)


@dataclass
class Problem:
    """Everything a planner needs, with no catalogue lookups left to do."""

    target: str
    kind: str  # "qualification" | "role" | "credential"
    title: str
    request: PlanRequest
    items: dict[str, Item]
    held: dict[str, Held]
    skill_levels: dict[str, int]
    slots: tuple[Slot, ...] = ()
    min_total_credits: float = 0.0
    max_transfer_credits: float | None = None
    transfer_ids: frozenset[str] = frozenset()
    eligible: frozenset[str] = frozenset()  # may count for the qualification (min level)
    award_fee: float = 0.0
    gaps: tuple[Gap, ...] = ()
    met_skills: tuple[tuple[str, int], ...] = ()  # role skills already at level
    asked: tuple[str, ...] = ()
    excluded: dict[str, str] = field(default_factory=dict)  # credential id -> filter

    def credits_of(self, cid: str) -> float:
        if cid in self.held:
            return self.held[cid].credits
        item = self.items.get(cid)
        return item.credits if item is not None else 0.0

    def available(self, cid: str) -> bool:
        """Held and countable, or plannable."""
        held = self.held.get(cid)
        return (held is not None and held.counts) or cid in self.items


def _held(catalogue: Catalogue, profile: Profile, today: dt.date) -> dict[str, Held]:
    held: dict[str, Held] = {}
    for holding in sorted(profile.holdings, key=lambda h: h.earned_on, reverse=True):
        if holding.credential_id in held or not holding.verified:
            continue  # the most recent verified award counts; unverified badges prove nothing
        credential = catalogue.credentials.get(holding.credential_id)
        credits = holding.credits
        if credits is None:
            credits = (credential.workload.credits or 0.0) if credential is not None else 0.0
        held[holding.credential_id] = Held(holding.credential_id, holding.earned_on, credits, True)
    return held


def _levels(catalogue: Catalogue, profile: Profile, held: dict[str, Held]) -> dict[str, int]:
    levels = {skill: est.level for skill, est in profile.skills.items()}
    for cid in held:
        credential = catalogue.credentials.get(cid)
        for taught in credential.skills if credential is not None else ():
            levels[taught.skill] = max(levels.get(taught.skill, 0), taught.level)
    return levels


def _years_between(earlier: dt.date, later: dt.date) -> float:
    return (later - earlier).days / 365.25


def build_problem(
    catalogue: Catalogue,
    request: PlanRequest,
    profile: Profile,
    *,
    today: dt.date,
    relevant: set[str] | None = None,
) -> Problem | None:
    """The problem for ``request``, or None when the target id is not in the catalogue."""
    target = request.target
    held = _held(catalogue, profile, today)
    levels = _levels(catalogue, profile, held)
    if target in catalogue.qualifications:
        qualification = catalogue.qualifications[target]
        problem = Problem(target, "qualification", qualification.title, request, {}, held, levels)
        _qualification(catalogue, problem, today)
    elif target in catalogue.roles:
        role = catalogue.roles[target]
        problem = Problem(target, "role", role.title, request, {}, held, levels)
        gaps, met = [], []
        for need in role.required_skills:
            current = levels.get(need.skill, 0)
            if current >= need.level:
                met.append((need.skill, need.level))
            else:
                gaps.append(Gap(need.skill, need.level, current, need.essential))
        problem.gaps = tuple(gaps)
        problem.met_skills = tuple(met)
        problem.asked = tuple(cid for cid in role.asked_credentials if cid not in held)
    elif target in catalogue.credentials:
        credential = catalogue.credentials[target]
        problem = Problem(target, "credential", credential.title, request, {}, held, levels)
        problem.slots = (Slot(f"required:{target}", "required", credential.title, (target,), 1),)
        problem.eligible = frozenset({target})
    else:
        return None
    _collect_items(catalogue, problem, today, relevant)
    return problem


def _qualification(catalogue: Catalogue, problem: Problem, today: dt.date) -> None:
    qualification = catalogue.qualifications[problem.target]
    rules = qualification.rules
    slots: list[Slot] = []
    required = set(rules.required)
    for cid in rules.required:
        slots.append(Slot(f"required:{cid}", "required", catalogue.title_of(cid) or cid, (cid,), 1))
    for pool in rules.elective_pools:
        members = tuple(cid for cid in pool.credentials if cid not in required)
        slots.append(
            Slot(
                f"pool:{pool.id}",
                "pool",
                pool.title or pool.id,
                members,
                pool.min_count or 0,
                pool.min_credits or 0.0,
            )
        )
    counted: set[str] = {cid for slot in slots for cid in slot.members}
    for record in catalogue.recognitions.values():
        if (
            record.kind == "credit-transfer"
            and record.towards_qualification == qualification.id
            and record.credential
            and record.credential not in counted
            and record.outcome != "refused"
            and record.is_current(today)
        ):
            credential = catalogue.credentials.get(record.credential)
            credits = record.credits
            if credits is None:
                credits = (credential.workload.credits or 0.0) if credential else 0.0
            slots.append(
                Slot(
                    f"transfer:{record.id}",
                    "transfer",
                    record.detail,
                    (record.credential,),
                    credits_override={record.credential: credits},
                )
            )
            counted.add(record.credential)
    problem.slots = tuple(slots)
    problem.min_total_credits = rules.min_total_credits or 0.0
    problem.max_transfer_credits = rules.max_transfer_credits
    problem.award_fee = qualification.award_fee.amount if qualification.award_fee else 0.0
    transfer_only = {slot.members[0] for slot in slots if slot.kind == "transfer"}
    problem.transfer_ids = frozenset(
        cid
        for cid in counted
        if cid in transfer_only
        or (
            cid in catalogue.credentials
            and catalogue.credentials[cid].provider != qualification.provider
        )
    )
    eligible = set()
    for cid in counted:
        credential = catalogue.credentials.get(cid)
        if credential is None:
            continue
        too_low = credential.eqf_level is None or credential.eqf_level < (rules.min_level or 0)
        if rules.min_level and cid not in transfer_only and too_low:
            continue
        eligible.add(cid)
    problem.eligible = frozenset(eligible)
    for cid, holding in list(problem.held.items()):
        if cid not in counted:
            continue
        why_not = ""
        if rules.recency_years and _years_between(holding.earned_on, today) > rules.recency_years:
            why_not = (
                f"earned {holding.earned_on.isoformat()}, outside the "
                f"{rules.recency_years}-year recency window"
            )
        elif cid not in eligible:
            why_not = f"below the minimum EQF level {rules.min_level}"
        if why_not:
            problem.held[cid] = Held(cid, holding.earned_on, holding.credits, False, why_not)


def _collect_items(
    catalogue: Catalogue, problem: Problem, today: dt.date, relevant: set[str] | None
) -> None:
    """Relevant credentials plus, transitively, those their prerequisites may need."""
    request = problem.request
    seeds: set[str] = set()
    if problem.kind == "role":
        gap_levels = {gap.skill: gap.level for gap in problem.gaps}
        for credential in catalogue.credentials.values():
            if any(
                taught.level >= gap_levels.get(taught.skill, 99) for taught in credential.skills
            ):
                seeds.add(credential.id)
        seeds.update(problem.asked)
    else:
        seeds.update(cid for cid in problem.eligible)
    if relevant is not None:
        seeds &= relevant
    teachers: dict[str, list[tuple[int, str]]] | None = None
    queue = sorted(seeds)
    seen: set[str] = set()
    while queue:
        cid = queue.pop()
        if cid in seen or cid in problem.held:
            continue
        seen.add(cid)
        entry = catalogue.credentials.get(cid)
        if entry is None:
            continue
        credential = entry
        reason = filter_reason(catalogue, credential, request, today)
        if reason is not None:
            problem.excluded[cid] = reason
            continue
        weeks = weeks_for(credential, request.hours_per_week)
        assert weeks is not None
        problem.items[cid] = Item(
            id=cid,
            title=credential.title,
            provider=credential.provider,
            cost=credential.price.amount,
            currency=credential.price.currency,
            hours=credential.workload.hours,
            weeks=weeks,
            credits=credential.workload.credits or 0.0,
            eqf=credential.eqf_level,
            skills={s.skill: s.level for s in credential.skills},
            prerequisites=credential.prerequisites,
            recognition=recognition_score(catalogue, credential, today)
            + (ASKED_BONUS if cid in problem.asked else 0),
            preferred=credential.provider in request.providers_prefer,
        )
        for group in credential.prerequisites:
            queue.extend(d for d in group.credentials if d not in seen)
            for need in group.skills:
                if problem.skill_levels.get(need.skill, 0) >= need.level:
                    continue
                if teachers is None:
                    teachers = _teachers(catalogue)
                queue.extend(
                    t
                    for level, t in teachers.get(need.skill, ())
                    if level >= need.level and t not in seen
                )


def _teachers(catalogue: Catalogue) -> dict[str, list[tuple[int, str]]]:
    index: dict[str, list[tuple[int, str]]] = {}
    for credential in catalogue.credentials.values():
        for taught in credential.skills:
            index.setdefault(taught.skill, []).append((taught.level, credential.id))
    return index
