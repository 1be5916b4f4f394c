"""Radar chart of current versus required levels (PNG for Telegram, SVG for the web).

Rendered with matplotlib's Agg backend (no display). Unknown levels are drawn
at zero and marked "?" in the axis label, so the picture never claims more than
the assessment found.
"""

from __future__ import annotations

import io
import math
from typing import Literal

from coach.answer import Attachment
from coach.assessment.result import AssessmentResult

ChartFormat = Literal["png", "svg"]

_MEDIA: dict[str, Literal["image/png", "image/svg+xml"]] = {
    "png": "image/png",
    "svg": "image/svg+xml",
}


def _label(name: str, unknown: bool) -> str:
    short = name if len(name) <= 22 else name[:21] + "…"
    return short + (" (?)" if unknown else "")


def render_radar(result: AssessmentResult, fmt: ChartFormat = "png") -> Attachment:
    """Current (filled) against required (dashed) levels of every target skill."""
    if fmt not in _MEDIA:
        raise ValueError(f"unknown chart format {fmt!r}: use png or svg")
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    gaps = list(result.gaps)
    count = len(gaps)
    angles = [2 * math.pi * i / count for i in range(count)] if count else []
    required = [float(g.required) for g in gaps]
    current = [float(g.current or 0) for g in gaps]
    top = max([g.max_level for g in gaps] + [1])

    figure = Figure(figsize=(6.4, 6.4), dpi=100)
    axes = figure.add_subplot(projection="polar")
    if count:
        closed = [*angles, angles[0]]
        axes.plot(
            closed,
            [*required, required[0]],
            linestyle="--",
            color="#b5523b",
            linewidth=1.8,
            label="Required",
        )
        axes.plot(closed, [*current, current[0]], color="#2b6cb0", linewidth=2.0, label="You now")
        axes.fill(closed, [*current, current[0]], color="#2b6cb0", alpha=0.25)
        axes.set_xticks(angles)
        axes.set_xticklabels([_label(g.name, g.status == "unknown") for g in gaps], fontsize=8)
    axes.set_ylim(0, top)
    axes.set_yticks(range(1, top + 1))
    axes.set_yticklabels([str(v) for v in range(1, top + 1)], fontsize=7, color="#555555")
    axes.set_title(f"Skills for {result.target.title}", fontsize=11, pad=18)
    axes.legend(loc="upper right", bbox_to_anchor=(1.18, 1.12), fontsize=8, frameon=False)
    figure.tight_layout()

    buffer = io.BytesIO()
    # Fixed metadata so the same result always gives the same bytes.
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context({"svg.hashsalt": "stackwise", "svg.fonttype": "none"}):
        figure.savefig(buffer, format=fmt, metadata=metadata)
    met = sum(1 for g in gaps if g.status == "met")
    unknown = sum(1 for g in gaps if g.status == "unknown")
    alt = (
        f"Radar chart of {count} skills for {result.target.title}: your level against the "
        f"required level; {met} met, {count - met - unknown} with a gap, {unknown} not assessed."
    )
    return Attachment(
        media_type=_MEDIA[fmt],
        name=f"skills-radar.{fmt}",
        alt=alt,
        data=buffer.getvalue(),
    )
