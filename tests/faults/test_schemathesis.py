"""Generated requests from /openapi.json: no server error, no endpoint open without a session.

schemathesis generates requests for every operation of the real app (real coach,
SQLite store). One run carries a valid bearer token and checks for server errors;
another carries no credentials and checks that every /api/* operation except
creating a session or logging in refuses with 401/403.
"""

from __future__ import annotations

from typing import Any, cast

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from bots.channel_backend import ChannelServices
from bots.web.app import create_app
from bots.wiring import build_services
from coach.store.ports import Store
from knowledge.embedding import Embedder
from knowledge.synth import write_synthetic
from tests.faults.conftest import fault_settings

#: Operations that must work without a session (they are how one gets a session).
OPEN = {("POST", "/api/sessions"), ("POST", "/api/login")}


class Holder:
    """The app and its channel services, so tests can mint sessions without the HTTP limiter."""

    services: ChannelServices | None = None


@pytest.fixture(scope="module")
def holder() -> Holder:
    return Holder()


@pytest.fixture(scope="module")
def fuzz_app(
    tmp_path_factory: pytest.TempPathFactory, fault_embedder: Embedder, holder: Holder
) -> FastAPI:
    catalogue = tmp_path_factory.mktemp("catalogue")
    write_synthetic(catalogue, 30, seed=21)
    config = fault_settings(tmp_path_factory.mktemp("data"), catalogue=catalogue)

    def backend(s: object) -> ChannelServices:
        services = build_services(config, embedder=fault_embedder)
        store: Store = services.store  # type: ignore[assignment]
        holder.services = ChannelServices(services.coach, store)
        return holder.services

    # A generous per-learner rate: this run looks for server errors, not floods.
    return create_app(config, backend_factory=backend, chat_rate=(1000.0, 100_000))


@pytest.fixture(scope="module")
def api_schema(fuzz_app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


FUZZ = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def _operations(api_schema: schemathesis.BaseSchema) -> list[Any]:
    operations = [cast(Any, result).ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8, "the schema lists the API"
    return operations


def _token(holder: Holder, fuzz_app: FastAPI) -> str:
    if holder.services is None:
        with TestClient(fuzz_app) as client:
            assert client.post("/api/sessions").status_code == 201
    assert holder.services is not None
    return holder.services.create_session()[1]


def test_no_generated_request_causes_a_server_error(
    api_schema: schemathesis.BaseSchema, holder: Holder, fuzz_app: FastAPI
) -> None:
    for operation in _operations(api_schema):

        @given(case=operation.as_strategy())
        @FUZZ
        def check(case: Any) -> None:
            # A fresh learner per request: erase and logout cases must not starve the others.
            headers = {"Authorization": f"Bearer {_token(holder, fuzz_app)}"}
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.path, response.text[:300])

        check()


def test_every_api_operation_refuses_requests_without_a_session(
    api_schema: schemathesis.BaseSchema,
) -> None:
    checked = 0
    for operation in _operations(api_schema):
        if (
            not operation.path.startswith("/api/")
            or (operation.method.upper(), operation.path) in OPEN
        ):
            continue
        checked += 1

        @given(case=operation.as_strategy())
        @FUZZ
        def check(case: Any) -> None:
            response = case.call()
            assert response.status_code in (401, 403), (
                case.method,
                case.path,
                response.status_code,
            )

        check()
    assert checked >= 6
