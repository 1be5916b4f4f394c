"""Cycles, unsatisfiable qualifications, levels, implausible numbers, recognition records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from knowledge.validation import validate_catalogue

CRED = "credentials/data.yaml: credentials"
QUAL = "qualifications.yaml: qualifications[0] (qual.data)"


def _problems(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    catalogue, report = validate_catalogue(path)
    assert (catalogue is None) == (not report.ok)
    errors = {problem.where: problem.message for problem in report.errors}
    warnings = {problem.where: problem.message for problem in report.warnings}
    return errors, warnings


def _credentials(files: dict[str, Any]) -> list[dict[str, Any]]:
    return files["credentials/data.yaml"]["credentials"]


def _rules(files: dict[str, Any]) -> dict[str, Any]:
    return files["qualifications.yaml"]["qualifications"][0]["rules"]


def test_prerequisite_cycle_is_reported_with_the_loop(write_catalogue, catalogue_files) -> None:
    _credentials(catalogue_files)[0]["prerequisites"] = [{"credentials": ["cred.py2"]}]
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors == {
        f"{CRED}[0] (cred.py1) > prerequisites": (
            "prerequisite cycle: cred.py1 -> cred.py2 -> cred.py1 (none can be earned)"
        )
    }


def test_self_prerequisite_and_skill_cycle_are_reported(write_catalogue, catalogue_files) -> None:
    _credentials(catalogue_files)[2]["prerequisites"] = [
        {"credentials": ["cred.acme", "cred.py1"], "min_count": 1}
    ]
    catalogue_files["skills.yaml"]["skills"][0]["depends_on"] = ["skill.pandas"]
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert "cred.acme -> cred.acme" in errors[f"{CRED}[2] (cred.acme) > prerequisites"]
    assert errors["skills.yaml: skills[1] (skill.pandas) > depends_on"] == (
        "skill dependency cycle: skill.pandas -> skill.python -> skill.pandas"
    )


def test_long_prerequisite_chain_is_not_a_cycle(write_catalogue, catalogue_files) -> None:
    chain = [
        {**_credentials(catalogue_files)[0], "id": f"cred.c{i}"}
        | ({"prerequisites": [{"credentials": [f"cred.c{i - 1}"]}]} if i else {})
        for i in range(3000)
    ]
    catalogue_files["chain.json"] = {"credentials": chain}
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors == {}


def test_required_credential_below_min_level_makes_qualification_unsatisfiable(
    write_catalogue, catalogue_files
) -> None:
    _credentials(catalogue_files)[0]["eqf_level"] = 4
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors[f"{QUAL} > rules.required.0"] == (
        "required credential 'cred.py1' is at EQF level 4, below the rules' min_level 6: "
        "it can never count"
    )


def test_pool_count_unreachable_is_reported(write_catalogue, catalogue_files) -> None:
    _rules(catalogue_files)["elective_pools"][0]["min_count"] = 3
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors[f"{QUAL} > rules.elective_pools.0"] == (
        "pool 'pool.a' needs 3 credentials but only 2 of its credentials can count"
    )


def test_pool_members_below_min_level_do_not_count(write_catalogue, catalogue_files) -> None:
    _credentials(catalogue_files)[2]["eqf_level"] = 5
    _rules(catalogue_files)["elective_pools"][0]["min_count"] = 2
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert "only 1 of its credentials" in errors[f"{QUAL} > rules.elective_pools.0"]


def test_pool_credits_capped_by_transfer_limit_are_unreachable(
    write_catalogue, catalogue_files
) -> None:
    pool = _rules(catalogue_files)["elective_pools"][0]
    pool["credentials"] = ["cred.acme"]
    pool["min_credits"] = 2
    _rules(catalogue_files)["max_transfer_credits"] = 1
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors[f"{QUAL} > rules.elective_pools.0"] == (
        "pool 'pool.a' needs 2 credits but its credentials give at most 1 "
        "(2 from other providers, capped at 1)"
    )


def test_min_total_credits_unreachable_is_reported(write_catalogue, catalogue_files) -> None:
    _rules(catalogue_files)["min_total_credits"] = 7
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors[f"{QUAL} > rules.min_total_credits"] == (
        "needs 7 credits but required and elective credentials give at most 6"
    )


def test_transfer_cap_makes_min_total_unreachable(write_catalogue, catalogue_files) -> None:
    _rules(catalogue_files)["min_total_credits"] = 6
    _rules(catalogue_files)["max_transfer_credits"] = 1
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert "capped at 1" in errors[f"{QUAL} > rules.min_total_credits"]


def test_pools_that_together_exceed_the_transfer_cap_are_reported(
    write_catalogue, catalogue_files
) -> None:
    catalogue_files["more.yaml"] = {
        "credentials": [
            {**_credentials(catalogue_files)[2], "id": "cred.acme2"},
        ]
    }
    rules = _rules(catalogue_files)
    rules["elective_pools"] = [
        {"id": "pool.a", "credentials": ["cred.acme"], "min_credits": 2},
        {"id": "pool.b", "credentials": ["cred.acme2"], "min_credits": 2},
    ]
    rules["max_transfer_credits"] = 3
    rules["min_total_credits"] = None
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors[f"{QUAL} > rules.max_transfer_credits"] == (
        "the pools together need 4 credits from other providers, above max_transfer_credits 3"
    )


def test_pools_sharing_credentials_are_checked_jointly(write_catalogue, catalogue_files) -> None:
    rules = _rules(catalogue_files)
    rules["elective_pools"] = [
        {"id": "pool.a", "credentials": ["cred.py2", "cred.acme"], "min_count": 1},
        {"id": "pool.b", "credentials": ["cred.py2", "cred.acme"], "min_count": 2},
    ]
    rules["max_transfer_credits"] = None
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert "cannot be met together" in errors[f"{QUAL} > rules"]
    # The same pools with one credential each are satisfiable.
    rules["elective_pools"][1]["min_count"] = 1
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors == {}


def test_credential_in_pool_and_required_is_a_warning(write_catalogue, catalogue_files) -> None:
    _rules(catalogue_files)["elective_pools"][0]["credentials"].append("cred.py1")
    errors, warnings = _problems(write_catalogue(catalogue_files))
    assert errors == {}
    assert "also required" in warnings[f"{QUAL} > rules.elective_pools.0"]


def test_levels_above_the_skill_scale_are_reported(write_catalogue, catalogue_files) -> None:
    _credentials(catalogue_files)[0]["skills"] = [{"skill": "skill.python", "level": 5}]
    _credentials(catalogue_files)[1]["prerequisites"][0]["skills"] = [
        {"skill": "skill.python", "level": 6}
    ]
    catalogue_files["roles.yaml"]["roles"][0]["required_skills"][0]["level"] = 7
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors[f"{CRED}[0] (cred.py1) > skills.0.level"] == (
        "level 5 is above the top of 'skill.python''s scale (4)"
    )
    assert f"{CRED}[1] (cred.py2) > prerequisites.0.skills.0.level" in errors
    assert "roles.yaml: roles[0] (role.analyst) > required_skills.0.level" in errors


def test_implausible_hours_per_credit_price_and_pace_are_errors(
    write_catalogue, catalogue_files
) -> None:
    credentials = _credentials(catalogue_files)
    credentials[0]["workload"] = {"hours": 50, "credits": 20, "credit_unit": "ECTS"}
    credentials[1]["price"] = {"amount": 150_000, "currency": "EUR"}
    credentials[2]["duration_weeks"] = 0.25
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors[f"{CRED}[0] (cred.py1) > workload"] == (
        "50 hours for 20 ECTS is 2.5 hours per credit, outside the plausible 10..60"
    )
    assert "implausibly high" in errors[f"{CRED}[1] (cred.py2) > price.amount"]
    assert "200 hours a week" in errors[f"{CRED}[2] (cred.acme) > duration_weeks"]


def test_price_ceiling_scales_with_currency(write_catalogue, catalogue_files) -> None:
    _credentials(catalogue_files)[0]["price"] = {"amount": 150_000, "currency": "JPY"}
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert errors == {}


def test_negative_numbers_are_schema_errors(write_catalogue, catalogue_files) -> None:
    _credentials(catalogue_files)[0]["price"]["amount"] = -1
    _credentials(catalogue_files)[1]["workload"]["credits"] = -2
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert f"{CRED}[0] (cred.py1) > price.amount" in errors
    assert f"{CRED}[1] (cred.py2) > workload.credits" in errors


def test_tiny_micro_credential_is_a_warning_only(write_catalogue, catalogue_files) -> None:
    _credentials(catalogue_files)[0]["workload"] = {"hours": 2}
    errors, warnings = _problems(write_catalogue(catalogue_files))
    assert errors == {}
    assert "micro-credential" in warnings[f"{CRED}[0] (cred.py1) > workload.hours"]


def test_recognition_records_must_say_what_they_recognise(write_catalogue, catalogue_files) -> None:
    records = catalogue_files["recognitions.json"]["recognitions"]
    del records[1]["towards_qualification"]
    del records[1]["credits"]
    records.append(
        {
            "id": "rec.eqf",
            "kind": "framework-level",
            "granted_by": "NLQF",
            "qualification": "qual.data",
            "detail": "Level in the NLQF",
            "source_url": "https://example.org/nlqf",
        }
    )
    records.append({**records[0], "id": "rec.none", "qualification": None})
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert (
        "towards_qualification, institution or credits"
        in errors["recognitions.json: recognitions[1] (rec.transfer)"]
    )
    assert errors["recognitions.json: recognitions[2] (rec.eqf)"] == (
        "a framework-level record must give framework_level"
    )
    assert "must cover a credential" in errors["recognitions.json: recognitions[3] (rec.none)"]


def test_transfer_granting_more_than_the_credential_carries_is_a_warning(
    write_catalogue, catalogue_files
) -> None:
    catalogue_files["recognitions.json"]["recognitions"][1]["credits"] = 5
    errors, warnings = _problems(write_catalogue(catalogue_files))
    assert errors == {}
    assert (
        "carries only 2" in warnings["recognitions.json: recognitions[1] (rec.transfer) > credits"]
    )


def test_all_problem_classes_are_reported_in_one_run(write_catalogue, catalogue_files) -> None:
    _credentials(catalogue_files)[0]["prerequisites"] = [{"credentials": ["cred.py2"]}]
    _credentials(catalogue_files)[1]["provider"] = "prov.ghost"
    _credentials(catalogue_files)[2]["title"] = ""
    _rules(catalogue_files)["min_total_credits"] = 100
    catalogue_files["roles.yaml"]["roles"][0]["required_skills"][0]["level"] = 8
    errors, _ = _problems(write_catalogue(catalogue_files))
    assert len(errors) == 5
