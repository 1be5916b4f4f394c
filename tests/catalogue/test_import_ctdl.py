"""CTDL import: the Credential Engine's published examples and a hand-made graph."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bots.cli.app import app
from knowledge.importers.common import ImportSourceError
from knowledge.importers.run import import_catalogue
from knowledge.loading import load_catalogue
from tests.conftest import shared_data

ALL_DEFAULTS = {
    "hours": "40",
    "price": "0",
    "weeks": "10",
    "mode": "online",
    "domain": "data",
    "country": "US",
    "provider_kind": "university",
    "provider": "Example Provider",
    "type": "Certificate",
}


def test_program_with_courses_becomes_a_qualification_over_its_courses(tmp_path: Path) -> None:
    source = shared_data("ctdl", "CourseProgramExamples", "programWithCourses.json")
    outcome, report = import_catalogue(source, "ctdl", tmp_path / "out", ALL_DEFAULTS)
    assert outcome.ok
    assert report.ok
    catalogue = load_catalogue(tmp_path / "out")
    degree = next(q for q in catalogue.qualifications.values() if q.type == "MasterDegree")
    titles = sorted(catalogue.credentials[c].title for c in degree.rules.required)
    assert titles == [
        "Data Analysis with Python",
        "Data Analysis with R",
        "Data Management",
        "Statistics",
    ]
    provider = catalogue.providers[degree.provider]
    assert provider.name == "UC Sunnydale"
    assert provider.kind == "university"  # from agentType Postsecondary, not a default
    assert any("--default hours used for 4 entries" in w for w in outcome.warnings)


def test_missing_required_values_skip_entries_with_a_warning(tmp_path: Path) -> None:
    source = shared_data("ctdl", "CourseProgramExamples", "programWithCourses.json")
    outcome, report = import_catalogue(source, "ctdl", tmp_path / "out", {})
    assert report.ok
    assert outcome.counts["credentials"] == 0
    assert outcome.skipped >= 5
    assert any("--default hours=..." in w and "skipped credential" in w for w in outcome.warnings)


def test_transfer_value_profile_becomes_a_credit_transfer_record(tmp_path: Path) -> None:
    source = shared_data(
        "ctdl", "HandbookExamples", "RecognitionOfPriorLearning", "tvp-example1.json"
    )
    outcome, _ = import_catalogue(source, "ctdl", tmp_path / "out", ALL_DEFAULTS)
    assert outcome.ok
    catalogue = load_catalogue(tmp_path / "out")
    (record,) = catalogue.recognitions.values()
    assert record.kind == "credit-transfer"
    assert record.credits == 3
    assert record.granted_by == "Erewhon Education Agency"
    assert record.institution == "Erewhon University"
    assert catalogue.credentials[record.credential or ""].title == "Finance Exam"
    assert record.source_url.startswith("https://example.org/resources/")


def test_accreditation_by_a_quality_body_is_imported(tmp_path: Path) -> None:
    source = shared_data("ctdl", "HandbookExamples", "CredentialTypes", "basicDescription.json")
    outcome, _ = import_catalogue(source, "ctdl", tmp_path / "out", ALL_DEFAULTS)
    catalogue = load_catalogue(tmp_path / "out")
    (record,) = catalogue.recognitions.values()
    assert record.kind == "accreditation"
    assert record.granted_by == "Erewhon Education Agency"
    assert catalogue.providers[record.provider or ""].name == "Erewhon University"
    assert outcome.ok


def test_pathway_conditions_become_stacking_rules(tmp_path: Path) -> None:
    source = shared_data(
        "ctdl", "PathwaysConditionsAndConstraints", "Pathway-Examples", "HeriotWatt", "pathway.json"
    )
    outcome, _ = import_catalogue(source, "ctdl", tmp_path / "out", ALL_DEFAULTS)
    assert outcome.ok
    catalogue = load_catalogue(tmp_path / "out")
    (qualification,) = catalogue.qualifications.values()
    assert qualification.title == "BSc (hons) in Computer Science"
    assert len(qualification.rules.required) >= 20
    assert all(catalogue.credentials[c].type == "Course" for c in qualification.rules.required)


def test_alternative_pathway_routes_are_reported_not_invented(tmp_path: Path) -> None:
    source = shared_data(
        "ctdl",
        "PathwaysConditionsAndConstraints",
        "Pathway-Examples",
        "Badgr",
        "Badgr (Final) - EmpoweringTeachingExcellence_Nate.json",
    )
    outcome, _ = import_catalogue(source, "ctdl", tmp_path / "out", ALL_DEFAULTS)
    assert outcome.ok
    assert outcome.counts["qualifications"] == 0
    assert outcome.counts["credentials"] > 50
    assert any("alternative routes are not expressible" in w for w in outcome.warnings)


def test_every_published_ctdl_example_imports_into_a_valid_folder(tmp_path: Path) -> None:
    root = shared_data("ctdl")
    files = sorted(p for p in root.rglob("*") if p.suffix in (".json", ".jsonld"))
    imported = 0
    for number, source in enumerate(files):
        try:
            outcome, report = import_catalogue(source, "ctdl", tmp_path / str(number), ALL_DEFAULTS)
        except ImportSourceError:
            continue  # a few published examples are not valid JSON
        assert report.errors == [], (source, report.errors)
        imported += outcome.counts["credentials"]
    assert imported > 200


HAND_MADE = {
    "@context": {"res": "https://registry.example.org/resources/"},
    "@graph": [
        {
            "@id": "res:ce-org",
            "@type": "ceterms:CredentialOrganization",
            "ceterms:name": {"en": "Example Academy"},
            "ceterms:address": {"@type": "ceterms:Place", "ceterms:addressCountry": "NL"},
        },
        {
            "@id": "res:ce-badge",
            "@type": "ceterms:DigitalBadge",
            "ceterms:ctid": "ce-badge",
            "ceterms:name": {"en": "Data Basics"},
            "ceterms:ownedBy": "res:ce-org",
            "ceterms:subjectWebpage": "https://academy.example.org/data-basics",
            "ceterms:estimatedCost": [
                {"@type": "ceterms:CostProfile", "ceterms:price": 100, "ceterms:currency": "EUR"},
                {"@type": "ceterms:CostProfile", "ceterms:price": 50, "ceterms:currency": "EUR"},
            ],
            "ceterms:estimatedDuration": {
                "@type": "ceterms:DurationProfile",
                "ceterms:exactDuration": "P6W",
            },
            "ceterms:creditValue": {
                "@type": "ceterms:ValueProfile",
                "schema:value": 2,
                "ceterms:creditUnitType": {"ceterms:targetNode": "creditUnit:ECTS"},
            },
            "ceterms:deliveryType": {"ceterms:targetNode": "deliveryType:OnlineOnly"},
            "ceterms:accreditedBy": "res:ce-qa",
        },
        {
            "@id": "res:ce-qa",
            "@type": "ceterms:QACredentialOrganization",
            "ceterms:name": {"en": "Quality Agency"},
        },
    ],
}


def test_values_the_source_gives_are_mapped_and_only_missing_ones_need_defaults(
    tmp_path: Path,
) -> None:
    source = tmp_path / "graph.json"
    source.write_text(json.dumps(HAND_MADE))
    outcome, _ = import_catalogue(
        source,
        "ctdl",
        tmp_path / "out",
        {"domain": "data", "provider_kind": "company", "hours": "55"},
    )
    assert outcome.ok, outcome
    catalogue = load_catalogue(tmp_path / "out")
    badge = catalogue.credentials["ce-badge"]
    assert badge.type == "Badge"
    assert badge.price.amount == 150
    assert badge.duration_weeks == 6
    assert badge.workload.credits == 2
    assert badge.workload.credit_unit == "ECTS"
    assert badge.participation.mode == "online"
    assert catalogue.providers[badge.provider].country == "NL"
    (record,) = catalogue.recognitions.values()
    assert (record.kind, record.granted_by, record.credential) == (
        "accreditation",
        "Quality Agency",
        "ce-badge",
    )
    assert record.source_url == "https://academy.example.org/data-basics"


def test_import_command_reports_json_and_rejects_bad_input(tmp_path: Path) -> None:
    source = tmp_path / "graph.json"
    source.write_text(json.dumps(HAND_MADE))
    args = ["catalogue", "import", str(source), "--format", "ctdl", "--json"]
    result = CliRunner().invoke(
        app,
        [
            *args,
            "--out",
            str(tmp_path / "a"),
            "--default",
            "domain=data",
            "--default",
            "provider_kind=company",
            "--default",
            "hours=55",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    assert payload["counts"]["credentials"] == 1
    assert isinstance(payload["warnings"], list)
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{not json")
    result = CliRunner().invoke(
        app,
        [
            "catalogue",
            "import",
            str(bad),
            "--format",
            "ctdl",
            "--out",
            str(tmp_path / "b"),
            "--json",
        ],
    )
    assert result.exit_code == 2
    assert "not a readable JSON-LD file" in json.loads(result.stdout)["error"]
    result = CliRunner().invoke(
        app, [*args, "--out", str(tmp_path / "c"), "--default", "colour=red"]
    )
    assert result.exit_code == 2
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "a")])
    assert result.exit_code == 2  # the folder already holds a catalogue


def _course(node_id: str, name: str, **extra: object) -> dict[str, object]:
    return {
        "@id": f"res:{node_id}",
        "@type": "ceterms:Course",
        "ceterms:ctid": node_id,
        "ceterms:name": {"en": name},
        "ceterms:ownedBy": "res:ce-org",
        "ceterms:creditValue": {
            "@type": "ceterms:ValueProfile",
            "schema:value": 5,
            "ceterms:creditUnitType": {"ceterms:targetNode": "creditUnit:ECTS"},
        },
        **extra,
    }


def test_requires_means_prerequisite_on_a_course_and_stacking_on_a_certificate(
    tmp_path: Path,
) -> None:
    graph = {
        "@context": {"res": "https://registry.example.org/resources/"},
        "@graph": [
            HAND_MADE["@graph"][0],
            _course("ce-a", "Course A"),
            _course(
                "ce-b",
                "Course B",
                **{
                    "ceterms:requires": {
                        "@type": "ceterms:ConditionProfile",
                        "ceterms:targetLearningOpportunity": "res:ce-a",
                    }
                },
            ),
            _course("ce-c", "Course C"),
            {
                "@id": "res:ce-cert",
                "@type": "ceterms:Certificate",
                "ceterms:ctid": "ce-cert",
                "ceterms:name": {"en": "Certificate in Things"},
                "ceterms:ownedBy": "res:ce-org",
                "ceterms:requires": [
                    {
                        "@type": "ceterms:ConditionProfile",
                        "ceterms:targetLearningOpportunity": ["res:ce-a"],
                    },
                    {
                        "@type": "ceterms:ConditionProfile",
                        "ceterms:creditValue": {
                            "@type": "ceterms:ValueProfile",
                            "schema:value": 5,
                            "ceterms:creditUnitType": "creditUnit:ECTS",
                        },
                        "ceterms:targetLearningOpportunity": ["res:ce-b", "res:ce-c"],
                    },
                ],
            },
        ],
    }
    source = tmp_path / "graph.json"
    source.write_text(json.dumps(graph))
    defaults = {
        "domain": "things",
        "provider_kind": "company",
        "hours": "125",
        "price": "0",
        "weeks": "5",
        "mode": "online",
    }
    outcome, _ = import_catalogue(source, "ctdl", tmp_path / "out", defaults)
    assert outcome.ok, outcome
    catalogue = load_catalogue(tmp_path / "out")
    assert catalogue.credentials["ce-b"].prerequisites[0].credentials == ("ce-a",)
    rules = catalogue.qualifications["ce-cert"].rules
    assert rules.required == ("ce-a",)
    (pool,) = rules.elective_pools
    assert pool.credentials == ("ce-b", "ce-c")
    assert pool.min_credits == 5
    assert catalogue.qualifications["ce-cert"].credit_unit == "ECTS"
    # The same minimum without a unit cannot be stated: the qualification is skipped.
    del graph["@graph"][-1]["ceterms:requires"][1]["ceterms:creditValue"]["ceterms:creditUnitType"]
    source.write_text(json.dumps(graph))
    outcome, _ = import_catalogue(source, "ctdl", tmp_path / "out2", defaults)
    assert outcome.ok
    assert outcome.counts["qualifications"] == 0
    assert any("has no known unit" in w for w in outcome.warnings)
