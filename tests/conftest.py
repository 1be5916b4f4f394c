"""Shared test helpers.

``SHARED_DATA`` is the interop data beside the project (../shared/data); tests
that need it skip cleanly when it is absent. Services the suite runs (PostgreSQL,
a Chroma server, the Telegram emulator, Chromium) come from fixture modules in
``tests/fixtures``; when one cannot start, its tests skip on a developer's
machine and fail in CI (``CI`` set), so CI never passes by skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

pytest_plugins = [
    "tests.fixtures.services",
    "tests.fixtures.postgres",
    "tests.fixtures.fake_openai",
    "tests.fixtures.chroma",
    "tests.fixtures.telegram",
    "tests.fixtures.demo_index",
]


def shared_data(*parts: str) -> Path:
    """Path under ../shared/data, skipping the test when it is not there."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"interop data not available: {path}")
    return path


def service_unavailable(what: str) -> None:
    """Skip locally, fail in CI: a service the suite needs could not start."""
    message = f"{what} is not available"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must provide it: run scripts/install-test-services.sh)")
    pytest.skip(message)
