"""Which credentials a request leaves out, how long each takes, how well it is recognised.

Scheduling model (the weeks every planner counts): credentials run one after
another; a self-paced credential takes ``ceil(hours / hours_per_week)`` weeks at
up to the learner's weekly capacity; a cohort credential takes its
``duration_weeks`` (rounded up) and needs ``hours / weeks`` a week, so it is left
out when that exceeds the capacity. When the learner states no capacity, self-paced
credentials go at ``DEFAULT_HOURS_PER_WEEK`` and cohorts at their own pace.
"""

from __future__ import annotations

import datetime as dt
import math

from coach.planner.request import DEFAULT_HOURS_PER_WEEK, PlanRequest
from knowledge.schema import Catalogue, Credential

#: Weight of each recognition kind in the "best recognised" score (granted; partial halves).
RECOGNITION_WEIGHT = {
    "accreditation": 4,
    "regulatory": 4,
    "endorsement": 3,
    "credit-transfer": 2,
    "framework-level": 1,
}


def weeks_for(credential: Credential, hours_per_week: float | None) -> int | None:
    """Weeks the credential takes at this capacity, or None when it cannot fit."""
    hours = credential.workload.hours
    if credential.participation.pacing == "cohort":
        weeks = max(1, math.ceil(credential.duration_weeks - 1e-9))
        if hours_per_week is None:
            return weeks
        return weeks if hours / weeks <= hours_per_week + 1e-9 else None
    pace = DEFAULT_HOURS_PER_WEEK if hours_per_week is None else hours_per_week
    return max(1, math.ceil(hours / pace - 1e-9))


def recognised_in(
    catalogue: Catalogue, credential: Credential, country: str, today: dt.date
) -> bool:
    """A current, not refused record for the credential or its provider in ``country``."""
    by_subject = catalogue.recognitions_by_subject
    for subject in (credential.id, credential.provider):
        for record in by_subject.get(subject, ()):
            if record.outcome == "refused" or not record.is_current(today):
                continue
            if record.credential and record.credential != credential.id:
                continue
            if country in record.countries or ("EU" in record.countries and country != "EU"):
                return True
    return False


def recognition_score(catalogue: Catalogue, credential: Credential, today: dt.date) -> int:
    score = 0
    for record in catalogue.recognitions_by_subject.get(credential.id, ()):
        if record.credential != credential.id or not record.is_current(today):
            continue
        weight = RECOGNITION_WEIGHT.get(record.kind, 1)
        if record.outcome == "granted":
            score += 2 * weight
        elif record.outcome == "partial":
            score += weight
    return score


def filter_reason(
    catalogue: Catalogue, credential: Credential, request: PlanRequest, today: dt.date
) -> str | None:
    """Which request filter leaves the credential out (None: it passes)."""
    if credential.provider in request.providers_avoid:
        return "providers_avoid"
    if request.modality and credential.participation.mode != request.modality:
        return "modality"
    if request.language and request.language not in credential.languages:
        return "language"
    if request.country and not recognised_in(catalogue, credential, request.country, today):
        return "country"
    if weeks_for(credential, request.hours_per_week) is None:
        return "hours_per_week"
    return None
