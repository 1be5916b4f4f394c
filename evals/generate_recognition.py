"""Generated cases from a catalogue's recognition records.

One question per record in the words a learner uses for its kind (who accredits
it, which employers endorse it, does it transfer for credit, is it approved by a
regulator, which framework level), plus: recognised in a country the record
names, when it expires, a refused or lapsed record said as such, conflicting
records shown as a conflict, and a country no record covers ("not in the
catalogue"). ``today`` decides what has lapsed, as it does for the coach.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from knowledge.schema import Catalogue, Recognition

_ASK = {
    "accreditation": "Who accredits {subject}?",
    "endorsement": "Which employers endorse {subject}?",
    "credit-transfer": "Does {subject} transfer for credit?",
    "regulatory": "Is {subject} approved by a regulator?",
    "framework-level": "Which framework level is {subject}?",
}
_NOUN = {
    "accreditation": "accreditation",
    "endorsement": "endorsement",
    "credit-transfer": "credit transfer",
    "regulatory": "regulatory approval",
    "framework-level": "framework levelling",
}
_REFUSED = ["refused", "not recognised", "not accepted", "does not count", "not eligible"]
_LAPSED = ["no longer", "expired", "ended", "lapsed", "past"]
_CONFLICT = ["conflict", "disagree"]
#: Country names a learner would type; other codes are asked as the code itself.
COUNTRY_NAMES = {
    "AT": "Austria",
    "BE": "Belgium",
    "CH": "Switzerland",
    "DE": "Germany",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "the United Kingdom",
    "IE": "Ireland",
    "IT": "Italy",
    "NL": "the Netherlands",
    "PL": "Poland",
    "PT": "Portugal",
    "SE": "Sweden",
    "US": "the United States",
}
#: Far-away countries for "not in the catalogue" questions (skipped when a record names one).
_ELSEWHERE = (("JP", "Japan"), ("BR", "Brazil"), ("AU", "Australia"), ("ZA", "South Africa"))


def _subject(record: Recognition) -> str:
    return str(record.credential or record.qualification or record.provider)


def recognition_cases(catalogue: Catalogue, today: dt.date, limit: int) -> list[dict[str, Any]]:
    """Every kind of recognition question the records can answer (at most ``limit`` each)."""
    cases: list[dict[str, Any]] = []
    cases += _record_cases(catalogue, today, limit)
    cases += _country_cases(catalogue, limit)
    cases += _expiry_cases(catalogue, today, limit)
    cases += _conflict_cases(catalogue, today, limit)
    cases += _absent_country_cases(catalogue, limit)
    return cases


def _record_cases(catalogue: Catalogue, today: dt.date, limit: int) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for rid, record in catalogue.recognitions.items():
        subject = _subject(record)
        title = catalogue.title_of(subject)
        if title is None or counts.get(record.kind, 0) >= limit:
            continue
        counts[record.kind] = counts.get(record.kind, 0) + 1
        expect: dict[str, Any] = {"facts": [record.granted_by], "citations": [rid]}
        tags = ["recognition", f"recognition:{record.kind}", f"outcome:{record.outcome}"]
        if not record.is_current(today):
            # A lapsed record is named with its end; its figures no longer apply.
            expect["any_of"] = _LAPSED
            tags.append("lapsed")
        else:
            expect["facts"].extend(_figures(catalogue, record))
            if record.outcome == "refused":
                expect["any_of"] = _REFUSED
        cases.append(
            {
                "id": f"recognition-{rid}",
                "kind": "ask",
                "tags": [*tags, "generated"],
                "question": _ASK[record.kind].format(subject=title),
                "expect": expect,
            }
        )
    return cases


def _figures(catalogue: Catalogue, record: Recognition) -> list[Any]:
    """What a current record states: the qualification credited, credits, framework level."""
    figures: list[Any] = []
    if record.towards_qualification:
        towards = catalogue.title_of(record.towards_qualification)
        if towards:
            figures.append(towards)
    if record.credits:
        figures.append(record.credits)
    if record.framework_level is not None:
        figures.append(record.framework_level)
    return figures


def _country_cases(catalogue: Catalogue, limit: int) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for rid, record in catalogue.recognitions.items():
        title = catalogue.title_of(_subject(record))
        if title is None or not record.countries or len(cases) >= limit:
            continue
        code = record.countries[0]
        cases.append(
            {
                "id": f"country-{rid}",
                "kind": "ask",
                "tags": ["recognition", "country", "generated"],
                "question": f"Is {title} recognised in {COUNTRY_NAMES.get(code, code)}?",
                "expect": {"facts": [record.granted_by], "citations": [rid]},
            }
        )
    return cases


def _expiry_cases(catalogue: Catalogue, today: dt.date, limit: int) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for rid, record in catalogue.recognitions.items():
        title = catalogue.title_of(_subject(record))
        if title is None or record.valid_until is None or not record.is_current(today):
            continue
        if len(cases) >= limit:
            break
        cases.append(
            {
                "id": f"record-expiry-{rid}",
                "kind": "ask",
                "tags": ["recognition", "expiry", "generated"],
                "question": f"When does the {_NOUN[record.kind]} of {title} expire?",
                "expect": {"facts": [record.valid_until.isoformat()], "citations": [rid]},
            }
        )
    for cid, credential in list(catalogue.credentials.items())[:limit]:
        months = credential.validity.months
        expect: dict[str, Any] = {"citations": [cid]}
        if months:
            expect["facts"] = [months]
        else:
            expect["any_of"] = ["does not expire", "no expiry", "never expires", "no end date"]
        cases.append(
            {
                "id": f"validity-{cid}",
                "kind": "ask",
                "tags": ["expiry", "generated"],
                "question": f"Does {credential.title} expire?",
                "expect": expect,
            }
        )
    return cases


def _conflict_cases(catalogue: Catalogue, today: dt.date, limit: int) -> list[dict[str, Any]]:
    """A subject with a granted and a refused current record of one kind: both, as a conflict."""
    groups: dict[tuple[str, str], list[Recognition]] = {}
    for record in catalogue.recognitions.values():
        if record.is_current(today):
            groups.setdefault((_subject(record), record.kind), []).append(record)
    cases: list[dict[str, Any]] = []
    for (subject, kind), records in groups.items():
        outcomes = {r.outcome for r in records}
        title = catalogue.title_of(subject)
        if title is None or not {"granted", "refused"} <= outcomes or len(cases) >= limit:
            continue
        chosen = [r for r in records if r.outcome in ("granted", "refused")]
        cases.append(
            {
                "id": f"conflict-{kind}-{subject}",
                "kind": "ask",
                "tags": ["recognition", "conflict", f"recognition:{kind}", "generated"],
                "question": _ASK[kind].format(subject=title),
                "expect": {"any_of": _CONFLICT, "citations": [r.id for r in chosen]},
            }
        )
    return cases


def _absent_country_cases(catalogue: Catalogue, limit: int) -> list[dict[str, Any]]:
    """Subjects whose every record names its countries, asked about a country none names."""
    cases: list[dict[str, Any]] = []
    for subject, records in catalogue.recognitions_by_subject.items():
        credential = catalogue.credentials.get(subject)
        if credential is None or len(cases) >= limit:
            continue
        # The provider's records (an institution's accreditation) answer for its credentials too.
        records = (*records, *catalogue.recognitions_by_subject.get(credential.provider, ()))
        if any(not r.countries for r in records):
            continue  # a record without countries is not limited to any; skip the subject
        named = {code for r in records for code in r.countries}
        code, name = next(((c, n) for c, n in _ELSEWHERE if c not in named), ("", ""))
        if not code:
            continue
        title = credential.title
        cases.append(
            {
                "id": f"country-absent-{subject}",
                "kind": "ask",
                "tags": ["recognition", "country", "not-in-catalogue", "generated"],
                "question": f"Is {title} recognised in {name}?",
                "expect": {"refusal": True, "citations": [subject]},
            }
        )
    return cases
