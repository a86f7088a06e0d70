"""The grains of the canonical model, declared once: what identifies a row, which column dates
it, which table holds it, and the rule that decides which export of a row wins.

`account_daily` (one value per client, platform, day and metric), `posts` (one snapshot per
post and export), `audience` (one breakdown line per export day) and `competitors` (one page of
a competitor benchmark per period: LinkedIn competitor analytics). Ingest, the views, drift
history and the run's counts all read these declarations; none writes its own key list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Grain = Literal["account_daily", "posts", "audience", "competitors"]
KINDS: tuple[Grain, ...] = ("account_daily", "posts", "audience", "competitors")


@dataclass(frozen=True)
class GrainDecl:
    """One grain: where it is stored and what makes a row of it unique."""

    name: Grain
    fact_table: str
    """The physical table its rows are loaded into (every version of a row is kept)."""
    view: str
    """The view users query: the newest export of each row."""
    keys: tuple[str, ...]
    """Within a client and platform, the columns naming one row of the view (`metric` is part
    of the daily key because the fact table is long: one row per metric)."""
    file_key: tuple[str, ...]
    """Within one file and table, the columns naming one row (in-file de-duplication)."""
    date_column: str
    """The fact table's column a month filters on."""
    period_column: str
    """The canonical table's column giving a file's period (`published_at` for posts)."""
    entity: str
    """The column naming one thing over time, for comparing a metric's values across files
    (drift evidence): a day or a post."""


GRAINS: dict[Grain, GrainDecl] = {
    "account_daily": GrainDecl(
        name="account_daily",
        fact_table="account_daily_facts",
        view="account_daily",
        keys=("date", "metric"),
        file_key=("date",),
        date_column="date",
        period_column="date",
        entity="date",
    ),
    "posts": GrainDecl(
        name="posts",
        fact_table="post_snapshots",
        view="posts",
        keys=("post_id",),
        file_key=("post_id",),
        date_column="published_date",
        period_column="published_at",
        entity="post_id",
    ),
    "audience": GrainDecl(
        name="audience",
        fact_table="audience_snapshots",
        view="audience",
        keys=("as_of_date", "audience", "dimension", "segment", "gender", "metric"),
        file_key=("as_of_date", "audience", "dimension", "segment", "gender", "metric"),
        date_column="as_of_date",
        period_column="as_of_date",
        entity="segment",
    ),
    "competitors": GrainDecl(
        name="competitors",
        fact_table="competitor_snapshots",
        view="competitors",
        keys=("period_start", "period_end", "page"),
        file_key=("page",),
        date_column="period_end",
        period_column="period_end",
        entity="page",
    ),
}

EXTRA_TABLES = {"account_daily_extra": "date"}
"""Fact tables that are not a grain's own, with their date column (unknown daily columns)."""

FACT_DATE_COLUMNS: dict[str, str] = {
    **{g.fact_table: g.date_column for g in GRAINS.values()},
    **EXTRA_TABLES,
}
"""Every fact table and the column a month re-load deletes by."""

NEWEST_EXPORT_FIRST = ("exported_through", "modified_at", "load_id", "source_file_id")
"""Which export of a row wins: the one covering the latest day, then the most recently modified
file, then the latest load, then the file id (a stable tie-break). The views rank by it in SQL
(`newest_first_sql`); before a load, Python ranks files by its first two (`newest_first_key`)."""


def newest_first_sql(row: str, files: str) -> str:
    """`ORDER BY` text ranking versions of a row newest first; `files` aliases source_files."""
    parts = []
    for column in NEWEST_EXPORT_FIRST:
        owner = files if column == "modified_at" else row
        nulls = " NULLS LAST" if column in ("exported_through", "modified_at") else ""
        parts.append(f"{owner}.{column} DESC{nulls}")
    return ", ".join(parts)


def newest_first_key(
    exported_through: dt.date | None, modified: dt.datetime | None
) -> tuple[dt.date, dt.datetime]:
    """The same rule before a load (no load id yet): sort files by this key, newest last."""
    return (exported_through or dt.date.min, modified or dt.datetime.min)
