"""Portable SQL for the warehouse: tables generated from the model, and the views users query.

Only ANSI features every target has (window functions, CASE, NULLS LAST, CREATE VIEW), so the
same text runs on DuckDB, PostgreSQL and, later, BigQuery or Snowflake. Dialect-specific SQL
lives in the backend modules only.
"""

from __future__ import annotations

from socialmetrics.model import (
    AUDIENCE_COLUMNS,
    COMPETITOR_COLUMNS,
    POST_SNAPSHOT_COLUMNS,
    TABLES,
    Column,
    metrics_for,
)
from socialmetrics.model.grains import GRAINS, Grain, newest_first_sql
from socialmetrics.model.metrics import RATE_BY_NAME
from socialmetrics.warehouse import marts
from socialmetrics.warehouse.dialect import ANSI, Dialect

SCHEMA_VERSION = 1
DAILY_RATES = tuple(
    RATE_BY_NAME[n] for n in ("engagement_rate_impressions", "engagement_rate_reach")
)

CANONICAL_VIEWS = ("account_daily_ranked", "account_daily", "posts", "audience", "competitors")
VIEW_NAMES = (*CANONICAL_VIEWS, *(m.name for m in marts.MARTS))
"""Every view, in creation order: the canonical views, then the marts built on them."""


def create_table_sql(name: str, columns: tuple[Column, ...], dialect: Dialect = ANSI) -> str:
    cols = ",\n  ".join(
        f"{c.name} {dialect.type(c.sql_type)}{'' if c.nullable else ' NOT NULL'}" for c in columns
    )
    return f"CREATE TABLE IF NOT EXISTS {name} (\n  {cols}\n)"


INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ix_adf_client_date", "account_daily_facts", ("client_id", "date")),
    ("ix_adf_file", "account_daily_facts", ("source_file_id",)),
    ("ix_ps_client_post", "post_snapshots", ("client_id", "post_id")),
    ("ix_ps_file", "post_snapshots", ("source_file_id",)),
    ("ix_aud_file", "audience_snapshots", ("source_file_id",)),
    ("ix_comp_file", "competitor_snapshots", ("source_file_id",)),
    ("ix_sf_client", "source_files", ("client_id", "path")),
)
"""(name, table, columns): what lookups by client and by file need."""


def _partition(grain: Grain, alias: str) -> str:
    """A row of a grain's view: client, platform and the grain's keys."""
    return ", ".join(f"{alias}.{c}" for c in ("client_id", "platform", *GRAINS[grain].keys))


def account_daily_ranked_sql() -> str:
    """Every daily fact with its rank among the versions of its day (1: the newest export).
    The file is joined on its client too (a file id is always its client's): so a query for
    one client reads that client's files only, not the whole ledger (on PostgreSQL a hash of
    every client's files, a third of a second at 1,000 clients)."""
    return f"""CREATE VIEW account_daily_ranked AS
SELECT f.client_id, f.platform, f.date, f.metric, f.value, f.exported_through,
       f.source_file_id, f.source_sheet, f.source_row, f.load_id,
       ROW_NUMBER() OVER (
         PARTITION BY {_partition("account_daily", "f")}
         ORDER BY {newest_first_sql("f", "s")}
       ) AS version_rank
FROM account_daily_facts f
LEFT JOIN source_files s ON s.file_id = f.source_file_id AND s.client_id = f.client_id"""


FOLLOWERS_RAW, FOLLOWERS_RUN, FOLLOWERS_KNOWN = (
    "followers_raw__",
    "followers_run__",
    "followers_known__",
)
"""Helper columns of the daily pivot (not in the view): the day's follower count as exported,
how many counts are known up to the day, and the latest of them."""


FOLLOWER_RUNS = """(
  SELECT client_id, platform, date AS known_from,
         LEAD(date) OVER (PARTITION BY client_id, platform ORDER BY date) AS known_until,
         NULLIF(followers_total, 0) AS followers
  FROM account_daily
  WHERE followers_total IS NOT NULL
)"""
"""Each follower count of `account_daily` (the materialised table, refreshed before the views
that read this) with the days it holds for: from its day until the next count. A range join
on it finds the count of any day at once, where a lookup per row would scan back day by day
(or, over the ranked facts, re-rank them for every row: quadratic in the client's history on
PostgreSQL)."""


def account_daily_sql() -> str:
    """One row per client, platform and day, one column per canonical metric.

    The follower-based rate divides by the day's follower count, else the latest known
    before it: carried forward by two windows over the client's days (the running count of
    known counts numbers each run of days that share one), never a lookup per row."""
    pivots = []
    names = []
    for m in metrics_for("account_daily"):
        value = f"MAX(CASE WHEN metric = '{m.name}' THEN value END)"
        if m.type == "count":
            value = f"CAST({value} AS BIGINT)"
        pivots.append(f"{value} AS {m.name}")
        names.append(m.name)
    pivot_sql = ",\n         ".join(pivots)
    raw = "MAX(CASE WHEN metric = 'followers_total' THEN value END)"
    followers = RATE_BY_NAME["engagement_rate_followers"]
    columns = ", ".join(f"d.{c}" for c in ("client_id", "platform", "date", *names))
    rates = ",\n       ".join(
        [
            *(
                f"{r.sql('d.' + r.numerator, 'd.' + r.denominator)} AS {r.name}"
                for r in DAILY_RATES
            ),
            f"{followers.sql('d.engagements', f'NULLIF(d.{FOLLOWERS_KNOWN}, 0)', positive=True)} "
            f"AS {followers.name}",
        ]
    )
    return f"""CREATE VIEW account_daily AS
SELECT {columns}, d.source_files,
       {rates}
FROM (
  SELECT p.*,
         MAX(p.{FOLLOWERS_RAW}) OVER (
           PARTITION BY p.client_id, p.platform, p.{FOLLOWERS_RUN}
         ) AS {FOLLOWERS_KNOWN}
  FROM (
    SELECT client_id, platform, date,
           {pivot_sql},
           COUNT(DISTINCT source_file_id) AS source_files,
           {raw} AS {FOLLOWERS_RAW},
           COUNT({raw}) OVER (
             PARTITION BY client_id, platform ORDER BY date
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
           ) AS {FOLLOWERS_RUN}
    FROM account_daily_ranked
    WHERE version_rank = 1
    GROUP BY client_id, platform, date
  ) p
) d"""


def _latest_view(
    grain: Grain, columns: tuple[Column, ...], computed: str = "", joined: str = ""
) -> str:
    """The newest export of each row of a grain's fact table (`computed`: more columns, over
    `latest` and what `joined` joins to it)."""
    decl = GRAINS[grain]
    cols = ", ".join(f"p.{c.name}" for c in columns)
    outer = ", ".join(f"latest.{c.name}" for c in columns) + computed
    return f"""CREATE VIEW {decl.view} AS
SELECT {outer} FROM (
  SELECT {cols},
         ROW_NUMBER() OVER (
           PARTITION BY {_partition(grain, "p")} ORDER BY {newest_first_sql("p", "s")}
         ) AS version_rank
  FROM {decl.fact_table} p
  LEFT JOIN source_files s ON s.file_id = p.source_file_id AND s.client_id = p.client_id
) latest{joined}
WHERE version_rank = 1"""


def posts_sql() -> str:
    """The newest export of each post; earlier snapshots stay in post_snapshots."""
    followers = RATE_BY_NAME["engagement_rate_followers"]
    rate = f",\n       {followers.sql('latest.engagements', 'fo.followers', positive=True)}"
    rate += f" AS {followers.name}"
    joined = f"""
LEFT JOIN {FOLLOWER_RUNS} fo
  ON fo.client_id = latest.client_id AND fo.platform = latest.platform
  AND latest.published_date >= fo.known_from
  AND (fo.known_until IS NULL OR latest.published_date < fo.known_until)"""
    return _latest_view("posts", POST_SNAPSHOT_COLUMNS, rate, joined)


def audience_sql() -> str:
    return _latest_view("audience", AUDIENCE_COLUMNS)


def competitors_sql() -> str:
    """The newest export of each page's benchmark for a period."""
    return _latest_view("competitors", COMPETITOR_COLUMNS)


def schema_statements(dialect: Dialect = ANSI) -> list[str]:
    """Everything to create an empty warehouse's tables and indexes, in order."""
    stmts = [create_table_sql(name, cols, dialect) for name, cols in TABLES.items()]
    stmts.append(
        f"CREATE TABLE IF NOT EXISTS schema_info (key {dialect.type('TEXT')} NOT NULL, "
        f"value {dialect.type('TEXT')} NOT NULL)"
    )
    indexes = (dialect.create_index(*index) for index in INDEXES)
    stmts.extend(ddl for ddl in indexes if ddl)
    return stmts


MATERIALISED = ("account_daily", "posts", "monthly_kpis")
"""Views kept as tables, refreshed per client at load (`warehouse.materialise`): what every
report and query reads would otherwise rank and pivot all of history on each query."""


def live(name: str) -> str:
    """The view that computes a materialised table (`account_daily_live` for `account_daily`)."""
    return f"{name}_live"


def view_definitions() -> list[tuple[str, str]]:
    """(name, CREATE VIEW statement) of every view, in dependency order; a materialised
    one's statement creates its `_live` view."""
    canonical = [
        account_daily_ranked_sql(),
        account_daily_sql(),
        posts_sql(),
        audience_sql(),
        competitors_sql(),
    ]
    out = []
    for name, sql in zip(VIEW_NAMES, [*canonical, *marts.view_statements()], strict=True):
        if name in MATERIALISED:
            sql = sql.replace(f"CREATE VIEW {name} AS", f"CREATE VIEW {live(name)} AS", 1)
        out.append((name, sql))
    return out
