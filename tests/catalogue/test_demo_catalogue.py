"""The shipped demo catalogue validates clean and is big enough to coach on."""

from __future__ import annotations

from pathlib import Path

from knowledge.loading import load_catalogue
from knowledge.validation import validate_catalogue

DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "demo"


def test_demo_catalogue_validates_without_errors_or_warnings() -> None:
    _, report = validate_catalogue(DEMO)
    assert report.errors == []
    assert report.warnings == []


def test_demo_catalogue_meets_the_size_targets() -> None:
    catalogue = load_catalogue(DEMO)
    counts = catalogue.counts()
    assert counts["credentials"] >= 200
    assert len({c.domain for c in catalogue.credentials.values()}) >= 8
    assert counts["providers"] >= 25
    assert counts["skills"] >= 150
    assert counts["qualifications"] >= 20
    assert counts["roles"] >= 25
    assert counts["recognitions"] >= 80
    assert catalogue.info.sample_data is True


def test_demo_micro_credentials_take_10_to_40_hours() -> None:
    catalogue = load_catalogue(DEMO)
    micro = [c for c in catalogue.credentials.values() if c.type == "MicroCredential"]
    assert micro
    assert [c.id for c in micro if not 10 <= c.workload.hours <= 40] == []
