"""The report's "all channels" page: totals across platforms, each platform's share, the
month's best posts wherever they were published, and progress against the client's goals.

Only additive counts are totalled (`ADDITIVE_KPIS`: reach is never summed across platforms);
the all-channels engagement rate is all engagements over all impressions/views, of the
platforms that report both. A month-over-month change compares the same platforms in both
months, so a platform whose exports start this month does not read as growth.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from socialmetrics import months
from socialmetrics.goals import ALL_CHANNELS, Goal
from socialmetrics.marts.kpis import RATE_KPIS, Kpis

OVERVIEW_KPIS = (
    "followers_end",
    "followers_net",
    "posts_published",
    "impressions",
    "engagements",
    "engagement_rate",
    "video_views",
    "link_clicks",
)
"""The all-channels cards, in reading order."""
SHARE_KPIS = ("impressions", "engagements", "followers_end")
"""The metrics whose split by platform the overview charts."""

KpiTable = Mapping[tuple[str, str], Kpis]


@dataclass
class Total:
    kpi: str
    value: float | None
    mom: float | None
    rate: bool
    platforms: int
    """How many platforms the total adds up."""


@dataclass
class GoalProgress:
    goal: Goal
    value: float | None
    met: bool
    progress: float | None
    """value / target (1.0 = reached)."""
    rate: bool


@dataclass
class Overview:
    totals: list[Total] = field(default_factory=list)
    shares: dict[str, dict[str, float]] = field(default_factory=dict)
    """kpi -> platform -> share of the all-channels total (platforms in report order)."""
    best_posts: list[dict[str, Any]] = field(default_factory=list)
    goals: list[GoalProgress] = field(default_factory=list)


def _values(kpis: KpiTable, month: str, kpi: str, platforms: Sequence[str]) -> dict[str, float]:
    found = {}
    for platform in platforms:
        k = kpis.get((platform, month))
        value = k.get(kpi) if k is not None and k.has_data else None
        if value is not None:
            found[platform] = value
    return found


def _rate(kpis: KpiTable, month: str, platforms: Sequence[str]) -> float | None:
    """All engagements over all impressions/views, of the platforms reporting both."""
    eng = _values(kpis, month, "engagements", platforms)
    imp = _values(kpis, month, "impressions", platforms)
    both = [p for p in eng if p in imp]
    denominator = sum(imp[p] for p in both)
    return sum(eng[p] for p in both) / denominator if denominator else None


def channel_value(kpis: KpiTable, month: str, kpi: str, platforms: Sequence[str]) -> float | None:
    """A KPI for all channels together: the sum of a count, or the all-channels rate."""
    if kpi == "engagement_rate":
        return _rate(kpis, month, platforms)
    found = _values(kpis, month, kpi, platforms)
    return sum(found.values()) if found else None


def _total(kpis: KpiTable, month: str, kpi: str, platforms: Sequence[str]) -> Total:
    value = channel_value(kpis, month, kpi, platforms)
    previous = months.shift(month, -1)
    present = "engagements" if kpi == "engagement_rate" else kpi  # which platforms count
    now = _values(kpis, month, present, platforms)
    before = _values(kpis, previous, present, platforms)
    same = [p for p in platforms if p in now and p in before]
    old = channel_value(kpis, previous, kpi, same) if same else None
    new = channel_value(kpis, month, kpi, same) if same else None
    rate = kpi in RATE_KPIS
    mom: float | None = None
    if old is not None and new is not None:
        if rate:
            mom = (new - old) * 100  # percentage points, as the platform cards
        elif old:
            mom = (new - old) / abs(old)
    return Total(kpi, value, mom, rate, len(now))


def goal_progress(goal: Goal, kpis: KpiTable, month: str, platforms: Sequence[str]) -> GoalProgress:
    """How far the report's month got towards one goal (see `socialmetrics.goals`)."""
    rate = goal.kpi in RATE_KPIS
    scope = list(platforms) if goal.platform == ALL_CHANNELS else [goal.platform]
    values = []
    for m in goal.months_counted(month):
        if goal.platform == ALL_CHANNELS:
            values.append(channel_value(kpis, m, goal.kpi, scope))
        else:
            k = kpis.get((goal.platform, m))
            values.append(k.get(goal.kpi) if k is not None and k.has_data else None)
    known = [v for v in values if v is not None]
    value = None if values[-1] is None else (values[-1] if rate else sum(known))
    progress = value / goal.target if value is not None and goal.target else None
    met = value is not None and value >= goal.target
    return GoalProgress(goal, value, met, progress, rate)


def build_overview(
    kpis: KpiTable,
    month: str,
    platforms: Sequence[str],
    top_posts: Sequence[dict[str, Any]],
    goals: Sequence[Goal],
    best: int = 5,
) -> Overview:
    with_data = [p for p in platforms if (k := kpis.get((p, month))) is not None and k.has_data]
    overview = Overview()
    for kpi in OVERVIEW_KPIS:
        total = _total(kpis, month, kpi, with_data)
        if total.value is not None:
            overview.totals.append(total)
    for kpi in SHARE_KPIS:
        found = _values(kpis, month, kpi, with_data)
        whole = sum(found.values())
        if whole > 0 and len(found) > 1:
            overview.shares[kpi] = {p: v / whole for p, v in found.items()}
    ranked = sorted(
        (p for p in top_posts if p.get("engagements") is not None),
        key=lambda p: (-p["engagements"], -(p.get("impressions") or 0), str(p.get("post_id"))),
    )
    overview.best_posts = ranked[:best]
    overview.goals = [
        goal_progress(g, kpis, month, with_data) for g in goals if g.applies_to(month)
    ]
    return overview
