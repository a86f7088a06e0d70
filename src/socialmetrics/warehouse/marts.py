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

from socialmetrics.model.tables import Column
from socialmetrics.warehouse.kpis import (
    DAILY_SUMS,
    KEYS,
    POST_AVERAGES,
    POST_SUMS,
    account_monthly_sql,
    kpi_columns,
    month_of,
    monthly_kpis_sql,
    months_sql,
    posts_monthly_sql,
    shift_month,
    sum_columns,
)

if TYPE_CHECKING:  # base builds the schema from this module
    from socialmetrics.warehouse.base import Warehouse


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
SELECT client_id, platform, {month_of("published_date")} AS month,
       ROW_NUMBER() OVER (
         PARTITION BY client_id, platform, {month_of("published_date")}
         ORDER BY engagements DESC NULLS LAST, impressions DESC NULLS LAST, post_id
       ) AS position,
       {cols}
FROM posts
WHERE published_date IS NOT NULL"""


def _content_types_sql() -> str:
    return f"""CREATE VIEW content_types AS
SELECT client_id, platform, {month_of("published_date")} AS month,
       COALESCE(content_type, 'other') AS content_type,
       COUNT(*) AS posts,
       SUM(engagements) AS engagements,
       SUM(impressions) AS impressions,
       AVG(engagement_rate_impressions) AS engagement_rate
FROM posts
WHERE published_date IS NOT NULL
GROUP BY client_id, platform, {month_of("published_date")}, COALESCE(content_type, 'other')"""


BEST_TIMES_MONTHS = 3
"""Best times look at the month and the two before it: more posts, less noise."""


def _best_times_sql() -> str:
    return f"""CREATE VIEW best_times AS
SELECT m.client_id, m.platform, m.month, p.day_of_week, p.hour_of_day,
       COUNT(*) AS posts,
       AVG(p.engagements) AS avg_engagements
FROM client_platform_months m
JOIN posts p ON p.client_id = m.client_id AND p.platform = m.platform
  AND p.published_date >= {shift_month("m.month", 1 - BEST_TIMES_MONTHS)}
  AND p.published_date < {shift_month("m.month", 1)}
WHERE p.engagements IS NOT NULL
GROUP BY m.client_id, m.platform, m.month, p.day_of_week, p.hour_of_day"""


def _audience_latest_sql() -> str:
    return f"""CREATE VIEW audience_latest AS
SELECT client_id, platform, month, as_of_date, audience, dimension, segment, gender, metric,
       value, unit
FROM (
  SELECT m.client_id, m.platform, m.month, a.as_of_date, a.audience, a.dimension, a.segment,
         a.gender, a.metric, a.value, a.unit,
         MAX(a.as_of_date) OVER (
           PARTITION BY m.client_id, m.platform, m.month, a.dimension
         ) AS latest
  FROM client_platform_months m
  JOIN audience a ON a.client_id = m.client_id AND a.platform = m.platform
    AND a.as_of_date < {shift_month("m.month", 1)}
) known
WHERE as_of_date = latest"""


COMPETITOR_COLUMNS = (
    "period_start",
    "period_end",
    "page",
    "page_role",
    "followers_total",
    "followers_gained",
    "engagements",
    "posts_published",
)


def _competitors_latest_sql() -> str:
    cols = ", ".join(f"c.{c}" for c in COMPETITOR_COLUMNS)
    return f"""CREATE VIEW competitors_latest AS
SELECT client_id, platform, month, {", ".join(COMPETITOR_COLUMNS)}
FROM (
  SELECT m.client_id, m.platform, m.month, {cols},
         DENSE_RANK() OVER (
           PARTITION BY m.client_id, m.platform, m.month
           ORDER BY c.period_end DESC, c.period_start DESC
         ) AS recency
  FROM client_platform_months m
  JOIN competitors c ON c.client_id = m.client_id AND c.platform = m.platform
    AND c.period_end < {shift_month("m.month", 1)}
) known
WHERE recency = 1"""


MARTS: tuple[Mart, ...] = (
    Mart(
        "client_platform_months",
        "Every client, platform and month with any daily figure or post.",
        KEYS,
        ("client_id", "platform", "month"),
        ("client_id", "platform", "month"),
        months_sql(),
        "month",
    ),
    Mart(
        "mart_account_monthly",
        "The month's daily figures summed (additive metrics only), per client and platform.",
        (
            *KEYS,
            *sum_columns(DAILY_SUMS, "days"),
            Column("reach_daily_sum", "DOUBLE PRECISION", "Sum of daily reach (not unique)."),
            Column("reach_daily_avg", "DOUBLE PRECISION", "Average daily reach (not unique)."),
            Column("days", "BIGINT", "Days with any figure.", False),
        ),
        ("client_id", "platform", "month"),
        ("client_id", "platform", "month", "days"),
        account_monthly_sql(),
        "month",
    ),
    Mart(
        "mart_posts_monthly",
        "The month's posts summed (additive metrics only), per client and platform.",
        (
            *KEYS,
            Column("posts", "BIGINT", "Posts published in the month.", False),
            *sum_columns(POST_SUMS, "posts"),
            *(
                Column(
                    m.name,
                    "DOUBLE PRECISION",
                    f"Mean of {m.name} over the month's posts, weighted by {m.weight}.",
                )
                for m in POST_AVERAGES
            ),
        ),
        ("client_id", "platform", "month"),
        ("client_id", "platform", "month", "posts"),
        posts_monthly_sql(),
        "month",
    ),
    Mart(
        "monthly_kpis",
        "One row per client, platform and month: the report's KPIs, rates and their deltas.",
        (*KEYS, *kpi_columns()),
        ("client_id", "platform", "month"),
        ("client_id", "platform", "month", "engagement_rate_basis"),
        monthly_kpis_sql(),
        "platform, month",
    ),
    Mart(
        "top_posts",
        "Every post with its rank in its client, platform and month (1 = most engagements).",
        (
            *KEYS,
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
            *KEYS,
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
            *KEYS,
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
            *KEYS,
            Column("as_of_date", "DATE", "Day the breakdown describes.", False),
            Column("audience", "TEXT", "followers, visitors, reached...", False),
            Column("dimension", "TEXT", "age_gender, city, country...", False),
            Column("segment", "TEXT", "The segment's label as exported.", False),
            Column("gender", "TEXT", "female, male or NULL."),
            Column(
                "metric",
                "TEXT",
                "NULL for the audience's own size, else what is measured per segment "
                "(YouTube: video_views, watch_time_hours...).",
            ),
            Column("value", "DOUBLE PRECISION", "Count, or share/rate as a 0-1 fraction."),
            Column("unit", "TEXT", "count, share, rate or number.", False),
        ),
        (
            *("client_id", "platform", "month", "audience", "dimension", "segment", "gender"),
            *("metric", "unit"),
        ),
        ("client_id", "platform", "month", "as_of_date", "dimension", "segment", "unit"),
        _audience_latest_sql(),
        "platform, dimension, audience, metric NULLS FIRST, unit, value DESC, segment",
    ),
    Mart(
        "competitors_latest",
        "The latest competitor benchmark (all its pages) whose period ends by the month's end.",
        (
            *KEYS,
            Column("period_start", "DATE", "First day the benchmark covers.", False),
            Column("period_end", "DATE", "Last day the benchmark covers.", False),
            Column("page", "TEXT", "The page's name as exported.", False),
            Column("page_role", "TEXT", "client (the client's own page) or competitor.", False),
            Column("followers_total", "BIGINT", "Followers at the period's end."),
            Column("followers_gained", "BIGINT", "New followers in the period."),
            Column("engagements", "BIGINT", "Post engagements in the period."),
            Column("posts_published", "BIGINT", "Posts in the period."),
        ),
        ("client_id", "platform", "month", "page"),
        ("client_id", "platform", "month", "period_end", "page", "page_role"),
        _competitors_latest_sql(),
        "platform, followers_total DESC NULLS LAST, page",
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
    as the mart declares, ties broken by its unique key so that every run (whatever the load
    order, local or on a cluster) lists them alike; `max_position` keeps the top N of
    `top_posts`."""
    decl = MART_BY_NAME[mart]
    sql = (
        f"SELECT {', '.join(decl.column_names)} FROM {decl.name} "
        "WHERE client_id = $1 AND month BETWEEN $2 AND $3"
    )
    params: list[Any] = [client_id, first, last]
    if max_position is not None:
        sql += " AND position <= $4"
        params.append(max_position)
    sql += f" ORDER BY {decl.order}, {', '.join(decl.unique)}"
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
