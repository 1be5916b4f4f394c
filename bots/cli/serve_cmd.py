"""``coach serve``: the web chat, HTTP API and Telegram webhook in one ASGI app."""

from __future__ import annotations

import typer

from bots.settings import load_settings


def limit_model_threads(threads: int) -> None:
    """Give the embedding model ``threads`` intra-op threads in this process.

    A server answers many small requests at once and scales with worker processes,
    one per core; a single-query embedding split over several threads only makes
    them spin and wait for each other. Measured on a busy 2-core machine: one
    query took 160 ms of CPU with 2 threads and 22 ms with 1.
    """
    try:
        import torch
    except ImportError:  # no model runtime installed: nothing to limit
        return
    torch.set_num_threads(max(1, threads))


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    model_threads: int = typer.Option(
        1,
        "--model-threads",
        min=1,
        help="Intra-op threads of the embedding model per worker (run one worker per core).",
    ),
) -> None:
    """Serve the web chat and HTTP API (and the Telegram webhook when configured)."""
    import uvicorn

    from bots.web.app import create_app

    settings = load_settings()
    limit_model_threads(model_threads)
    # A production server: no reload, no per-request access log line (the app logs its own
    # events); uvicorn picks uvloop and httptools when they are installed.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        reload=False,
        server_header=False,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
