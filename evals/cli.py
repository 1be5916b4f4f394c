"""``coach eval run`` and ``coach eval generate`` (a stackwise.cli entry-point plugin)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import yaml

from bots.cli.output import emit_json, fail
from bots.settings import Settings
from evals.generate import generate_suite
from evals.report import write_reports
from evals.runner import Runner, summary
from evals.suite import SuiteError, load_suite
from knowledge.embedding import Embedder


def make_embedder(settings: Settings) -> Embedder:
    """The configured embedding model (tests swap in a cheaper one)."""
    from knowledge.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.embedding_model)


def register(app: typer.Typer) -> None:
    """Add the ``eval`` sub-app."""
    sub = typer.Typer(help="Evaluation suites: test the coach on a catalogue.")

    @sub.command("run")
    def run(
        suites: Annotated[list[Path], typer.Argument(help="Suite YAML files.")],
        catalogue: Annotated[Path | None, typer.Option(help="Catalogue folder.")] = None,
        report: Annotated[Path | None, typer.Option(help="Folder for JSON/JUnit/HTML.")] = None,
        baseline: Annotated[Path | None, typer.Option(help="A previous report.json.")] = None,
        repeats: Annotated[int, typer.Option(min=1)] = 1,
        workers: Annotated[int, typer.Option(min=1)] = 4,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        try:
            loaded = [load_suite(path) for path in suites]
        except SuiteError as exc:
            fail(str(exc), code=2)
        settings = Settings()
        runner = Runner(
            make_embedder(settings),
            default_catalogue=settings.catalogue,
            workers=workers,
            repeats=repeats,
        )
        data = summary(runner.run(loaded, catalogue))
        if report is not None:
            base = json.loads(baseline.read_text(encoding="utf-8")) if baseline else None
            write_reports(data, report, base)
        if as_json:
            emit_json(data)
        else:
            for suite in data["suites"]:
                mark = "ok" if suite["threshold_met"] else "BELOW THRESHOLD"
                typer.echo(
                    f"{suite['name']}: {suite['passed']}/{suite['cases']} "
                    f"({suite['pass_rate']:.1%}, threshold {suite['threshold']:.0%}) {mark}"
                )
        raise typer.Exit(0 if data["thresholds_met"] else 1)

    @sub.command("generate")
    def generate(
        catalogue: Annotated[Path, typer.Option(help="Catalogue folder.")],
        out: Annotated[Path, typer.Option(help="Suite file to write.")],
    ) -> None:
        from knowledge.loading import CatalogueInvalid, load_catalogue

        try:
            loaded = load_catalogue(catalogue)
        except (CatalogueInvalid, OSError) as exc:
            fail(f"cannot load catalogue {catalogue}: {exc}", code=2)
        suite = generate_suite(loaded, name=f"generated: {loaded.info.name}")
        suite["catalogue"] = str(catalogue.resolve())
        out.write_text(yaml.safe_dump(suite, sort_keys=False, allow_unicode=True), "utf-8")
        typer.echo(f"wrote {len(suite['cases'])} cases to {out}")

    app.add_typer(sub, name="eval")
