"""Plausibility check: levels within scales and numbers a real catalogue has.

Errors (the catalogue is refused):

* a skill level above the skill's own scale (credential, prerequisite, role);
* hours per credit outside the band of the credit unit (``HOURS_PER_CREDIT``;
  ECTS is 25-30 hours per credit, so 10..60 leaves room for national practice
  while catching hours typed as minutes or credits typed as hours);
* more than ``MAX_HOURS_PER_WEEK`` study hours per week of duration;
* a price or award fee over 100,000 EUR (converted roughly for common
  currencies; other currencies are not checked).

Warnings (loading goes on):

* a ``MicroCredential`` with fewer than 5 or more than 450 notional hours.
  The EU Recommendation sets no bounds; published micro-credentials run from
  about a fifth of an ECTS credit to 15 ECTS (450 hours at 30 h/ECTS), so
  anything outside 5..450 is more likely a typo or a mistyped credential;
* more than ``BUSY_HOURS_PER_WEEK`` hours per week (heavier than full-time);
* ``min_total_credits`` above 480 (beyond any single degree);
* a credit-transfer record granting more credits than the credential carries.
"""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.schema import Credential, Price, Qualification, Recognition, Skill
from knowledge.validation.identity import Indexed
from knowledge.validation.report import Problems

#: Plausible notional hours per credit, by credit unit.
HOURS_PER_CREDIT: Mapping[str, tuple[float, float]] = {
    "ECTS": (10.0, 60.0),  # 25-30 h by definition
    "US-credit": (15.0, 90.0),  # a semester credit hour: ~45 h with study time
    "CEU": (5.0, 20.0),  # 10 contact hours
    "CPD-hour": (0.5, 2.0),  # one hour
    "UK-credit": (5.0, 20.0),  # 10 notional hours
    "SCQF": (5.0, 20.0),  # 10 notional hours
}
MICRO_HOURS = (5.0, 450.0)
BUSY_HOURS_PER_WEEK = 60.0
MAX_HOURS_PER_WEEK = 112.0  # 16 hours a day, every day
MAX_PRICE_EUR = 100_000.0
MAX_TOTAL_CREDITS = 480.0
#: Rough units per euro, only to scale the price ceiling (not for display).
_UNITS_PER_EUR: Mapping[str, float] = {
    "EUR": 1,
    "USD": 1,
    "GBP": 0.85,
    "CHF": 0.95,
    "CAD": 1.5,
    "AUD": 1.6,
    "NZD": 1.8,
    "SGD": 1.45,
    "SEK": 11,
    "NOK": 11,
    "DKK": 7.5,
    "PLN": 4.3,
    "CZK": 25,
    "HUF": 390,
    "RON": 5,
    "JPY": 160,
    "KRW": 1450,
    "CNY": 7.8,
    "INR": 90,
    "ZAR": 20,
    "BRL": 5.5,
    "MXN": 19,
}


def check_plausibility(indexed: Indexed, problems: Problems) -> None:
    """Report levels above scales and implausible numbers."""
    skills: dict[str, Skill] = indexed.tables["skills"]
    credentials: dict[str, Credential] = indexed.tables["credentials"]
    for cid, credential in credentials.items():
        where = indexed.where[cid]
        _check_levels_of_credential(credential, where, skills, problems)
        _check_workload(credential, where, problems)
        _check_price(credential.price, f"{where} > price.amount", problems)
    for rid, role in indexed.tables["roles"].items():
        for index, needed in enumerate(role.required_skills):
            _check_level(
                skills,
                needed.skill,
                needed.level,
                f"{indexed.where[rid]} > required_skills.{index}.level",
                problems,
            )
    for qid, qualification in indexed.tables["qualifications"].items():
        _check_qualification_numbers(qualification, indexed.where[qid], problems)
    for rid, record in indexed.tables["recognitions"].items():
        _check_transfer_credits(record, indexed.where[rid], credentials, problems)


def _check_level(
    skills: Mapping[str, Skill], skill_id: str, level: int, where: str, problems: Problems
) -> None:
    skill = skills.get(skill_id)
    if skill is not None and level > skill.max_level:
        problems.error(
            where, f"level {level} is above the top of {skill_id!r}'s scale ({skill.max_level})"
        )


def _check_levels_of_credential(
    credential: Credential, where: str, skills: Mapping[str, Skill], problems: Problems
) -> None:
    for index, taught in enumerate(credential.skills):
        _check_level(
            skills, taught.skill, taught.level, f"{where} > skills.{index}.level", problems
        )
    for group_index, group in enumerate(credential.prerequisites):
        for index, needed in enumerate(group.skills):
            path = f"{where} > prerequisites.{group_index}.skills.{index}.level"
            _check_level(skills, needed.skill, needed.level, path, problems)


def _check_workload(credential: Credential, where: str, problems: Problems) -> None:
    workload = credential.workload
    if workload.credits:
        low, high = HOURS_PER_CREDIT[workload.credit_unit]
        ratio = workload.hours / workload.credits
        if not low <= ratio <= high:
            problems.error(
                f"{where} > workload",
                f"{workload.hours:g} hours for {workload.credits:g} {workload.credit_unit} is "
                f"{ratio:.1f} hours per credit, outside the plausible {low:g}..{high:g}",
            )
    per_week = workload.hours / credential.duration_weeks
    if per_week > MAX_HOURS_PER_WEEK:
        problems.error(
            f"{where} > duration_weeks",
            f"{workload.hours:g} hours in {credential.duration_weeks:g} weeks is {per_week:.0f} "
            f"hours a week, more than {MAX_HOURS_PER_WEEK:g}",
        )
    elif per_week > BUSY_HOURS_PER_WEEK:
        problems.warn(
            f"{where} > duration_weeks",
            f"{per_week:.0f} study hours a week is heavier than full-time study",
        )
    low_hours, high_hours = MICRO_HOURS
    if credential.type == "MicroCredential" and not low_hours <= workload.hours <= high_hours:
        problems.warn(
            f"{where} > workload.hours",
            f"{workload.hours:g} hours is outside the usual {low_hours:g}..{high_hours:g} "
            "for a micro-credential",
        )


def _check_price(price: Price, where: str, problems: Problems) -> None:
    rate = _UNITS_PER_EUR.get(price.currency)
    if rate is not None and price.amount > MAX_PRICE_EUR * rate:
        problems.error(
            where,
            f"{price.amount:,.0f} {price.currency} is implausibly high for a credential "
            f"(over {MAX_PRICE_EUR:,.0f} EUR)",
        )


def _check_qualification_numbers(
    qualification: Qualification, where: str, problems: Problems
) -> None:
    if qualification.award_fee is not None:
        _check_price(qualification.award_fee, f"{where} > award_fee.amount", problems)
    total = qualification.rules.min_total_credits
    if total is not None and total > MAX_TOTAL_CREDITS:
        problems.warn(
            f"{where} > rules.min_total_credits",
            f"{total:g} credits is more than any single degree ({MAX_TOTAL_CREDITS:g})",
        )


def _check_transfer_credits(
    record: Recognition, where: str, credentials: Mapping[str, Credential], problems: Problems
) -> None:
    if record.kind != "credit-transfer" or record.credits is None or not record.credential:
        return
    credential = credentials.get(record.credential)
    carried = credential.workload.credits if credential is not None else None
    if carried is not None and record.credits > carried:
        problems.warn(
            f"{where} > credits",
            f"grants {record.credits:g} credits for {record.credential!r}, "
            f"which carries only {carried:g}",
        )
