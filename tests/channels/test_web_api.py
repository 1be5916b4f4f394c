"""The HTTP API of `coach serve`: sessions, authentication, isolation and limits."""

from __future__ import annotations

import base64
from pathlib import Path

from fastapi.testclient import TestClient

from bots.settings import Settings
from bots.web.app import create_app
from bots.web.security import CSRF_COOKIE, SESSION_COOKIE
from knowledge.loading import load_catalogue
from tests.channels.conftest import new_learner


def test_a_session_gets_a_long_random_token_and_safe_cookies(web_app_client: TestClient) -> None:
    response = web_app_client.post("/api/sessions")
    assert response.status_code == 201
    token = response.json()["token"]
    assert len(base64.urlsafe_b64decode(token + "==")) * 8 >= 128
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=strict" in session_cookie
    csrf_cookie = next(c for c in cookies if c.startswith(CSRF_COOKIE + "="))
    assert "HttpOnly" not in csrf_cookie


def test_every_api_call_needs_a_session(web_app_client: TestClient) -> None:
    fresh = TestClient(web_app_client.app)
    assert fresh.post("/api/chat", json={"message": "hello"}).status_code == 401
    assert fresh.get("/api/wallet").status_code == 401
    assert fresh.get("/api/wallet/export").status_code == 401
    assert fresh.delete("/api/wallet").status_code == 401
    assert fresh.get("/api/plan", params={"target": "x"}).status_code == 401
    bogus = {"Authorization": "Bearer not-a-real-token"}
    assert fresh.post("/api/chat", json={"message": "hi"}, headers=bogus).status_code == 401


def test_chat_answers_with_text_intent_and_citations(web_app_client: TestClient) -> None:
    _, headers = new_learner(web_app_client)
    response = web_app_client.post("/api/chat", json={"message": "hello"}, headers=headers)
    assert response.status_code == 200
    answer = response.json()
    assert answer["text"]
    assert set(answer) >= {"text", "intent", "citations", "actions", "attachments"}


def test_cookie_writes_need_the_csrf_header(web_app_client: TestClient) -> None:
    browser = TestClient(web_app_client.app)
    assert browser.post("/api/sessions").status_code == 201
    refused = browser.post("/api/chat", json={"message": "hello"})
    assert refused.status_code == 403
    csrf = browser.cookies.get(CSRF_COOKIE)
    assert csrf
    allowed = browser.post("/api/chat", json={"message": "hello"}, headers={"X-CSRF-Token": csrf})
    assert allowed.status_code == 200
    assert browser.get("/api/wallet").status_code == 200, "reads need no CSRF token"


def test_streaming_sends_text_then_the_answer(web_app_client: TestClient) -> None:
    _, headers = new_learner(web_app_client)
    with web_app_client.stream(
        "POST", "/api/chat/stream", json={"message": "help"}, headers=headers
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        body = "".join(response.iter_text())
    assert "event: delta" in body
    assert body.rstrip().split("\n\n")[-1].startswith("event: answer")


def test_one_learner_never_sees_another_learners_conversation(
    web_app_client: TestClient,
) -> None:
    first, first_headers = new_learner(web_app_client)
    second, second_headers = new_learner(web_app_client)
    marker = "my secret marker zq7"
    web_app_client.post("/api/chat", json={"message": marker}, headers=first_headers)
    theirs = web_app_client.get("/api/wallet/export", headers=second_headers).json()
    assert marker not in str(theirs)
    assert first not in str(theirs)
    mine = web_app_client.get("/api/wallet/export", headers=first_headers).json()
    assert marker in str(mine)
    assert second not in str(mine)


def test_erase_removes_the_learner_and_ends_the_session(web_app_client: TestClient) -> None:
    _, headers = new_learner(web_app_client)
    web_app_client.post("/api/chat", json={"message": "erase-me marker 55"}, headers=headers)
    assert web_app_client.delete("/api/wallet", headers=headers).status_code == 204
    assert web_app_client.get("/api/wallet", headers=headers).status_code == 401


def test_messages_over_the_limit_are_refused_clearly(web_app_client: TestClient) -> None:
    _, headers = new_learner(web_app_client)
    response = web_app_client.post("/api/chat", json={"message": "x" * 4001}, headers=headers)
    assert response.status_code == 422
    huge = web_app_client.post(
        "/api/chat", content=b'{"message": "' + b"y" * 3_000_000 + b'"}', headers=headers
    )
    assert huge.status_code == 413


def test_badge_uploads_over_2_mb_get_413(web_app_client: TestClient) -> None:
    _, headers = new_learner(web_app_client)
    files = {"file": ("big.json", b"{" + b" " * (2 * 1024 * 1024 + 10) + b"}", "application/json")}
    assert web_app_client.post("/api/wallet", files=files, headers=headers).status_code == 413


def test_a_flood_from_one_learner_gets_429_with_retry_after(web_settings: Settings) -> None:
    with TestClient(create_app(web_settings, chat_rate=(0.5, 3))) as client:
        _, headers = new_learner(client)
        statuses = [client.get("/api/wallet", headers=headers).status_code for _ in range(6)]
        assert statuses[:3] == [200, 200, 200]
        assert 429 in statuses[3:]
        limited = client.get("/api/wallet", headers=headers)
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 1


def test_plan_endpoint_returns_the_plan_contract(
    web_app_client: TestClient, synth_catalogue: Path
) -> None:
    _, headers = new_learner(web_app_client)
    target = next(iter(load_catalogue(synth_catalogue).qualifications))
    response = web_app_client.get(
        "/api/plan", params={"target": target, "budget": 100000}, headers=headers
    )
    assert response.status_code == 200
    plan = response.json()
    assert set(plan) >= {"target", "feasible", "steps", "totals", "requirements", "alternatives"}
    assert plan["target"]["id"] == target if isinstance(plan["target"], dict) else plan["target"]
    unknown = web_app_client.get("/api/plan", params={"target": "zzzz qqqq"}, headers=headers)
    assert unknown.status_code == 404


def test_telegram_webhook_is_off_without_a_token(web_app_client: TestClient) -> None:
    assert web_app_client.post("/telegram/webhook", json={}).status_code == 404


def test_the_page_and_health_are_served_with_a_strict_policy(web_app_client: TestClient) -> None:
    page = web_app_client.get("/")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text.replace("http://127.0.0.1", "")
    assert web_app_client.get("/healthz").json() == {"status": "ok"}


def test_a_database_that_is_down_gives_503_with_a_retry_hint(
    web_settings: Settings, tmp_path: object
) -> None:
    down = web_settings.model_copy(
        update={"database_url": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1"}
    )
    with TestClient(create_app(down), raise_server_exceptions=False) as client:
        response = client.post("/api/sessions")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"


def test_an_account_carries_the_learner_to_another_device(web_app_client: TestClient) -> None:
    learner_id, headers = new_learner(web_app_client)
    web_app_client.post("/api/chat", json={"message": "device marker 81"}, headers=headers)
    credentials = {"username": f"learner{learner_id[-6:]}".lower(), "password": "long enough pw"}
    created = web_app_client.post("/api/account", json=credentials, headers=headers)
    assert created.status_code == 201
    again = web_app_client.post("/api/account", json=credentials, headers=headers)
    assert again.status_code == 409

    other_device = TestClient(web_app_client.app)
    wrong = other_device.post("/api/login", json={**credentials, "password": "not the password"})
    assert wrong.status_code == 401
    unknown = other_device.post("/api/login", json={**credentials, "username": "nobody-here"})
    assert unknown.status_code == 401
    assert unknown.json() == wrong.json(), "unknown users and wrong passwords look the same"
    login = other_device.post("/api/login", json=credentials)
    assert login.status_code == 200
    assert login.json()["learner_id"] == learner_id
    token = {"Authorization": f"Bearer {login.json()['token']}"}
    assert "device marker 81" in str(other_device.get("/api/wallet/export", headers=token).json())


def test_short_passwords_are_refused(web_app_client: TestClient) -> None:
    _, headers = new_learner(web_app_client)
    response = web_app_client.post(
        "/api/account", json={"username": "shorty", "password": "123"}, headers=headers
    )
    assert response.status_code == 422
