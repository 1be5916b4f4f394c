"""``coach wallet verify`` (and the wallet commands other modules add to ``wallet_app``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from bots.cli.output import EXIT_NEGATIVE, EXIT_OK, console, emit_json, fail
from bots.settings import load_settings
from coach.wallet.jsonld import ContextError, configure_default_store
from coach.wallet.resolver import (
    AllowListResolver,
    CachingResolver,
    DocumentResolver,
    MapResolver,
    OfflineResolver,
    ResolutionError,
)
from coach.wallet.result import VerificationResult
from coach.wallet.verify import verify_credential

wallet_app = typer.Typer(
    help="The learner wallet: verify and keep credentials.", no_args_is_help=True
)
contexts_app = typer.Typer(help="Pinned JSON-LD contexts no package ships.", no_args_is_help=True)


def _resolver(documents: Path | None, online: bool, allow_hosts: list[str]) -> DocumentResolver:
    if documents is not None:
        return MapResolver.from_map_file(documents)
    if not online:
        return OfflineResolver()
    from bots.resolver_http import HttpResolver
    from coach.wallet.blockcerts import EXPLORER_HOSTS

    hosts = [*EXPLORER_HOSTS, *allow_hosts]
    guard = AllowListResolver(OfflineResolver(), hosts)
    http = AllowListResolver(HttpResolver(guard.allows), hosts)
    cache_dir = load_settings().data_dir / "resolver-cache"
    return CachingResolver(http, cache_dir, ttl=3600)


def result_payload(result: VerificationResult) -> dict[str, object]:
    """The outside contract's JSON shape, plus explanation and parts."""
    data = result.model_dump(mode="json")
    return {
        "status": data["status"],
        "format": data["format"],
        "reasons": data["reasons"],
        "checks": data["checks"],
        "issuer": data["issuer"],
        "achievement": data["achievement"],
        "explanation": data["explanation"],
        "subject_id": data["subject_id"],
        "issued_on": data["issued_on"],
        "expires_on": data["expires_on"],
        "parts": data["parts"],
    }


def verify(
    file: Path = typer.Argument(..., help="Badge file: JSON, JWT, baked PNG or SVG."),
    documents: Path | None = typer.Option(
        None, "--documents", help="JSON map URL -> local file answering those URLs offline."
    ),
    learner: str | None = typer.Option(None, "--learner-identity", help="Email, DID or URL."),
    online: bool = typer.Option(False, "--online", help="Fetch allow-listed documents."),
    allow_host: list[str] = typer.Option([], "--allow-host", help="Host that may be fetched."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Verify a credential and say whether it can be trusted."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}", as_json=as_json)
    try:
        resolver = _resolver(documents, online, allow_host)
    except ResolutionError as exc:
        fail(str(exc), as_json=as_json)
    configure_default_store(load_settings().data_dir / "contexts")
    result = verify_credential(
        data, resolver=resolver, now=datetime.now(UTC), learner_identity=learner
    )
    if result.format == "unknown" and "malformed" in result.reasons and len(result.checks) == 1:
        fail(result.checks[0].detail, as_json=as_json)
    if as_json:
        emit_json(result_payload(result))
    else:
        colour = {"valid": "green", "invalid": "red"}.get(result.status, "yellow")
        console.print(f"[bold {colour}]{result.status}[/] ({result.format})", markup=True)
        if result.issuer:
            console.print(
                f"issuer: {result.issuer.name or ''} {result.issuer.id or ''}", emoji=False
            )
        if result.achievement and result.achievement.name:
            console.print(f"achievement: {result.achievement.name}", markup=False, emoji=False)
        for check in result.checks:
            mark = {True: "ok", False: "FAIL", None: "??"}[check.ok]
            console.print(f"  {mark:4} {check.id}: {check.detail}", markup=False, emoji=False)
        console.print(result.explanation, markup=False, emoji=False)
    raise typer.Exit(EXIT_OK if result.status == "valid" else EXIT_NEGATIVE)


def import_context(
    files: list[Path] = typer.Argument(..., help="Context files to check and store."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Store reviewed copies of pinned contexts no package ships (hash must match the pin)."""
    store = configure_default_store(load_settings().data_dir / "contexts")
    imported: dict[str, str] = {}
    for path in files:
        try:
            imported[str(path)] = store.import_seed(path.read_bytes())
        except (OSError, ContextError) as exc:
            fail(f"{path}: {exc}", as_json=as_json)
    if as_json:
        emit_json({"imported": imported})
    else:
        for path_name, url in imported.items():
            console.print(f"{path_name} -> {url}", markup=False, emoji=False)


wallet_app.command("verify")(verify)
contexts_app.command("import")(import_context)
wallet_app.add_typer(contexts_app, name="contexts")


def register(app: typer.Typer) -> None:
    app.add_typer(wallet_app, name="wallet")
