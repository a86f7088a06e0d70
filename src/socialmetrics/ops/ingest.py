"""Ingest: every client's folder -> the warehouse, one transaction per client.

Idempotent by content: a file whose bytes were loaded before is skipped; a file replaced at the
same path replaces what its old version loaded; `month` re-loads one month from the folder as it
is now. The newest export of a day or post wins in the views; superseded rows stay queryable.
One bad file never stops the others, and a failed client rolls back alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import pyarrow as pa

from socialmetrics.config import ClientSettings, Project, load_client
from socialmetrics.errors import SocialMetricsError, UsageError
from socialmetrics.extract.discover import SourceFile, client_folders, files_in
from socialmetrics.model import (
    ACCOUNT_EXTRA_COLUMNS,
    ACCOUNT_FACT_COLUMNS,
    AUDIENCE_COLUMNS,
    CLIENT_COLUMNS,
    LAYOUT_CHANGE_COLUMNS,
    POST_SNAPSHOT_COLUMNS,
    QUARANTINE_COLUMNS,
    SOURCE_FILE_COLUMNS,
    SOURCE_TABLE_COLUMNS,
    Column,
)
from socialmetrics.pipeline import (
    FileResult,
    change_json,
    detect_changes,
    inspect_file,
    mark_superseded,
    table_json,
)
from socialmetrics.specs.aliases import acknowledged, load_aliases, overlay, rejected_keys
from socialmetrics.specs.registry import Registry, default_registry
from socialmetrics.transform.normalise import CanonicalTable
from socialmetrics.validate import drift
from socialmetrics.warehouse.base import Warehouse, connect

ARROW_TYPES = {
    "TEXT": pa.string(),
    "BIGINT": pa.int64(),
    "DOUBLE PRECISION": pa.float64(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
}
POLARS_TYPES: dict[str, pl.DataType] = {
    "TEXT": pl.String(),
    "BIGINT": pl.Int64(),
    "DOUBLE PRECISION": pl.Float64(),
    "DATE": pl.Date(),
    "TIMESTAMP": pl.Datetime("us"),
}
FACT_TABLE_DATE = {
    "account_daily_facts": "date",
    "account_daily_extra": "date",
    "post_snapshots": "published_date",
    "audience_snapshots": "as_of_date",
}
POST_TABLE_COLUMNS = {c.name for c in POST_SNAPSHOT_COLUMNS}


@dataclass
class FileOutcome:
    """What ingest did with one file."""

    client_id: str
    path: str
    status: str
    action: str  # loaded, replaced, unchanged, duplicate, failed, unrecognised
    message: str
    rows_loaded: int = 0
    rows_quarantined: int = 0
    superseded: int = 0
    file_id: str | None = None
    columns_unknown: dict[str, list[str]] = field(default_factory=dict)
    """Per sheet/block, the headers kept in `extra` because no spec knows them."""
    changes: list[dict[str, Any]] = field(default_factory=list)
    """Layout changes seen in this file (see validate.drift)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client_id,
            "path": self.path,
            "status": self.status,
            "action": self.action,
            "message": self.message,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "rows_superseded": self.superseded,
            "columns_unknown": self.columns_unknown,
            "changes": self.changes,
        }


@dataclass
class IngestSummary:
    """The run's account: per file, per client, and totals."""

    load_id: str
    month: str | None
    files: list[FileOutcome] = field(default_factory=list)
    client_errors: dict[str, str] = field(default_factory=dict)
    strict_refusal: list[str] = field(default_factory=list)
    """With --strict: the unconfirmed layout changes that stopped the run before any load."""

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.action in ("failed", "unrecognised")]

    @property
    def exit_code(self) -> int:
        """0 when everything loaded, 1 when some files or clients failed (the rest loaded)."""
        return 1 if self.failed or self.client_errors or self.strict_refusal else 0

    def count(self, action: str) -> int:
        return sum(1 for f in self.files if f.action == action)

    def totals(self) -> dict[str, int]:
        return {
            "clients": len({f.client_id for f in self.files} | set(self.client_errors)),
            "files_loaded": self.count("loaded") + self.count("replaced"),
            "files_unchanged": self.count("unchanged") + self.count("duplicate"),
            "files_failed": len(self.failed),
            "rows_loaded": sum(f.rows_loaded for f in self.files),
            "rows_quarantined": sum(f.rows_quarantined for f in self.files),
            "rows_superseded": sum(f.superseded for f in self.files),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "load_id": self.load_id,
            "month": self.month,
            **self.totals(),
            "client_errors": self.client_errors,
            "strict_refusal": self.strict_refusal,
            "files": [f.to_json() for f in self.files],
        }


def new_load_id(now: dt.datetime | None = None) -> str:
    """Sortable by time: later loads win ties between exports of the same period."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """`2026-10` -> (2026-10-01, 2026-10-31); a clear error for anything else."""
    try:
        year, mon = (int(x) for x in month.split("-"))
        last = calendar.monthrange(year, mon)[1]
        return dt.date(year, mon, 1), dt.date(year, mon, last)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"--month must look like 2026-10, got {month!r}") from exc


# --------------------------------------------------------------------------------------------
# Arrow tables in the warehouse's exact shape


def _shape(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pa.Table:
    exprs = []
    for col in columns:
        dtype = POLARS_TYPES[col.sql_type]
        if col.name in frame.columns:
            exprs.append(pl.col(col.name).cast(dtype, strict=False).alias(col.name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(col.name))
    return (
        frame.select(exprs)
        .to_arrow()
        .cast(pa.schema([pa.field(c.name, ARROW_TYPES[c.sql_type]) for c in columns]))
    )


def _rows_table(rows: list[dict[str, Any]], columns: tuple[Column, ...]) -> pa.Table:
    """Python rows -> an Arrow table in the warehouse table's exact shape."""
    frame = pl.DataFrame(rows, schema={c.name: POLARS_TYPES[c.sql_type] for c in columns})
    return _shape(frame, columns)


def _lineage(
    frame: pl.DataFrame, result: FileResult, table: CanonicalTable, load_id: str
) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(result.source.client_id).alias("client_id"),
        pl.lit(table.platform).alias("platform"),
        pl.lit(result.file_id).alias("source_file_id"),
        pl.lit(table.sheet, dtype=pl.String).alias("source_sheet"),
        pl.lit(load_id).alias("load_id"),
        pl.lit(result.exported_through, dtype=pl.Date).alias("exported_through"),
    )


def _merge_extra(frame: pl.DataFrame, known: list[str]) -> pl.Series:
    """Fold the spec's known-but-not-modelled columns into the JSON `extra` with the unknown
    ones: nothing exported is dropped."""
    rows = frame.select(["extra", *known]).rows()
    out = []
    for row in rows:
        obj: dict[str, Any] = json.loads(row[0]) if row[0] else {}
        for name, value in zip(known, row[1:], strict=True):
            if value is not None:
                obj[name] = value
        out.append(json.dumps(obj, ensure_ascii=False, default=str) if obj else None)
    return pl.Series("extra", out, dtype=pl.String)


def fact_tables(
    result: FileResult, load_id: str, month: tuple[dt.date, dt.date] | None = None
) -> dict[str, list[pa.Table]]:
    """The file's rows as Arrow tables per warehouse table, optionally limited to a month."""
    out: dict[str, list[pa.Table]] = {}
    for table in result.tables:
        frame = _lineage(table.frame, result, table, load_id)
        if table.kind == "posts":
            known = [
                c
                for c in frame.columns
                if c not in POST_TABLE_COLUMNS and c not in ("extra", "exported_through")
            ]
            if known:
                frame = frame.with_columns(_merge_extra(frame, known))
            tables = {"post_snapshots": (frame, POST_SNAPSHOT_COLUMNS)}
        elif table.kind == "audience":
            tables = {"audience_snapshots": (frame, AUDIENCE_COLUMNS)}
            total = frame.filter(
                (pl.col("dimension") == "total") & (pl.col("audience") == "followers")
            )
            if total.height:  # Meta's "IG_ACCOUNT,FOLLOW,UNIQUE_USERS": the audience size
                tables["account_daily_facts"] = (
                    total.select(
                        pl.exclude("value", "as_of_date"),
                        pl.col("as_of_date").alias("date"),
                        pl.lit("followers_total").alias("metric"),
                        pl.col("value"),
                    ),
                    ACCOUNT_FACT_COLUMNS,
                )
        else:
            metrics = [
                c
                for c, t in table.frame.schema.items()
                if c not in ("date", "source_row") and t in (pl.Float64, pl.Int64)
            ]
            keys = [
                "client_id",
                "platform",
                "date",
                "source_file_id",
                "source_sheet",
                "source_row",
                "load_id",
                "exported_through",
            ]
            long = (
                frame.select([*keys, *[pl.col(m).cast(pl.Float64) for m in metrics]])
                .unpivot(index=keys, on=metrics, variable_name="metric", value_name="value")
                .filter(pl.col("value").is_not_null())
                if metrics
                else frame.head(0)
            )
            tables = {
                "account_daily_facts": (long, ACCOUNT_FACT_COLUMNS),
                "account_daily_extra": (
                    frame.filter(pl.col("extra").is_not_null()),
                    ACCOUNT_EXTRA_COLUMNS,
                ),
            }
        for name, (data, columns) in tables.items():
            if month is not None and FACT_TABLE_DATE[name] in data.columns:
                col = pl.col(FACT_TABLE_DATE[name])
                data = data.filter(col.is_between(month[0], month[1]))
            if data.height:
                out.setdefault(name, []).append(_shape(data, columns))
    return out


def quarantine_table(result: FileResult, load_id: str) -> pa.Table:
    rows = [
        {
            "client_id": result.source.client_id,
            "platform": t.platform,
            "source_file_id": result.file_id,
            "path": result.source.relative,
            "source_sheet": p.sheet,
            "source_row": p.row,
            "column_name": p.column,
            "raw_value": p.raw,
            "reason": p.reason,
            "load_id": load_id,
        }
        for t in result.tables
        for p in t.problems
    ]
    return _rows_table(rows, QUARANTINE_COLUMNS)


def source_file_table(result: FileResult, load_id: str, now: dt.datetime) -> pa.Table:
    start, end = result.period
    row = {
        "file_id": result.file_id,
        "client_id": result.source.client_id,
        "path": result.source.relative,
        "content_hash": result.content_hash,
        "size_bytes": result.size,
        "modified_at": result.modified,
        "status": result.status,
        "platforms": ",".join(result.platforms) or None,
        "kinds": ",".join(result.kinds) or None,
        "period_start": start,
        "period_end": end,
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loadable,
        "rows_quarantined": result.problems,
        "message": result.message,
        "load_id": load_id,
        "loaded_at": now,
    }
    return _rows_table([row], SOURCE_FILE_COLUMNS)


def source_tables_table(result: FileResult, load_id: str) -> pa.Table:
    """The ledger's view of each table: the same facts `check --json` reports."""
    rows = []
    for i, t in enumerate(result.tables):
        info = table_json(t)
        row = {k: info[k] for k in ("sheet", "platform", "platform_rule", "kind", "spec", "layout")}
        row |= {
            f"columns_{k}": json.dumps(info[f"columns_{k}"], ensure_ascii=False)
            for k in ("mapped", "unknown", "missing")
        }
        snap = drift.snapshot(t.recognition)
        rows.append(
            row
            | {
                "headers": json.dumps(snap.headers, ensure_ascii=False),
                "column_formats": json.dumps(snap.formats),
                "file_id": result.file_id,
                "table_index": i,
                "period_start": t.period_start,
                "period_end": t.period_end,
                "rows_loaded": t.frame.height,
                "load_id": load_id,
            }
        )
    return _rows_table(rows, SOURCE_TABLE_COLUMNS)


def layout_changes_table(result: FileResult, client_id: str, load_id: str) -> pa.Table:
    through = result.exported_through
    rows = [
        {
            "client_id": client_id,
            "platform": t.platform,
            "kind": t.kind,
            "spec": t.recognition.spec.id if t.recognition.spec else None,
            "month": through.strftime("%Y-%m") if through else None,
            **change_json(c),
            "reference": c.reference,
            "source_file_id": result.file_id,
            "path": result.source.relative,
            "source_sheet": t.sheet,
            "load_id": load_id,
        }
        for t in result.tables
        for c in t.changes
    ]
    return _rows_table(rows, LAYOUT_CHANGE_COLUMNS)


def client_table(client: ClientSettings, now: dt.datetime) -> pa.Table:
    row = {
        "client_id": client.client_id,
        "display_name": client.display_name,
        "language": client.language,
        "timezone": client.timezone,
        "brand_color": client.brand_color,
        "logo": client.logo,
        "updated_at": now,
    }
    return _rows_table([row], CLIENT_COLUMNS)


# --------------------------------------------------------------------------------------------
# the load protocol


FACT_TABLES = (
    "account_daily_facts",
    "account_daily_extra",
    "post_snapshots",
    "audience_snapshots",
    "layout_changes",
)


def forget_file(wh: Warehouse, file_id: str, *, keep_facts: bool = False) -> None:
    """Forget a file: its rows, quarantine and ledger entries (with `keep_facts`, a month
    re-load, its facts outside the month stay: the month's were deleted already)."""
    names = ("quarantine",) if keep_facts else (*FACT_TABLES, "quarantine")
    for name in names:
        wh.execute(f"DELETE FROM {name} WHERE source_file_id = $1", [file_id])
    wh.execute("DELETE FROM source_tables WHERE file_id = $1", [file_id])
    wh.execute("DELETE FROM source_files WHERE file_id = $1", [file_id])


def _delete_month(wh: Warehouse, client_id: str, bounds: tuple[dt.date, dt.date]) -> None:
    for name, column in FACT_TABLE_DATE.items():
        wh.execute(
            f"DELETE FROM {name} WHERE client_id = $1 AND {column} BETWEEN $2 AND $3",
            [client_id, bounds[0], bounds[1]],
        )


def load_client_files(
    wh: Warehouse,
    client: ClientSettings,
    results: list[FileResult],
    load_id: str,
    month: tuple[dt.date, dt.date] | None = None,
    strict: bool = False,
) -> list[FileOutcome]:
    """Load one client's inspected files in ONE transaction: all of it or none of it.

    With `strict`, a file with any recoverable oddity (quarantined values, unrecognised
    sheets) is refused whole instead of loading its good rows.
    """
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    outcomes: list[FileOutcome] = []
    with wh.transaction():
        wh.execute("DELETE FROM clients WHERE client_id = $1", [client.client_id])
        wh.insert_arrow("clients", client_table(client, now))
        known = wh.query(
            "SELECT file_id, path, status FROM source_files WHERE client_id = $1",
            [client.client_id],
        )
        loaded_ids = {fid for fid, _, status in known if status in ("ok", "partial")}
        ids_by_path: dict[str, set[str]] = {}
        for fid, path, _ in known:
            ids_by_path.setdefault(path, set()).add(fid)
        if month:
            _delete_month(wh, client.client_id, month)
        seen: dict[str, str] = {}
        known_ids = {fid for fid, _, _ in known}
        batch: dict[str, list[pa.Table]] = {}

        def add(name: str, table: pa.Table) -> None:
            if table.num_rows:
                batch.setdefault(name, []).append(table)

        for result in results:
            rel = result.source.relative
            outcome = FileOutcome(
                client_id=client.client_id,
                path=rel,
                status=result.status,
                action="loaded",
                message=result.message,
                file_id=result.file_id if result.content_hash else None,
                columns_unknown={
                    t.sheet or "": [c.header for c in t.recognition.unknown]
                    for t in result.tables
                    if t.recognition.unknown
                },
                changes=[
                    {"sheet": t.sheet, **change_json(c)} for t in result.tables for c in t.changes
                ],
            )
            outcomes.append(outcome)
            if strict and result.status == "partial":
                outcome.action = "failed"
                outcome.message = (
                    f"strict mode: {result.problems} row problem(s), "
                    f"{len(result.unrecognised)} unrecognised table(s); nothing loaded from this "
                    "file. Fix it, or run without --strict to load its good rows"
                )
                continue
            if result.status in ("error", "unrecognised"):
                outcome.action = "failed" if result.status == "error" else "unrecognised"
                if result.content_hash and result.file_id not in loaded_ids:
                    if result.file_id in known_ids:
                        forget_file(wh, result.file_id)
                    add("source_files", source_file_table(result, load_id, now))
                continue
            if result.file_id in seen:
                outcome.changes = []
                outcome.action = "duplicate"
                outcome.message = f"same contents as {seen[result.file_id]}; loaded once"
                continue
            seen[result.file_id] = rel
            if result.file_id in loaded_ids and month is None:
                outcome.action = "unchanged"
                outcome.message = "already loaded (same contents); nothing to do"
                outcome.changes = []  # reported when it was loaded
                continue
            replaced = ids_by_path.get(rel, set()) - {result.file_id}
            if replaced and month is None:
                for old in replaced:
                    forget_file(wh, old)
                outcome.action = "replaced"
            if result.file_id in known_ids:  # a new file has nothing to delete
                if month is None:
                    forget_file(wh, result.file_id)
                else:
                    forget_file(wh, result.file_id, keep_facts=True)
            for name, parts in fact_tables(result, load_id, month).items():
                for part in parts:
                    add(name, part)
            outcome.rows_loaded = _rows_loaded(result, month)
            outcome.rows_quarantined = result.problems
            add("quarantine", quarantine_table(result, load_id))
            add("source_files", source_file_table(result, load_id, now))
            add("source_tables", source_tables_table(result, load_id))
            add("layout_changes", layout_changes_table(result, client.client_id, load_id))
        for name, tables in batch.items():  # one bulk insert per table per client
            wh.insert_arrow(name, pa.concat_tables(tables))
        _count_superseded(wh, client.client_id, outcomes)
    return outcomes


def _rows_loaded(result: FileResult, month: tuple[dt.date, dt.date] | None) -> int:
    """Rows (days, posts, audience lines) written, after in-file de-duplication."""
    total = 0
    for t in result.tables:
        frame = t.frame
        column = {"account_daily": "date", "posts": "published_date", "audience": "as_of_date"}[
            t.kind
        ]
        if month is not None and column in frame.columns:
            frame = frame.filter(pl.col(column).is_between(month[0], month[1]))
        total += frame.height
    return total


def _count_superseded(wh: Warehouse, client_id: str, outcomes: list[FileOutcome]) -> None:
    """Rows of this run's files that a newer export overrides (they stay queryable)."""
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
    for outcome in outcomes:
        if outcome.file_id and outcome.action in ("loaded", "replaced"):
            outcome.superseded = by_file.get(outcome.file_id, 0)


# --------------------------------------------------------------------------------------------
# the command


ProgressHook = Callable[[str, str, FileResult | None], None]
"""Called as (event, label, result): event is "client", "file" (before) or "done" (after)."""


def _record_run_start(wh: Warehouse, load_id: str, month: str | None) -> None:
    with wh.transaction():
        wh.execute(
            "INSERT INTO load_runs (load_id, started_at, status, month) "
            "VALUES ($1, $2, 'running', $3)",
            [load_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), month],
        )


def _record_run_end(wh: Warehouse, summary: IngestSummary) -> None:
    totals = summary.totals()
    status = (
        "ok"
        if summary.exit_code == 0
        else ("partial" if totals["files_loaded"] or totals["files_unchanged"] else "failed")
    )
    with wh.transaction():
        wh.execute(
            "UPDATE load_runs SET finished_at = $1, status = $2, clients = $3, files_loaded = $4, "
            "files_unchanged = $5, files_failed = $6, rows_loaded = $7, rows_quarantined = $8, "
            "summary = $9 WHERE load_id = $10",
            [
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                status,
                totals["clients"],
                totals["files_loaded"],
                totals["files_unchanged"],
                totals["files_failed"],
                totals["rows_loaded"],
                totals["rows_quarantined"],
                json.dumps(summary.to_json(), ensure_ascii=False),
                summary.load_id,
            ],
        )


def ingest(
    project: Project,
    *,
    client: str | None = None,
    month: str | None = None,
    progress: ProgressHook | None = None,
    registry: Registry | None = None,
    warehouse: Warehouse | None = None,
    strict: bool | None = None,
) -> IngestSummary:
    """Load every client's folder (or one client, or one month) into the warehouse.

    >>> summary = ingest(load_project(Path("my-agency")))  # doctest: +SKIP
    >>> summary.exit_code
    0
    """
    registry = registry or default_registry()
    strict = bool(project.get("ingest.strict")) if strict is None else strict
    bounds = month_bounds(month) if month else None
    folders = client_folders(project.clients_dir)
    if not project.clients_dir.is_dir():
        raise UsageError(
            f"the clients folder {project.clients_dir} does not exist; create it with "
            "`socialmetrics init` or set paths.clients"
        )
    if client is not None:
        folders = [f for f in folders if f.name == client]
        if not folders:
            names = ", ".join(f.name for f in client_folders(project.clients_dir)) or "none"
            raise UsageError(
                f"no client folder {client!r} in {project.clients_dir}; clients: {names}"
            )
    aliases = load_aliases(project.root)
    registry = overlay(registry, aliases)
    rejected = rejected_keys(aliases)
    decided = acknowledged(aliases)
    own = warehouse is None
    wh = warehouse or connect(project.warehouse_url, project.root)
    summary = IngestSummary(load_id=new_load_id(), month=month)
    try:
        wh.ensure_schema()
        _record_run_start(wh, summary.load_id, month)
        plan = [(folder, list(files_in(folder, folder.name))) for folder in folders]
        if progress:
            progress("total", str(sum(len(files) for _, files in plan)), None)
        held: list[tuple[ClientSettings, list[FileResult]]] = []
        for folder, sources in plan:
            try:
                settings = load_client(folder, project)
            except SocialMetricsError as exc:
                summary.client_errors[folder.name] = str(exc)
                continue
            if progress:
                progress("client", settings.client_id, None)
            results = []
            history = WarehouseHistory(wh, settings.client_id)
            for source in sources:
                if progress:
                    progress("file", f"{settings.client_id}/{source.relative}", None)
                result = inspect_file(
                    source,
                    registry,
                    settings.meta_platform,
                    rejected=rejected,
                    history=history,
                    timezone=settings.timezone,
                )
                history.learn(result)
                if progress:
                    progress("done", source.relative, result)
                if bounds and result.tables:
                    start, end = result.period
                    if start and end and (end < bounds[0] or start > bounds[1]):
                        continue
                results.append(result)
            mark_superseded(results)
            detect_changes(results, functools.partial(last_layout, wh, settings.client_id), decided)
            if strict:
                held.append((settings, results))  # nothing loads before every client is checked
            else:
                _load(wh, settings, results, summary, bounds, strict)
        if strict:
            pending = [
                (settings.client_id, r.source.relative, c)
                for settings, results in held
                for r in _to_load(wh, settings.client_id, results, bounds)
                for t in r.tables
                for c in t.changes
                if c.status == "pending"
            ]
            if pending:
                summary.strict_refusal = [
                    f"{client}/{path}: {change.describe()}" for client, path, change in pending
                ]
            else:
                for settings, results in held:
                    _load(wh, settings, results, summary, bounds, strict)
        _record_run_end(wh, summary)
    finally:
        if own:
            wh.close()
    return summary


def _to_load(
    wh: Warehouse,
    client_id: str,
    results: list[FileResult],
    bounds: tuple[dt.date, dt.date] | None,
) -> list[FileResult]:
    """The files a load would write (not those already loaded, unless a month is re-loaded)."""
    if bounds is not None:
        return results
    loaded = {
        fid
        for (fid,) in wh.query(
            "SELECT file_id FROM source_files WHERE client_id = $1 AND status IN ('ok', 'partial')",
            [client_id],
        )
    }
    return [r for r in results if r.file_id not in loaded]


def _load(
    wh: Warehouse,
    settings: ClientSettings,
    results: list[FileResult],
    summary: IngestSummary,
    bounds: tuple[dt.date, dt.date] | None,
    strict: bool,
) -> None:
    try:
        summary.files.extend(
            load_client_files(wh, settings, results, summary.load_id, bounds, strict)
        )
    except Exception as exc:  # one client's failure must not stop the others
        summary.client_errors[settings.client_id] = (
            f"nothing of this client was loaded (rolled back): {type(exc).__name__}: {exc}"
        )


class WarehouseHistory:
    """What the warehouse already holds of a metric, for checking a proposed rename's values."""

    def __init__(self, wh: Warehouse, client_id: str) -> None:
        self.wh, self.client_id = wh, client_id
        self.cache: dict[tuple[str, str, str], dict[Any, float]] = {}
        self.seen: list[FileResult] = []

    def __call__(self, platform: str, kind: str, canonical: str) -> dict[Any, float]:
        key = (platform, kind, canonical)
        if key not in self.cache:
            self.cache[key] = self._fetch(platform, kind, canonical)
            for result in self.seen:  # this run's earlier files count as history too
                self._add(result, key)
        return self.cache[key]

    def learn(self, result: FileResult) -> None:
        """Remember a file inspected in this run (older months come first in a client folder)."""
        self.seen.append(result)
        for key in self.cache:
            self._add(result, key)

    def _add(self, result: FileResult, key: tuple[str, str, str]) -> None:
        platform, kind, canonical = key
        id_col = "date" if kind == "account_daily" else "post_id"
        for t in result.tables:
            frame = t.frame
            if t.platform == platform and t.kind == kind and canonical in frame.columns:
                pairs = frame.select(id_col, canonical).drop_nulls().rows()
                self.cache[key].update((k, float(v)) for k, v in pairs)

    def _fetch(self, platform: str, kind: str, canonical: str) -> dict[Any, float]:
        if kind == "account_daily":
            rows = self.wh.query(
                "SELECT date, value FROM account_daily_ranked WHERE client_id = $1 "
                "AND platform = $2 AND metric = $3 AND version_rank = 1",
                [self.client_id, platform, canonical],
            )
        elif kind == "posts" and canonical in POST_TABLE_COLUMNS:
            rows = self.wh.query(
                f"SELECT post_id, {canonical} FROM posts WHERE client_id = $1 AND platform = $2 "
                f"AND {canonical} IS NOT NULL",
                [self.client_id, platform],
            )
        else:
            return {}
        return {k: float(v) for k, v in rows if v is not None}


def last_layout(
    wh: Warehouse, client_id: str, platform: str, spec: str, before: dt.date | None
) -> drift.LayoutSnapshot | None:
    """The layout of the latest file of this client and export loaded before `before`."""
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
    return drift.LayoutSnapshot(
        json.loads(headers),
        json.loads(mapped),
        json.loads(formats or "{}"),
        f"previous file {path}",
    )


__all__ = ["FileOutcome", "IngestSummary", "SourceFile", "ingest", "load_client_files"]
