"""``coach eval run`` and ``coach eval generate`` (a stackwise.cli entry-point plugin)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from bots.cli.output import emit_json, fail
from bots.settings import Settings
from evals.generate import generate_suite
from evals.judging import DEFAULT_KAPPA_FLOOR, JudgePanel
from evals.report import write_reports
from evals.runner import Runner, summary
from evals.suite import SuiteError, load_suite
from knowledge.embedding import Embedder


def make_embedder(settings: Settings) -> Embedder:
    """The configured embedding model (tests swap in a cheaper one)."""
    from knowledge.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.embedding_model)


def make_client(settings: Settings, record: Path | None, replay: Path | None) -> Any | None:
    """The chat client for COACH_LLM=openai (wrapped to record or replay), else None."""
    if replay is None and settings.llm != "openai":
        return None
    from evals.replay import RecordingClient

    inner = None
    if settings.llm == "openai":
        from coach.llm.client import OpenAIChatClient

        key = settings.openai_api_key
        inner = OpenAIChatClient(
            model=settings.llm_model,
            base_url=settings.openai_base_url,
            api_key=key.get_secret_value() if key else "none",
            timeout=settings.llm_timeout_seconds,
        )
    if replay is not None:
        client: Any = RecordingClient(replay, "replay")
    elif record is not None:
        client = RecordingClient(record, "record", inner)
    else:
        client = inner
    return client


def make_model(settings: Settings, client: Any | None) -> Any | None:
    """The language-model coach over ``client`` (None: the deterministic coach)."""
    if client is None:
        return None
    from coach.llm.agent import ModelCoach

    return ModelCoach(client, timeout_seconds=3 * settings.llm_timeout_seconds)


def make_judges(
    client: Any | None, wanted: bool | None, floor: float
) -> tuple[JudgePanel | None, str]:
    """The judge panel and, when there is none, why (for the report).

    Judges follow the model: they run whenever a model is configured
    (COACH_LLM=openai, or ``--replay`` of a recording); ``--no-judges`` turns
    them off, and ``--judges`` without a model is a usage error.
    """
    if wanted is False:
        return None, "turned off (--no-judges)"
    if client is None:
        if wanted:
            fail("--judges needs a language model: set COACH_LLM=openai (or --replay FILE)", code=2)
        return None, "no language model configured (COACH_LLM=none)"
    return JudgePanel(client, kappa_floor=floor), ""


def _print_human(data: dict[str, Any]) -> None:
    section = data["judges"]
    if section["status"] == "skipped":
        typer.echo(f"judges: skipped ({section['reason']})")
    for metric, cal in section["calibration"].items():
        state = "calibrated" if cal["calibrated"] else "UNCALIBRATED (does not gate)"
        if cal["error"]:
            state = f"unavailable ({cal['error']})"
        typer.echo(f"judge {metric}: kappa {cal['kappa']:.2f} on {cal['items']} items, {state}")
    for suite in data["suites"]:
        mark = "ok" if suite["threshold_met"] else "BELOW THRESHOLD"
        typer.echo(
            f"{suite['name']}: {suite['passed']}/{suite['cases']} "
            f"({suite['pass_rate']:.1%}, threshold {suite['threshold']:.0%}) {mark}"
        )
        for metric, judged in suite["judges"].items():
            if judged["score"] is None:
                continue
            bar = f", threshold {judged['threshold']:.2f}" if judged["threshold"] else ""
            gate = "" if judged["gating"] else " (not gating)"
            typer.echo(f"  {metric}: {judged['score']:.2f} over {judged['cases']} cases{bar}{gate}")


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
        record: Annotated[Path | None, typer.Option(help="Record model calls (JSONL).")] = None,
        replay: Annotated[Path | None, typer.Option(help="Replay recorded model calls.")] = None,
        judges: Annotated[
            bool | None,
            typer.Option(
                "--judges/--no-judges",
                help="Language-model judges (default: on when a model is configured).",
            ),
        ] = None,
        kappa_floor: Annotated[
            float,
            typer.Option(min=-1.0, max=1.0, help="Least calibration kappa for a judge to gate."),
        ] = DEFAULT_KAPPA_FLOOR,
    ) -> None:
        try:
            loaded = [load_suite(path) for path in suites]
        except SuiteError as exc:
            fail(str(exc), code=2)
        if record is not None and replay is not None:
            fail("use --record or --replay, not both", code=2)
        settings = Settings()
        client = make_client(settings, record, replay)
        panel, why_not = make_judges(client, judges, kappa_floor)
        runner = Runner(
            make_embedder(settings),
            default_catalogue=settings.catalogue,
            workers=workers,
            repeats=repeats,
            model=make_model(settings, client),
            judges=panel,
            judges_skipped=why_not,
        )
        data = summary(runner.run(loaded, catalogue), runner.judge_section)
        if report is not None:
            base = json.loads(baseline.read_text(encoding="utf-8")) if baseline else None
            write_reports(data, report, base)
        if as_json:
            emit_json(data)
        else:
            _print_human(data)
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
