"""How every command prints: one JSON object with ``--json``, rich text otherwise.

Exit codes (the outside contract): 0 success, 1 negative answer or failed
checks, 2 bad usage or bad input.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from rich.console import Console

EXIT_OK = 0
EXIT_NEGATIVE = 1
EXIT_BAD_INPUT = 2

#: Human output goes to stdout; errors and progress to stderr.
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def emit_json(payload: Any) -> None:
    """Print exactly one JSON object on stdout."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def fail(message: str, *, code: int = EXIT_BAD_INPUT, as_json: bool = False) -> NoReturn:
    """Stop with a message a person understands (never a traceback)."""
    if as_json:
        emit_json({"error": message})
    else:
        err_console.print(f"[bold red]error:[/] {message}", markup=True)
    raise typer.Exit(code)
