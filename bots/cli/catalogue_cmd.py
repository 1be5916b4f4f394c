"""``coach catalogue``: validate a catalogue folder, import foreign catalogues, synthesise one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bots.cli.output import EXIT_NEGATIVE, console, emit_json, fail
from bots.settings import load_settings
from knowledge.validation import CatalogueUnreadable, ValidationReport, validate_catalogue

catalogue_app = typer.Typer(
    name="catalogue",
    help="Check, import and generate credential catalogues.",
    no_args_is_help=True,
)


@catalogue_app.command("validate")
def validate(
    directory: Annotated[
        Path | None,
        typer.Argument(help="Catalogue folder (default: the COACH_CATALOGUE setting)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Report every problem of a catalogue at once; exit 1 when it is invalid."""
    folder = directory if directory is not None else load_settings().catalogue
    try:
        _, report = validate_catalogue(folder)
    except CatalogueUnreadable as exc:
        fail(str(exc), as_json=as_json)
    if as_json:
        emit_json(report.model_dump(mode="json"))
    else:
        _print_report(folder, report)
    if not report.ok:
        raise typer.Exit(EXIT_NEGATIVE)


def _print_report(folder: Path, report: ValidationReport) -> None:
    for problem in report.errors:
        console.print(
            f"[red]error[/]   {problem.where}: {problem.message}", markup=True, soft_wrap=True
        )
    for problem in report.warnings:
        console.print(
            f"[yellow]warning[/] {problem.where}: {problem.message}", markup=True, soft_wrap=True
        )
    counts = ", ".join(f"{count} {kind}" for kind, count in report.counts.items())
    verdict = "[green]valid[/]" if report.ok else f"[red]invalid[/] ({len(report.errors)} errors)"
    console.print(
        f"{folder}: {verdict}; {len(report.warnings)} warnings; {counts}",
        markup=True,
        soft_wrap=True,
    )


@catalogue_app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="File to convert.")],
    source_format: Annotated[
        str, typer.Option("--format", help="Source format: ctdl, ob3 or csv.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Catalogue folder to write (new or empty).")],
    default: Annotated[
        list[str] | None,
        typer.Option(
            "--default",
            help="FIELD=VALUE for a value the source lacks (hours, price, currency, weeks, "
            "mode, domain, country, provider_kind, provider); repeatable. Without it such "
            "entries are skipped with a warning.",
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Catalogue name.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Convert a CTDL, Open Badges 3.0 or CSV file into a catalogue folder that validates."""
    from knowledge.importers.common import ImportSourceError, parse_defaults
    from knowledge.importers.run import import_catalogue

    if source_format not in ("ctdl", "ob3", "csv"):
        fail(f"unknown --format {source_format!r}: use ctdl, ob3 or csv", as_json=as_json)
    try:
        defaults = parse_defaults(default or [])
        outcome, _ = import_catalogue(source, source_format, out, defaults, name=name)
    except (ImportSourceError, FileExistsError, OSError) as exc:
        fail(str(exc), as_json=as_json)
    if as_json:
        emit_json(outcome.model_dump(mode="json"))
    else:
        for warning in outcome.warnings:
            console.print(f"[yellow]warning[/] {warning}", markup=True, soft_wrap=True)
        for error in outcome.errors:
            console.print(
                f"[red]error[/]   {error['where']}: {error['message']}", markup=True, soft_wrap=True
            )
        counts = ", ".join(f"{count} {kind}" for kind, count in outcome.counts.items() if count)
        console.print(
            f"wrote {out}: {counts or 'no entries'}; {outcome.skipped} skipped; "
            f"{len(outcome.warnings)} warnings",
            soft_wrap=True,
        )
    if not outcome.ok:
        raise typer.Exit(EXIT_NEGATIVE)


@catalogue_app.command("synth")
def synth(
    size: Annotated[int, typer.Option("--size", min=1, max=1_000_000, help="Credentials.")],
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write (must not hold a catalogue).")
    ],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same files.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Write a generated, valid catalogue of SIZE credentials (for benchmarks and tests)."""
    from knowledge.synth import write_synthetic

    try:
        files = write_synthetic(out, size, seed)
    except (FileExistsError, OSError) as exc:
        fail(str(exc), as_json=as_json)
    payload = {"out": str(out), "files": len(files), "size": size, "seed": seed}
    if as_json:
        emit_json(payload)
    else:
        console.print(f"wrote {len(files)} files with {size} credentials to {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(catalogue_app, name="catalogue")
