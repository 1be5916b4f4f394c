"""Reading, schema, identity and reference checks on small broken catalogues."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from knowledge.errors import CatalogueError
from knowledge.loading import CatalogueInvalid, CatalogueUnreadable, load_catalogue
from knowledge.validation import validate_catalogue


def _errors(path: Path) -> list[tuple[str, str]]:
    catalogue, report = validate_catalogue(path)
    assert (catalogue is None) == (not report.ok)
    return [(problem.where, problem.message) for problem in report.errors]


def test_small_catalogue_loads_with_every_entry(write_catalogue, catalogue_files) -> None:
    catalogue = load_catalogue(write_catalogue(catalogue_files))
    assert catalogue.counts() == {
        "providers": 2,
        "skills": 2,
        "credentials": 3,
        "qualifications": 1,
        "roles": 1,
        "recognitions": 2,
    }
    assert catalogue.info.name == "Test catalogue"
    assert catalogue.stacks_into["cred.py1"] == ("qual.data",)


def test_invalid_catalogue_is_refused_whole_with_the_report(
    write_catalogue, catalogue_files
) -> None:
    catalogue_files["credentials/data.yaml"]["credentials"][0]["workload"]["hours"] = -3
    path = write_catalogue(catalogue_files)
    with pytest.raises(CatalogueInvalid) as caught:
        load_catalogue(path)
    assert isinstance(caught.value, CatalogueError)
    report = caught.value.report
    assert not report.ok
    assert (
        report.errors[0].where
        == "credentials/data.yaml: credentials[0] (cred.py1) > workload.hours"
    )
    assert report.counts["credentials"] == 3
    _, same = validate_catalogue(path)
    assert same == report


def test_every_schema_error_is_reported_at_once(write_catalogue, catalogue_files) -> None:
    credentials = catalogue_files["credentials/data.yaml"]["credentials"]
    credentials[0]["price"]["amount"] = "cheap"
    credentials[1]["type"] = "Hologram"
    credentials[2]["bogus_field"] = 1
    catalogue_files["providers.yaml"]["providers"][0]["country"] = "Netherlands"
    wheres = [where for where, _ in _errors(write_catalogue(catalogue_files))]
    assert "credentials/data.yaml: credentials[0] (cred.py1) > price.amount" in wheres
    assert "credentials/data.yaml: credentials[1] (cred.py2) > type" in wheres
    assert "credentials/data.yaml: credentials[2] (cred.acme) > bogus_field" in wheres
    assert "providers.yaml: providers[0] (prov.uni) > country" in wheres


def test_missing_info_file_is_an_error(write_catalogue, catalogue_files) -> None:
    del catalogue_files["catalogue.yaml"]
    assert _errors(write_catalogue(catalogue_files))[0][0] == "catalogue.yaml"


def test_empty_info_file_is_an_error_not_a_silent_refusal(write_catalogue, catalogue_files) -> None:
    catalogue_files["catalogue.yaml"] = ""
    path = write_catalogue(catalogue_files)
    assert _errors(path) == [("catalogue.yaml", "is empty: it needs at least a name")]
    with pytest.raises(CatalogueInvalid) as caught:
        load_catalogue(path)
    assert not caught.value.report.ok


def test_path_that_is_not_a_folder_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(CatalogueUnreadable):
        validate_catalogue(tmp_path / "nowhere")
    (tmp_path / "file.yaml").write_text("a: 1")
    with pytest.raises(CatalogueUnreadable):
        load_catalogue(tmp_path / "file.yaml")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("credentials: [unclosed\n", "invalid YAML at line"),
        (b"credentials: []\nname: caf\xe9\n", "not UTF-8"),
        ("- a\n- b\n", "must be a mapping"),
        ("courses: []\n", "unknown top-level key 'courses'"),
        ("credentials: 3\n", "must be a list of entries"),
        ("credentials:\n  - just a string\n", "valid dictionary"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
                for i in range(6)
            ),
            "alias",
        ),
        ("a: &a [*a]\n", None),
    ],
)
def test_unreadable_files_give_a_clear_error(
    write_catalogue, catalogue_files, content: Any, expected: str | None
) -> None:
    catalogue_files["broken.yaml"] = content
    errors = _errors(write_catalogue(catalogue_files))
    assert errors, "a broken file must make the catalogue invalid"
    assert errors[0][0].startswith("broken.yaml")
    if expected is not None:
        assert expected in errors[0][1]


def test_invalid_json_names_line_and_column(write_catalogue, catalogue_files) -> None:
    catalogue_files["extra.json"] = '{"credentials": [\n  {"id": }\n]}'
    (where, message), *_ = _errors(write_catalogue(catalogue_files))
    assert where == "extra.json"
    assert "line 2" in message


def test_deeply_nested_json_is_refused_without_a_traceback(
    write_catalogue, catalogue_files
) -> None:
    catalogue_files["deep.json"] = "[" * 200_000 + "]" * 200_000
    (where, _message), *_ = _errors(write_catalogue(catalogue_files))
    assert where == "deep.json"


def test_huge_file_is_refused_unread(write_catalogue, catalogue_files, monkeypatch) -> None:
    monkeypatch.setattr("knowledge.validation.reading.MAX_YAML_BYTES", 1000)
    catalogue_files["big.yaml"] = "# " + "x" * 2000 + "\n"
    (where, message), *_ = _errors(write_catalogue(catalogue_files))
    assert where == "big.yaml"
    assert "too large" in message


def test_hidden_and_foreign_files_are_ignored(write_catalogue, catalogue_files) -> None:
    catalogue_files[".git/config.yaml"] = "- not a mapping\n"
    catalogue_files["README.md"] = "# notes"
    assert _errors(write_catalogue(catalogue_files)) == []


def test_duplicate_ids_across_kinds_are_reported(write_catalogue, catalogue_files) -> None:
    credentials = catalogue_files["credentials/data.yaml"]["credentials"]
    credentials[2]["id"] = "cred.py1"
    catalogue_files["roles.yaml"]["roles"][0]["id"] = "skill.python"
    errors = _errors(write_catalogue(catalogue_files))
    messages = " | ".join(message for _, message in errors)
    assert "duplicate id 'cred.py1'" in messages
    assert "duplicate id 'skill.python': already used by the skill at skills.yaml" in messages


def test_duplicate_pool_ids_in_a_qualification_are_reported(
    write_catalogue, catalogue_files
) -> None:
    rules = catalogue_files["qualifications.yaml"]["qualifications"][0]["rules"]
    rules["elective_pools"].append({"id": "pool.a", "credentials": ["cred.acme"], "min_count": 1})
    assert any("duplicate elective pool" in m for _, m in _errors(write_catalogue(catalogue_files)))


def test_dangling_and_wrong_kind_references_are_reported(write_catalogue, catalogue_files) -> None:
    credentials = catalogue_files["credentials/data.yaml"]["credentials"]
    credentials[0]["provider"] = "prov.nobody"
    credentials[1]["prerequisites"] = [{"credentials": ["skill.python"]}]
    catalogue_files["skills.yaml"]["skills"][1]["depends_on"] = ["skill.ghost"]
    catalogue_files["qualifications.yaml"]["qualifications"][0]["rules"]["required"] = ["qual.x"]
    catalogue_files["roles.yaml"]["roles"][0]["asked_credentials"] = ["prov.uni"]
    records = catalogue_files["recognitions.json"]["recognitions"]
    records[0]["qualification"] = "qual.gone"
    records[1]["towards_qualification"] = "cred.py1"
    errors = dict(_errors(write_catalogue(catalogue_files)))
    cred = "credentials/data.yaml: credentials"
    assert errors[f"{cred}[0] (cred.py1) > provider"] == "unknown provider 'prov.nobody'"
    assert (
        errors[f"{cred}[1] (cred.py2) > prerequisites.0.credentials.0"]
        == "'skill.python' is a skill, not a credential"
    )
    assert errors["skills.yaml: skills[1] (skill.pandas) > depends_on.0"] == (
        "unknown skill 'skill.ghost'"
    )
    assert "qualifications.yaml: qualifications[0] (qual.data) > rules.required.0" in errors
    assert errors["roles.yaml: roles[0] (role.analyst) > asked_credentials.0"] == (
        "'prov.uni' is a provider, not a credential or qualification"
    )
    assert errors["recognitions.json: recognitions[0] (rec.acc) > qualification"] == (
        "unknown qualification 'qual.gone'"
    )
    assert "recognitions.json: recognitions[1] (rec.transfer) > towards_qualification" in errors


def test_reference_to_a_schema_invalid_entry_is_not_reported_twice(
    write_catalogue, catalogue_files
) -> None:
    catalogue_files["providers.yaml"]["providers"][1]["kind"] = "guild"
    errors = _errors(write_catalogue(catalogue_files))
    assert [where for where, _ in errors] == ["providers.yaml: providers[1] (prov.acme) > kind"]


def test_recognition_valid_until_before_valid_from_is_an_error(
    write_catalogue, catalogue_files
) -> None:
    record = catalogue_files["recognitions.json"]["recognitions"][0]
    record["valid_from"] = "2025-01-01"
    record["valid_until"] = "2024-01-01"
    errors = _errors(write_catalogue(catalogue_files))
    assert errors == [
        ("recognitions.json: recognitions[0] (rec.acc)", "valid_until is before valid_from")
    ]
