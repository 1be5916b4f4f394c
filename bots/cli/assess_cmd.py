"""``coach assess``: the guided skill self-assessment in the terminal.

The same state machine as Telegram and the web chat (``coach.assessment``); the
state is saved in the learner store after every answer, so a paused or
interrupted assessment resumes here or on any other channel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from bots.cli.output import EXIT_NEGATIVE, EXIT_OK, console, err_console, fail
from bots.settings import Settings, load_settings
from coach.answer import Answer
from coach.assessment import STATE_KEY, AssessmentResult, Step, advance, render_radar, start
from coach.errors import StoreError
from knowledge.embedding import Embedder, EmbeddingError, Vectors
from knowledge.errors import CatalogueError

DEFAULT_LEARNER = "cli"
RESULT_KEY = "assessment_result"
PROFILE_KEY = "profile"

#: Phases where a typed number is an answer (a level, a choice), not a button.
_NUMBERED_BY_MACHINE = ("choose_target", "asking")


class _LazyEmbedder:
    """Loads the embedding model on the first free-text answer (about 10 s)."""

    def __init__(self, model: str) -> None:
        self._model = model
        self._real: Embedder | None = None

    def _load(self) -> Embedder:
        if self._real is None:
            from knowledge.embedding import SentenceTransformerEmbedder

            err_console.print("[dim]Loading the language model to read your own words…[/]")
            self._real = SentenceTransformerEmbedder(self._model)
        return self._real

    @property
    def model_name(self) -> str:
        return self._model

    @property
    def dimension(self) -> int:
        return self._load().dimension

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        return self._load().encode(texts, batch_size=batch_size)


def _show(answer: Answer, phase: str, *, paused: bool = False) -> None:
    console.print()
    console.print(escape(answer.text))
    if paused:
        return
    if phase in _NUMBERED_BY_MACHINE:
        if phase == "asking":
            console.print("[dim]Type a number, your own words, or: skip, back, pause, finish.[/]")
        return
    for number, action in enumerate(answer.actions, start=1):
        console.print(f"  [bold]{number}[/]) {escape(action.label)}")


def _translate(text: str, step: Step) -> str:
    """A number picks a numbered button, except where the machine numbers itself."""
    actions = step.answer.actions
    if step.state.phase in _NUMBERED_BY_MACHINE:
        return text
    if text.isdigit() and 1 <= int(text) <= len(actions):
        return actions[int(text) - 1].payload
    return text


def _save_result(store: Any, learner_id: str, result: AssessmentResult) -> None:
    """Keep the result for the export and merge its estimates into the profile."""
    store.put_state(learner_id, RESULT_KEY, result.model_dump(mode="json"))
    profile = dict(store.get_state(learner_id, PROFILE_KEY) or {})
    skills = dict(profile.get("skills") or {})
    for estimate in result.estimates:
        skills[estimate.skill] = estimate.model_dump(mode="json")
    profile["skills"] = skills
    store.put_state(learner_id, PROFILE_KEY, profile)


def _print_result(result: AssessmentResult) -> None:
    table = Table(title=f"Skills for {result.target.title}")
    for column in ("Skill", "You", "Needed", "Gap", "Source"):
        table.add_column(column)
    sources = {e.skill: e.source for e in result.estimates}
    for gap in result.gaps:
        table.add_row(
            escape(gap.name) + (" *" if gap.essential else ""),
            "?" if gap.current is None else str(gap.current),
            str(gap.required),
            "?" if gap.gap is None else str(gap.gap),
            sources.get(gap.skill, "not assessed"),
        )
    console.print(table)
    console.print("[dim]* essential[/]")


def _chart(result: AssessmentResult, path: Path) -> None:
    attachment = render_radar(result, fmt="svg" if path.suffix.lower() == ".svg" else "png")
    try:
        path.write_bytes(attachment.data)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}", code=EXIT_NEGATIVE)
    console.print(f"Radar chart written to {path}", markup=False)


def _open(settings: Settings) -> Any:
    from coach.store import open_database

    try:
        return open_database(settings.resolved_database_url)
    except StoreError as exc:
        fail(str(exc), code=EXIT_NEGATIVE)


def assess(
    learner: str = typer.Option(DEFAULT_LEARNER, "--learner", help="Learner id."),
    target: str | None = typer.Option(
        None, "--target", help="Goal: a role, qualification or field (id or words)."
    ),
    mode: str = typer.Option("quick", "--mode", help="quick (at most 12 questions) or thorough."),
    follow_up: bool = typer.Option(False, "--follow-up", help="Ask how sure you are."),
    restart: bool = typer.Option(False, "--restart", help="Discard saved progress."),
    chart: Path | None = typer.Option(
        None, "--chart", help="Write the radar chart to FILE.png or FILE.svg at the end."
    ),
) -> None:
    """Find where you stand: a guided skill self-assessment towards a goal."""
    from coach.store.ports import check_learner_id
    from knowledge.loading import load_catalogue

    if mode not in ("quick", "thorough"):
        fail("--mode must be quick or thorough")
    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        fail("--chart must end in .png or .svg")
    try:
        learner_id = check_learner_id(learner)
    except ValueError as exc:
        fail(str(exc))
    settings = load_settings()
    try:
        catalogue = load_catalogue(settings.catalogue)
    except CatalogueError as exc:
        fail(f"cannot load the catalogue: {exc}")
    store = _open(settings)
    # the edge of the program: the one place the assessment's "today" comes from the clock
    today = dt.date.today()
    embedder = _LazyEmbedder(settings.embedding_model)
    try:
        store.ensure_learner(learner_id)
        saved = None if restart else store.get_state(learner_id, STATE_KEY)
        if saved and saved.get("phase") not in (None, "done") and target is None:
            err_console.print("[dim]Resuming your saved assessment.[/]")
            step = advance(catalogue, saved, "assess:resume", today=today)
        else:
            holdings = store.holdings(learner_id)
            step = start(
                catalogue,
                target,
                mode=mode,  # type: ignore[arg-type]
                holdings=holdings,
                today=today,
                follow_up=follow_up,
            )
        store.put_state(learner_id, STATE_KEY, step.state.model_dump(mode="json"))
        while not step.done:
            _show(step.answer, step.state.phase, paused=step.state.paused)
            if step.state.paused:
                console.print("Saved. Run `coach assess` again to continue.", markup=False)
                raise typer.Exit(EXIT_OK)
            try:
                message = console.input("[bold green]you>[/] ")
            except (EOFError, KeyboardInterrupt):
                console.print()
                console.print("Saved. Run `coach assess` again to continue.", markup=False)
                raise typer.Exit(EXIT_OK) from None
            text = _translate(message.strip(), step)
            try:
                step = advance(catalogue, step.state, text, today=today, embedder=embedder)
            except EmbeddingError as exc:
                err_console.print(f"[yellow]{escape(str(exc))}; please pick a number.[/]")
                continue
            store.put_state(learner_id, STATE_KEY, step.state.model_dump(mode="json"))
        console.print()
        console.print(escape(step.answer.text))
        if step.result is not None:
            _save_result(store, learner_id, step.result)
            _print_result(step.result)
            if chart is not None:
                _chart(step.result, chart)
    except StoreError as exc:
        fail(str(exc), code=EXIT_NEGATIVE)
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    app.command("assess")(assess)
