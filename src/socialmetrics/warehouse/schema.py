"""Portable SQL for the warehouse: tables generated from the model, and the views users query.

Only ANSI features every target has (window functions, CASE, NULLS LAST, CREATE VIEW), so the
same text runs on DuckDB, PostgreSQL and, later, BigQuery or Snowflake. Dialect-specific SQL
lives in the backend modules only.
"""

from __future__ import annotations

from socialmetrics.model import (
    AUDIENCE_COLUMNS,
    FOLLOWER_RATE,
    METRICS,
    POST_SNAPSHOT_COLUMNS,
    TABLES,
    Column,
    metrics_for,
)

SCHEMA_VERSION = 1

VIEW_NAMES = ("account_daily_ranked", "account_daily", "posts", "audience")


def create_table_sql(name: str, columns: tuple[Column, ...]) -> str:
    cols = ",\n  ".join(
        f"{c.name} {c.sql_type}{'' if c.nullable else ' NOT NULL'}" for c in columns
    )
    return f"CREATE TABLE IF NOT EXISTS {name} (\n  {cols}\n)"


INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_adf_client_date ON account_daily_facts (client_id, date)",
    "CREATE INDEX IF NOT EXISTS ix_adf_file ON account_daily_facts (source_file_id)",
    "CREATE INDEX IF NOT EXISTS ix_ps_client_post ON post_snapshots (client_id, post_id)",
    "CREATE INDEX IF NOT EXISTS ix_ps_file ON post_snapshots (source_file_id)",
    "CREATE INDEX IF NOT EXISTS ix_aud_file ON audience_snapshots (source_file_id)",
    "CREATE INDEX IF NOT EXISTS ix_sf_client ON source_files (client_id, path)",
)


def _export_order(alias: str) -> str:
    """Newest export wins: by the last day it covers, then file mtime, then load, then file."""
    return (
        f"{alias}.exported_through DESC NULLS LAST, s.modified_at DESC NULLS LAST, "
        f"{alias}.load_id DESC, {alias}.source_file_id DESC"
    )


def account_daily_ranked_sql() -> str:
    return f"""CREATE VIEW account_daily_ranked AS
SELECT f.client_id, f.platform, f.date, f.metric, f.value, f.exported_through,
       f.source_file_id, f.source_sheet, f.source_row, f.load_id,
       ROW_NUMBER() OVER (
         PARTITION BY f.client_id, f.platform, f.date, f.metric
         ORDER BY {_export_order("f")}
       ) AS version_rank
FROM account_daily_facts f
LEFT JOIN source_files s ON s.file_id = f.source_file_id"""


def _followers_at(alias: str, date_column: str) -> str:
    """The follower count of that day, else the latest known before it (NULL if none or 0)."""
    return f"""(
         SELECT NULLIF(MAX(f.value), 0) FROM account_daily_ranked f
         WHERE f.client_id = {alias}.client_id AND f.platform = {alias}.platform
           AND f.metric = 'followers_total' AND f.version_rank = 1
           AND f.date = (
             SELECT MAX(g.date) FROM account_daily_ranked g
             WHERE g.client_id = {alias}.client_id AND g.platform = {alias}.platform
               AND g.metric = 'followers_total' AND g.version_rank = 1
               AND g.date <= {alias}.{date_column}))"""


def account_daily_sql() -> str:
    """One row per client, platform and day, one column per canonical metric."""
    pivots = []
    for m in metrics_for("account_daily"):
        value = f"MAX(CASE WHEN metric = '{m.name}' THEN value END)"
        if m.type == "count":
            value = f"CAST({value} AS BIGINT)"
        pivots.append(f"{value} AS {m.name}")
    pivot_sql = ",\n         ".join(pivots)
    return f"""CREATE VIEW account_daily AS
SELECT d.*,
       CASE WHEN d.impressions > 0 THEN CAST(d.engagements AS DOUBLE PRECISION) / d.impressions END
         AS engagement_rate_impressions,
       CASE WHEN d.reach > 0 THEN CAST(d.engagements AS DOUBLE PRECISION) / d.reach END
         AS engagement_rate_reach,
       CAST(d.engagements AS DOUBLE PRECISION) / {_followers_at("d", "date")}
         AS engagement_rate_followers
FROM (
  SELECT client_id, platform, date,
         {pivot_sql},
         COUNT(DISTINCT source_file_id) AS source_files
  FROM account_daily_ranked
  WHERE version_rank = 1
  GROUP BY client_id, platform, date
) d"""


def _latest_view(
    name: str, table: str, columns: tuple[Column, ...], key: str, computed: str = ""
) -> str:
    cols = ", ".join(f"p.{c.name}" for c in columns)
    outer = ", ".join(f"latest.{c.name}" for c in columns) + computed
    return f"""CREATE VIEW {name} AS
SELECT {outer} FROM (
  SELECT {cols},
         ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY {_export_order("p")}) AS version_rank
  FROM {table} p
  LEFT JOIN source_files s ON s.file_id = p.source_file_id
) latest
WHERE version_rank = 1"""


def posts_sql() -> str:
    """The newest export of each post; earlier snapshots stay in post_snapshots."""
    rate = (
        f",\n       CAST(latest.engagements AS DOUBLE PRECISION) / "
        f"{_followers_at('latest', 'published_date')} AS {FOLLOWER_RATE.name}"
    )
    return _latest_view(
        "posts", "post_snapshots", POST_SNAPSHOT_COLUMNS, "p.client_id, p.platform, p.post_id", rate
    )


def audience_sql() -> str:
    return _latest_view(
        "audience",
        "audience_snapshots",
        AUDIENCE_COLUMNS,
        "p.client_id, p.platform, p.as_of_date, p.audience, p.dimension, p.segment, p.gender",
    )


def schema_statements() -> list[str]:
    """Everything to create an empty warehouse, in order (tables, indexes, views)."""
    stmts = [create_table_sql(name, cols) for name, cols in TABLES.items()]
    stmts.append("CREATE TABLE IF NOT EXISTS schema_info (key TEXT NOT NULL, value TEXT NOT NULL)")
    stmts.extend(INDEXES)
    return stmts


def view_statements() -> list[str]:
    """Views are dropped and re-created on every schema check, so new metrics appear."""
    drops = [f"DROP VIEW IF EXISTS {v}" for v in reversed(VIEW_NAMES)]
    return [*drops, account_daily_ranked_sql(), account_daily_sql(), posts_sql(), audience_sql()]


ACCOUNT_METRIC_NAMES = tuple(m.name for m in metrics_for("account_daily"))
ALL_METRIC_NAMES = tuple(m.name for m in METRICS)
