"""A plan in words, from the planner's contract object (``PlanResult.to_contract()``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coach.answer import Action, Answer, Citation
from coach.dialogue.compose_info import cite, money
from coach.dialogue.state import Constraints
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


def plan_answer(catalogue: Catalogue, plan: Mapping[str, Any], constraints: Constraints) -> Answer:
    """Steps with cost, hours and weeks, totals, and why; or why no plan fits."""
    target = str(plan.get("target", ""))
    title = plan.get("target_title") or catalogue.title_of(target) or target
    citations: list[Citation] = []
    if target and catalogue.title_of(target):
        citations.append(cite(catalogue, target))
    lines: list[str] = []
    head = _constraints_line(constraints)
    status = plan.get("status")
    if status == "already-reached":
        lines.append(f"You already meet the requirements for {title}.")
    elif status == "unknown-target":
        lines.append(f"I could not find {target!r} in the catalogue.")
    elif not plan.get("feasible"):
        lines.append(f"No plan to {title} fits. {plan.get('infeasible_reason') or ''}".strip())
        if head:
            lines.append(head)
        for relax in plan.get("relaxations", []):
            lines.append(f"- It would work with {relax.get('text')}.")
    else:
        lines.append(f"Plan to {title}:" + (f" {head}" if head else ""))
        for number, step in enumerate(plan.get("steps", []), start=1):
            lines.append(
                f"{number}. {step['title']} (weeks {step['start_week']}-{step['end_week']}): "
                f"{money(float(step['cost']), str(step.get('currency', 'EUR')))}, "
                f"{float(step['hours']):g} hours"
                + (f", {float(step['credits']):g} credits" if step.get("credits") else "")
                + f". {step.get('reason', '')}".rstrip()
            )
            citations.append(cite(catalogue, step["id"]))
        totals = plan.get("totals", {})
        currency = plan.get("steps", [{}])[0].get("currency", "EUR") if plan.get("steps") else "EUR"
        lines.append(
            f"Total: {money(float(totals.get('cost', 0)), currency)}, "
            f"{float(totals.get('hours', 0)):g} hours over {totals.get('weeks', 0)} weeks"
            + (f", {float(totals.get('credits', 0)):g} credits." if totals.get("credits") else ".")
        )
        for alternative in plan.get("alternatives", [])[:2]:
            lines.append(
                f"Alternative ({alternative.get('objective')}): {alternative.get('tradeoff')}"
            )
    for note in plan.get("notes", [])[:3]:
        lines.append(f"Note: {note}")
    actions = (
        Action(label="Cheaper", payload="plan:objective:cheapest"),
        Action(label="Faster", payload="plan:objective:fastest"),
        Action(label="Most recognised", payload="plan:objective:recognized"),
        Action(label="Assess my skills", payload=f"assess:start:{target}"),
    )
    return Answer(text="\n".join(lines), intent="plan", citations=tuple(citations), actions=actions)
