"""The ASGI application served by ``coach serve``: web chat, HTTP API, Telegram webhook.

No conversation state lives in this process: every request reads and writes
the learner's state through the backend, so several workers can share learners.
"""

# No ``from __future__ import annotations`` here: FastAPI must see the route
# annotations as objects, and ``Learner`` is a closure-local dependency alias.
import json
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, Response, UploadFile
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from bots.channel_backend import AccountError, UnknownTargetError
from bots.logs import event
from bots.settings import Settings
from bots.web.backend import ChannelBackend
from bots.web.headers import SecurityHeaders
from bots.web.limits import BodySizeLimit, RateLimiter
from bots.web.security import (
    check_csrf,
    clear_session_cookies,
    session_token,
    set_session_cookies,
)
from bots.web.telegram_webhook import TelegramWebhook
from coach.answer import Answer
from coach.errors import StoreError

log = logging.getLogger("stackwise.web")
STATIC = Path(__file__).resolve().parent / "static"

#: Largest request body accepted (a badge is at most 2 MB; leave room for multipart framing).
MAX_BODY_BYTES = 2 * 1024 * 1024 + 64 * 1024
MAX_BADGE_BYTES = 2 * 1024 * 1024
MAX_MESSAGE_CHARS = 4000

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


_SECURITY_HEADERS = (
    ("Content-Security-Policy", _CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


class SessionCreated(BaseModel):
    learner_id: str
    token: str


class Credentials(BaseModel):
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(min_length=8, max_length=1024)


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class WalletUpload(BaseModel):
    answer: Answer


def create_app(
    settings: Settings,
    backend_factory: Callable[[Settings], ChannelBackend] | None = None,
    *,
    chat_rate: tuple[float, int] = (2.0, 20),
) -> FastAPI:
    """Build the web app; the backend is built on first use, so /healthz answers at once."""
    app = FastAPI(
        title="Stackwise",
        version="0.1.0",
        description="Learning coach for micro-credentials: chat, wallet and plans.",
    )
    holder: dict[str, ChannelBackend] = {}

    def backend() -> ChannelBackend:
        if "backend" not in holder:
            factory = backend_factory
            if factory is None:
                from bots.channel_backend import build_channel_backend

                factory = build_channel_backend
            holder["backend"] = factory(settings)
        return holder["backend"]

    chat_limiter = RateLimiter(rate_per_second=chat_rate[0], burst=chat_rate[1])
    session_limiter = RateLimiter(rate_per_second=1.0, burst=30)

    def learner(request: Request) -> str:
        """The authenticated learner; 401 without a valid session, 403 on a CSRF failure."""
        token, from_cookie = session_token(request)
        if from_cookie:
            check_csrf(request, token)
        learner_id = backend().learner_for_token(token)
        if learner_id is None:
            raise HTTPException(401, "Your session has expired: start a new one.")
        allowed, retry_after = chat_limiter.allow(learner_id)
        if not allowed:
            raise HTTPException(
                429,
                "Too many requests: please slow down.",
                headers={"Retry-After": str(max(1, round(retry_after)))},
            )
        return learner_id

    Learner = Annotated[str, Depends(learner)]  # noqa: N806 - a type alias

    @app.exception_handler(StoreError)
    async def store_down(request: Request, exc: StoreError) -> JSONResponse:
        log.warning("store unavailable path=%s error=%s", request.url.path, type(exc).__name__)
        return JSONResponse(
            {"detail": "The coach's database is unavailable; please retry shortly."},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    app.add_middleware(SecurityHeaders, headers=_SECURITY_HEADERS)

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """Liveness: the process is up and answering."""
        return {"status": "ok"}

    @app.post("/api/sessions", status_code=201, tags=["sessions"])
    def create_session(request: Request, response: Response) -> SessionCreated:
        """Start an anonymous learner session (token also set as an HttpOnly cookie)."""
        client = request.client.host if request.client else "unknown"
        allowed, retry_after = session_limiter.allow(client)
        if not allowed:
            raise HTTPException(
                429, "Too many new sessions.", headers={"Retry-After": str(round(retry_after) or 1)}
            )
        learner_id, token = backend().create_session()
        set_session_cookies(response, request, token)
        event(log, "session.created", learner=learner_id)
        return SessionCreated(learner_id=learner_id, token=token)

    @app.post("/api/account", status_code=201, tags=["sessions"])
    def create_account(body: Credentials, learner_id: Learner) -> dict[str, str]:
        """Keep this learner across devices: bind a username and password to it."""
        try:
            backend().create_account(learner_id, body.username, body.password)
        except AccountError as exc:
            raise HTTPException(409, str(exc)) from exc
        event(log, "account.created", learner=learner_id)
        return {"learner_id": learner_id, "username": body.username.lower()}

    @app.post("/api/login", tags=["sessions"])
    def login(body: Credentials, request: Request, response: Response) -> SessionCreated:
        """Sign in to an account: a new session for its learner (cookie and token)."""
        client = request.client.host if request.client else "unknown"
        allowed, retry_after = session_limiter.allow("login:" + client)
        if not allowed:
            raise HTTPException(
                429, "Too many attempts.", headers={"Retry-After": str(round(retry_after) or 1)}
            )
        found = backend().login(body.username, body.password)
        if found is None:
            raise HTTPException(401, "Wrong username or password.")
        learner_id, token = found
        set_session_cookies(response, request, token)
        event(log, "session.login", learner=learner_id)
        return SessionCreated(learner_id=learner_id, token=token)

    @app.delete("/api/sessions", status_code=204, tags=["sessions"])
    def end_session(request: Request, learner_id: Learner) -> Response:
        """End this session (the learner's data stays; see DELETE /api/wallet to erase it)."""
        token, _ = session_token(request)
        backend().revoke_session(token)
        response = Response(status_code=204)
        clear_session_cookies(response)
        return response

    @app.post("/api/chat", tags=["chat"], response_model=Answer)
    def chat(body: ChatRequest, learner_id: Learner) -> Response:
        """One conversation turn."""
        # Serialised once by the model itself: returning the Answer would make FastAPI
        # validate it against the response model again before encoding it.
        answer = backend().respond(learner_id, body.message, [])
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.post("/api/chat/stream", tags=["chat"])
    async def chat_stream(body: ChatRequest, learner_id: Learner) -> StreamingResponse:
        """One turn as server-sent events: ``delta`` text chunks, then the ``answer``."""

        async def events() -> AsyncIterator[str]:
            try:
                async for part in backend().stream(learner_id, body.message):
                    if isinstance(part, Answer):
                        yield _sse("answer", part.model_dump_json())
                    else:
                        yield _sse("delta", json.dumps({"text": part}))
            except StoreError:
                message = "The coach's database is unavailable; please retry shortly."
                yield _sse("error", json.dumps({"message": message}))

        return StreamingResponse(
            events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
        )

    @app.post("/api/wallet", tags=["wallet"])
    async def upload_badge(
        learner_id: Learner, file: Annotated[UploadFile, File(description="A badge file")]
    ) -> WalletUpload:
        """Add a badge (JSON, JWT, baked PNG or SVG) to the wallet; it is verified first."""
        data = await file.read(MAX_BADGE_BYTES + 1)
        if len(data) > MAX_BADGE_BYTES:
            raise HTTPException(413, "That file is over the 2 MB limit for a badge.")
        if not data:
            raise HTTPException(422, "That file is empty.")
        return WalletUpload(answer=backend().respond(learner_id, "", [data]))

    @app.get("/api/wallet", tags=["wallet"])
    def list_wallet(learner_id: Learner) -> dict[str, Any]:
        """The learner's credentials with their verification status."""
        return {"credentials": backend().wallet(learner_id)}

    @app.get("/api/wallet/export", tags=["wallet"])
    def export_wallet(learner_id: Learner) -> JSONResponse:
        """The learner's whole record as JSON."""
        return JSONResponse(
            backend().export(learner_id),
            headers={"Content-Disposition": 'attachment; filename="stackwise-export.json"'},
        )

    @app.delete("/api/wallet", status_code=204, tags=["wallet"])
    def erase_wallet(request: Request, learner_id: Learner) -> Response:
        """Erase the learner everywhere Stackwise stores anything, and end the session."""
        backend().erase(learner_id)
        event(log, "learner.erased", learner=learner_id)
        response = Response(status_code=204)
        clear_session_cookies(response)
        return response

    @app.get("/api/plan", tags=["plan"])
    def get_plan(
        learner_id: Learner,
        target: Annotated[str, Query(min_length=1, max_length=300)],
        budget: Annotated[float | None, Query(ge=0)] = None,
        hours_per_week: Annotated[float | None, Query(gt=0, le=80)] = None,
        weeks: Annotated[int | None, Query(gt=0, le=520)] = None,
        objective: Annotated[str, Query(pattern="^(cheapest|fastest|recognized|balanced)$")] = (
            "balanced"
        ),
    ) -> dict[str, Any]:
        """A stacking plan towards ``target`` for this learner."""
        constraints = {
            "budget": budget,
            "hours_per_week": hours_per_week,
            "weeks": weeks,
            "objective": objective,
        }
        try:
            return backend().plan(learner_id, target, constraints)
        except UnknownTargetError as exc:
            detail: dict[str, object] = {"message": f"No qualification or role matches {target!r}."}
            if exc.suggestions:
                detail = {
                    "message": "Several targets match; pick one.",
                    "candidates": exc.suggestions,
                }
            raise HTTPException(404, detail) from exc

    telegram = TelegramWebhook(settings, backend)

    @app.post("/telegram/webhook", tags=["telegram"], status_code=200)
    async def telegram_webhook(request: Request) -> Response:
        """Telegram Bot API webhook; the secret token header is checked in constant time."""
        return await telegram.handle(request)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_credentials=True,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-CSRF-Token"],
        )
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    return app


def _sse(event_name: str, data: str) -> str:
    return f"event: {event_name}\ndata: {data}\n\n"
