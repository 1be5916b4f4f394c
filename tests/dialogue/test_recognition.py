"""Recognition answers: only catalogue records, cited; conflicts shown; gaps said plainly."""

from __future__ import annotations

import datetime as dt

from coach.recognition import explain_verification, find_recognition, render_findings
from coach.wallet.result import AchievementSummary, Check, Party, VerificationResult
from knowledge.schema import Catalogue
from tests.dialogue.catalogue import INJECTION, TODAY


def test_accreditation_lists_each_record_with_its_source(catalogue: Catalogue) -> None:
    findings = find_recognition(catalogue, "python-data", aspect="accreditation", today=TODAY)
    assert {f.record_id for f in findings.findings} == {"rec-acc-eu", "rec-acc-fr-refused"}
    answer = render_findings(findings)
    urls = {c.url for c in answer.citations}
    assert "https://example.org/acc/python-data" in urls
    assert "https://example.org/acc/fr" in urls
    assert answer.citations[0].id == "python-data"


def test_granted_in_one_country_refused_in_another_is_a_conflict(catalogue: Catalogue) -> None:
    findings = find_recognition(
        catalogue, "python-data", aspect="accreditation", country="DE", today=TODAY
    )
    assert [f.record_id for f in findings.findings] == ["rec-acc-eu"]
    assert findings.conflicts
    assert findings.conflicts[0].granted == ("rec-acc-eu",)
    assert findings.conflicts[0].not_granted == ("rec-acc-fr-refused",)
    answer = render_findings(findings)
    assert "conflict" in answer.text.lower()
    assert {"rec-acc-eu", "rec-acc-fr-refused"} <= {c.id for c in answer.citations}


def test_country_without_records_says_not_in_the_catalogue(catalogue: Catalogue) -> None:
    findings = find_recognition(
        catalogue, "python-data", aspect="accreditation", country="ES", today=TODAY
    )
    assert findings.findings == ()
    answer = render_findings(findings)
    assert answer.text.startswith("Not in the catalogue")
    assert "ES" in answer.text
    assert "won't guess" in answer.text


def test_nothing_recorded_at_all_is_said_plainly_with_what_to_check(catalogue: Catalogue) -> None:
    answer = render_findings(
        find_recognition(catalogue, "data-viz", aspect="endorsement", today=TODAY)
    )
    assert answer.text.startswith("Not in the catalogue")
    assert "employers" in answer.text
    assert [c.id for c in answer.citations] == ["data-viz"]


def test_credit_transfer_states_credits_target_and_conditions(catalogue: Catalogue) -> None:
    answer = render_findings(
        find_recognition(catalogue, "python-data", aspect="credit-transfer", today=TODAY)
    )
    assert "4 credits towards Certificate in Data Analytics" in answer.text
    assert "grade B or better" in answer.text
    assert "rec-credit" in {c.id for c in answer.citations}


def test_lapsed_records_are_shown_as_no_longer_current(catalogue: Catalogue) -> None:
    findings = find_recognition(catalogue, "sql-basics", aspect="endorsement", today=TODAY)
    assert [f.record_id for f in findings.findings] == ["rec-endorse"]
    assert [f.record_id for f in findings.lapsed] == ["rec-old"]
    answer = render_findings(findings)
    assert "No longer current" in answer.text
    # Before the end date the same record is current.
    earlier = find_recognition(
        catalogue, "sql-basics", aspect="endorsement", today=dt.date(2024, 6, 1)
    )
    assert {f.record_id for f in earlier.findings} == {"rec-endorse", "rec-old"}


def test_expiry_comes_from_the_credential_validity(catalogue: Catalogue) -> None:
    expiring = render_findings(
        find_recognition(catalogue, "python-data", aspect="expiry", today=TODAY)
    )
    assert "valid for 36 months" in expiring.text
    assert "refresher exam" in expiring.text
    lasting = render_findings(
        find_recognition(catalogue, "sql-basics", aspect="expiry", today=TODAY)
    )
    assert "does not expire" in lasting.text


def test_framework_level_is_reported_with_its_framework(catalogue: Catalogue) -> None:
    answer = render_findings(
        find_recognition(catalogue, "sql-basics", aspect="framework-level", today=TODAY)
    )
    assert "EQF level 5" in answer.text
    assert "rec-eqf" in {c.id for c in answer.citations}


def test_injected_text_in_the_catalogue_changes_no_finding(catalogue: Catalogue) -> None:
    answer = render_findings(find_recognition(catalogue, "python-data", today=TODAY))
    assert "European Commission" not in answer.text
    assert "1 EUR" not in answer.text
    assert "system prompt" not in answer.text.lower()


def _verification(status: str, reasons: tuple[str, ...] = ()) -> VerificationResult:
    return VerificationResult.model_validate(
        {
            "status": status,
            "format": "ob3-data-integrity",
            "reasons": reasons,
            "checks": [
                Check(id="proof", ok=status == "valid", detail="signature"),
                Check(id="status", ok=None if status == "indeterminate" else True, detail="list"),
            ],
            "issuer": Party(id="did:web:example.org", name="Northbridge University"),
            "achievement": AchievementSummary(
                id="urn:ach:sql", name="SQL Basics. " + INJECTION, description=INJECTION
            ),
        }
    )


def test_a_valid_badge_is_explained_and_injection_in_its_name_is_inert(
    catalogue: Catalogue,
) -> None:
    answer = explain_verification(catalogue, _verification("valid"), record_id="w1")
    assert answer.text.startswith("This badge is authentic")
    assert "accredited by the European Commission" not in answer.text.split('"')[0]
    assert answer.citations[0].id == "w1"


def test_a_tampered_badge_is_not_authentic_and_says_why(catalogue: Catalogue) -> None:
    answer = explain_verification(catalogue, _verification("invalid", ("bad_signature",)))
    assert "NOT authentic" in answer.text
    assert "altered or forged" in answer.text
    assert "Failed checks: proof" in answer.text
