"""The web chat in a real headless Chromium (Debian's, driven by Playwright).

The same journey as on Telegram (goal, assessment by buttons, plan with its
picture, a badge upload, a recognition question), then a second learner who
cannot see the first one's wallet, and hostile text rendered as text.
Screenshots of the journey are kept in test-artifacts/web-journey/.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bots.settings import DEMO_CATALOGUE, Settings
from bots.web.app import create_app
from tests.conftest import ROOT, SHARED_DATA, service_unavailable
from tests.fixtures.telegram import ServerThread

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts" / "web-journey"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BADGE = (
    SHARED_DATA / "vc" / "dcc-vc-test-fixtures" / "verifiableCredentials" / "v2"
    / "dataIntegrityProof" / "didKey" / "legacyRegistry-noStatus-noExpiry-basicOBv3.json"
)  # fmt: skip


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("web-journey"),
        catalogue=DEMO_CATALOGUE,
        telegram_bot_token=None,
    )
    with ServerThread(create_app(settings)) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        service_unavailable("Chromium (/usr/bin/chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _say(page: Page, text: str) -> None:
    page.fill("#message", text)
    page.keyboard.press("Enter")


def _last_coach(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("li.msg.coach").last


def _wait_idle(page: Page) -> None:
    expect(page.locator("#status")).to_have_text("", timeout=120_000)


def test_a_learner_sets_a_goal_assesses_plans_uploads_and_asks(
    browser: Browser, server_url: str
) -> None:
    context = browser.new_context(viewport={"width": 414, "height": 896})  # a phone
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(server_url) else outside.append(request.url),
    )
    page.goto(server_url)
    expect(page.locator("li.msg.coach").first).to_contain_text("learning coach", timeout=120_000)
    _shot(page, "01-greeting")

    _say(page, "my goal is Certificate in Data Analytics")
    _wait_idle(page)
    expect(_last_coach(page)).to_contain_text("Goal set")
    _last_coach(page).get_by_role("button", name="Assess my skills first").click()
    _wait_idle(page)

    for _ in range(14):
        options = _last_coach(page).locator(".actions button")
        labels = options.all_inner_texts()
        level = next((label for label in labels if label.startswith("2:")), None)
        if level is None:
            break
        options.filter(has_text=level).first.click()
        _wait_idle(page)
    radar = _last_coach(page).locator("img")
    expect(radar).to_have_count(1)
    assert "radar" in (radar.get_attribute("alt") or "").lower()
    _shot(page, "02-assessment-result")

    _last_coach(page).get_by_role("button", name="Plan a path").click()
    _wait_idle(page)
    expect(_last_coach(page)).to_contain_text("Plan to Certificate in Data Analytics")
    pathway = _last_coach(page).locator("img")
    expect(pathway).to_have_count(1)
    assert (pathway.get_attribute("alt") or "").startswith("Pathway to")
    assert page.evaluate("(img) => img.naturalWidth > 0", pathway.element_handle())
    _shot(page, "03-plan")

    if BADGE.exists():
        page.set_input_files("#badge", str(BADGE))
        expect(_last_coach(page)).not_to_contain_text("Checking your badge", timeout=120_000)
        expect(_last_coach(page)).to_contain_text("Teamwork")
        _shot(page, "04-badge")

    _say(page, "Is the Nordvale Data Foundations Badge accredited?")
    _wait_idle(page)
    sources = _last_coach(page).locator("ul.citations li")
    expect(sources.first).to_be_visible()
    _shot(page, "05-recognition")

    hostile = '<img src=x onerror="window.__pwned=1"> **bold**'
    _say(page, hostile)
    _wait_idle(page)
    learner_bubble = page.locator("li.msg.learner").last
    expect(learner_bubble).to_have_text(hostile)
    assert learner_bubble.locator("img").count() == 0
    assert page.evaluate("() => window.__pwned === undefined")

    assert not outside, f"the page loaded something from outside the server: {outside}"
    context.close()


def test_a_second_learner_cannot_see_the_first_learners_wallet(
    browser: Browser, server_url: str
) -> None:
    first = browser.new_context()
    page = first.new_page()
    page.goto(server_url)
    expect(page.locator("li.msg.coach").first).to_contain_text("learning coach", timeout=120_000)
    page.evaluate(
        """async () => {
            const csrf = document.cookie.split('; ').find(c => c.startsWith('stackwise_csrf='))
                .split('=')[1];
            const body = new FormData();
            body.append('file', new Blob([JSON.stringify({"name": "First learner badge zq9"})],
                {type: 'application/json'}), 'mine.json');
            await fetch('/api/wallet', {method: 'POST', body, headers: {'X-CSRF-Token': csrf}});
        }"""
    )
    mine = page.evaluate("async () => (await fetch('/api/wallet/export')).text()")
    assert "First learner badge zq9" in mine or "zq9" in mine or json.loads(mine)

    second = browser.new_context()
    other = second.new_page()
    other.goto(server_url)
    expect(other.locator("li.msg.coach").first).to_contain_text("learning coach", timeout=60_000)
    theirs = other.evaluate("async () => (await fetch('/api/wallet')).json()")
    assert theirs == {"credentials": []}
    exported = other.evaluate("async () => (await fetch('/api/wallet/export')).text()")
    assert "zq9" not in exported
    other.locator("#wallet-button").click()
    _wait_idle(other)
    expect(other.locator("li.msg.coach").last).not_to_contain_text("zq9")
    _shot(other, "06-second-learner-wallet")
    first.close()
    second.close()


def test_an_account_made_in_one_browser_signs_in_from_another(
    browser: Browser, server_url: str
) -> None:
    first = browser.new_context()
    page = first.new_page()
    page.goto(server_url)
    expect(page.locator("li.msg.coach").first).to_contain_text("learning coach", timeout=60_000)
    _say(page, "remember marker kq4")
    _wait_idle(page)
    page.locator("details.account summary").click()
    page.fill("#username", "browser-learner")
    page.fill("#password", "correct horse battery")
    page.click("#create-account")
    expect(page.locator("#account-status")).to_contain_text("Account created")

    second = browser.new_context()
    other = second.new_page()
    other.goto(server_url)
    expect(other.locator("li.msg.coach").first).to_contain_text("learning coach", timeout=60_000)
    other.locator("details.account summary").click()
    other.fill("#username", "browser-learner")
    other.fill("#password", "correct horse battery")
    other.click("#sign-in")
    expect(other.locator("#account-status")).to_have_text("Signed in.")
    exported = other.evaluate("async () => (await fetch('/api/wallet/export')).text()")
    assert "remember marker kq4" in exported
    _shot(other, "07-signed-in-elsewhere")
    first.close()
    second.close()
