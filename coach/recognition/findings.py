"""Gather what the catalogue's recognition records say about one entry."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from knowledge.schema import Catalogue, Recognition

Aspect = Literal[
    "any",
    "accreditation",
    "endorsement",
    "credit-transfer",
    "country",
    "framework-level",
    "expiry",
]

#: Which record kinds answer which question.
_KINDS: dict[str, frozenset[str]] = {
    "accreditation": frozenset({"accreditation", "regulatory"}),
    "endorsement": frozenset({"endorsement"}),
    "credit-transfer": frozenset({"credit-transfer"}),
    "framework-level": frozenset({"framework-level"}),
}

#: EU member states: a record for ``EU`` covers each of them.
EU_MEMBERS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Value):
    """One recognition record, as it applies to the question."""

    record_id: str
    kind: str
    outcome: str
    granted_by: str
    about: str  # the entry the record covers (the credential itself or its provider)
    about_title: str
    countries: tuple[str, ...] = ()
    institution: str | None = None
    towards_qualification: str | None = None
    towards_title: str | None = None
    credits: float | None = None
    framework: str | None = None
    framework_level: int | None = None
    detail: str
    conditions: str = ""
    valid_until: dt.date | None = None
    current: bool = True
    source_url: str


class Conflict(_Value):
    """Records of one kind that disagree (granted here, refused or partial there)."""

    kind: str
    granted: tuple[str, ...]
    not_granted: tuple[str, ...]


class ExpiryFacts(_Value):
    """What the catalogue says about the credential's own validity."""

    months: int | None
    renewal: str = ""


class RecognitionFindings(_Value):
    """Everything the catalogue holds on the question, and nothing else."""

    subject_id: str
    subject_title: str
    subject_url: str | None = None
    aspect: Aspect
    country: str | None = None
    findings: tuple[Finding, ...] = ()
    lapsed: tuple[Finding, ...] = ()
    elsewhere: tuple[Finding, ...] = ()  # matching kind, other countries (country questions)
    conflicts: tuple[Conflict, ...] = ()
    expiry: ExpiryFacts | None = None
    today: dt.date

    @property
    def empty(self) -> bool:
        return not self.findings and self.expiry is None


def _finding(catalogue: Catalogue, record: Recognition, about: str, today: dt.date) -> Finding:
    towards = record.towards_qualification
    return Finding(
        record_id=record.id,
        kind=record.kind,
        outcome=record.outcome,
        granted_by=record.granted_by,
        about=about,
        about_title=catalogue.title_of(about) or about,
        countries=record.countries,
        institution=record.institution,
        towards_qualification=towards,
        towards_title=catalogue.title_of(towards) if towards else None,
        credits=record.credits,
        framework=record.framework,
        framework_level=record.framework_level,
        detail=record.detail,
        conditions=record.conditions,
        valid_until=record.valid_until,
        current=record.is_current(today),
        source_url=record.source_url,
    )


def _conflicts(findings: tuple[Finding, ...]) -> tuple[Conflict, ...]:
    out: list[Conflict] = []
    for kind in sorted({f.kind for f in findings}):
        same = [f for f in findings if f.kind == kind]
        granted = tuple(f.record_id for f in same if f.outcome == "granted")
        other = tuple(f.record_id for f in same if f.outcome != "granted")
        if granted and other:
            out.append(Conflict(kind=kind, granted=granted, not_granted=other))
        elif len({f.outcome for f in same}) > 1:
            # partial beside refused: still records that disagree
            out.append(Conflict(kind=kind, granted=(), not_granted=other))
    return tuple(out)


def _subject_url(catalogue: Catalogue, subject_id: str) -> str | None:
    for table in (catalogue.credentials, catalogue.qualifications, catalogue.providers):
        entry = table.get(subject_id)
        if entry is not None:
            return entry.url
    return None


def find_recognition(
    catalogue: Catalogue,
    subject_id: str,
    *,
    aspect: Aspect = "any",
    country: str | None = None,
    today: dt.date,
) -> RecognitionFindings:
    """What the catalogue's records say about ``subject_id`` for this question.

    Records about the credential's provider (institutional accreditation) count
    too, marked by ``Finding.about``. Lapsed records (``valid_until`` before
    ``today``) are kept apart so an answer can say they no longer apply.
    """
    credential = catalogue.credentials.get(subject_id)
    subjects = [subject_id]
    provider_id = None
    if credential is not None:
        provider_id = credential.provider
    elif subject_id in catalogue.qualifications:
        provider_id = catalogue.qualifications[subject_id].provider
    if provider_id and provider_id != subject_id:
        subjects.append(provider_id)

    kinds = _KINDS.get(aspect)
    candidates: list[Finding] = []
    seen: set[str] = set()
    for about in subjects:
        for record in catalogue.recognitions_by_subject.get(about, ()):
            if record.id in seen:
                continue
            seen.add(record.id)
            if kinds is not None and record.kind not in kinds:
                continue
            if aspect == "expiry" and record.valid_until is None:
                continue  # an expiry question is about end dates only
            # A provider's records speak to a credential only as institutional standing.
            if about != subject_id and record.kind not in ("accreditation", "regulatory"):
                continue
            candidates.append(_finding(catalogue, record, about, today))

    elsewhere: list[Finding] = []
    if country is not None:
        matching = [f for f in candidates if not f.countries or _covers(f, country)]
        elsewhere = [f for f in candidates if f.countries and not _covers(f, country)]
        candidates = matching
    current = tuple(f for f in candidates if f.current)
    lapsed = tuple(f for f in candidates if not f.current)

    expiry = None
    if credential is not None and aspect in ("expiry", "any"):
        expiry = ExpiryFacts(months=credential.validity.months, renewal=credential.validity.renewal)
    return RecognitionFindings(
        subject_id=subject_id,
        subject_title=catalogue.title_of(subject_id) or subject_id,
        subject_url=_subject_url(catalogue, subject_id),
        aspect=aspect,
        country=country,
        findings=current,
        lapsed=lapsed,
        elsewhere=tuple(f for f in elsewhere if f.current),
        conflicts=_conflicts(current + tuple(f for f in elsewhere if f.current)),
        expiry=expiry,
        today=today,
    )


def _covers(finding: Finding, country: str) -> bool:
    if country in finding.countries:
        return True
    return "EU" in finding.countries and country in EU_MEMBERS
