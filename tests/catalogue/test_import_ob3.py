"""Open Badges 3.0 / ELM import on the published credentials."""

from __future__ import annotations

import json
from pathlib import Path

from knowledge.importers.common import ImportSourceError
from knowledge.importers.run import import_catalogue
from knowledge.loading import load_catalogue
from tests.conftest import shared_data

ELM = ("elm", "Credentials", "JSON-LD Examples (ELM v3)")


def test_eu_micro_credential_elements_are_mapped(tmp_path: Path) -> None:
    source = shared_data(*ELM, "Sample-MC-Annex1-unsigned.jsonld")
    defaults = {"type": "MicroCredential", "price": "0", "provider_kind": "university"}
    outcome, _ = import_catalogue(source, "ob3", tmp_path / "out", defaults)
    assert outcome.ok
    catalogue = load_catalogue(tmp_path / "out")
    (credential,) = catalogue.credentials.values()
    assert credential.title == "Digital micro-credential creation"
    assert credential.workload.hours == 60
    assert credential.workload.credits == 2
    assert credential.workload.credit_unit == "ECTS"
    assert credential.eqf_level == 6
    assert credential.participation.mode == "blended"
    assert "Developing digital content" in credential.learning_outcomes
    provider = catalogue.providers[credential.provider]
    assert (provider.name, provider.country) == ("University of Zed", "IE")
    assert any("entry requirement not imported" in w for w in outcome.warnings)


def test_signed_and_wrapped_elm_give_the_same_entry(tmp_path: Path) -> None:
    defaults = {"type": "MicroCredential", "price": "0", "provider_kind": "university"}
    titles = set()
    for number, name in enumerate(
        ["Sample-MC-Annex1-signed.jsonld", "Sample-MC-Annex1-unsigned-uploadable.json"]
    ):
        outcome, _ = import_catalogue(
            shared_data(*ELM, name), "ob3", tmp_path / str(number), defaults
        )
        assert outcome.ok
        titles.update(c.title for c in load_catalogue(tmp_path / str(number)).credentials.values())
    assert titles == {"Digital micro-credential creation"}


def test_open_badge_credential_maps_achievement_and_issuer(tmp_path: Path) -> None:
    source = shared_data(
        "vc",
        "dcc-vc-test-fixtures",
        "verifiableCredentials",
        "v1",
        "dataIntegrityProof",
        "didWeb",
        "oidf-validStatus-noExpiry.json",
    )
    defaults = {
        "hours": "3000",
        "price": "0",
        "weeks": "156",
        "mode": "onsite",
        "provider_kind": "university",
        "country": "US",
    }
    outcome, _ = import_catalogue(source, "ob3", tmp_path / "out", defaults)
    assert outcome.ok
    catalogue = load_catalogue(tmp_path / "out")
    (credential,) = catalogue.credentials.values()
    assert credential.type == "BachelorDegree"
    assert credential.domain == "biology"  # fieldOfStudy
    assert credential.achievement_ids == ("urn:uuid:951b475e-b795-43bc-ba8f-a2d01efd2eb1",)
    provider = catalogue.providers[credential.provider]
    assert provider.name == "Massachusetts Institute of Technology"
    assert provider.issuer_ids == (
        "did:web:digitalcredentials.github.io:vc-test-fixtures:dids:oidf",
    )


def test_without_defaults_nothing_is_invented(tmp_path: Path) -> None:
    source = shared_data("vc", "ob3-spec-vector", "obv3p0-signed-credential.json")
    outcome, report = import_catalogue(source, "ob3", tmp_path / "out", {})
    assert report.ok
    assert outcome.counts["credentials"] == 0
    assert any("skipped credential 'ob3-teamwork'" in w for w in outcome.warnings)


def test_credits_without_a_unit_need_an_explicit_unit(tmp_path: Path) -> None:
    achievement = {
        "id": "https://example.org/achievements/1",
        "type": ["Achievement"],
        "name": "Spreadsheets",
        "achievementType": "Badge",
        "creditsAvailable": 3,
        "fieldOfStudy": "Data",
        "creator": {
            "id": "https://example.org/issuer",
            "type": ["Profile"],
            "name": "Example U",
            "address": {"type": ["Address"], "addressCountryCode": "NL"},
        },
    }
    source = tmp_path / "achievement.json"
    source.write_text(json.dumps(achievement))
    base = {
        "hours": "80",
        "price": "10",
        "weeks": "4",
        "mode": "online",
        "provider_kind": "company",
    }
    outcome, _ = import_catalogue(source, "ob3", tmp_path / "a", base)
    assert load_catalogue(tmp_path / "a").credentials["ob3-spreadsheets"].workload.credits is None
    assert any("no credit unit" in w for w in outcome.warnings)
    import_catalogue(source, "ob3", tmp_path / "b", {**base, "credit_unit": "ECTS"})
    credential = load_catalogue(tmp_path / "b").credentials["ob3-spreadsheets"]
    assert credential.workload.credits == 3
    assert load_catalogue(tmp_path / "b").providers[credential.provider].country == "NL"


def test_every_published_open_badge_imports_into_a_valid_folder(tmp_path: Path) -> None:
    root = shared_data("vc", "dcc-vc-test-fixtures", "verifiableCredentials")
    defaults = {
        "hours": "10",
        "price": "0",
        "weeks": "2",
        "mode": "online",
        "domain": "general",
        "provider_kind": "nonprofit",
        "country": "US",
        "type": "Badge",
    }
    imported = 0
    for number, source in enumerate(sorted(root.rglob("*.json"))):
        try:
            outcome, report = import_catalogue(source, "ob3", tmp_path / str(number), defaults)
        except ImportSourceError:
            continue
        assert report.errors == [], source
        imported += outcome.counts["credentials"]
    assert imported > 20
