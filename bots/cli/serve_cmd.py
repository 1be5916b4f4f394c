"""``coach serve``: the web chat, HTTP API and Telegram webhook in one ASGI app."""

from __future__ import annotations

import typer

from bots.settings import load_settings


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
) -> None:
    """Serve the web chat and HTTP API (and the Telegram webhook when configured)."""
    import uvicorn

    from bots.web.app import create_app

    settings = load_settings()
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
