"""``coach ask`` (one turn) and ``coach chat`` (the full coach in the terminal)."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape

from bots.cli.output import EXIT_BAD_INPUT, console, emit_json, err_console, fail
from bots.settings import load_settings
from coach.answer import Answer

DEFAULT_LEARNER = "cli"


def _coach(as_json: bool) -> Any:
    from bots.wiring import build_coach
    from knowledge.errors import CatalogueError

    try:
        return build_coach(load_settings())
    except CatalogueError as exc:
        fail(f"cannot load the catalogue: {exc}", as_json=as_json)
    except RuntimeError as exc:
        fail(str(exc), as_json=as_json)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The ``coach ask --json`` object."""
    return {
        "text": answer.text,
        "intent": answer.intent,
        "citations": [{"id": c.id, "title": c.title, "url": c.url} for c in answer.citations],
    }


def _print(answer: Answer) -> None:
    console.print(escape(answer.text))
    if answer.citations:
        sources = ", ".join(
            f"{c.title} [{c.id}]" + (f" {c.url}" if c.url else "") for c in answer.citations
        )
        console.print(f"[dim]Sources: {escape(sources)}[/]")
    for attachment in answer.attachments:
        console.print(f"[dim](picture: {escape(attachment.alt)})[/]")
    for number, action in enumerate(answer.actions, start=1):
        console.print(f"  [bold]{number}[/]) {escape(action.label)}")


def ask(
    question: str = typer.Argument(..., help="What to ask the coach."),
    learner: str = typer.Option(DEFAULT_LEARNER, "--learner", help="Learner id."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Ask the coach one question."""
    if not question.strip():
        fail("the question is empty", code=EXIT_BAD_INPUT, as_json=as_json)
    coach = _coach(as_json)
    answer = coach.respond(learner, question)
    if as_json:
        emit_json(answer_json(answer))
    else:
        _print(answer)


def chat(
    learner: str = typer.Option(DEFAULT_LEARNER, "--learner", help="Learner id."),
) -> None:
    """Talk to the coach; type a number to pick a quick reply, 'quit' to leave."""
    coach = _coach(False)
    err_console.print("[dim]Stackwise coach. Type 'quit' to leave.[/]")
    actions: tuple[Any, ...] = ()
    while True:
        try:
            message = console.input("[bold green]you>[/] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        text = message.strip()
        if text.lower() in ("quit", "exit", "/quit"):
            return
        if text.isdigit() and 1 <= int(text) <= len(actions):
            text = actions[int(text) - 1].payload
        answer = coach.respond(learner, text)
        _print(answer)
        actions = answer.actions


def register(app: typer.Typer) -> None:
    app.command("ask")(ask)
    app.command("chat")(chat)
