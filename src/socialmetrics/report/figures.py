"""ReportData -> the report's charts, drawn once and shared by the HTML and the PDF.

Which chart shows what: the overview splits impressions, engagements and followers by platform;
each platform gets its daily impressions and engagements (the previous month faint beneath,
the best post and the analyst's notes marked), its followers over 12 months, engagements by
content type and a weekday x hour heatmap of engagements per post.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from socialmetrics import months
from socialmetrics.platforms import registry
from socialmetrics.report import charts
from socialmetrics.report.data import PlatformSection, ReportData
from socialmetrics.report.i18n import Formatter

DAILY_METRICS = ("impressions", "engagements")


@dataclass
class Figure:
    """One chart of the report: what it shows (`daily`, `heatmap`...), its drawing, and the
    Vega-Lite spec it was drawn from (what the portal hands to Vega in the browser)."""

    kind: str
    svg: Markup
    spec: dict[str, Any] = field(default_factory=dict)


def _figure(kind: str, chart: charts.Spec, f: Formatter) -> Figure:
    spec = chart.to_dict()
    return Figure(kind, charts.render_spec(spec, f.d3), spec)


@dataclass
class Figures:
    overview: list[Figure] = field(default_factory=list)
    platforms: dict[str, list[Figure]] = field(default_factory=dict)
    sparks: dict[tuple[str, str], Markup] = field(default_factory=dict)
    """(platform, kpi) -> the card's 12-month sparkline."""


def _series(rows: Sequence[dict[str, Any]], metric: str) -> list[tuple[dt.date, float | None]]:
    return [(r["date"], None if r[metric] is None else float(r[metric])) for r in rows]


def _markers(data: ReportData, section: PlatformSection, f: Formatter) -> list[charts.Marker]:
    found = [
        charts.Marker(note.day, str(n), "note") for n, note in data.notes_for(section.platform)
    ]
    posts = [p for p in section.top_posts if p["engagements"] is not None and p["published_at"]]
    if posts:
        day = posts[0]["published_at"]
        day = day.date() if isinstance(day, dt.datetime) else day
        found.append(charts.Marker(day, "★ " + f.t("best post"), "best_post"))
    return found


def _platform_figures(data: ReportData, s: PlatformSection, f: Formatter) -> list[Figure]:
    color = data.client.brand_color
    out: list[Figure] = []
    current = f.short_month(months.start(data.month))
    previous = f.short_month(months.start(months.shift(data.month, -1)))
    markers = _markers(data, s, f)
    for metric in DAILY_METRICS:
        series = _series(s.daily, metric)
        if any(v is not None for _, v in series):
            chart = charts.daily(
                series,
                _series(s.previous_daily, metric),
                title=f.kpi(metric),
                color=color,
                current_label=current,
                previous_label=previous,
                markers=markers,
            )
            out.append(_figure("daily", chart, f))
    growth = {c.kpi: c for c in s.cards if sum(v is not None for v in c.history) >= 2}
    followers = growth.get("followers_end") or growth.get("followers_net")
    if followers is not None:  # the audience, or (no follower totals exported) its growth
        first = months.shift(data.month, -(len(followers.history) - 1))
        points = [
            (months.start(months.shift(first, i)), v) for i, v in enumerate(followers.history)
        ]
        title = (
            f.t("Followers, last 12 months")
            if followers.kpi == "followers_end"
            else f.t("Net new followers, last 12 months")
        )
        chart = charts.trend(points, title=title, color=color)
        out.append(_figure("followers", chart, f))
    types = [(f.content_type(t["content_type"]), t["engagements"]) for t in s.content_types]
    if any(v is not None for _, v in types):
        chart = charts.bars(types, title=f.t("Engagements by content type"), color=color)
        out.append(_figure("content_types", chart, f))
    if s.time_grid:
        cells = [
            (f.weekday(t["day_of_week"]), t["day_of_week"], t["hour_of_day"], t["avg_engagements"])
            for t in s.time_grid
            if t["day_of_week"] is not None and t["hour_of_day"] is not None
        ]
        if cells:
            chart = charts.heatmap(
                cells,
                f.weekdays(),
                title=f.t("Engagements per post by weekday and hour"),
                color=color,
                legend_title=f.t("average"),
            )
            out.append(_figure("heatmap", chart, f))
    return out


def build_figures(data: ReportData, f: Formatter) -> Figures:
    with charts.building():
        return _build(data, f)


def _build(data: ReportData, f: Formatter) -> Figures:
    figures = Figures()
    if data.overview.shares:
        platforms = [s.platform for s in data.sections if s.has_data]
        colors = {f.platform(p): registry.color(p) for p in platforms}
        rows = [
            (f.kpi(kpi), f.platform(p), share)
            for kpi, split in data.overview.shares.items()
            for p, share in split.items()
        ]
        chart = charts.share(rows, colors, title=f.t("Share of each platform"))
        figures.overview.append(_figure("share", chart, f))
    for s in data.sections:
        if not s.has_data:
            continue
        figures.platforms[s.platform] = _platform_figures(data, s, f)
        for card in s.cards:
            figures.sparks[(s.platform, card.kpi)] = charts.spark_svg(
                card.history, data.client.brand_color, f.d3
            )
    return figures
