"""Extraction of amounts, currencies, hours, weeks, countries and objectives."""

from __future__ import annotations

import pytest

from coach.dialogue.extract import (
    Money,
    extract_countries,
    extract_hours_per_week,
    extract_money,
    extract_objective,
    extract_weeks,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("under €500", Money(amount=500, currency="EUR")),
        ("I can spend 300 dollars", Money(amount=300, currency="USD")),
        ("max 1,200 EUR", Money(amount=1200, currency="EUR")),
        ("£49.50 at most", Money(amount=49.5, currency="GBP")),
        ("$2k tops", Money(amount=2000, currency="USD")),
        ("CHF 800", Money(amount=800, currency="CHF")),
        ("my budget is 750", Money(amount=750, currency=None)),
        ("I can afford up to 1 500", Money(amount=1500, currency=None)),
        ("budget 1k", Money(amount=1000, currency=None)),
    ],
)
def test_money_is_read_with_its_currency(text: str, expected: Money) -> None:
    assert extract_money(text) == expected


@pytest.mark.parametrize(
    "text", ["I only have 5 hours a week", "within 3 months", "hello", "level 3", "EQF 5"]
)
def test_money_is_not_invented_from_other_numbers(text: str) -> None:
    assert extract_money(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I only have 5 hours a week", 5),
        ("10h/week max", 10),
        ("about 7.5 hrs per week", 7.5),
        ("five hours per week", 5),
        ("2 hours a day", 14),
        ("I study 3 hours weekly", 3),
    ],
)
def test_hours_per_week(text: str, expected: float) -> None:
    assert extract_hours_per_week(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["it takes 40 hours", "in 12 weeks", "hours of fun"])
def test_hours_without_a_week_are_not_weekly_capacity(text: str) -> None:
    assert extract_hours_per_week(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I need it in 12 weeks", 12),
        ("within 3 months", 13),
        ("in a year", 52),
        ("I only have 6 weeks", 6),
        ("over the next two months", 8.7),
    ],
)
def test_weeks(text: str, expected: float) -> None:
    assert extract_weeks(text) == pytest.approx(expected, abs=0.1)


def test_weeks_need_a_horizon_word() -> None:
    assert extract_weeks("it lasts 8 weeks long") is None
    assert extract_weeks("hello") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("and in Germany?", ("DE",)),
        ("is it recognised in France or Spain", ("FR", "ES")),
        ("valid in the UK?", ("GB",)),
        ("for German employers", ("DE",)),
        ("what about in DE", ("DE",)),
        ("across the European Union", ("EU",)),
        ("in the Netherlands and in the Netherlands", ("NL",)),
    ],
)
def test_countries_in_order_of_mention(text: str, expected: tuple[str, ...]) -> None:
    assert extract_countries(text) == expected


@pytest.mark.parametrize("text", ["is it good", "tell me about it", "in it to win it", "hello"])
def test_no_country_from_ordinary_words(text: str) -> None:
    assert extract_countries(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("make it cheaper", "cheapest"),
        ("I need something faster", "fastest"),
        ("the most recognised route", "recognized"),
        ("a balanced plan", "balanced"),
        ("a plan please", None),
    ],
)
def test_objective(text: str, expected: str | None) -> None:
    assert extract_objective(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,200", 1200), ("1 200", 1200), ("2.5", 2.5), ("3k", 3000), ("twelve", 12), ("x", None)],
)
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected
