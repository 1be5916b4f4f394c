"""The ASGI application served by ``coach serve``."""

from __future__ import annotations

from fastapi import FastAPI

from bots.settings import Settings


def create_app(settings: Settings) -> FastAPI:
    """Build the web app for ``settings``."""
    app = FastAPI(title="Stackwise", version="0.1.0")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """Liveness: the process is up and answering."""
        return {"status": "ok"}

    return app
