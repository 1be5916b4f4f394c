"""Request limits of the web channel: token buckets and the body cap."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from bots.web.limits import BodySizeLimit, RateLimiter
from bots.web.security import csrf_token_for


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_allows_a_burst_then_refuses_then_refills() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate_per_second=2.0, burst=3, clock=clock)
    assert [limiter.allow("a")[0] for _ in range(4)] == [True, True, True, False]
    allowed, retry_after = limiter.allow("a")
    assert not allowed
    assert 0 < retry_after <= 0.5
    assert limiter.allow("b")[0], "another key has its own bucket"
    clock.now += 0.5
    assert limiter.allow("a")[0]


def _echo_app(limit: int) -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    app.add_middleware(BodySizeLimit, max_bytes=limit)
    return app


def test_bodies_over_the_cap_get_413_and_smaller_ones_pass() -> None:
    client = TestClient(_echo_app(1000))
    assert client.post("/echo", content=b"x" * 1000).json() == {"size": 1000}
    refused = client.post("/echo", content=b"x" * 1001)
    assert refused.status_code == 413
    assert "too large" in refused.json()["detail"]


def test_a_streamed_body_without_length_is_cut_off_too() -> None:
    client = TestClient(_echo_app(1000))

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(5):
            yield b"y" * 400

    assert client.post("/echo", content=chunks()).status_code == 413


def test_csrf_tokens_are_bound_to_the_session() -> None:
    assert csrf_token_for("a") != csrf_token_for("b")
    assert csrf_token_for("a") == csrf_token_for("a")
    assert len(csrf_token_for("a")) >= 32
