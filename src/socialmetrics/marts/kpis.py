"""Client x platform x month KPIs, computed in the warehouse with portable SQL.

Aggregation happens in SQL (GROUP BY over `account_daily` and `posts`); Python only combines
the few aggregated rows into KPIs and deltas. Rules from metrics.md: reach is never summed as if
it were a monthly reach (the KPI is labelled `reach_daily_sum`), missing stays NULL (never 0),
counts change in %, rates in percentage points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from socialmetrics.platforms import registry
from socialmetrics.warehouse.base import Warehouse

COUNT_KPIS = (
    "followers_end",
    "followers_net",
    "posts_published",
    "impressions",
    "reach_daily_sum",
    "engagements",
    "saves_shares",
    "link_clicks",
    "profile_visits",
    "video_views",
)
RATE_KPIS = ("followers_growth", "engagement_rate")

DAILY_SUMS = (
    "impressions",
    "reach",
    "engagements",
    "followers_gained",
    "followers_lost",
    "saves",
    "shares",
    "link_clicks",
    "profile_visits",
    "video_views",
    "posts_published",
)
POST_SUMS = ("impressions", "engagements", "saves", "shares", "video_views", "link_clicks")


def month_start(month: str) -> dt.date:
    year, mon = (int(x) for x in month.split("-"))
    return dt.date(year, mon, 1)


def shift(month: str, months: int) -> str:
    start = month_start(month)
    index = start.year * 12 + start.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_end(month: str) -> dt.date:
    return month_start(shift(month, 1)) - dt.timedelta(days=1)


@dataclass
class Kpis:
    """One client, platform and month."""

    platform: str
    month: str
    values: dict[str, float | None] = field(default_factory=dict)
    engagement_rate_basis: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    has_data: bool = False

    def get(self, name: str) -> float | None:
        return self.values.get(name)


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


def _month_key(year: Any, month: Any) -> str:
    return f"{int(year):04d}-{int(month):02d}"


def monthly_kpis(
    wh: Warehouse, client_id: str, first_month: str, last_month: str, basis: str = "native"
) -> dict[tuple[str, str], Kpis]:
    """KPIs for every platform and month in [first_month, last_month], keyed (platform, month).

    `basis` chooses the engagement-rate denominator: native (each platform's own),
    impressions, reach or followers.
    """
    start, end = month_start(first_month), month_end(last_month)
    sums = ", ".join(f"SUM({c}) AS {c}" for c in DAILY_SUMS)
    daily = wh.query(
        f"SELECT platform, EXTRACT(YEAR FROM date) AS y, EXTRACT(MONTH FROM date) AS m, {sums}, "
        "COUNT(*) AS days FROM account_daily WHERE client_id = $1 AND date BETWEEN $2 AND $3 "
        "GROUP BY platform, EXTRACT(YEAR FROM date), EXTRACT(MONTH FROM date)",
        [client_id, start, end],
    )
    post_sums = ", ".join(f"SUM({c}) AS {c}" for c in POST_SUMS)
    posts = wh.query(
        f"SELECT platform, EXTRACT(YEAR FROM published_date) AS y, "
        f"EXTRACT(MONTH FROM published_date) AS m, COUNT(*) AS posts, {post_sums} FROM posts "
        "WHERE client_id = $1 AND published_date BETWEEN $2 AND $3 "
        "GROUP BY platform, EXTRACT(YEAR FROM published_date), EXTRACT(MONTH FROM published_date)",
        [client_id, start, end],
    )
    followers = wh.query(
        "SELECT platform, date, followers_total FROM account_daily WHERE client_id = $1 "
        "AND followers_total IS NOT NULL AND date <= $2 ORDER BY platform, date",
        [client_id, end],
    )
    out: dict[tuple[str, str], Kpis] = {}
    for row in daily:
        platform, key = row[0], _month_key(row[1], row[2])
        values = dict(zip(DAILY_SUMS, (_num(v) for v in row[3:-1]), strict=True))
        k = out.setdefault((platform, key), Kpis(platform, key))
        k.has_data = True
        k.values.update({f"daily_{n}": v for n, v in values.items()})
    for row in posts:
        platform, key = row[0], _month_key(row[1], row[2])
        k = out.setdefault((platform, key), Kpis(platform, key))
        k.has_data = True
        k.values["posts_count"] = _num(row[3])
        k.values.update({f"posts_{n}": _num(v) for n, v in zip(POST_SUMS, row[4:], strict=True)})
    for k in out.values():
        _derive(k, followers, basis)
    return out


def _first(k: Kpis, name: str, *candidates: str) -> None:
    """The KPI from the first source that has it (account-level before post sums)."""
    for source in candidates:
        value = k.values.get(source)
        if value is not None:
            k.values[name] = value
            k.sources[name] = "account" if source.startswith("daily_") else "posts"
            return
    k.values[name] = None


def _add(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _derive(k: Kpis, followers: list[tuple[Any, ...]], basis: str) -> None:
    v = k.values
    end = month_end(k.month)
    known = [float(f) for p, d, f in followers if p == k.platform and d <= end]
    v["followers_end"] = known[-1] if known else None
    gained, lost = v.get("daily_followers_gained"), v.get("daily_followers_lost")
    v["followers_net"] = None if gained is None else gained - (lost or 0)
    start_followers = (
        v["followers_end"] - v["followers_net"]
        if v["followers_end"] is not None and v["followers_net"] is not None
        else None
    )
    v["followers_growth"] = (
        v["followers_net"] / start_followers if start_followers else None  # type: ignore[operator]
    )
    _first(k, "posts_published", "posts_count", "daily_posts_published")
    _first(k, "impressions", "daily_impressions", "posts_impressions")
    _first(k, "engagements", "daily_engagements", "posts_engagements")
    _first(k, "video_views", "daily_video_views", "posts_video_views")
    _first(k, "link_clicks", "daily_link_clicks", "posts_link_clicks")
    _first(k, "profile_visits", "daily_profile_visits")
    v["reach_daily_sum"] = v.get("daily_reach")  # a sum of daily reach, labelled as such
    saves = v.get("daily_saves") if v.get("daily_saves") is not None else v.get("posts_saves")
    shares = v.get("daily_shares") if v.get("daily_shares") is not None else v.get("posts_shares")
    v["saves_shares"] = _add(saves, shares)
    denominator = registry.get(k.platform).rate_denominator if basis == "native" else basis
    base = {
        "impressions": v.get("impressions"),
        "reach": v.get("reach_daily_sum"),
        "followers": v.get("followers_end"),
    }[denominator]
    engagements = v.get("engagements")
    v["engagement_rate"] = engagements / base if engagements is not None and base else None
    k.engagement_rate_basis = denominator + (
        " (sum of daily reach)" if denominator == "reach" else ""
    )


def delta(current: float | None, previous: float | None, rate: bool) -> float | None:
    """Counts: relative change (0.12 = +12 %); rates: difference in percentage points."""
    if current is None or previous is None:
        return None
    if rate:
        return (current - previous) * 100
    return (current - previous) / previous if previous else None
