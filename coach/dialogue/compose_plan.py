"""A plan in words, from the planner's ``PlanResult``."""

from __future__ import annotations

from coach.answer import Action, Answer, Citation
from coach.dialogue.compose_info import cite, money
from coach.dialogue.state import Constraints
from coach.planner import PlanResult
from knowledge.schema import Catalogue


def _constraints_line(constraints: Constraints) -> str:
    parts = []
    if constraints.budget is not None:
        parts.append(
            f"budget {constraints.budget:g}"
            + (f" {constraints.currency}" if constraints.currency else "")
        )
    if constraints.hours_per_week is not None:
        parts.append(f"{constraints.hours_per_week:g} hours a week")
    if constraints.weeks is not None:
        parts.append(f"within {constraints.weeks:g} weeks")
    if constraints.objective is not None:
        parts.append(f"optimised for {constraints.objective}")
    return ("With " + ", ".join(parts) + ".") if parts else ""


def plan_answer(catalogue: Catalogue, plan: PlanResult, constraints: Constraints) -> Answer:
    """Steps with cost, hours and weeks, totals, and why; or why no plan fits."""
    target = plan.target
    title = plan.target_title or catalogue.title_of(target) or target
    citations: list[Citation] = []
    if target and catalogue.title_of(target):
        citations.append(cite(catalogue, target))
    lines: list[str] = []
    head = _constraints_line(constraints)
    if plan.status == "already-reached":
        lines.append(f"You already meet the requirements for {title}.")
    elif plan.status == "unknown-target":
        lines.append(f"I could not find {target!r} in the catalogue.")
    elif not plan.feasible:
        lines.append(f"No plan to {title} fits. {plan.infeasible_reason or ''}".strip())
        if head:
            lines.append(head)
        for relax in plan.relaxations:
            lines.append(f"- It would work with {relax.text()}.")
    else:
        lines.append(f"Plan to {title}:" + (f" {head}" if head else ""))
        for number, step in enumerate(plan.steps, start=1):
            lines.append(
                f"{number}. {step.title} (weeks {step.start_week}-{step.end_week}): "
                f"{money(step.cost, step.currency)}, "
                f"{step.hours:g} hours"
                + (f", {step.credits:g} credits" if step.credits else "")
                + f". {step.reason}".rstrip()
            )
            citations.append(cite(catalogue, step.id))
        totals = plan.totals
        currency = plan.steps[0].currency if plan.steps else "EUR"
        lines.append(
            f"Total: {money(totals.cost, currency)}, "
            f"{totals.hours:g} hours over {totals.weeks} weeks"
            + (f", {totals.credits:g} credits." if totals.credits else ".")
        )
        for alternative in plan.alternatives[:2]:
            lines.append(f"Alternative ({alternative.objective}): {alternative.tradeoff}")
    for note in plan.notes[:3]:
        lines.append(f"Note: {note}")
    actions = (
        Action(label="Cheaper", payload="plan:objective:cheapest"),
        Action(label="Faster", payload="plan:objective:fastest"),
        Action(label="Most recognised", payload="plan:objective:recognized"),
        Action(label="Assess my skills", payload=f"assess:start:{target}"),
    )
    return Answer(text="\n".join(lines), intent="plan", citations=tuple(citations), actions=actions)
