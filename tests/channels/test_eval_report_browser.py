"""The evaluation report opens in a real Chromium as one self-contained file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.channels.test_web_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from tests.conftest import ROOT, service_unavailable

SUITE = ROOT / "evals" / "suites" / "safety_direct.yaml"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("eval-report")
    env = {**os.environ, "COACH_DATA_DIR": str(folder / "data")}
    run = subprocess.run(
        [
            str(Path(sys.executable).parent / "coach"),
            *("eval", "run", str(SUITE), "--json"),
            *("--report", str(folder / "report")),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr[-2000:]
    summary = json.loads(run.stdout)
    assert summary["cases"] > 0
    assert "Loading weights" not in run.stderr  # the model loads without a progress bar
    return folder / "report" / "report.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        service_unavailable("Chromium (/usr/bin/chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_the_html_report_renders_offline_with_its_charts(browser: Browser, report: Path) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.as_uri())
    expect(page.locator("body")).to_contain_text("safety-direct")
    assert page.locator("svg").count() >= 1, "charts are drawn in the file itself"
    assert page.locator("script[src]").count() == 0
    assert [url for url in requests if not url.startswith("file://")] == []
    assert not errors
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "eval-report.png"), full_page=True)
    page.close()
