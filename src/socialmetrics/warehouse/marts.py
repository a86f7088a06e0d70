"""The marts: monthly KPIs, top posts, content types, best times and audience, as SQL views.

Created with the schema, so any SQL client or BI tool can query them
(`SELECT * FROM monthly_kpis WHERE client_id = 'acme'`), and the report reads them instead of
recomputing anything. Each mart declares its columns (documented in docs/warehouse.md) and the
expectations the tests check on DuckDB and PostgreSQL: the key that is unique and the columns
that are never NULL. Portable SQL only (CTEs, window functions, FULL JOIN, CASE, INTERVAL).

Rules (docs/metrics.md): only metrics the model declares `additive` are summed over days or
posts; reach is never summed as if it were a monthly reach (`reach_daily_sum` says what it is);
missing stays NULL, never 0; counts change in %, rates in percentage points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from socialmetrics.model.metrics import RATE_BY_NAME, metrics_for
from socialmetrics.model.tables import Column
from socialmetrics.platforms import registry

if TYPE_CHECKING:  # base builds the schema from this module
    from socialmetrics.warehouse.base import Warehouse


def _month_of(column: str) -> str:
    """First day of the month of a DATE column, as a DATE (no time zone involved)."""
    return f"CAST(date_trunc('month', CAST({column} AS TIMESTAMP)) AS DATE)"


def _shift(column: str, months: int) -> str:
    sign = "+" if months >= 0 else "-"
    return f"CAST({column} {sign} INTERVAL '{abs(months)} month' AS DATE)"


DAILY_SUMS = tuple(m.name for m in metrics_for("account_daily") if m.additive)
"""What `mart_account_monthly` sums: every additive daily metric (the model decides)."""
POST_SUMS = tuple(m.name for m in metrics_for("posts") if m.additive)
"""What `mart_posts_monthly` sums: every additive post metric."""


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
_LINKS, _LINKS_SOURCE = _first("link_clicks")
_SAVES, _SHARES = _either("saves"), _either("shares")
_NET = "a.followers_gained - COALESCE(a.followers_lost, 0)"
_FOLLOWERS_END = """(
    SELECT MAX(f.value) FROM account_daily_ranked f
    WHERE f.client_id = m.client_id AND f.platform = m.platform
      AND f.metric = 'followers_total' AND f.version_rank = 1
      AND f.date = (
        SELECT MAX(g.date) FROM account_daily_ranked g
        WHERE g.client_id = m.client_id AND g.platform = m.platform
          AND g.metric = 'followers_total' AND g.version_rank = 1
          AND g.date < {next_month}))"""

COUNT_KPIS: tuple[Kpi, ...] = (
    Kpi(
        "followers_end",
        _FOLLOWERS_END.format(next_month=_shift("m.month", 1)),
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
        "a.reach_daily_sum",
        "The sum of daily reach: NOT the month's unique reach (no export gives that).",
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
)
BASES = {"impressions": "impressions", "reach": "reach_daily_sum", "followers": "followers_end"}
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
ALL_KPIS = (*COUNT_KPIS, *RATE_KPIS, NATIVE_RATE)


@dataclass(frozen=True)
class Mart:
    """A mart view: its SQL, declared columns and the expectations the tests check."""

    name: str
    description: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...]
    not_null: tuple[str, ...]
    sql: str
    order: str

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


_KEYS = (
    Column("client_id", "TEXT", "The client's folder name.", False),
    Column("platform", "TEXT", "The platform.", False),
    Column("month", "DATE", "First day of the month.", False),
)


def _months_sql() -> str:
    return f"""CREATE VIEW client_platform_months AS
SELECT DISTINCT client_id, platform, {_month_of("date")} AS month FROM account_daily
UNION
SELECT DISTINCT client_id, platform, {_month_of("published_date")} AS month FROM posts
WHERE published_date IS NOT NULL"""


def _account_monthly_sql() -> str:
    sums = ",\n       ".join(f"SUM({m}) AS {m}" for m in DAILY_SUMS)
    return f"""CREATE VIEW mart_account_monthly AS
SELECT client_id, platform, {_month_of("date")} AS month,
       {sums},
       SUM(reach) AS reach_daily_sum,
       COUNT(*) AS days
FROM account_daily
GROUP BY client_id, platform, {_month_of("date")}"""


def _posts_monthly_sql() -> str:
    sums = ",\n       ".join(f"SUM({m}) AS {m}" for m in POST_SUMS)
    return f"""CREATE VIEW mart_posts_monthly AS
SELECT client_id, platform, {_month_of("published_date")} AS month,
       COUNT(*) AS posts,
       {sums}
FROM posts
WHERE published_date IS NOT NULL
GROUP BY client_id, platform, {_month_of("published_date")}"""


def _delta(kpi: Kpi, other: str) -> str:
    """Counts: relative change (0.12 = +12 %); rates: difference in percentage points."""
    now, then = f"k.{kpi.name}", f"{other}.{kpi.name}"
    if kpi.rate:
        return f"({now} - {then}) * 100"
    return f"CASE WHEN {then} <> 0 THEN CAST({now} - {then} AS DOUBLE PRECISION) / {then} END"


def _monthly_kpis_sql() -> str:
    counts = ",\n         ".join(f"{k.sql} AS {k.name}" for k in COUNT_KPIS)
    sources = ",\n         ".join(f"{k.source} AS {k.name}_source" for k in COUNT_KPIS if k.source)
    rates = ",\n         ".join(f"{k.sql} AS {k.name}" for k in RATE_KPIS)
    native, basis = _native_rate()
    deltas = ",\n       ".join(
        f"{_delta(k, other)} AS {k.name}_{suffix}"
        for k in ALL_KPIS
        for other, suffix in (("prev", "mom"), ("ago", "yoy"))
    )
    return f"""CREATE VIEW monthly_kpis AS
WITH base AS (
  SELECT m.client_id, m.platform, m.month,
         {counts},
         {sources}
  FROM client_platform_months m
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
)
SELECT k.*,
       {deltas}
FROM kpis k
LEFT JOIN kpis prev ON prev.client_id = k.client_id AND prev.platform = k.platform
  AND prev.month = {_shift("k.month", -1)}
LEFT JOIN kpis ago ON ago.client_id = k.client_id AND ago.platform = k.platform
  AND ago.month = {_shift("k.month", -12)}"""


TOP_POST_COLUMNS = (
    "post_id",
    "published_at",
    "content_type",
    "post_text",
    "post_url",
    "impressions",
    "reach",
    "engagements",
    "likes",
    "comments",
    "shares",
    "saves",
    "engagement_rate_impressions",
    "engagement_rate_reach",
)


def _top_posts_sql() -> str:
    cols = ", ".join(TOP_POST_COLUMNS)
    return f"""CREATE VIEW top_posts AS
SELECT client_id, platform, {_month_of("published_date")} AS month,
       ROW_NUMBER() OVER (
         PARTITION BY client_id, platform, {_month_of("published_date")}
         ORDER BY engagements DESC NULLS LAST, impressions DESC NULLS LAST, post_id
       ) AS position,
       {cols}
FROM posts
WHERE published_date IS NOT NULL"""


def _content_types_sql() -> str:
    return f"""CREATE VIEW content_types AS
SELECT client_id, platform, {_month_of("published_date")} AS month,
       COALESCE(content_type, 'other') AS content_type,
       COUNT(*) AS posts,
       SUM(engagements) AS engagements,
       SUM(impressions) AS impressions,
       AVG(engagement_rate_impressions) AS engagement_rate
FROM posts
WHERE published_date IS NOT NULL
GROUP BY client_id, platform, {_month_of("published_date")}, COALESCE(content_type, 'other')"""


BEST_TIMES_MONTHS = 3
"""Best times look at the month and the two before it: more posts, less noise."""


def _best_times_sql() -> str:
    return f"""CREATE VIEW best_times AS
SELECT m.client_id, m.platform, m.month, p.day_of_week, p.hour_of_day,
       COUNT(*) AS posts,
       AVG(p.engagements) AS avg_engagements
FROM client_platform_months m
JOIN posts p ON p.client_id = m.client_id AND p.platform = m.platform
  AND p.published_date >= {_shift("m.month", 1 - BEST_TIMES_MONTHS)}
  AND p.published_date < {_shift("m.month", 1)}
WHERE p.engagements IS NOT NULL
GROUP BY m.client_id, m.platform, m.month, p.day_of_week, p.hour_of_day"""


def _audience_latest_sql() -> str:
    return f"""CREATE VIEW audience_latest AS
SELECT m.client_id, m.platform, m.month, a.as_of_date, a.audience, a.dimension, a.segment,
       a.gender, a.value, a.unit
FROM client_platform_months m
JOIN audience a ON a.client_id = m.client_id AND a.platform = m.platform
WHERE a.as_of_date = (
  SELECT MAX(b.as_of_date) FROM audience b
  WHERE b.client_id = a.client_id AND b.platform = a.platform AND b.dimension = a.dimension
    AND b.as_of_date < {_shift("m.month", 1)})"""


def _kpi_columns() -> tuple[Column, ...]:
    out = []
    for k in COUNT_KPIS:
        out.append(Column(k.name, "DOUBLE PRECISION", k.description))
        if k.source:
            out.append(
                Column(f"{k.name}_source", "TEXT", f"Where {k.name} came from: account or posts.")
            )
    for k in (*RATE_KPIS, NATIVE_RATE):
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


def _sum_columns(names: tuple[str, ...], what: str) -> tuple[Column, ...]:
    return tuple(
        Column(n, "DOUBLE PRECISION", f"Sum of {n} over the month's {what}.") for n in names
    )


MARTS: tuple[Mart, ...] = (
    Mart(
        "client_platform_months",
        "Every client, platform and month with any daily figure or post.",
        _KEYS,
        ("client_id", "platform", "month"),
        ("client_id", "platform", "month"),
        _months_sql(),
        "month",
    ),
    Mart(
        "mart_account_monthly",
        "The month's daily figures summed (additive metrics only), per client and platform.",
        (
            *_KEYS,
            *_sum_columns(DAILY_SUMS, "days"),
            Column("reach_daily_sum", "DOUBLE PRECISION", "Sum of daily reach (not unique)."),
            Column("days", "BIGINT", "Days with any figure.", False),
        ),
        ("client_id", "platform", "month"),
        ("client_id", "platform", "month", "days"),
        _account_monthly_sql(),
        "month",
    ),
    Mart(
        "mart_posts_monthly",
        "The month's posts summed (additive metrics only), per client and platform.",
        (
            *_KEYS,
            Column("posts", "BIGINT", "Posts published in the month.", False),
            *_sum_columns(POST_SUMS, "posts"),
        ),
        ("client_id", "platform", "month"),
        ("client_id", "platform", "month", "posts"),
        _posts_monthly_sql(),
        "month",
    ),
    Mart(
        "monthly_kpis",
        "One row per client, platform and month: the report's KPIs, rates and their deltas.",
        (*_KEYS, *_kpi_columns()),
        ("client_id", "platform", "month"),
        ("client_id", "platform", "month", "engagement_rate_basis"),
        _monthly_kpis_sql(),
        "platform, month",
    ),
    Mart(
        "top_posts",
        "Every post with its rank in its client, platform and month (1 = most engagements).",
        (
            *_KEYS,
            Column("position", "BIGINT", "Rank by engagements, then impressions, then id.", False),
            *(Column(c, "", "As in `posts`.") for c in TOP_POST_COLUMNS),
        ),
        ("client_id", "platform", "month", "position"),
        ("client_id", "platform", "month", "position", "post_id"),
        _top_posts_sql(),
        "platform, position",
    ),
    Mart(
        "content_types",
        "Posts, engagements and average engagement rate per content type and month.",
        (
            *_KEYS,
            Column(
                "content_type", "TEXT", "Normalised content type (`other` when unknown).", False
            ),
            Column("posts", "BIGINT", "Posts of that type.", False),
            Column("engagements", "DOUBLE PRECISION", "Their engagements."),
            Column("impressions", "DOUBLE PRECISION", "Their impressions."),
            Column("engagement_rate", "DOUBLE PRECISION", "Average engagement_rate_impressions."),
        ),
        ("client_id", "platform", "month", "content_type"),
        ("client_id", "platform", "month", "content_type", "posts"),
        _content_types_sql(),
        "platform, posts DESC, content_type",
    ),
    Mart(
        "best_times",
        f"Average engagements by weekday and hour over the month and the "
        f"{BEST_TIMES_MONTHS - 1} before it.",
        (
            *_KEYS,
            Column("day_of_week", "BIGINT", "ISO day of week (1 = Monday)."),
            Column("hour_of_day", "BIGINT", "Hour of publication, client's time."),
            Column("posts", "BIGINT", "Posts at that weekday and hour.", False),
            Column("avg_engagements", "DOUBLE PRECISION", "Their average engagements."),
        ),
        ("client_id", "platform", "month", "day_of_week", "hour_of_day"),
        ("client_id", "platform", "month", "posts"),
        _best_times_sql(),
        "platform, day_of_week, hour_of_day",
    ),
    Mart(
        "audience_latest",
        "The latest audience breakdown of each dimension known at the month's end.",
        (
            *_KEYS,
            Column("as_of_date", "DATE", "Day the breakdown describes.", False),
            Column("audience", "TEXT", "followers, visitors, reached...", False),
            Column("dimension", "TEXT", "age_gender, city, country...", False),
            Column("segment", "TEXT", "The segment's label as exported.", False),
            Column("gender", "TEXT", "female, male or NULL."),
            Column("value", "DOUBLE PRECISION", "Count, or share as a 0-1 fraction."),
            Column("unit", "TEXT", "count or share.", False),
        ),
        ("client_id", "platform", "month", "audience", "dimension", "segment", "gender"),
        ("client_id", "platform", "month", "as_of_date", "dimension", "segment", "unit"),
        _audience_latest_sql(),
        "platform, dimension, value DESC, segment",
    ),
)
MART_BY_NAME = {m.name: m for m in MARTS}


def view_statements() -> list[str]:
    """Create every mart view, in dependency order (the caller drops them first)."""
    return [m.sql for m in MARTS]


def read(
    wh: Warehouse,
    mart: str,
    client_id: str,
    first: dt.date,
    last: dt.date,
    *,
    max_position: int | None = None,
) -> list[dict[str, Any]]:
    """A client's rows of a mart for the months from `first` to `last` (first days), ordered
    as the mart declares; `max_position` keeps the top N of `top_posts`."""
    decl = MART_BY_NAME[mart]
    sql = (
        f"SELECT {', '.join(decl.column_names)} FROM {decl.name} "
        "WHERE client_id = $1 AND month BETWEEN $2 AND $3"
    )
    params: list[Any] = [client_id, first, last]
    if max_position is not None:
        sql += " AND position <= $4"
        params.append(max_position)
    sql += f" ORDER BY {decl.order}"
    return [dict(zip(decl.column_names, row, strict=True)) for row in wh.query(sql, params)]


DAILY_SERIES_COLUMNS = (
    "platform",
    "date",
    "impressions",
    "reach",
    "engagements",
    "followers_gained",
)


def daily_series(
    wh: Warehouse, client_id: str, first: dt.date, last: dt.date
) -> list[dict[str, Any]]:
    """The canonical days of a period per platform, for the report's daily charts."""
    sql = (
        f"SELECT {', '.join(DAILY_SERIES_COLUMNS)} FROM account_daily "
        "WHERE client_id = $1 AND date BETWEEN $2 AND $3 ORDER BY platform, date"
    )
    return [
        dict(zip(DAILY_SERIES_COLUMNS, row, strict=True))
        for row in wh.query(sql, [client_id, first, last])
    ]


def expectation_failures(wh: Warehouse, mart: Mart) -> list[str]:
    """What breaks a mart's declared expectations, in words (empty: all hold)."""
    failures = []
    present = wh.columns_of(mart.name)
    if sorted(present) != sorted(mart.column_names):
        failures.append(
            f"{mart.name}: columns {sorted(set(present) ^ set(mart.column_names))} differ"
        )
    keys = ", ".join(mart.unique)
    dup = wh.query(
        f"SELECT COUNT(*) FROM (SELECT {keys} FROM {mart.name} GROUP BY {keys} "
        "HAVING COUNT(*) > 1) d"
    )
    if dup[0][0]:
        failures.append(f"{mart.name}: {dup[0][0]} duplicated key(s) ({keys})")
    for column in mart.not_null:
        nulls = wh.query(f"SELECT COUNT(*) FROM {mart.name} WHERE {column} IS NULL")
        if nulls[0][0]:
            failures.append(f"{mart.name}: {nulls[0][0]} NULL {column}")
    return failures
