"""The report's charts: Vega-Lite specs built with Altair, drawn to SVG offline by vl-convert.

Why this pair: Vega-Lite is a well-kept grammar whose specs are plain JSON, so the very chart
of the static report (an inline SVG in the HTML, vectors in the PDF) can later be shown
interactive on a web page; vl-convert draws it with no browser and no network. Axis numbers and
dates are formatted by the d3 locale of the report's language (`12.345`, `3 nov`).

Every text from data (content types, notes, platform names) goes into the spec as data, and
vl-convert writes it escaped into the SVG: `<script>` in a note stays text. A chart is a
`<figure class="chart">` in the report; each of its SVGs has axes with tick labels, except the
cards' sparklines (`class="spark"`), which only show a trend.

Specs are built inside `building()` and serialised with `validate=False`: Altair's JSON-schema
checks cost more than drawing; the tests validate every kind of spec once instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import altair as alt
from markupsafe import Markup

# No font is named in the specs: vl-convert looks a named font up for every text it measures
# (~35 ms a chart); its default sans-serif measures the same, and the page's CSS gives the SVG
# texts the report's font.
FAINT = "#9aa1a9"
"""The previous period's line: there to compare with, not to read first."""
NOTE = "#8250df"
WIDTH = 620


@dataclass(frozen=True)
class Marker:
    """A date to point at on a daily chart: the month's best post, or an analyst's note."""

    day: dt.date
    label: str
    kind: str  # "best_post" or "note"


@dataclass
class Spec:
    """A chart: its Altair definition, whose data are named datasets, and those datasets.

    The rows join the Vega-Lite spec only when it is serialised (`datasets`, inline: the SVG
    needs no file or server): Altair deep-copies a chart's data at every step of building
    it, which cost more than drawing."""

    chart: Any
    datasets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def data(self, rows: list[dict[str, Any]]) -> Any:
        """Name a dataset of this chart; what a mark's `data` is set to."""
        name = f"data{len(self.datasets)}"
        self.datasets[name] = rows
        return alt.NamedData(name)

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        spec: dict[str, Any] = self.chart.to_dict(validate=validate)
        spec["datasets"] = self.datasets
        return spec


@cache
def _d3_locales() -> tuple[set[str], set[str]]:
    import vl_convert

    # vl-convert raises for an unknown name; probing the few we may ask for is cheap
    names: set[Any] = {
        "en-US",
        "es-ES",
        "pt-BR",
        "pt-PT",
        "fr-FR",
        "de-DE",
        "it-IT",
        "ca-ES",
        "es-MX",
    }
    fmt, time = set(), set()
    for name in names:
        try:
            vl_convert.get_format_locale(name)
            fmt.add(name)
        except ValueError:
            pass
        try:
            vl_convert.get_time_format_locale(name)
            time.add(name)
        except ValueError:
            pass
    return fmt, time


def d3_locale(babel_locale: str) -> str:
    """`es_ES` -> `es-ES`: the d3 locale vl-convert formats numbers and dates with (en-US if it
    has none for the language)."""
    name = babel_locale.replace("_", "-")
    fmt, time = _d3_locales()
    return name if name in fmt and name in time else "en-US"


def render(chart: Spec, locale: str, css_class: str = "chart-svg") -> Markup:
    """The chart as an inline SVG element (markup: vl-convert escapes every text it writes)."""
    return render_spec(chart.to_dict(), locale, css_class)


def render_spec(spec: dict[str, Any], locale: str, css_class: str = "chart-svg") -> Markup:
    """A Vega-Lite spec (`Spec.to_dict`) drawn as `render` draws it."""
    import vl_convert

    name: Any = locale  # one of d3's locale names (d3_locale)
    svg = vl_convert.vegalite_to_svg(spec, format_locale=name, time_format_locale=name)
    return _finished(svg, css_class)


def _finished(svg: str, css_class: str) -> Markup:
    """vl-convert's SVG as the page holds it: its class, coordinates cut, ids stable."""
    svg = svg.replace('class="marks"', f'class="{css_class}" role="img"', 1)
    return Markup(_stable_ids(_rounded(svg)))


GEOMETRY = re.compile(r'\b(d|transform|points|x|y|x1|x2|y1|y2|width|height)="([^"]*)"')
LONG_NUMBER = re.compile(r"(-?\d+\.\d)\d+")


def _rounded(svg: str) -> str:
    """Coordinates to a tenth of a pixel (vl-convert writes 15 decimals): a third of the
    bytes, which the PDF engine parses, for no visible difference. Only geometry attributes
    are touched; texts keep every digit."""
    return GEOMETRY.sub(lambda m: m[1] + '="' + LONG_NUMBER.sub(r"\1", m[2]) + '"', svg)


def building() -> AbstractContextManager[None]:
    """Build specs without Altair's per-object schema check (its "debug mode" validates every
    object as it is made: ~4x the cost of drawing); the tests validate each kind of spec."""
    from altair.utils.schemapi import debug_mode

    return debug_mode(False)


SVG_ID = re.compile(r'\bid="([^"]+)"')


def _stable_ids(svg: str) -> str:
    """Rename the SVG's ids (vl-convert numbers gradients and clips with a counter of the
    process: `gradient_4`) after the chart's content: the same chart gives the same bytes in
    any process, and two different charts inline in one page never share an id."""
    ids = list(dict.fromkeys(SVG_ID.findall(svg)))
    if not ids:
        return svg

    def rename(text: str, names: dict[str, str]) -> str:
        for old, new in names.items():
            text = text.replace(f'id="{old}"', f'id="{new}"')
            text = text.replace(f"url(#{old})", f"url(#{new})").replace(f'"#{old}"', f'"#{new}"')
        return text

    plain = rename(svg, {old: f"id{i}" for i, old in enumerate(ids)})
    digest = hashlib.sha1(plain.encode(), usedforsecurity=False).hexdigest()[:10]
    return rename(svg, {old: f"c{digest}-{i}" for i, old in enumerate(ids)})


CONFIG = {
    "background": "white",
    "view": {"stroke": None},
    "axis": {"labelFontSize": 10, "titleFontSize": 11, "gridColor": "#eaeef2"},
    "title": {"fontSize": 13, "anchor": "start"},
}


def _base(spec: Spec, chart: Any, title: str, height: int) -> Spec:
    """The report's look, set in one step (each Altair step copies the chart)."""
    spec.chart = chart.properties(width=WIDTH, height=height, title=title, config=CONFIG)
    return spec


def daily(
    current: Sequence[tuple[dt.date, float | None]],
    previous: Sequence[tuple[dt.date, float | None]],
    *,
    title: str,
    color: str,
    current_label: str,
    previous_label: str,
    markers: Sequence[Marker] = (),
) -> Spec:
    """One metric day by day: the month as a line in the brand colour, the previous month
    faint beneath it (day 1 over day 1), the best post as a point and each note as a
    numbered rule on its day. A missing day is a gap, never a zero."""
    spec = Spec(None)
    days = {d.day: d for d, _ in current}
    rows = [{"date": d.isoformat(), "value": v, "series": current_label} for d, v in current]
    rows += [
        {"date": days[d.day].isoformat(), "value": v, "series": previous_label}
        for d, v in previous
        if d.day in days
    ]
    scale = alt.Scale(domain=[current_label, previous_label], range=[color, FAINT])
    x = alt.X(
        "date:T",
        title=None,
        axis=alt.Axis(format="%e %b", labelOverlap=True, tickCount={"interval": "day", "step": 4}),
    )
    lines = (
        alt.Chart(spec.data(rows))
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format=",~f", tickCount=5)),
            color=alt.Color("series:N", scale=scale, legend=alt.Legend(orient="top", title=None)),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=[current_label, previous_label], range=[[1, 0], [4, 3]]),
                legend=None,
            ),
        )
    )
    layers: list[Any] = [lines]
    value_of = dict(current)
    best = [
        {"date": m.day.isoformat(), "value": value_of.get(m.day), "label": m.label}
        for m in markers
        if m.kind == "best_post" and value_of.get(m.day) is not None
    ]
    if best:
        marked = alt.Chart(spec.data(best)).encode(x=x, y=alt.Y("value:Q"))
        layers.append(marked.mark_point(size=120, filled=True, color=color, shape="diamond"))
        layers.append(
            marked.mark_text(dy=-12, fontSize=10, color=color).encode(text=alt.Text("label:N"))
        )
    notes = [
        {"date": m.day.isoformat(), "label": m.label}
        for m in markers
        if m.kind == "note" and m.day.day in days
    ]
    if notes:
        ruled = alt.Chart(spec.data(notes)).encode(x=x)
        layers.append(ruled.mark_rule(color=NOTE, strokeDash=[2, 2]))
        layers.append(
            ruled.mark_text(align="left", dx=3, dy=6, fontSize=10, color=NOTE, y=0).encode(
                text=alt.Text("label:N")
            )
        )
    return _base(spec, alt.layer(*layers), title, 150)


def trend(points: Sequence[tuple[dt.date, float | None]], *, title: str, color: str) -> Spec:
    """A monthly line (e.g. followers over the last 12 months); months without data are gaps."""
    spec = Spec(None)
    rows = [{"month": m.isoformat(), "value": v} for m, v in points]
    chart = (
        alt.Chart(spec.data(rows))
        .mark_line(point=alt.OverlayMarkDef(color=color), color=color, strokeWidth=2)
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %y", tickCount="month")),
            y=alt.Y(
                "value:Q",
                title=None,
                scale=alt.Scale(zero=False),
                axis=alt.Axis(format=",~f", tickCount=5),
            ),
        )
    )
    return _base(spec, chart, title, 140)


def bars(
    rows: Sequence[tuple[str, float | None]], *, title: str, color: str, value_format: str = ",~f"
) -> Spec:
    """Horizontal bars, one per label (content types), each with its value written at its end."""
    spec = Spec(None)
    data = [{"label": label, "value": v} for label, v in rows if v is not None]
    base = alt.Chart(spec.data(data)).encode(
        y=alt.Y("label:N", title=None, sort=None),
        x=alt.X("value:Q", title=None, axis=alt.Axis(format=value_format, tickCount=5)),
    )
    chart = base.mark_bar(color=color) + base.mark_text(align="left", dx=3, fontSize=10).encode(
        text=alt.Text("value:Q", format=value_format)
    )
    return _base(spec, chart, title, max(40, 22 * len(data)))


def share(rows: Sequence[tuple[str, str, float]], colors: dict[str, str], *, title: str) -> Spec:
    """Each metric (a row of the chart) split by platform, as parts of 100%:
    rows of (metric label, platform label, share of the total)."""
    spec = Spec(None)
    data = [{"metric": m, "platform": p, "share": s} for m, p, s in rows]
    domain = list(colors)
    base = alt.Chart(spec.data(data)).encode(
        y=alt.Y("metric:N", title=None, sort=None),
        x=alt.X("share:Q", title=None, stack="zero", axis=alt.Axis(format=".0%", tickCount=5)),
    )
    chart = base.mark_bar().encode(
        color=alt.Color(
            "platform:N",
            scale=alt.Scale(domain=domain, range=[colors[p] for p in domain]),
            legend=alt.Legend(orient="top", title=None),
        ),
        order=alt.Order("platform:N"),
    ) + base.mark_text(color="white", dx=-4, align="right", fontSize=10).encode(
        text=alt.Text("label:N"),  # a share too thin to hold its label has none
        order=alt.Order("platform:N"),
    ).transform_calculate(label="datum.share >= 0.08 ? format(datum.share, '.0%') : ''")
    return _base(spec, chart, title, 26 * len({m for m, _, _ in rows}))


def heatmap(
    cells: Sequence[tuple[str, int, int, float | None]],
    weekdays: Sequence[str],
    *,
    title: str,
    color: str,
    legend_title: str,
) -> Spec:
    """Average engagements by weekday (rows, Monday first) and hour of day (columns 0-23):
    cells of (weekday label, weekday 1-7, hour, value)."""
    spec = Spec(None)
    data = [
        {"day": day, "hour": f"{hour:02d}", "value": v}
        for day, _, hour, v in cells
        if v is not None
    ]
    chart = (
        alt.Chart(spec.data(data))
        .mark_rect()
        .encode(
            x=alt.X(
                "hour:O",
                title=None,
                scale=alt.Scale(domain=[f"{h:02d}" for h in range(24)]),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("day:O", title=None, scale=alt.Scale(domain=list(weekdays))),
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(range=["#f6f8fa", color], interpolate="rgb"),
                legend=alt.Legend(title=legend_title, format=",~f", orient="right"),
            ),
        )
    )
    return _base(spec, chart, title, 150)


def sparkline(values: Sequence[float | None], color: str) -> Spec:
    """A card's 12-month trend: no axes (it shows a shape, the card gives the figures)."""
    spec = Spec(None)
    rows = [{"i": i, "value": v} for i, v in enumerate(values)]
    spec.chart = (
        alt.Chart(spec.data(rows))
        .mark_line(color=color, strokeWidth=2)
        .encode(
            x=alt.X("i:Q", axis=None, scale=alt.Scale(domain=[0, max(1, len(values) - 1)])),
            y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
        )
        .properties(
            width=150,
            height=28,
            config={"background": "transparent", "view": {"stroke": None}},
        )
    )
    return spec


SPARK_COLOR = "#010203"
"""The colour the sparkline template is compiled with, replaced by the card's."""


@cache
def _spark_template(points: int) -> str:
    """The sparkline compiled once to Vega (JSON text) for a number of points: a report has
    dozens of cards, and only their values and colour differ (compiling and building the
    spec cost twice as much as drawing it)."""
    import vl_convert

    with building():
        spec = sparkline([0.0] * points, SPARK_COLOR).to_dict()
    return json.dumps(vl_convert.vegalite_to_vega(spec))


def spark_svg(values: Sequence[float | None], color: str, locale: str) -> Markup:
    """The sparkline drawn, or nothing when fewer than two months have a value."""
    import vl_convert

    if sum(v is not None for v in values) < 2:
        return Markup("")
    vega = json.loads(_spark_template(len(values)).replace(SPARK_COLOR, color))
    rows = [{"i": i, "value": v} for i, v in enumerate(values)]
    for data in vega["data"]:
        if "values" in data:  # the one dataset; the others derive from it
            data["values"] = rows
    return _finished(vl_convert.vega_to_svg(vega), "spark")
