"""Top posts, content types, best times to post and audience, computed in the warehouse."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialmetrics.marts.kpis import month_end, month_start
from socialmetrics.warehouse.base import Warehouse

TOP_POST_COLUMNS = (
    "platform",
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


def _rows(
    wh: Warehouse, sql: str, params: list[Any], columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    return [dict(zip(columns, row, strict=True)) for row in wh.query(sql, params)]


def top_posts(wh: Warehouse, client_id: str, month: str, limit: int = 5) -> list[dict[str, Any]]:
    """The month's best posts per platform by engagements (then impressions)."""
    sql = f"""SELECT {", ".join(TOP_POST_COLUMNS)} FROM (
      SELECT p.*, ROW_NUMBER() OVER (
        PARTITION BY platform ORDER BY engagements DESC NULLS LAST, impressions DESC NULLS LAST,
        post_id) AS position
      FROM posts p WHERE client_id = $1 AND published_date BETWEEN $2 AND $3
    ) ranked WHERE position <= $4 ORDER BY platform, position"""
    return _rows(
        wh, sql, [client_id, month_start(month), month_end(month), limit], TOP_POST_COLUMNS
    )


def content_types(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    """Posts, engagements and average engagement rate per platform and content type."""
    columns = ("platform", "content_type", "posts", "engagements", "impressions", "engagement_rate")
    sql = """SELECT platform, COALESCE(content_type, 'other'), COUNT(*), SUM(engagements),
        SUM(impressions), AVG(engagement_rate_impressions) FROM posts
      WHERE client_id = $1 AND published_date BETWEEN $2 AND $3
      GROUP BY platform, COALESCE(content_type, 'other') ORDER BY platform, COUNT(*) DESC"""
    return _rows(wh, sql, [client_id, month_start(month), month_end(month)], columns)


def best_times(wh: Warehouse, client_id: str, month: str, months: int = 3) -> list[dict[str, Any]]:
    """Average engagements by weekday x hour over the trailing months (more posts, less noise)."""
    columns = ("platform", "day_of_week", "hour_of_day", "posts", "avg_engagements")
    start = month_start(month)
    for _ in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    sql = """SELECT platform, day_of_week, hour_of_day, COUNT(*), AVG(engagements) FROM posts
      WHERE client_id = $1 AND published_date BETWEEN $2 AND $3 AND engagements IS NOT NULL
      GROUP BY platform, day_of_week, hour_of_day ORDER BY platform, day_of_week, hour_of_day"""
    return _rows(wh, sql, [client_id, start, month_end(month)], columns)


def audience(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    """The latest audience breakdowns known at the month's end."""
    columns = (
        "platform",
        "as_of_date",
        "audience",
        "dimension",
        "segment",
        "gender",
        "value",
        "unit",
    )
    sql = f"""SELECT {", ".join("a." + c for c in columns)} FROM audience a
      WHERE a.client_id = $1 AND a.as_of_date = (
        SELECT MAX(b.as_of_date) FROM audience b WHERE b.client_id = a.client_id
          AND b.platform = a.platform AND b.dimension = a.dimension AND b.as_of_date <= $2)
      ORDER BY a.platform, a.dimension, a.value DESC"""
    return _rows(wh, sql, [client_id, month_end(month)], columns)


def daily_series(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    """The month's days per platform, for the report's daily charts."""
    columns = ("platform", "date", "impressions", "reach", "engagements", "followers_gained")
    sql = f"""SELECT {", ".join(columns)} FROM account_daily
      WHERE client_id = $1 AND date BETWEEN $2 AND $3 ORDER BY platform, date"""
    return _rows(wh, sql, [client_id, month_start(month), month_end(month)], columns)
