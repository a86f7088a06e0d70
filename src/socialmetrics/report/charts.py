"""Small inline SVG charts: no JavaScript, no network, readable on a phone and in print.

Values are numbers only; labels are escaped by the caller's template engine, and the few
strings written here (titles) go through `markupsafe.escape`.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape


def sparkline(
    values: Sequence[float | None], color: str, width: int = 120, height: int = 28
) -> Markup:
    """A 12-month trend line; gaps (months without data) break the line instead of dropping to 0."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return Markup("")
    lo = min(v for _, v in points)
    hi = max(v for _, v in points)
    span = (hi - lo) or 1.0
    step = width / max(1, len(values) - 1)
    segments: list[list[str]] = []
    current: list[str] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{i * step:.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}")
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline fill="none" stroke="{escape(color)}" stroke-width="2" points="{" ".join(s)}"/>'
        for s in segments
        if len(s) > 1
    )
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="trend">{lines}</svg>'
    )


def bars(
    values: Sequence[float | None], color: str, title: str, width: int = 640, height: int = 160
) -> Markup:
    """Daily bars for one metric; a missing day has no bar (not a zero bar)."""
    present = [v for v in values if v is not None]
    if not present:
        return Markup("")
    top = max(present) or 1.0
    slot = width / len(values)
    fill = escape(color)
    rects = "".join(
        f'<rect x="{i * slot + 1:.1f}" y="{height - 18 - v / top * (height - 30):.1f}" '
        f'width="{max(1.0, slot - 2):.1f}" height="{v / top * (height - 30):.1f}" fill="{fill}"/>'
        for i, v in enumerate(values)
        if v is not None
    )
    return Markup(
        f'<svg class="bars" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f'<text x="0" y="12" font-size="12">{escape(title)}</text>{rects}'
        f'<line x1="0" x2="{width}" y1="{height - 18}" y2="{height - 18}" stroke="#999"/></svg>'
    )
