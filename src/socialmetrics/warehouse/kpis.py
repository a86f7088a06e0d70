"""The SQL of the monthly KPIs: what each KPI is, written once, and the views that build
`monthly_kpis` (months with data, monthly sums of the days and of the posts, KPIs, rates by
every basis, and month-over-month / year-over-year deltas).

Only metrics the model declares `additive` are summed; reach is never summed as if it were a
monthly reach (`reach_daily_sum` says what it is); missing stays NULL, never 0; counts change
in %, rates in percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass

from socialmetrics.model.metrics import RATE_BY_NAME, metrics_for
from socialmetrics.model.tables import Column
from socialmetrics.platforms import registry


def month_of(column: str) -> str:
    """First day of the month of a DATE column, as a DATE (no time zone involved)."""
    return f"CAST(date_trunc('month', CAST({column} AS TIMESTAMP)) AS DATE)"


def shift_month(column: str, months: int) -> str:
    sign = "+" if months >= 0 else "-"
    return f"CAST({column} {sign} INTERVAL '{abs(months)} month' AS DATE)"


DAILY_SUMS = tuple(m.name for m in metrics_for("account_daily") if m.additive)
"""What `mart_account_monthly` sums: every additive daily metric (the model decides)."""
POST_SUMS = tuple(m.name for m in metrics_for("posts") if m.additive)
"""What `mart_posts_monthly` sums: every additive post metric."""
POST_AVERAGES = tuple(m for m in metrics_for("posts") if m.weight)
"""What `mart_posts_monthly` averages over the month's posts, weighted (CTR by impressions)."""


@dataclass(frozen=True)
class Kpi:
    """A KPI of `monthly_kpis`: how it is computed, and whether it is a rate (deltas in pp)."""

    name: str
    sql: str
    description: str
    rate: bool = False
    source: str = ""
    """For KPIs taken from the account's daily figures else from the month's posts: the SQL
    saying which one it was (`account` or `posts`), shown in the `<name>_source` column."""


def _first(name: str) -> tuple[str, str]:
    """Account-level figure first, else the sum over the month's posts; and which was used."""
    value = f"COALESCE(a.{name}, p.{name})"
    source = (
        f"CASE WHEN a.{name} IS NOT NULL THEN 'account' WHEN p.{name} IS NOT NULL THEN 'posts' END"
    )
    return value, source


def _either(name: str) -> str:
    return f"COALESCE(a.{name}, p.{name})"


_IMPRESSIONS, _IMPRESSIONS_SOURCE = _first("impressions")
_ENGAGEMENTS, _ENGAGEMENTS_SOURCE = _first("engagements")
_VIDEO, _VIDEO_SOURCE = _first("video_views")
_WATCH, _WATCH_SOURCE = _first("watch_time_hours")
_LINKS, _LINKS_SOURCE = _first("link_clicks")
_SAVES, _SHARES = _either("saves"), _either("shares")
_NET = "COALESCE(a.followers_gained - COALESCE(a.followers_lost, 0), a.followers_change)"
_PAID, _PAID_SOURCE = _first("impressions_paid")


def _daily_reach(way: str) -> str:
    """`IN (...)` of the platforms whose reports show daily reach this way (their declaration);
    a platform no longer registered shows the sum."""
    ids = [p.id for p in registry.platforms() if p.daily_reach == way]
    return "(" + ", ".join(f"'{i}'" for i in ids) + ")" if ids else "('')"


COUNT_KPIS: tuple[Kpi, ...] = (
    Kpi(
        "followers_end",
        "fe.value",
        "Audience size at the month's end: the latest follower count known on or before it.",
    ),
    Kpi(
        "followers_net",
        _NET,
        "New followers minus unfollows over the month (NULL without daily follows).",
    ),
    Kpi(
        "posts_published",
        "COALESCE(p.posts, a.posts_published)",
        "Posts published in the month: the posts export, else the daily count.",
    ),
    Kpi(
        "impressions",
        _IMPRESSIONS,
        "Impressions (views): daily account figures, else the month's posts.",
        source=_IMPRESSIONS_SOURCE,
    ),
    Kpi(
        "reach_daily_sum",
        f"CASE WHEN m.platform IN {_daily_reach('average')} THEN NULL ELSE a.reach_daily_sum END",
        "The sum of daily reach: NOT the month's unique reach (no export gives that). NULL "
        "for platforms whose reach is never summed (TikTok viewers).",
    ),
    Kpi(
        "reach_daily_avg",
        f"CASE WHEN m.platform IN {_daily_reach('average')} THEN a.reach_daily_avg END",
        "Average daily reach (TikTok: viewers per day), for platforms whose reach is never summed.",
    ),
    Kpi(
        "engagements",
        _ENGAGEMENTS,
        "Engagements: daily account figures, else the month's posts.",
        source=_ENGAGEMENTS_SOURCE,
    ),
    Kpi(
        "saves_shares",
        f"CASE WHEN {_SAVES} IS NULL AND {_SHARES} IS NULL THEN NULL "
        f"ELSE COALESCE({_SAVES}, 0) + COALESCE({_SHARES}, 0) END",
        "Saves plus shares (NULL when neither is exported).",
    ),
    Kpi(
        "link_clicks",
        _LINKS,
        "Link clicks: daily account figures, else the month's posts.",
        source=_LINKS_SOURCE,
    ),
    Kpi("profile_visits", "a.profile_visits", "Profile or page visits (daily account figures)."),
    Kpi(
        "video_views",
        _VIDEO,
        "Video views: daily account figures, else the month's posts.",
        source=_VIDEO_SOURCE,
    ),
    Kpi(
        "watch_time_hours",
        _WATCH,
        "Hours watched (YouTube): daily account figures, else the month's posts.",
        source=_WATCH_SOURCE,
    ),
    Kpi(
        "impressions_paid",
        _PAID,
        "Paid (sponsored, boosted, promoted) impressions: daily account figures, else the "
        "month's posts. NULL where the export has no organic/paid split.",
        source=_PAID_SOURCE,
    ),
)
MEASURED_RATES: tuple[Kpi, ...] = (
    Kpi(
        "impressions_ctr",
        "p.impressions_ctr",
        "Impressions click-through rate of the month's posts, weighted by their impressions "
        "(YouTube): views from impressions / impressions.",
        rate=True,
    ),
)
"""Rates a platform measures itself (not engagement rates), read from the month's posts."""
BASES = {
    "impressions": "impressions",
    "reach": "reach_daily_sum",
    "followers": "followers_end",
    "video_views": "video_views",
}
"""Engagement-rate denominators a report may choose, and the KPI each divides by."""
RATE_KPIS: tuple[Kpi, ...] = (
    Kpi(
        "followers_growth",
        "CASE WHEN followers_end - followers_net <> 0 "
        "THEN CAST(followers_net AS DOUBLE PRECISION) / (followers_end - followers_net) END",
        "Net new followers / the audience at the month's start (fraction).",
        rate=True,
    ),
    *(
        Kpi(
            f"engagement_rate_{basis}",
            RATE_BY_NAME[f"engagement_rate_{basis}"].sql("engagements", kpi),
            f"engagements / {kpi} (fraction); NULL when it is 0 or missing.",
            rate=True,
        )
        for basis, kpi in BASES.items()
    ),
    Kpi(
        "impressions_paid_share",
        "CASE WHEN impressions > 0 AND impressions_paid IS NOT NULL "
        "THEN CAST(impressions_paid AS DOUBLE PRECISION) / impressions END",
        "Paid share of the month's impressions (fraction); NULL without an organic/paid split.",
        rate=True,
    ),
)


def _native_rate() -> tuple[str, str]:
    """The rate by the denominator each platform uses itself (its declaration), and its name."""
    cases = [
        (p.id, f"engagement_rate_{p.rate_denominator}", p.rate_denominator)
        for p in registry.platforms()
    ]
    rate = " ".join(f"WHEN platform = '{pid}' THEN {column}" for pid, column, _ in cases)
    basis = " ".join(f"WHEN platform = '{pid}' THEN '{name}'" for pid, _, name in cases)
    return (
        f"CASE {rate} ELSE engagement_rate_impressions END",
        f"CASE {basis} ELSE 'impressions' END",
    )


NATIVE_RATE = Kpi(
    "engagement_rate",
    _native_rate()[0],
    "Engagement rate by the platform's own denominator (see `engagement_rate_basis`).",
    rate=True,
)
ALL_KPIS = (*COUNT_KPIS, *MEASURED_RATES, *RATE_KPIS, NATIVE_RATE)

KEYS = (
    Column("client_id", "TEXT", "The client's folder name.", False),
    Column("platform", "TEXT", "The platform.", False),
    Column("month", "DATE", "First day of the month.", False),
)


def months_sql() -> str:
    """Months with any daily figure or post (daily dates read from the facts: every version of
    a day has the same date, and the facts are far cheaper than the pivoted view)."""
    return f"""CREATE VIEW client_platform_months AS
SELECT DISTINCT client_id, platform, {month_of("date")} AS month FROM account_daily_facts
UNION
SELECT DISTINCT client_id, platform, {month_of("published_date")} AS month FROM posts
WHERE published_date IS NOT NULL"""


def account_monthly_sql() -> str:
    """The month's days summed, from the materialised daily table: one row a day, where the
    ranked facts have one a metric a version and must be ranked first (the per-client
    refresh of `monthly_kpis` read them twice: two thirds of its time)."""
    sums = ",\n       ".join(f"SUM(CAST({m} AS DOUBLE PRECISION)) AS {m}" for m in DAILY_SUMS)
    return f"""CREATE VIEW mart_account_monthly AS
SELECT client_id, platform, {month_of("date")} AS month,
       {sums},
       SUM(CAST(reach AS DOUBLE PRECISION)) AS reach_daily_sum,
       AVG(CAST(reach AS DOUBLE PRECISION)) AS reach_daily_avg,
       COUNT(DISTINCT date) AS days
FROM account_daily
GROUP BY client_id, platform, {month_of("date")}"""


def _weighted_mean(metric: str, weight: str) -> str:
    """The month's own rate from per-post rates: sum(rate x weight) / sum(weight), over the
    posts that have both (NULL when none does)."""
    known = f"CASE WHEN {metric} IS NOT NULL AND {weight} > 0 THEN {weight} END"
    return f"CASE WHEN SUM({known}) > 0 THEN SUM({metric} * {known}) / SUM({known}) END AS {metric}"


def posts_monthly_sql() -> str:
    sums = ",\n       ".join(
        [f"SUM({m}) AS {m}" for m in POST_SUMS]
        + [_weighted_mean(m.name, m.weight) for m in POST_AVERAGES]
    )
    return f"""CREATE VIEW mart_posts_monthly AS
SELECT client_id, platform, {month_of("published_date")} AS month,
       COUNT(*) AS posts,
       {sums}
FROM posts
WHERE published_date IS NOT NULL
GROUP BY client_id, platform, {month_of("published_date")}"""


def _delta(kpi: Kpi, then: str) -> str:
    """Counts: relative change (0.12 = +12 %); rates: difference in percentage points."""
    now = f"k.{kpi.name}"
    if kpi.rate:
        return f"({now} - {then}) * 100"
    return f"CASE WHEN {then} <> 0 THEN CAST({now} - {then} AS DOUBLE PRECISION) / {then} END"


DELTAS = (("mom", 1), ("yoy", 12))
"""Each delta's suffix and how many months back it compares with."""


def _months_back(column: str, months: int) -> str:
    """`column` of the same client and platform exactly `months` months earlier (NULL if that
    month has no row): a window over the client's months, so that a query for one client
    computes that client's months only (a self-join of the KPIs would compute every client's
    before filtering, on PostgreSQL)."""
    step = f"INTERVAL '{months} month' PRECEDING"
    return (
        f"MAX({column}) OVER (PARTITION BY client_id, platform ORDER BY month "
        f"RANGE BETWEEN {step} AND {step})"
    )


def monthly_kpis_sql() -> str:
    measured = [(k.sql, k.name) for k in (*COUNT_KPIS, *MEASURED_RATES)]
    sourced = [(k.source, f"{k.name}_source") for k in COUNT_KPIS if k.source]
    rated = [(k.sql, k.name) for k in RATE_KPIS]
    counts, sources, rates = (
        ",\n         ".join(f"{sql} AS {name}" for sql, name in part)
        for part in (measured, sourced, rated)
    )
    native, basis = _native_rate()
    kpi_names = [
        *(name for _, name in (*measured, *sourced, *rated)),
        "engagement_rate",
        "engagement_rate_basis",
    ]
    earlier = ",\n         ".join(
        f"{_months_back(k.name, months)} AS {k.name}__{suffix}"
        for k in ALL_KPIS
        for suffix, months in DELTAS
    )
    deltas = ",\n       ".join(
        f"{_delta(k, f'k.{k.name}__{suffix}')} AS {k.name}_{suffix}"
        for k in ALL_KPIS
        for suffix, _ in DELTAS
    )
    columns = ", ".join(f"k.{c}" for c in ("client_id", "platform", "month", *kpi_names))
    return f"""CREATE VIEW monthly_kpis AS
WITH followers AS (  -- the latest follower count known before each month's end
  SELECT m.client_id, m.platform, m.month,
         CAST(f.followers_total AS DOUBLE PRECISION) AS value,
         ROW_NUMBER() OVER (
           PARTITION BY m.client_id, m.platform, m.month ORDER BY f.date DESC
         ) AS latest
  FROM client_platform_months m
  JOIN account_daily f ON f.client_id = m.client_id AND f.platform = m.platform
    AND f.followers_total IS NOT NULL
    AND f.date < {shift_month("m.month", 1)}
), base AS (
  SELECT m.client_id, m.platform, m.month,
         {counts},
         {sources}
  FROM client_platform_months m
  LEFT JOIN followers fe ON fe.client_id = m.client_id AND fe.platform = m.platform
    AND fe.month = m.month AND fe.latest = 1
  LEFT JOIN mart_account_monthly a
    ON a.client_id = m.client_id AND a.platform = m.platform AND a.month = m.month
  LEFT JOIN mart_posts_monthly p
    ON p.client_id = m.client_id AND p.platform = m.platform AND p.month = m.month
), rated AS (
  SELECT base.*,
         {rates}
  FROM base
), kpis AS (
  SELECT rated.*, {native} AS engagement_rate, {basis} AS engagement_rate_basis
  FROM rated
), earlier AS (
  SELECT kpis.*,
         {earlier}
  FROM kpis
)
SELECT {columns},
       {deltas}
FROM earlier k"""


def kpi_columns() -> tuple[Column, ...]:
    out = []
    for k in COUNT_KPIS:
        out.append(Column(k.name, "DOUBLE PRECISION", k.description))
        if k.source:
            out.append(
                Column(f"{k.name}_source", "TEXT", f"Where {k.name} came from: account or posts.")
            )
    for k in (*MEASURED_RATES, *RATE_KPIS, NATIVE_RATE):
        out.append(Column(k.name, "DOUBLE PRECISION", k.description))
    out.append(Column("engagement_rate_basis", "TEXT", "The platform's own denominator.", False))
    for k in ALL_KPIS:
        unit = "percentage points" if k.rate else "relative change, 0.12 = +12 %"
        out.append(
            Column(
                f"{k.name}_mom",
                "DOUBLE PRECISION",
                f"Change of {k.name} vs the previous month ({unit}).",
            )
        )
        out.append(
            Column(
                f"{k.name}_yoy",
                "DOUBLE PRECISION",
                f"Change of {k.name} vs a year before ({unit}).",
            )
        )
    return tuple(out)


def sum_columns(names: tuple[str, ...], what: str) -> tuple[Column, ...]:
    return tuple(
        Column(n, "DOUBLE PRECISION", f"Sum of {n} over the month's {what}.") for n in names
    )
