"""``coach plan``: the best stacking sequence to a target, and why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from bots.cli.output import EXIT_BAD_INPUT, EXIT_NEGATIVE, console, emit_json, fail
from bots.settings import load_settings
from coach.errors import CoachError, PlanningError
from coach.planner import PlanRequest, PlanResult, make_plan, resolve_target
from coach.planner.picture import png, svg
from coach.profile import Profile, SkillEstimate
from knowledge.errors import CatalogueError
from knowledge.loading import load_catalogue
from knowledge.schema import Catalogue

#: A text target resolves on its own only when it scores this much and clearly beats the next.
_SURE = 90.0
_MARGIN = 5.0


def _target(catalogue: Catalogue, text: str, as_json: bool) -> str:
    """The target id for ``text``, or exit 2 listing the candidates."""
    candidates = resolve_target(catalogue, text)
    if candidates:
        best = candidates[0]
        clear = len(candidates) == 1 or best.score - candidates[1].score >= _MARGIN
        if best.score >= _SURE and clear:
            return best.id
    if as_json:
        emit_json(
            {
                "error": f"unknown or ambiguous target {text!r}",
                "candidates": [
                    {"id": c.id, "title": c.title, "kind": c.kind, "score": c.score}
                    for c in candidates
                ],
            }
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    listed = ", ".join(f"{c.id} ({c.title})" for c in candidates) or "none"
    fail(f"unknown or ambiguous target {text!r}; candidates: {listed}")


def _learner_profile(learner: str | None) -> Profile:
    """Holdings from the wallet store; skill levels from the learner's saved profile."""
    if learner is None:
        return Profile(learner_id="anonymous")
    from coach.store import open_database

    store = open_database(load_settings().resolved_database_url)
    holdings = tuple(store.holdings(learner))
    skills: dict[str, SkillEstimate] = {}
    # the assessment keeps {"skills": {skill id: SkillEstimate}} under the "profile" key
    state: dict[str, Any] = store.get_state(learner, "profile") or {}
    raw = state.get("skills")
    for skill, value in (raw if isinstance(raw, dict) else {}).items():
        try:
            skills[skill] = SkillEstimate.model_validate(value)
        except ValueError:
            continue  # one bad entry must not cost the learner the plan
    return Profile(learner_id=learner, skills=skills, holdings=holdings)


def _human(result: PlanResult) -> None:
    """The plan as text for a terminal."""
    console.print(f"[bold]Plan to {result.target_title} ({result.target})[/], {result.objective}")
    if not result.feasible:
        console.print(f"[red]No plan fits:[/] {result.infeasible_reason}")
        for relax in result.relaxations:
            console.print(f"  relax: {relax.text()}")
    for step in result.steps:
        console.print(
            f"  weeks {step.start_week:>3}-{step.end_week:<3} {step.id}: {step.title} "
            f"({step.cost:g} {step.currency}, {step.hours:g} h)"
        )
        console.print(f"      why: {step.reason}", style="dim")
    totals = result.totals
    if result.feasible:
        console.print(
            f"Total: {totals.cost:g}, {totals.hours:g} h, {totals.weeks} weeks, "
            f"{totals.credits:g} credits"
        )
    for req in result.requirements:
        console.print(f"  [{req.status}] {req.description}", markup=False)
    for alt in result.alternatives:
        console.print(f"  alternative ({alt.objective}): {', '.join(alt.steps)}: {alt.tradeoff}")
    for note in result.notes:
        console.print(f"  note: {note}")


def plan(
    target: Annotated[str, typer.Option("--target", help="Qualification or role: id or text.")],
    learner: Annotated[str | None, typer.Option("--learner", help="Learner id.")] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="Most to spend.")] = None,
    hours_per_week: Annotated[
        float | None,
        typer.Option(
            "--hours-per-week", help="Study capacity (unset: no limit; self-paced at 10 h)."
        ),
    ] = None,
    weeks: Annotated[int | None, typer.Option("--weeks", help="Deadline in weeks.")] = None,
    objective: Annotated[
        str, typer.Option("--objective", help="cheapest, fastest, recognized or balanced.")
    ] = "balanced",
    max_credentials: Annotated[
        int | None, typer.Option("--max-credentials", help="Most new credentials.")
    ] = None,
    modality: Annotated[
        str | None, typer.Option("--modality", help="online, onsite or blended.")
    ] = None,
    language: Annotated[str | None, typer.Option("--language", help="e.g. en.")] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Only recognised there, e.g. DE.")
    ] = None,
    prefer: Annotated[
        list[str] | None, typer.Option("--prefer", help="Provider id to prefer (repeatable).")
    ] = None,
    avoid: Annotated[
        list[str] | None, typer.Option("--avoid", help="Provider id to avoid (repeatable).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    picture: Annotated[
        Path | None, typer.Option("--picture", help="Write the pathway to FILE.svg or FILE.png.")
    ] = None,
) -> None:
    """The best sequence of credentials to reach a target, with reasons."""
    if picture is not None and picture.suffix.lower() not in (".svg", ".png"):
        fail("--picture must end in .svg or .png", as_json=as_json)
    try:
        catalogue = load_catalogue(load_settings().catalogue)
    except CatalogueError as exc:
        fail(f"cannot load the catalogue: {exc}", as_json=as_json)
    target_id = _target(catalogue, target, as_json)
    fields: dict[str, Any] = {"target": target_id, "objective": objective}
    for name, value in (
        ("budget", budget),
        ("hours_per_week", hours_per_week),
        ("weeks", weeks),
        ("max_credentials", max_credentials),
        ("modality", modality),
        ("language", language),
        ("country", country),
        ("providers_prefer", tuple(prefer) if prefer else None),
        ("providers_avoid", tuple(avoid) if avoid else None),
    ):
        if value is not None:
            fields[name] = value
    try:
        request = PlanRequest.parse(**fields)
        profile = _learner_profile(learner)
        # the edge of the program: the one place the planner's "today" comes from the clock
        result = make_plan(catalogue, request, profile, today=dt.date.today())
    except PlanningError as exc:
        fail(str(exc), as_json=as_json)
    except CoachError as exc:
        fail(f"cannot read the learner: {exc}", as_json=as_json)
    if picture is not None:
        if picture.suffix.lower() == ".svg":
            picture.write_text(svg(result), encoding="utf-8")
        else:
            picture.write_bytes(png(result))
    if as_json:
        emit_json(result.to_contract())
    else:
        _human(result)
    if not result.feasible:
        raise typer.Exit(EXIT_NEGATIVE)


def register(app: typer.Typer) -> None:
    """Add ``coach plan``."""
    app.command("plan")(plan)
