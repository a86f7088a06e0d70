"""Every warehouse table and column, declared once.

The declarations drive the warehouse DDL, the Arrow schemas of the loaders, and the
documentation test (every column here must be described in docs/warehouse.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from socialmetrics.model.grains import Grain
from socialmetrics.model.metrics import ENGAGEMENT_RATES, VIDEO_RATE, ValueType, metrics_for


@dataclass(frozen=True)
class Column:
    """A warehouse column: name, portable SQL type and what it means."""

    name: str
    sql_type: str
    description: str
    nullable: bool = True


def _sql_type(t: ValueType) -> str:
    return {
        "count": "BIGINT",
        "rate": "DOUBLE PRECISION",
        "number": "DOUBLE PRECISION",
        "timestamp": "TIMESTAMP",
        "date": "DATE",
    }.get(t, "TEXT")


LINEAGE = (
    Column("source_file_id", "TEXT", "The `source_files.file_id` this row was read from.", False),
    Column("source_sheet", "TEXT", "Sheet (Excel) or block title (CSV) the row came from."),
    Column("source_row", "BIGINT", "1-based row number in the file or sheet.", False),
    Column("load_id", "TEXT", "The `load_runs.load_id` that wrote this row.", False),
)

POST_ATTRIBUTES = (
    Column(
        "post_id", "TEXT", "The platform's id of the post (text: ids exceed 64-bit floats).", False
    ),
    Column(
        "published_at",
        "TIMESTAMP",
        "Publication time, local to the client: times exported in UTC (X classic) are converted "
        "to the client's time zone; Instagram and Facebook export account-local times already.",
    ),
    Column("published_date", "DATE", "Date part of published_at."),
    Column("post_url", "TEXT", "Permalink."),
    Column("post_text", "TEXT", "Caption, title or text of the post."),
    Column(
        "content_type", "TEXT", "Normalised type: image, video, carousel, text, link, document..."
    ),
    Column("content_type_raw", "TEXT", "The platform's own type label."),
    Column("account_id", "TEXT", "Account or page id where exported."),
    Column("account_name", "TEXT", "Account username or page name where exported."),
    Column(
        "revenue_currency",
        "TEXT",
        "ISO code of `estimated_revenue`'s currency, as the header names it (`(USD)`).",
    ),
    Column("day_of_week", "BIGINT", "ISO day of week of publication (1 = Monday)."),
    Column(
        "hour_of_day",
        "BIGINT",
        "Hour of publication (0-23); NULL when the export gives only the day (TikTok).",
    ),
)

DERIVED_RATES = tuple(Column(r.name, "DOUBLE PRECISION", r.description) for r in ENGAGEMENT_RATES)


KEYS = (
    Column("client_id", "TEXT", "The client's folder name.", False),
    Column(
        "platform",
        "TEXT",
        "The platform id: instagram, facebook, linkedin, twitter, tiktok, youtube...",
        False,
    ),
)


def metric_columns(grain: Grain) -> tuple[Column, ...]:
    """Columns holding the canonical metrics of a grain."""
    return tuple(Column(m.name, _sql_type(m.type), m.description) for m in metrics_for(grain))


POST_SNAPSHOT_COLUMNS: tuple[Column, ...] = (
    *KEYS,
    *POST_ATTRIBUTES,
    *metric_columns("posts"),
    *DERIVED_RATES[:2],
    Column(VIDEO_RATE.name, "DOUBLE PRECISION", VIDEO_RATE.description),
    Column("exported_through", "DATE", "Last day covered by the export this snapshot came from."),
    Column("extra", "TEXT", "JSON object of the columns the spec does not map (never dropped)."),
    *LINEAGE,
)

ACCOUNT_FACT_COLUMNS: tuple[Column, ...] = (
    *KEYS,
    Column("date", "DATE", "Calendar day (account time zone as exported).", False),
    Column("metric", "TEXT", "Canonical metric name (see the metric list).", False),
    Column("value", "DOUBLE PRECISION", "The metric's value that day."),
    Column("exported_through", "DATE", "Last day covered by the export this value came from."),
    *LINEAGE,
)

ACCOUNT_EXTRA_COLUMNS: tuple[Column, ...] = (
    *KEYS,
    Column("date", "DATE", "Calendar day.", False),
    Column("extra", "TEXT", "JSON object of the columns the spec does not map (never dropped)."),
    *LINEAGE,
)

AUDIENCE_COLUMNS: tuple[Column, ...] = (
    *KEYS,
    Column(
        "as_of_date", "DATE", "Day the breakdown describes (end of the export's period).", False
    ),
    Column("audience", "TEXT", "Whose breakdown: followers, visitors or reached.", False),
    Column(
        "dimension", "TEXT", "age_gender, age, gender, city, country, location, industry...", False
    ),
    Column("segment", "TEXT", "The segment's label as exported (an age band, a city...).", False),
    Column("gender", "TEXT", "female, male or NULL for dimensions without gender."),
    Column(
        "metric",
        "TEXT",
        "What is measured per segment: NULL for the audience's own size (followers, visitors), "
        "else a canonical metric (YouTube: video_views, watch_time_hours... per traffic source).",
    ),
    Column("value", "DOUBLE PRECISION", "Count, or share of the audience as a 0-1 fraction."),
    Column("unit", "TEXT", "count, share or the metric's own unit (`metric`).", False),
    Column("exported_through", "DATE", "Last day covered by the export it came from."),
    Column("extra", "TEXT", "JSON object of the columns the spec does not map (never dropped)."),
    *LINEAGE,
)

COMPETITOR_COLUMNS: tuple[Column, ...] = (
    *KEYS,
    Column("period_start", "DATE", "First day of the period the benchmark covers.", False),
    Column("period_end", "DATE", "Last day of the period the benchmark covers.", False),
    Column("page", "TEXT", "The page's name as exported.", False),
    Column(
        "page_role",
        "TEXT",
        "`client` for the client's own page (named by the export's file name), else `competitor`.",
        False,
    ),
    *metric_columns("competitors"),
    Column("exported_through", "DATE", "Last day covered by the export it came from."),
    Column("extra", "TEXT", "JSON object of the columns the spec does not map (never dropped)."),
    *LINEAGE,
)

QUARANTINE_COLUMNS: tuple[Column, ...] = (
    *KEYS,
    Column("source_file_id", "TEXT", "The file the row came from.", False),
    Column("path", "TEXT", "Path of the file, relative to the client's folder.", False),
    Column("source_sheet", "TEXT", "Sheet or block."),
    Column("source_row", "BIGINT", "1-based row number in the file or sheet."),
    Column("column_name", "TEXT", "The column as headed in the file."),
    Column("raw_value", "TEXT", "The value exactly as read."),
    Column("reason", "TEXT", "Why the row or value could not be loaded.", False),
    Column("load_id", "TEXT", "The load that quarantined it.", False),
)

SOURCE_FILE_COLUMNS: tuple[Column, ...] = (
    Column("file_id", "TEXT", "Stable id of this client's file content.", False),
    Column("client_id", "TEXT", "The client's folder name.", False),
    Column("path", "TEXT", "Path relative to the client's folder.", False),
    Column("content_hash", "TEXT", "SHA-256 of the file's bytes.", False),
    Column("size_bytes", "BIGINT", "File size."),
    Column("modified_at", "TIMESTAMP", "File modification time (UTC)."),
    Column(
        "status",
        "TEXT",
        "ok, partial, unrecognised, error, or retired (no longer in the client's folder: its "
        "rows were removed).",
        False,
    ),
    Column("platforms", "TEXT", "Platforms found, comma separated."),
    Column("kinds", "TEXT", "Export kinds found, comma separated."),
    Column("period_start", "DATE", "First day covered."),
    Column("period_end", "DATE", "Last day covered (orders exports: the newest wins)."),
    Column("rows_read", "BIGINT", "Data rows read."),
    Column("rows_loaded", "BIGINT", "Rows loaded (after in-file de-duplication)."),
    Column("rows_quarantined", "BIGINT", "Rows sent to quarantine."),
    Column("message", "TEXT", "What happened, in one line."),
    Column("load_id", "TEXT", "The load that last wrote this file.", False),
    Column("loaded_at", "TIMESTAMP", "When (UTC).", False),
)

SOURCE_TABLE_COLUMNS: tuple[Column, ...] = (
    Column("file_id", "TEXT", "The file.", False),
    Column("table_index", "BIGINT", "Position of the sheet or block in the file (0-based).", False),
    Column("sheet", "TEXT", "Sheet name or block title."),
    Column("platform", "TEXT", "Platform decided for this table."),
    Column("platform_rule", "TEXT", "Which rule decided the platform (content, path, ...)."),
    Column("kind", "TEXT", "account_daily, posts or audience."),
    Column("spec", "TEXT", "The spec file that recognised it."),
    Column("layout", "TEXT", "The layout version it matched best."),
    Column("period_start", "DATE", "First day covered."),
    Column("period_end", "DATE", "Last day covered."),
    Column("rows_loaded", "BIGINT", "Rows after de-duplication."),
    Column("columns_mapped", "TEXT", "JSON list of headers mapped to canonical columns."),
    Column("columns_unknown", "TEXT", "JSON list of headers kept in `extra`."),
    Column("columns_missing", "TEXT", "JSON list of optional canonical columns absent."),
    Column("headers", "TEXT", "JSON list of the header row as exported (for drift detection)."),
    Column(
        "column_formats",
        "TEXT",
        "JSON {canonical: how values were written}: number, number%, date:<format>, text.",
    ),
    Column("load_id", "TEXT", "The load that wrote it.", False),
)

LAYOUT_CHANGE_COLUMNS: tuple[Column, ...] = (
    Column("client_id", "TEXT", "The client's folder name.", False),
    Column("platform", "TEXT", "Platform of the table.", False),
    Column("kind", "TEXT", "account_daily, posts or audience.", False),
    Column("spec", "TEXT", "The spec that recognised the table.", False),
    Column("month", "TEXT", "YYYY-MM of the last day the file covers: when the change was seen."),
    Column(
        "change",
        "TEXT",
        "reordered, renamed, added, removed, unit_changed, format_changed or type_changed.",
        False,
    ),
    Column("header_old", "TEXT", "The header in the reference layout."),
    Column("header_new", "TEXT", "The header in this file."),
    Column("canonical", "TEXT", "The canonical column concerned (NULL: unknown column)."),
    Column("detail", "TEXT", "What changed and what socialmetrics did about it.", False),
    Column(
        "status",
        "TEXT",
        "noted (safe, loaded normally), pending (to confirm with "
        "`mapping accept|reject`), confirmed or rejected.",
        False,
    ),
    Column("confidence", "DOUBLE PRECISION", "For auto-mapped renames: 0-1 confidence."),
    Column(
        "reference", "TEXT", "What the file was compared with (a previous file or a spec layout)."
    ),
    Column("source_file_id", "TEXT", "The file the change was seen in.", False),
    Column("path", "TEXT", "Its path, relative to the client's folder.", False),
    Column("source_sheet", "TEXT", "Sheet or block."),
    Column("load_id", "TEXT", "The load that recorded it.", False),
)

CLIENT_COLUMNS: tuple[Column, ...] = (
    Column("client_id", "TEXT", "The client's folder name.", False),
    Column("display_name", "TEXT", "Name shown in reports."),
    Column("language", "TEXT", "Report language: es or en."),
    Column("timezone", "TEXT", "IANA time zone."),
    Column("brand_color", "TEXT", "Hex colour for reports."),
    Column("logo", "TEXT", "Path of the logo, relative to the client's folder."),
    Column("updated_at", "TIMESTAMP", "Last time the settings were loaded.", False),
)

LOAD_RUN_COLUMNS: tuple[Column, ...] = (
    Column("load_id", "TEXT", "Id of the load.", False),
    Column("started_at", "TIMESTAMP", "Start (UTC).", False),
    Column("finished_at", "TIMESTAMP", "End (UTC)."),
    Column(
        "status",
        "TEXT",
        "running, ok, partial, failed or interrupted (its process died; marked by the next run).",
        False,
    ),
    Column("month", "TEXT", "YYYY-MM when a month was re-loaded."),
    Column("clients", "BIGINT", "Clients processed."),
    Column("files_loaded", "BIGINT", "Files loaded (new or changed)."),
    Column("files_unchanged", "BIGINT", "Files skipped because already loaded."),
    Column("files_failed", "BIGINT", "Files that failed or were unrecognised."),
    Column("rows_loaded", "BIGINT", "Rows written."),
    Column("rows_quarantined", "BIGINT", "Rows quarantined."),
    Column("summary", "TEXT", "JSON summary of the run."),
)

JOB_RUN_COLUMNS: tuple[Column, ...] = (
    Column("run_id", "TEXT", "Id of the monthly run.", False),
    Column("month", "TEXT", "The month it ran for (YYYY-MM).", False),
    Column("client_id", "TEXT", "The client when run with --client, else NULL (all clients)."),
    Column("started_at", "TIMESTAMP", "Start (UTC).", False),
    Column("finished_at", "TIMESTAMP", "End (UTC); NULL while running or if it died."),
    Column(
        "status",
        "TEXT",
        "running, ok, partial, failed or interrupted (its process died; marked by the next run).",
        False,
    ),
    Column("load_id", "TEXT", "The ingest it made (`load_runs.load_id`)."),
    Column("files_loaded", "BIGINT", "Files loaded by its ingest."),
    Column("files_failed", "BIGINT", "Files that failed."),
    Column("layout_changes", "BIGINT", "Layout changes to confirm, seen by its ingest."),
    Column("rows_quarantined", "BIGINT", "Rows quarantined by its ingest."),
    Column("reports_written", "BIGINT", "Report files written."),
    Column("log_file", "TEXT", "Its log file, relative to the project."),
    Column("summary", "TEXT", "JSON summary."),
)

DELIVERY_COLUMNS: tuple[Column, ...] = (
    Column("client_id", "TEXT", "The client the report was for.", False),
    Column("month", "TEXT", "The report's month (YYYY-MM).", False),
    Column(
        "content_hash",
        "TEXT",
        "SHA-256 over the attached files (names and bytes).",
        False,
    ),
    Column("recipients", "TEXT", "Comma-separated addresses.", False),
    Column("subject", "TEXT", "The e-mail's subject.", False),
    Column("message_id", "TEXT", "The Message-ID header.", False),
    Column("mode", "TEXT", "smtp or dry-run.", False),
    Column("sent_at", "TIMESTAMP", "When (UTC).", False),
    Column("run_id", "TEXT", "The monthly run that sent it, if any."),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "clients": CLIENT_COLUMNS,
    "load_runs": LOAD_RUN_COLUMNS,
    "source_files": SOURCE_FILE_COLUMNS,
    "source_tables": SOURCE_TABLE_COLUMNS,
    "account_daily_facts": ACCOUNT_FACT_COLUMNS,
    "account_daily_extra": ACCOUNT_EXTRA_COLUMNS,
    "post_snapshots": POST_SNAPSHOT_COLUMNS,
    "audience_snapshots": AUDIENCE_COLUMNS,
    "competitor_snapshots": COMPETITOR_COLUMNS,
    "quarantine": QUARANTINE_COLUMNS,
    "layout_changes": LAYOUT_CHANGE_COLUMNS,
    "job_runs": JOB_RUN_COLUMNS,
    "deliveries": DELIVERY_COLUMNS,
}
"""Physical tables. `account_daily`, `posts`, `audience` and `competitors` are views over them
(see warehouse)."""

FACT_TABLES = (
    "account_daily_facts",
    "account_daily_extra",
    "post_snapshots",
    "audience_snapshots",
    "competitor_snapshots",
)
