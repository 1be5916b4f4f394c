"""The radar chart: a real PNG for Telegram and a real SVG for the web."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from coach.assessment import AssessmentResult, advance, render_radar, start
from knowledge.schema import Catalogue
from tests.assessment.conftest import TODAY


def _result(catalogue: Catalogue) -> AssessmentResult:
    step = start(catalogue, "data-analyst", today=TODAY)
    answers = iter(["3", "1", "skip", "2", "0", "2", "2"])
    while not step.done:
        step = advance(catalogue, step.state, next(answers), today=TODAY)
    assert step.result is not None
    return step.result


def test_png_radar_is_a_png_image(catalogue: Catalogue) -> None:
    chart = render_radar(_result(catalogue), fmt="png")
    assert chart.media_type == "image/png"
    assert chart.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.name.endswith(".png")
    assert "Data Analyst" in chart.alt
    assert "1 not assessed" in chart.alt


def test_svg_radar_names_every_skill_and_marks_unknowns(catalogue: Catalogue) -> None:
    result = _result(catalogue)
    chart = render_radar(result, fmt="svg")
    assert chart.media_type == "image/svg+xml"
    root = ET.fromstring(chart.data)
    assert root.tag.endswith("svg")
    text = chart.data.decode()
    for gap in result.gaps:
        assert gap.name in text
    unknown = next(g for g in result.gaps if g.status == "unknown")
    assert f"{unknown.name} (?)" in text


def test_same_result_gives_the_same_svg(catalogue: Catalogue) -> None:
    result = _result(catalogue)
    assert render_radar(result, fmt="svg").data == render_radar(result, fmt="svg").data


def test_attachment_survives_json(catalogue: Catalogue) -> None:
    chart = render_radar(_result(catalogue), fmt="png")
    assert type(chart).model_validate_json(chart.model_dump_json()) == chart


def test_unknown_format_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match="png or svg"):
        render_radar(_result(catalogue), fmt="gif")  # type: ignore[arg-type]
