"""Reasons for each step and the requirement-by-requirement coverage table."""

from __future__ import annotations

from coach.planner.model import Selection
from coach.planner.problem import Problem, Slot
from coach.planner.result import Counted, PlanStep, Requirement
from coach.planner.schedule import Placed
from knowledge.schema import Catalogue


def _skill_name(catalogue: Catalogue, skill: str) -> str:
    entry = catalogue.skills.get(skill)
    return entry.name if entry is not None else skill


def _slot_rule(slot: Slot, problem: Problem) -> str:
    if slot.kind == "required":
        return f"required by the stacking rules of {problem.title} ({problem.target})"
    if slot.kind == "pool":
        needs = []
        if slot.min_count:
            needs.append(f"{slot.min_count} credential(s)")
        if slot.min_credits:
            needs.append(f"{slot.min_credits:g} credits")
        return f"elective in pool '{slot.title}' ({slot.id[5:]}), which needs {' and '.join(needs)}"
    return f"accepted for credit transfer towards {problem.title} ({slot.id[9:]})"


def steps(
    catalogue: Catalogue, problem: Problem, selection: Selection, placed: list[Placed]
) -> list[PlanStep]:
    """One step per placed credential, each with its reason and citations."""
    slot_of: dict[str, tuple[Slot, float]] = {}
    slots = {slot.id: slot for slot in problem.slots}
    for slot_id, members in selection.assignment.items():
        for member, credits in members:
            slot_of[member] = (slots[slot_id], credits)
    enables: dict[str, list[str]] = {}
    needs: dict[str, list[str]] = {}
    for before, after in selection.edges:
        enables.setdefault(before, []).append(after)
        needs.setdefault(after, []).append(before)
    result = []
    for place in placed:
        item = problem.items[place.id]
        reasons: list[str] = []
        satisfies: list[str] = []
        cites = [item.id]
        if place.id in slot_of:
            slot, credits = slot_of[place.id]
            counted = f", counting {credits:g} credits" if credits else ""
            reasons.append(f"{_slot_rule(slot, problem)}{counted}")
            satisfies.append(slot.id)
            cites.append(problem.target)
            if slot.kind == "transfer":
                cites.append(slot.id[9:])
            if problem.max_transfer_credits is not None and place.id in problem.transfer_ids:
                reasons.append(
                    f"transfer credit from another provider (cap {problem.max_transfer_credits:g})"
                )
        for gap in problem.gaps:
            level = item.skills.get(gap.skill, 0)
            if level >= gap.level:
                tag = "essential skill" if gap.essential else "skill"
                reasons.append(
                    f"closes the {tag} gap in {_skill_name(catalogue, gap.skill)} "
                    f"(level {gap.current} -> {level}, {problem.title} needs {gap.level})"
                )
                satisfies.append(f"skill:{gap.skill}")
                cites.append(gap.skill)
        if place.id in problem.asked:
            reasons.append(f"employers ask for it for {problem.title}")
            satisfies.append(f"asked:{place.id}")
            cites.append(problem.target)
        for later in sorted(enables.get(place.id, ())):
            reasons.append(f"prerequisite of {problem.items[later].title} ({later})")
        if needs.get(place.id):
            reasons.append("comes after " + ", ".join(sorted(needs[place.id])))
        if item.recognition:
            records = [r.id for r in catalogue.recognitions_by_subject.get(item.id, ())]
            cites.extend(records)
        result.append(
            PlanStep(
                id=item.id,
                title=item.title,
                provider=item.provider,
                cost=item.cost,
                currency=item.currency,
                hours=item.hours,
                credits=item.credits,
                start_week=place.start_week,
                end_week=place.end_week,
                hours_per_week=place.hours_per_week,
                reason="; ".join(reasons) + ".",
                skills_gained=tuple(sorted(item.skills.items())),
                satisfies=tuple(satisfies),
                enables=tuple(sorted(enables.get(place.id, ()))),
                after=tuple(sorted(needs.get(place.id, ()))),
                cites=tuple(dict.fromkeys(cites)),
            )
        )
    return result


def requirements(
    catalogue: Catalogue, problem: Problem, selection: Selection | None
) -> list[Requirement]:
    """Coverage table: each requirement met by the wallet, by the plan, or unmet."""
    chosen = set(selection.chosen) if selection else set()
    if problem.kind == "role":
        return _role_requirements(catalogue, problem, chosen)
    return _slot_requirements(problem, selection)


def _role_requirements(
    catalogue: Catalogue, problem: Problem, chosen: set[str]
) -> list[Requirement]:
    rows = []
    for skill, level in problem.met_skills:
        rows.append(
            Requirement(
                id=f"skill:{skill}",
                kind="skill",
                description=f"{_skill_name(catalogue, skill)} at level {level}",
                status="met-by-wallet",
                by=(Counted(id=skill, source="profile"),),
                needed=level,
                reached=problem.skill_levels.get(skill, 0),
            )
        )
    for gap in problem.gaps:
        by = tuple(
            Counted(id=c, source="plan")
            for c in sorted(chosen)
            if problem.items[c].skills.get(gap.skill, 0) >= gap.level
        )
        reached = max(
            [problem.items[c.id].skills[gap.skill] for c in by] + [gap.current], default=0
        )
        rows.append(
            Requirement(
                id=f"skill:{gap.skill}",
                kind="skill",
                description=f"{_skill_name(catalogue, gap.skill)} at level {gap.level}"
                + (" (essential)" if gap.essential else ""),
                status="met-by-plan" if by else "unmet",
                by=by,
                needed=gap.level,
                reached=reached,
            )
        )
    role = catalogue.roles[problem.target]
    for cid in role.asked_credentials:
        held = cid in problem.held
        status = "met-by-wallet" if held else "met-by-plan" if cid in chosen else "unmet"
        source = "wallet" if held else "plan"
        rows.append(
            Requirement(
                id=f"asked:{cid}",
                kind="asked",
                description=f"asked for by employers: {catalogue.title_of(cid) or cid} (a bonus)",
                status=status,
                mandatory=False,
                by=(Counted(id=cid, source=source),) if status != "unmet" else (),
            )
        )
    return rows


def _slot_requirements(problem: Problem, selection: Selection | None) -> list[Requirement]:
    rows = []
    assignment = selection.assignment if selection else {}
    total_wallet = total_plan = transfer = 0.0
    for slot in problem.slots:
        counted = assignment.get(slot.id)
        if counted is None and selection is None:
            counted = [
                (m, problem.held[m].credits)
                for m in slot.members
                if m in problem.held and problem.held[m].counts
            ]
        counted = counted or []
        by = tuple(
            Counted(id=m, source="wallet" if m in problem.held else "plan", credits=credits)
            for m, credits in counted
        )
        for entry in by:
            if entry.source == "wallet":
                total_wallet += entry.credits
            else:
                total_plan += entry.credits
            if entry.id in problem.transfer_ids:
                transfer += entry.credits
        credits = sum(entry.credits for entry in by)
        if slot.kind == "required":
            met = bool(by)
            needed: float = 1
            reached: float = len(by)
            description = f"required: {slot.title} ({slot.members[0]})"
            held = problem.held.get(slot.members[0])
            if held is not None and not held.counts:
                description += f"; the held one does not count: {held.why_not}"
        elif slot.kind == "pool":
            met = len(by) >= slot.min_count and credits + 1e-9 >= slot.min_credits
            needed = slot.min_credits or slot.min_count
            reached = credits if slot.min_credits else len(by)
            parts = []
            if slot.min_count:
                parts.append(f"at least {slot.min_count} credential(s)")
            if slot.min_credits:
                parts.append(f"at least {slot.min_credits:g} credits")
            description = f"elective pool {slot.title}: " + " and ".join(parts)
        else:
            if not by:
                continue  # an unused credit-transfer route is no requirement
            met, needed, reached = True, 0, credits
            description = f"credit transfer: {slot.title}"
        status = "unmet"
        if met:
            status = "met-by-plan" if any(e.source == "plan" for e in by) else "met-by-wallet"
        kind = "required" if slot.kind == "required" else "pool"
        rows.append(
            Requirement(
                id=slot.id,
                kind=kind,
                description=description,
                status=status,
                by=by,
                needed=needed,
                reached=reached,
            )
        )
    if problem.min_total_credits:
        total = total_wallet + total_plan
        met = total + 1e-9 >= problem.min_total_credits
        status = (
            "unmet"
            if not met
            else "met-by-plan"
            if total_wallet + 1e-9 < problem.min_total_credits
            else "met-by-wallet"
        )
        rows.append(
            Requirement(
                id="credits:total",
                kind="total-credits",
                description=f"at least {problem.min_total_credits:g} credits in all",
                status=status,
                needed=problem.min_total_credits,
                reached=round(total, 2),
            )
        )
    if problem.max_transfer_credits is not None:
        rows.append(
            Requirement(
                id="credits:transfer-cap",
                kind="transfer-cap",
                description=f"at most {problem.max_transfer_credits:g} transfer credits counted",
                status="met-by-plan" if selection else "met-by-wallet",
                needed=problem.max_transfer_credits,
                reached=round(transfer, 2),
            )
        )
    return rows
