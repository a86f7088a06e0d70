"""Marts -> the data of one client's monthly report (no formatting here, only numbers and facts).

Insights are rules over the marts: goals met and missed, biggest movers month over month, the
best post and why it stands out, anomalies against the trailing three months, and platforms with
no data. The all-channels page is `overview.py`; the analyst's notes come from `notes.toml`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from socialmetrics import months
from socialmetrics.config import ClientSettings
from socialmetrics.marts import breakdowns
from socialmetrics.marts.kpis import COUNT_KPIS, MEASURED_RATES, RATE_KPIS, Kpis, monthly_kpis
from socialmetrics.notes import Note, notes_of_month
from socialmetrics.platforms import registry
from socialmetrics.report.overview import Overview, build_overview
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import Warehouse

RATE_AFTER = {"engagements": "engagement_rate", "impressions_paid": "impressions_paid_share"}
CARD_KPIS = tuple(
    card
    for kpi in (*COUNT_KPIS, *MEASURED_RATES)
    for card in (kpi, RATE_AFTER.get(kpi))
    if card is not None
)
"""The summary's cards, in reading order: the counts, each rate after the count it is of."""


@dataclass
class Card:
    """One KPI of one platform: value, deltas and its 12-month history (oldest first)."""

    kpi: str
    value: float | None
    mom: float | None
    yoy: float | None
    history: list[float | None]
    rate: bool


@dataclass
class PlatformSection:
    platform: str
    has_data: bool
    cards: list[Card] = field(default_factory=list)
    rate_basis: str = ""
    daily: list[dict[str, Any]] = field(default_factory=list)
    previous_daily: list[dict[str, Any]] = field(default_factory=list)
    """The month before, for the daily charts' comparison line."""
    top_posts: list[dict[str, Any]] = field(default_factory=list)
    content_types: list[dict[str, Any]] = field(default_factory=list)
    best_times: list[dict[str, Any]] = field(default_factory=list)
    """The five weekday x hour slots with the most engagements per post."""
    time_grid: list[dict[str, Any]] = field(default_factory=list)
    """Every weekday x hour slot with posts (the heatmap)."""
    audience: list[dict[str, Any]] = field(default_factory=list)
    competitors: list[dict[str, Any]] = field(default_factory=list)
    """The latest benchmark's pages (LinkedIn competitor analytics), the client's own marked
    `page_role = 'client'`."""


@dataclass
class Insight:
    kind: str  # goal_met, goal_missed, mover, best_post, anomaly, missing
    values: dict[str, Any]


@dataclass
class ReportData:
    client: ClientSettings
    month: str
    sections: list[PlatformSection]
    insights: list[Insight]
    files: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    quarantined: int
    overview: Overview = field(default_factory=Overview)
    notes: list[Note] = field(default_factory=list)
    """The analyst's notes dated in the month (all platforms)."""

    def notes_for(self, platform: str | None) -> list[tuple[int, Note]]:
        """The month's notes shown for a platform (None: the overview), numbered as in the
        report's list of notes, so a chart's rule and its text carry the same number."""
        return [(n, note) for n, note in enumerate(self.notes, 1) if note.shown_on(platform)]


def _value(k: Kpis | None, kpi: str) -> float | None:
    return k.get(kpi) if k is not None else None


def _card(kpi: str, month: str, history: dict[str, Kpis | None]) -> Card:
    """A KPI's card: value and deltas as the mart has them, and its last 12 months."""
    series = [_value(history.get(months.shift(month, -i)), kpi) for i in range(11, -1, -1)]
    current = history.get(month)
    return Card(
        kpi=kpi,
        value=series[-1],
        mom=current.mom.get(kpi) if current else None,
        yoy=current.yoy.get(kpi) if current else None,
        history=series,
        rate=kpi in RATE_KPIS,
    )


def report_order(seen: set[str]) -> list[str]:
    """Platforms with data in the registry's report order; one no longer registered (a removed
    plugin) still shows, last, rather than vanishing."""
    known = [p for p in registry.platform_ids() if p in seen]
    return known + sorted(seen - set(known))


def build_report(
    wh: Warehouse, client: ClientSettings, month: str, basis: str = "native"
) -> ReportData:
    """Everything the report shows for one client and month, from the warehouse marts."""
    kpis = monthly_kpis(wh, client.client_id, months.shift(month, -12), month, basis)
    platforms_seen = {p for p, _ in kpis}
    sections: list[PlatformSection] = []
    top = breakdowns.top_posts(wh, client.client_id, month)
    types = breakdowns.content_types(wh, client.client_id, month)
    times = breakdowns.best_times(wh, client.client_id, month)
    audience = breakdowns.audience(wh, client.client_id, month)
    daily = breakdowns.daily_series(wh, client.client_id, month)
    previous_daily = breakdowns.daily_series(wh, client.client_id, months.shift(month, -1))
    benchmarks = breakdowns.competitors(wh, client.client_id, month)
    for platform in report_order(platforms_seen):
        history = {m: kpis.get((platform, m)) for m in (months.shift(month, -i) for i in range(13))}
        current = history.get(month)
        section = PlatformSection(platform, has_data=bool(current and current.has_data))
        if section.has_data:
            assert current is not None
            cards = [_card(k, month, history) for k in CARD_KPIS]
            section.cards = [c for c in cards if c.value is not None]  # unknown: not shown as 0
            section.rate_basis = current.engagement_rate_basis
            section.daily = [d for d in daily if d["platform"] == platform]
            section.previous_daily = [d for d in previous_daily if d["platform"] == platform]
            section.top_posts = [p for p in top if p["platform"] == platform]
            section.content_types = [t for t in types if t["platform"] == platform]
            section.time_grid = [t for t in times if t["platform"] == platform]
            section.best_times = sorted(
                section.time_grid, key=lambda t: -(t["avg_engagements"] or 0)
            )[:5]
            section.audience = [a for a in audience if a["platform"] == platform]
            section.competitors = [c for c in benchmarks if c["platform"] == platform]
        sections.append(section)
    overview = build_overview(kpis, month, [s.platform for s in sections], top, client.goals)
    return ReportData(
        client=client,
        month=month,
        sections=sections,
        insights=goal_insights(overview) + insights(sections, kpis, month),
        files=_files(wh, client.client_id, month),
        changes=_changes(wh, client.client_id, month),
        quarantined=_quarantined(wh, client.client_id, month),
        overview=overview,
        notes=notes_of_month(client.folder, *months.bounds(month)),
    )


def goal_insights(overview: Overview) -> list[Insight]:
    """One finding per goal of the month: met, or how far from it (first: they matter most)."""
    return [
        Insight(
            "goal_met" if g.met else "goal_missed",
            {
                "kpi": g.goal.kpi,
                "platform": g.goal.platform,
                "target": g.goal.target,
                "value": g.value,
                "rate": g.rate,
                "progress": g.progress,
            },
        )
        for g in overview.goals
    ]


def insights(
    sections: list[PlatformSection], kpis: dict[tuple[str, str], Kpis], month: str
) -> list[Insight]:
    """Plain-language findings, by rules over the marts (texts come from i18n)."""
    out: list[Insight] = []
    movers = [
        (abs(c.mom), s.platform, c)
        for s in sections
        for c in s.cards
        if c.mom is not None
        and not c.rate
        and c.kpi in ("impressions", "engagements", "followers_net")
    ]
    for _, platform, card in sorted(movers, key=lambda m: -m[0])[:3]:
        out.append(Insight("mover", {"platform": platform, "kpi": card.kpi, "change": card.mom}))
    for s in sections:
        posts = [p for p in s.top_posts if p["engagements"] is not None]
        if posts:
            best = posts[0]
            all_month = [p["engagements"] for p in posts]
            median = statistics.median(all_month) or 1
            out.append(
                Insight(
                    "best_post",
                    {
                        "platform": s.platform,
                        "date": best["published_at"],
                        "type": best["content_type"],
                        "value": best["engagements"],
                        "ratio": best["engagements"] / median,
                    },
                )
            )
        for kpi in ("impressions", "engagements"):
            trailing = [kpis.get((s.platform, months.shift(month, -i))) for i in (1, 2, 3)]
            past = [k.get(kpi) for k in trailing if k and k.get(kpi) is not None]
            now = kpis.get((s.platform, month))
            value = now.get(kpi) if now else None
            if value is not None and len(past) == 3:
                avg = statistics.fmean(past)  # type: ignore[arg-type]
                if avg and abs(value - avg) / avg > 0.5:
                    out.append(
                        Insight(
                            "anomaly",
                            {"platform": s.platform, "kpi": kpi, "value": value, "avg": avg},
                        )
                    )
        if not s.has_data:
            out.append(Insight("missing", {"platform": s.platform}))
    return out


def _files(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    return ledger.files_of_month(wh, client_id, months.bounds(month))


def _changes(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    return ledger.changes_of_month(wh, client_id, month)


def _quarantined(wh: Warehouse, client_id: str, month: str) -> int:
    return ledger.quarantined_in_month(wh, client_id, months.bounds(month))
