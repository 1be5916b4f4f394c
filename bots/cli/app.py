"""The ``coach`` program: one Typer app assembled from small command modules.

Each module in ``_COMMAND_MODULES`` exposes ``register(app)``. Commands from
layers above ``bots`` (the evaluation suites) plug in through the
``stackwise.cli`` entry-point group, so ``bots`` never imports them.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

import typer

from bots.logs import configure_logging
from bots.settings import load_settings

_COMMAND_MODULES: tuple[str, ...] = (
    "bots.cli.serve_cmd",
    "bots.cli.catalogue_cmd",
    "bots.cli.index_cmd",
    "bots.cli.plan_cmd",
    "bots.cli.wallet_cmd",
    "bots.cli.assess_cmd",
    "bots.cli.chat_cmd",
    "bots.cli.wallet_store_cmd",
    "bots.cli.telegram_cmd",
)

app = typer.Typer(
    name="coach",
    help="Stackwise: a learning coach for micro-credentials and stackable credentials.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _main() -> None:
    """Configure logging before any command runs."""
    configure_logging(load_settings().log_level)


def _register_commands() -> None:
    for module_name in _COMMAND_MODULES:
        importlib.import_module(module_name).register(app)
    for plugin in entry_points(group="stackwise.cli"):
        plugin.load()(app)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    app()
