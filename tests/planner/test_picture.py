"""The pathway picture: valid SVG with escaped text, and a PNG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from coach.planner import PlanRequest, make_plan
from coach.planner.picture import png, render_pathway, svg
from knowledge.schema import Catalogue
from tests.planner.factory import TODAY, catalogue, cred, group, profile, qual


def _catalogue() -> Catalogue:
    tricky = cred("a", cost=10).model_copy(update={"title": 'R&D <basics> "quoted"'})
    return catalogue(
        [tricky, cred("b", prereq=(group(credentials=("a",)),))],
        qualifications=[qual("q", required=("b",))],
    )


def test_svg_is_well_formed_and_escapes_titles() -> None:
    result = make_plan(_catalogue(), PlanRequest(target="q"), profile(), today=TODAY)
    document = svg(result)
    root = ET.fromstring(document)
    texts = [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any('R&D <basics> "quoted"' in t for t in texts)
    assert "&lt;basics&gt;" in document
    assert document.count("marker-end") >= 3  # two arrows into the target, one stacking arrow


def test_png_draws_feasible_and_infeasible_plans() -> None:
    cat = _catalogue()
    for request in (PlanRequest(target="q"), PlanRequest(target="q", budget=1)):
        data = png(make_plan(cat, request, profile(), today=TODAY))
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 2000


def test_render_pathway_gives_an_attachment_with_alt_text() -> None:
    cat = _catalogue()
    result = make_plan(cat, PlanRequest(target="q"), profile(), today=TODAY)
    image = render_pathway(cat, result)
    assert image.media_type == "image/png"
    assert image.data.startswith(b"\x89PNG")
    assert "weeks 1-" in image.alt
    web = render_pathway(cat, result, media_type="image/svg+xml")
    assert web.data.startswith(b"<svg")
