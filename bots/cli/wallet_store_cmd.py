"""``coach wallet add | list | export | erase``: the learner's stored wallet and record.

Added to the ``wallet_app`` group of ``bots.cli.wallet_cmd`` (which owns ``verify``).
The database comes from the settings (``COACH_DATABASE_URL`` or SQLite in the
data dir), the catalogue from ``COACH_CATALOGUE``. Verification is offline
unless ``--documents`` answers outside URLs from local files or ``--online``
allows fetching from listed hosts (the same resolver ``wallet verify`` uses).

Exit codes: 0 done (``add``: stored and valid), 1 ``add`` stored a badge that is
not valid or the database failed, 2 bad input (nothing stored).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import typer

from bots.cli.output import EXIT_NEGATIVE, EXIT_OK, console, emit_json, fail
from bots.cli.wallet_cmd import _resolver, wallet_app
from bots.settings import load_settings
from coach.errors import StoreError, WalletError
from coach.store import UnknownLearnerError, open_database
from coach.store.ports import check_learner_id
from coach.store.sql import SqlStore
from coach.wallet.jsonld import configure_default_store
from coach.wallet.resolver import ResolutionError
from coach.wallet.result import VerificationResult
from coach.wallet.service import import_badge
from coach.wallet.verify import verify_credential
from knowledge.errors import CatalogueError
from knowledge.loading import load_catalogue

LEARNER_HELP = "Learner id (created on first use by `add`)."


def _learner(learner: str, as_json: bool) -> str:
    try:
        return check_learner_id(learner)
    except ValueError as exc:
        fail(str(exc), as_json=as_json)


def _open(as_json: bool) -> SqlStore:
    settings = load_settings()
    try:
        return open_database(settings.resolved_database_url)
    except StoreError as exc:
        fail(str(exc), code=EXIT_NEGATIVE, as_json=as_json)


@contextmanager
def _store(as_json: bool) -> Iterator[SqlStore]:
    """The opened database, closed afterwards; a database failure stops with exit 1."""
    store = _open(as_json)
    try:
        yield store
    except StoreError as exc:
        fail(str(exc), code=EXIT_NEGATIVE, as_json=as_json)
    finally:
        store.close()


def add(
    file: Path = typer.Argument(..., help="Badge file: JSON, JWT, baked PNG or SVG."),
    learner: str = typer.Option(..., "--learner", help=LEARNER_HELP),
    documents: Path | None = typer.Option(
        None, "--documents", help="JSON map URL -> local file answering those URLs offline."
    ),
    online: bool = typer.Option(False, "--online", help="Fetch allow-listed documents."),
    allow_host: list[str] = typer.Option([], "--allow-host", help="Host that may be fetched."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Verify a badge, link it to the catalogue and keep it in the learner's wallet."""
    learner_id = _learner(learner, as_json)
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}", as_json=as_json)
    settings = load_settings()
    try:
        catalogue = load_catalogue(settings.catalogue)
    except CatalogueError as exc:
        fail(f"the catalogue {settings.catalogue} cannot be loaded: {exc}", as_json=as_json)
    try:
        resolver = _resolver(documents, online, allow_host)
    except ResolutionError as exc:
        fail(str(exc), as_json=as_json)
    contexts = configure_default_store(settings.data_dir / "contexts")
    now = datetime.now(UTC)

    def verify(payload: bytes) -> VerificationResult:
        return verify_credential(payload, resolver=resolver, now=now, contexts=contexts)

    with _store(as_json) as store:
        try:
            store.ensure_learner(learner_id)
            outcome = import_badge(
                store,
                catalogue,
                learner_id,
                data,
                verify=verify,
                now=now,
            )
        except WalletError as exc:
            fail(str(exc), as_json=as_json)
    status = outcome.record.status
    if as_json:
        emit_json({"learner_id": learner_id, **outcome.to_json()})
    else:
        verb = "stored" if outcome.created else "already in the wallet"
        console.print(f"{outcome.record.id}: {verb} ({status}, {outcome.record.format})")
        if outcome.record.title:
            console.print(f"achievement: {outcome.record.title}", markup=False)
        if outcome.link is not None:
            console.print(
                f"catalogue: {outcome.link.credential_id} "
                f"({outcome.link.method}, confidence {outcome.link.confidence:.2f})",
                markup=False,
            )
        else:
            console.print("catalogue: no matching credential", markup=False)
        console.print(outcome.verification.explanation, markup=False)
    raise typer.Exit(EXIT_OK if status == "valid" else EXIT_NEGATIVE)


def list_wallet(
    learner: str = typer.Option(..., "--learner", help=LEARNER_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """The learner's stored credentials, oldest first."""
    learner_id = _learner(learner, as_json)
    with _store(as_json) as store:
        records = store.list_credentials(learner_id)
    if as_json:
        emit_json({"learner_id": learner_id, "credentials": [r.summary() for r in records]})
        return
    if not records:
        console.print(f"{learner_id} has no credentials in the wallet.", markup=False)
    for record in records:
        link = record.credential_id or "not in the catalogue"
        console.print(
            f"{record.id}  {record.status:13}  {record.title or '(untitled)'}  -> {link}",
            markup=False,
        )


def export(
    learner: str = typer.Option(..., "--learner", help=LEARNER_HELP),
) -> None:
    """The learner's complete record as one JSON object: credentials as received,
    verification results, assessments, plans and conversation history."""
    learner_id = _learner(learner, True)
    with _store(True) as store:
        try:
            record = store.export_learner(learner_id)
        except UnknownLearnerError:
            fail(f"there is no learner {learner_id!r}", as_json=True)
    emit_json(record)


def erase(
    learner: str = typer.Option(..., "--learner", help=LEARNER_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Remove the learner everywhere Stackwise stores anything (cannot be undone)."""
    learner_id = _learner(learner, as_json)
    with _store(as_json) as store:
        existed = store.learner_exists(learner_id)
        store.erase_learner(learner_id)
    if as_json:
        emit_json({"learner_id": learner_id, "erased": existed})
    elif existed:
        console.print(f"{learner_id}: erased everywhere.", markup=False)
    else:
        console.print(f"{learner_id}: nothing stored.", markup=False)


def register(app: typer.Typer) -> None:
    """Add the stored-wallet commands to the ``wallet`` group (mounted by wallet_cmd)."""
    del app
    existing = {command.name for command in wallet_app.registered_commands}
    for name, function in (
        ("add", add),
        ("list", list_wallet),
        ("export", export),
        ("erase", erase),
    ):
        if name not in existing:
            wallet_app.command(name)(function)
