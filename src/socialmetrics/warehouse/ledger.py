"""Every statement about the ledger, in one place: loads and their files, monthly job runs,
deliveries, layout changes, and what status and drift history read back.

Only `warehouse/` writes SQL with backend placeholders (`$1`); the rest of socialmetrics calls
these functions by name. Each takes an open `Warehouse`; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from socialmetrics.model.grains import FACT_DATE_COLUMNS, GRAINS
from socialmetrics.warehouse.base import Warehouse

FILE_TABLES = (*FACT_DATE_COLUMNS, "layout_changes", "quarantine")
"""Tables whose rows belong to one source file (`source_file_id`)."""


def now() -> dt.datetime:
    """UTC, without a zone: how every ledger timestamp is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------------------------
# loads and files


def mark_interrupted(wh: Warehouse, table: str) -> int:
    """Rows of `load_runs` or `job_runs` still `running` belong to a process that died
    (kill -9, power cut): the caller holds the project lock, so none is running now. They
    become `interrupted`; returns how many."""
    assert table in ("load_runs", "job_runs")
    with wh.transaction():
        (count,) = wh.query(f"SELECT COUNT(*) FROM {table} WHERE status = 'running'")[0]
        if count:
            wh.execute(
                f"UPDATE {table} SET status = 'interrupted', finished_at = $1 "
                "WHERE status = 'running'",
                [now()],
            )
    return int(count)


def start_load(wh: Warehouse, load_id: str, month: str | None) -> None:
    with wh.transaction():
        wh.execute(
            "INSERT INTO load_runs (load_id, started_at, status, month) "
            "VALUES ($1, $2, 'running', $3)",
            [load_id, now(), month],
        )


def finish_load(
    wh: Warehouse, load_id: str, status: str, totals: dict[str, int], summary: dict[str, Any]
) -> None:
    with wh.transaction():
        wh.execute(
            "UPDATE load_runs SET finished_at = $1, status = $2, clients = $3, files_loaded = $4, "
            "files_unchanged = $5, files_failed = $6, rows_loaded = $7, rows_quarantined = $8, "
            "summary = $9 WHERE load_id = $10",
            [
                now(),
                status,
                totals["clients"],
                totals["files_loaded"],
                totals["files_unchanged"],
                totals["files_failed"],
                totals["rows_loaded"],
                totals["rows_quarantined"],
                json.dumps(summary, ensure_ascii=False),
                load_id,
            ],
        )


def replace_client(wh: Warehouse, client_id: str, row: pa.Table) -> None:
    """The client's settings as of this load (one row)."""
    wh.execute("DELETE FROM clients WHERE client_id = $1", [client_id])
    wh.insert_arrow("clients", row)


def client_files(wh: Warehouse, client_id: str) -> list[tuple[str, str, str]]:
    """(file_id, path, status) of every file of the client in the ledger."""
    rows = wh.query(
        "SELECT file_id, path, status FROM source_files WHERE client_id = $1", [client_id]
    )
    return [(str(f), str(p), str(s)) for f, p, s in rows]


def loaded_files_by_path(
    wh: Warehouse, client_id: str
) -> dict[str, tuple[str, int | None, dt.datetime | None]]:
    """path -> (content hash, size, modification time) of the client's files whose rows are
    in the warehouse: what `ingest` compares a folder with before reading anything."""
    rows = wh.query(
        "SELECT path, content_hash, size_bytes, modified_at FROM source_files "
        "WHERE client_id = $1 AND status IN ('ok', 'partial')",
        [client_id],
    )
    return {str(p): (str(h), s, m) for p, h, s, m in rows}


def loaded_file_ids(wh: Warehouse, client_id: str) -> set[str]:
    """Files of the client whose rows are in the warehouse."""
    return {fid for fid, _, status in client_files(wh, client_id) if status in ("ok", "partial")}


def forget_file(wh: Warehouse, file_id: str, *, keep_facts: bool = False) -> None:
    """Forget a file: its rows, quarantine and ledger entries (with `keep_facts`, a month
    re-load, its facts outside the month stay: the month's were deleted already)."""
    names = ("quarantine",) if keep_facts else FILE_TABLES
    for name in names:
        wh.execute(f"DELETE FROM {name} WHERE source_file_id = $1", [file_id])
    wh.execute("DELETE FROM source_tables WHERE file_id = $1", [file_id])
    wh.execute("DELETE FROM source_files WHERE file_id = $1", [file_id])


def retire_file(wh: Warehouse, file_id: str, load_id: str, when: dt.datetime) -> int:
    """A file no longer in its client's folder: its facts and quarantine rows go, its ledger
    entry stays as `retired` (path, period, when) so that the change is on record. Returns the
    fact rows removed. The file loads again, whole, if it comes back."""
    removed = 0
    for name in FACT_DATE_COLUMNS:
        (count,) = wh.query(f"SELECT COUNT(*) FROM {name} WHERE source_file_id = $1", [file_id])[0]
        removed += int(count)
    for name in (*FACT_DATE_COLUMNS, "quarantine"):
        wh.execute(f"DELETE FROM {name} WHERE source_file_id = $1", [file_id])
    wh.execute(
        "UPDATE source_files SET status = 'retired', rows_loaded = 0, load_id = $2, "
        "loaded_at = $3, message = $4 WHERE file_id = $1",
        [file_id, load_id, when, f"retired: no longer in the client's folder ({removed} rows)"],
    )
    return removed


def delete_month(wh: Warehouse, client_id: str, bounds: tuple[dt.date, dt.date]) -> None:
    """A month re-load starts from no facts of that client and month."""
    for name, column in FACT_DATE_COLUMNS.items():
        wh.execute(
            f"DELETE FROM {name} WHERE client_id = $1 AND {column} BETWEEN $2 AND $3",
            [client_id, bounds[0], bounds[1]],
        )


def superseded_by_file(wh: Warehouse, client_id: str) -> dict[str, int]:
    """Per file, the rows (days, posts) a newer export overrides; they stay queryable."""
    by_file: dict[str, int] = {}
    queries = (
        "SELECT source_file_id, COUNT(DISTINCT date) FROM account_daily_ranked "
        "WHERE client_id = $1 AND version_rank > 1 GROUP BY source_file_id",
        "SELECT p.source_file_id, COUNT(*) FROM post_snapshots p WHERE p.client_id = $1 "
        "AND NOT EXISTS (SELECT 1 FROM posts c WHERE c.client_id = p.client_id "
        "AND c.platform = p.platform AND c.post_id = p.post_id "
        "AND c.source_file_id = p.source_file_id) "
        "GROUP BY p.source_file_id",
    )
    for sql in queries:
        for fid, n in wh.query(sql, [client_id]):
            by_file[fid] = by_file.get(fid, 0) + int(n)
    return by_file


# --------------------------------------------------------------------------------------------
# drift history: what the warehouse already holds


def metric_values(
    wh: Warehouse, client_id: str, platform: str, kind: str, canonical: str, columns: set[str]
) -> list[tuple[Any, Any]]:
    """(day or post id, value) of a metric as loaded, newest export of each."""
    if kind == "account_daily":
        return wh.query(
            "SELECT date, value FROM account_daily_ranked WHERE client_id = $1 "
            "AND platform = $2 AND metric = $3 AND version_rank = 1",
            [client_id, platform, canonical],
        )
    if kind == "posts" and canonical in columns:
        entity = GRAINS["posts"].entity
        return wh.query(
            f"SELECT {entity}, {canonical} FROM posts WHERE client_id = $1 AND platform = $2 "
            f"AND {canonical} IS NOT NULL",
            [client_id, platform],
        )
    return []


def last_layout(
    wh: Warehouse, client_id: str, platform: str, spec: str, before: dt.date | None
) -> tuple[str, str, str | None, str] | None:
    """(headers, mapped, formats, path) as JSON text of the latest file of this client and
    export loaded before `before`."""
    rows = wh.query(
        "SELECT t.headers, t.columns_mapped, t.column_formats, f.path FROM source_tables t "
        "JOIN source_files f ON f.file_id = t.file_id WHERE f.client_id = $1 "
        "AND t.platform = $2 AND t.spec = $3 AND t.headers IS NOT NULL "
        "AND f.period_end < $4 ORDER BY f.period_end DESC, f.loaded_at DESC LIMIT 1",
        [client_id, platform, spec, before or dt.date.max],
    )
    if not rows:
        return None
    headers, mapped, formats, path = rows[0]
    return str(headers), str(mapped), formats, str(path)


# --------------------------------------------------------------------------------------------
# layout changes (drift review)

CHANGE_COLUMNS = (
    "client_id",
    "platform",
    "kind",
    "spec",
    "month",
    "change",
    "header_old",
    "header_new",
    "canonical",
    "detail",
    "status",
    "confidence",
    "reference",
    "path",
    "source_sheet",
)


def layout_changes(
    wh: Warehouse,
    *,
    client: str | None = None,
    month: str | None = None,
    pending_only: bool = False,
) -> list[dict[str, Any]]:
    """Recorded layout changes, oldest month first."""
    sql = f"SELECT {', '.join(CHANGE_COLUMNS)} FROM layout_changes WHERE 1 = 1"
    params: list[Any] = []
    for column, value in (("client_id", client), ("month", month)):
        if value is not None:
            params.append(value)
            sql += f" AND {column} = ${len(params)}"
    if pending_only:
        sql += " AND status = 'pending'"
    sql += " ORDER BY month, client_id, platform, spec, path, change, header_new"
    return [dict(zip(CHANGE_COLUMNS, row, strict=True)) for row in wh.query(sql, params)]


def changes_of_header(wh: Warehouse, header: str) -> list[tuple[Any, ...]]:
    """(spec, canonical, status, change, source_file_id, path, header_new) where a header was
    seen new, or removed."""
    return wh.query(
        "SELECT DISTINCT spec, canonical, status, change, source_file_id, path, header_new "
        "FROM layout_changes WHERE header_new = $1 OR (header_old = $1 AND change = 'removed')",
        [header],
    )


def change_details(wh: Warehouse, spec: str, header: str) -> list[str]:
    rows = wh.query(
        "SELECT detail FROM layout_changes WHERE spec = $1 AND header_new = $2", [spec, header]
    )
    return [str(detail) for (detail,) in rows]


def decide_changes(wh: Warehouse, status: str, spec: str, header: str, *, removed: bool) -> None:
    """Mark the pending changes of a header as confirmed or rejected."""
    column = "change = 'removed' AND header_old" if removed else "header_new"
    wh.execute(
        f"UPDATE layout_changes SET status = $1 WHERE spec = $2 AND {column} = $3 "
        "AND status = 'pending'",
        [status, spec, header],
    )


# --------------------------------------------------------------------------------------------
# monthly job runs


def start_job_run(wh: Warehouse, run_id: str, month: str, client: str | None) -> None:
    with wh.transaction():
        wh.execute(
            "INSERT INTO job_runs (run_id, month, client_id, started_at, status) "
            "VALUES ($1, $2, $3, $4, 'running')",
            [run_id, month, client, now()],
        )


def fail_job_run(wh: Warehouse, run_id: str, error: str) -> None:
    with wh.transaction():
        wh.execute(
            "UPDATE job_runs SET finished_at = $1, status = 'failed', summary = $2 "
            "WHERE run_id = $3",
            [now(), json.dumps({"error": error}), run_id],
        )


def finish_job_run(wh: Warehouse, run_id: str, values: dict[str, Any]) -> None:
    """`values`: status, load_id, files_loaded, files_failed, layout_changes, rows_quarantined,
    reports_written, log_file, summary (a JSON-able object)."""
    with wh.transaction():
        wh.execute(
            "UPDATE job_runs SET finished_at = $1, status = $2, load_id = $3, "
            "files_loaded = $4, files_failed = $5, layout_changes = $6, rows_quarantined = $7, "
            "reports_written = $8, log_file = $9, summary = $10 WHERE run_id = $11",
            [
                now(),
                values["status"],
                values["load_id"],
                values["files_loaded"],
                values["files_failed"],
                values["layout_changes"],
                values["rows_quarantined"],
                values["reports_written"],
                values["log_file"],
                json.dumps(values["summary"], ensure_ascii=False),
                run_id,
            ],
        )


def month_run_status(wh: Warehouse) -> dict[str, str]:
    """The latest status of each month's all-clients run."""
    rows = wh.query(
        "SELECT month, status FROM job_runs WHERE client_id IS NULL ORDER BY started_at"
    )
    return {str(month): str(status) for month, status in rows}


RUN_COLUMNS = (
    "run_id",
    "month",
    "client",
    "started_at",
    "finished_at",
    "status",
    "files_loaded",
    "files_failed",
    "reports_written",
)


def recent_runs(wh: Warehouse, limit: int = 10) -> list[dict[str, Any]]:
    rows = wh.query(
        "SELECT run_id, month, client_id, started_at, finished_at, status, files_loaded, "
        "files_failed, reports_written FROM job_runs ORDER BY started_at DESC LIMIT $1",
        [limit],
    )
    return [dict(zip(RUN_COLUMNS, r, strict=True)) for r in rows]


RUN_HISTORY_COLUMNS = (
    "kind",
    "month",
    "client_id",
    "started_at",
    "finished_at",
    "status",
    "files_loaded",
    "files_failed",
    "log_file",
)


def run_history(wh: Warehouse, limit: int = 30) -> list[dict[str, Any]]:
    """The latest monthly runs and ingests together, newest first (the portal's runs page)."""
    rows = wh.query(
        "SELECT 'monthly run', month, client_id, started_at, finished_at, status, "
        "files_loaded, files_failed, log_file FROM job_runs UNION ALL "
        "SELECT 'ingest', month, NULL, started_at, finished_at, status, files_loaded, "
        "files_failed, NULL FROM load_runs ORDER BY 4 DESC LIMIT $1",
        [limit],
    )
    return [dict(zip(RUN_HISTORY_COLUMNS, row, strict=True)) for row in rows]


# --------------------------------------------------------------------------------------------
# deliveries


def last_delivery(wh: Warehouse, client_id: str, month: str, mode: str) -> Any:
    """When this client's report for the month was last sent in this mode (None: never)."""
    rows = wh.query(
        "SELECT MAX(sent_at) FROM deliveries WHERE client_id = $1 AND month = $2 AND mode = $3",
        [client_id, month, mode],
    )
    return rows[0][0] if rows else None


def record_delivery(wh: Warehouse, row: Sequence[Any]) -> None:
    """(client_id, month, content_hash, recipients, subject, message_id, mode, sent_at, run_id)"""
    with wh.transaction():
        wh.execute(
            "INSERT INTO deliveries (client_id, month, content_hash, recipients, "
            "subject, message_id, mode, sent_at, run_id) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            list(row),
        )


def delivered(wh: Warehouse) -> set[tuple[str, str]]:
    return {
        (str(c), str(m)) for c, m in wh.query("SELECT DISTINCT client_id, month FROM deliveries")
    }


# --------------------------------------------------------------------------------------------
# status and the report's data-quality appendix


def months_loaded(wh: Warehouse) -> dict[str, list[str]]:
    """Per client, the months (YYYY-MM) with any daily fact or post, oldest first."""
    months: dict[str, list[str]] = {}
    for client_id, year, month in wh.query(
        "SELECT DISTINCT client_id, EXTRACT(YEAR FROM date), EXTRACT(MONTH FROM date) "
        "FROM account_daily_facts UNION SELECT DISTINCT client_id, "
        "EXTRACT(YEAR FROM published_date), EXTRACT(MONTH FROM published_date) "
        "FROM post_snapshots WHERE published_date IS NOT NULL ORDER BY 1, 2, 3"
    ):
        months.setdefault(client_id, []).append(f"{int(year):04d}-{int(month):02d}")
    return months


def pending_changes_by_client(wh: Warehouse) -> dict[str, int]:
    rows = wh.query(
        "SELECT client_id, COUNT(*) FROM layout_changes WHERE status = 'pending' GROUP BY client_id"
    )
    return {str(c): int(n) for c, n in rows}


FILE_COLUMNS = ("path", "platforms", "kinds", "status", "period_start", "period_end", "rows_loaded")


def files_of_month(
    wh: Warehouse, client_id: str, bounds: tuple[dt.date, dt.date]
) -> list[dict[str, Any]]:
    """The client's files covering any day of the month."""
    rows = wh.query(
        f"SELECT {', '.join(FILE_COLUMNS)} FROM source_files WHERE client_id = $1 "
        "AND period_end >= $2 AND period_start <= $3 ORDER BY path",
        [client_id, bounds[0], bounds[1]],
    )
    return [dict(zip(FILE_COLUMNS, r, strict=True)) for r in rows]


REPORT_CHANGE_COLUMNS = (
    "platform",
    "spec",
    "change",
    "header_old",
    "header_new",
    "detail",
    "status",
)


def changes_of_month(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    rows = wh.query(
        f"SELECT {', '.join(REPORT_CHANGE_COLUMNS)} FROM layout_changes WHERE client_id = $1 "
        f"AND month = $2 ORDER BY {', '.join(REPORT_CHANGE_COLUMNS)}",
        [client_id, month],
    )
    return [dict(zip(REPORT_CHANGE_COLUMNS, r, strict=True)) for r in rows]


def quarantined_in_month(wh: Warehouse, client_id: str, bounds: tuple[dt.date, dt.date]) -> int:
    rows = wh.query(
        "SELECT COUNT(*) FROM quarantine q JOIN source_files f ON f.file_id = q.source_file_id "
        "WHERE q.client_id = $1 AND f.period_end >= $2 AND f.period_start <= $3",
        [client_id, bounds[0], bounds[1]],
    )
    return int(rows[0][0])
