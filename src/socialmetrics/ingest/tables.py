"""Canonical tables -> Arrow tables in the warehouse's exact shape.

Facts carry their lineage (file, sheet, row, load) and are shaped once per file table; the
ledger rows (source files, their tables, quarantine, layout changes) are built here as rows and
shaped once per client and table (`rows_table`), so loading is only bulk inserts.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl
import pyarrow as pa

from socialmetrics.config import ClientSettings
from socialmetrics.ingest.results import FileResult, change_json, table_json
from socialmetrics.model import (
    ACCOUNT_EXTRA_COLUMNS,
    ACCOUNT_FACT_COLUMNS,
    AUDIENCE_COLUMNS,
    CLIENT_COLUMNS,
    COMPETITOR_COLUMNS,
    POST_SNAPSHOT_COLUMNS,
    TABLES,
    Column,
)
from socialmetrics.model.grains import FACT_DATE_COLUMNS
from socialmetrics.transform.canonical import CanonicalTable
from socialmetrics.validate import drift

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
POST_TABLE_COLUMNS = {c.name for c in POST_SNAPSHOT_COLUMNS}


def _shape(
    frame: pl.DataFrame | pl.LazyFrame, columns: tuple[Column, ...], present: set[str] | None = None
) -> pa.Table:
    """Rows -> an Arrow table in the warehouse table's exact shape (one query for a lazy
    frame; `present`: its column names, when known without planning it)."""
    if present is None:
        present = set(frame.columns) if isinstance(frame, pl.DataFrame) else set()
    exprs = []
    for col in columns:
        dtype = POLARS_TYPES[col.sql_type]
        if col.name in present:
            exprs.append(pl.col(col.name).cast(dtype, strict=False).alias(col.name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(col.name))
    return (
        frame.lazy()
        .select(exprs)
        .collect()
        .to_arrow()
        .cast(pa.schema([pa.field(c.name, ARROW_TYPES[c.sql_type]) for c in columns]))
    )


def _rows_table(rows: list[dict[str, Any]], columns: tuple[Column, ...]) -> pa.Table:
    """Python rows -> an Arrow table in the warehouse table's exact shape."""
    frame = pl.DataFrame(rows, schema={c.name: POLARS_TYPES[c.sql_type] for c in columns})
    return _shape(frame, columns)


LINEAGE = ("client_id", "platform", "source_file_id", "source_sheet", "load_id")


def _lineage(result: FileResult, table: CanonicalTable, load_id: str) -> list[pl.Expr]:
    return [
        pl.lit(result.source.client_id).alias("client_id"),
        pl.lit(table.platform).alias("platform"),
        pl.lit(result.file_id).alias("source_file_id"),
        pl.lit(table.sheet, dtype=pl.String).alias("source_sheet"),
        pl.lit(load_id).alias("load_id"),
        pl.lit(result.exported_through, dtype=pl.Date).alias("exported_through"),
    ]


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


Shaping = tuple[pl.LazyFrame, tuple[Column, ...], set[str]]
"""A warehouse table's rows still to compute: the plan, the table's columns, the plan's."""


def _file_table_plans(table: CanonicalTable, lineage: list[pl.Expr]) -> dict[str, Shaping]:
    """What one canonical table becomes, per warehouse table, as lazy plans: shaping a small
    file's table is then one query per warehouse table, not one per step."""
    source = table.frame
    present = {*source.columns, *LINEAGE, "exported_through"}
    if table.kind == "posts":
        known = [
            c
            for c in source.columns
            if c not in POST_TABLE_COLUMNS and c not in ("extra", "exported_through")
        ]
        if known:
            source = source.with_columns(_merge_extra(source, known))
        return {
            "post_snapshots": (source.lazy().with_columns(lineage), POST_SNAPSHOT_COLUMNS, present)
        }
    frame = source.lazy().with_columns(lineage)
    if table.kind == "competitors":
        return {"competitor_snapshots": (frame, COMPETITOR_COLUMNS, present)}
    if table.kind == "audience":
        plans = {"audience_snapshots": (frame, AUDIENCE_COLUMNS, present)}
        if (source["dimension"] == "total").any():  # Meta's "IG_ACCOUNT,FOLLOW,UNIQUE_USERS":
            total = frame.filter(  # the audience size
                (pl.col("dimension") == "total")
                & (pl.col("audience") == "followers")
                & pl.col("metric").is_null()
            ).select(
                pl.exclude("value", "as_of_date", "metric"),
                pl.col("as_of_date").alias("date"),
                pl.lit("followers_total").alias("metric"),
                pl.col("value"),
            )
            plans["account_daily_facts"] = (
                total,
                ACCOUNT_FACT_COLUMNS,
                present | {"date", "metric"},
            )
        return plans
    metrics = [
        c
        for c, t in source.schema.items()
        if c not in ("date", "source_row") and t in (pl.Float64, pl.Int64)
    ]
    keys = [
        *("client_id", "platform", "date", "source_file_id", "source_sheet", "source_row"),
        *("load_id", "exported_through"),
    ]
    plans = {
        "account_daily_extra": (
            frame.filter(pl.col("extra").is_not_null()),
            ACCOUNT_EXTRA_COLUMNS,
            present,
        )
    }
    if metrics:
        long = (
            frame.select([*keys, *[pl.col(m).cast(pl.Float64) for m in metrics]])
            .unpivot(index=keys, on=metrics, variable_name="metric", value_name="value")
            .filter(pl.col("value").is_not_null())
        )
        plans = {
            "account_daily_facts": (long, ACCOUNT_FACT_COLUMNS, {*keys, "metric", "value"})
        } | plans
    return plans


def fact_tables(
    result: FileResult, load_id: str, month: tuple[dt.date, dt.date] | None = None
) -> dict[str, list[pa.Table]]:
    """The file's rows as Arrow tables per warehouse table, optionally limited to a month."""
    out: dict[str, list[pa.Table]] = {}
    for table in result.tables:
        if table.frame.height == 0:
            continue
        plans = _file_table_plans(table, _lineage(result, table, load_id))
        for name, (plan, columns, present) in plans.items():
            if month is not None and FACT_DATE_COLUMNS[name] in present:
                plan = plan.filter(pl.col(FACT_DATE_COLUMNS[name]).is_between(month[0], month[1]))
            shaped = _shape(plan, columns, present)
            if shaped.num_rows:
                out.setdefault(name, []).append(shaped)
    return out


def quarantine_rows(result: FileResult, load_id: str) -> list[dict[str, Any]]:
    return [
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


def source_file_rows(result: FileResult, load_id: str, now: dt.datetime) -> list[dict[str, Any]]:
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
    return [row]


def source_tables_rows(result: FileResult, load_id: str) -> list[dict[str, Any]]:
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
    return rows


def layout_changes_rows(result: FileResult, client_id: str, load_id: str) -> list[dict[str, Any]]:
    through = result.exported_through
    return [
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


def rows_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """A ledger table's rows (of one client's load, all files at once) as one Arrow table in
    the warehouse table's exact shape: one conversion per table, not per file."""
    return _rows_table(rows, TABLES[name])


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
