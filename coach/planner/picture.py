"""The pathway picture: a week timeline of the steps with stacking arrows into the target.

``svg(result)`` writes the SVG by hand (every text escaped) for the web;
``png(result)`` draws the same picture with matplotlib's Agg backend for Telegram;
``render_pathway`` wraps either as an ``Answer`` attachment with alt text.
"""

from __future__ import annotations

import io
from html import escape

from coach.answer import Attachment
from coach.planner.result import PlanResult
from knowledge.schema import Catalogue

_ROW = 34
_LEFT = 230
_WIDTH = 760
_TARGET_W = 170
_TOP = 46


def _label(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scale(result: PlanResult) -> float:
    weeks = max(result.totals.weeks, 1)
    return (_WIDTH - _LEFT - _TARGET_W - 40) / weeks


def svg(result: PlanResult) -> str:
    """The picture as a standalone SVG document."""
    steps = result.steps
    height = _TOP + max(len(steps), 1) * _ROW + 50
    unit = _scale(result)
    target_x = _WIDTH - _TARGET_W - 10
    target_y = _TOP + max(len(steps), 1) * _ROW / 2 - 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" font-family="sans-serif" font-size="12">',
        '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>',
        f"<title>{escape(f'Pathway to {result.target_title or result.target}')}</title>",
        f'<text x="10" y="22" font-size="15" font-weight="bold">'
        f"{escape(_label(f'Pathway to {result.target_title or result.target}', 90))}</text>",
    ]
    if not result.feasible:
        reason = result.infeasible_reason or "no plan fits"
        out.append(f'<text x="10" y="{_TOP + 10}" fill="#a00">{escape(_label(reason, 110))}</text>')
    rows: dict[str, float] = {}
    for index, step in enumerate(steps):
        y = _TOP + index * _ROW
        rows[step.id] = y
        x = _LEFT + (step.start_week - 1) * unit
        w = max((step.end_week - step.start_week + 1) * unit, 4)
        out.append(f'<text x="10" y="{y + 17}">{escape(_label(step.title))}</text>')
        out.append(
            f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{_ROW - 10}" rx="4" '
            f'fill="#4a7fb5"><title>{escape(step.reason)}</title></rect>'
        )
        out.append(
            f'<text x="{x + 4:.1f}" y="{y + 20}" fill="#fff" font-size="10">'
            f"w{step.start_week}-{step.end_week}</text>"
        )
        out.append(
            f'<path d="M{x + w:.1f},{y + _ROW / 2} L{target_x},{target_y + 20}" '
            'stroke="#999" fill="none" marker-end="url(#arrow)"/>'
        )
    for step in steps:
        for before in step.after:
            if before in rows:
                y0 = rows[before] + _ROW / 2
                y1 = rows[step.id] + _ROW / 2
                out.append(
                    f'<path d="M{_LEFT - 8},{y0} C{_LEFT - 30},{y0} '
                    f'{_LEFT - 30},{y1} {_LEFT - 8},{y1}" '
                    'stroke="#c77" fill="none" marker-end="url(#arrow)"/>'
                )
    colour = "#3a8a4a" if result.feasible else "#a33"
    out.append(
        f'<rect x="{target_x}" y="{target_y}" width="{_TARGET_W}" height="40" rx="6" '
        f'fill="{colour}"/>'
    )
    out.append(
        f'<text x="{target_x + 8}" y="{target_y + 25}" fill="#fff">'
        f"{escape(_label(result.target_title or result.target, 24))}</text>"
    )
    totals = result.totals
    summary = f"{totals.weeks} weeks, {totals.hours:g} h, cost {totals.cost:g}"
    out.append(f'<text x="10" y="{height - 14}" fill="#333">{escape(summary)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def png(result: PlanResult) -> bytes:
    """The picture as PNG bytes (matplotlib, Agg backend: no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    steps = result.steps
    figure = Figure(figsize=(9, 1.2 + 0.5 * max(len(steps), 1)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    weeks = max(result.totals.weeks, 1)
    target_x = weeks + 1.5
    middle = (len(steps) - 1) / 2 if steps else 0
    for index, step in enumerate(steps):
        axes.barh(
            index,
            step.end_week - step.start_week + 1,
            left=step.start_week - 1,
            color="#4a7fb5",
        )
        axes.annotate(
            "",
            xy=(target_x, middle),
            xytext=(step.end_week, index),
            arrowprops={"arrowstyle": "->", "color": "#999"},
        )
    axes.text(
        target_x,
        middle,
        _label(result.target_title or result.target, 24),
        va="center",
        color="white",
        bbox={"boxstyle": "round", "fc": "#3a8a4a" if result.feasible else "#a33"},
    )
    axes.set_yticks(range(len(steps)), [_label(s.title, 30) for s in steps])
    axes.invert_yaxis()
    rows = {step.id: index for index, step in enumerate(steps)}
    for index, step in enumerate(steps):
        for before in step.after:
            if before in rows:
                earlier = steps[rows[before]]
                axes.annotate(
                    "",
                    xy=(step.start_week - 1, index),
                    xytext=(earlier.end_week, rows[before]),
                    arrowprops={"arrowstyle": "->", "color": "#c77"},
                )
    axes.set_xlim(0, target_x + max(4.0, weeks * 0.45))
    axes.set_xlabel("week")
    title = f"Pathway to {result.target_title or result.target}"
    if not result.feasible:
        title += f": {_label(result.infeasible_reason or 'no plan fits', 60)}"
    axes.set_title(title, fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def alt_text(result: PlanResult) -> str:
    """The picture in words, for screen readers and text-only channels."""
    name = result.target_title or result.target
    if not result.feasible:
        return f"Pathway to {name}: no plan fits ({result.infeasible_reason or 'see the text'})."
    chain = " -> ".join(f"{s.title} (weeks {s.start_week}-{s.end_week})" for s in result.steps)
    return f"Pathway to {name}: {chain or 'already reached'} -> {name}."


def render_pathway(
    catalogue: Catalogue, result: PlanResult, *, media_type: str = "image/png"
) -> Attachment:
    """The pathway picture as an attachment (PNG for chat channels, SVG for the web)."""
    del catalogue  # the result already carries every title the picture shows
    if media_type == "image/svg+xml":
        return Attachment(
            media_type="image/svg+xml",
            name=f"pathway-{result.target}.svg",
            alt=alt_text(result),
            data=svg(result).encode("utf-8"),
        )
    return Attachment(
        media_type="image/png",
        name=f"pathway-{result.target}.png",
        alt=alt_text(result),
        data=png(result),
    )
