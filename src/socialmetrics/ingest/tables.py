"""The ledger's rows as Arrow tables in the warehouse's exact shape, and that shaping itself.

The ledger rows (source files, their tables, quarantine, layout changes) are built here as rows
and shaped once per client and table (`rows_table`), so loading is only bulk inserts; the
facts are shaped with the same rule in `ingest.facts`.
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
    CLIENT_COLUMNS,
    POST_SNAPSHOT_COLUMNS,
    TABLES,
    Column,
)
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


def shaping(
    frame: pl.DataFrame | pl.LazyFrame,
    columns: tuple[Column, ...],
    present: set[str],
    keep: tuple[str, ...] = (),
) -> pl.LazyFrame:
    """The plan of rows in the warehouse table's exact columns and types (`present`: the
    columns the frame has; `keep`: bookkeeping columns to carry along)."""
    exprs = []
    for col in columns:
        dtype = POLARS_TYPES[col.sql_type]
        if col.name in present:
            exprs.append(pl.col(col.name).cast(dtype, strict=False).alias(col.name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(col.name))
    return frame.lazy().select(*exprs, *keep)


def arrow_shaped(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pa.Table:
    """Collected rows -> the Arrow table the warehouse takes, in its exact types."""
    return frame.to_arrow().cast(
        pa.schema([pa.field(c.name, ARROW_TYPES[c.sql_type]) for c in columns])
    )


def _shape(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pa.Table:
    """Rows -> an Arrow table in the warehouse table's exact shape."""
    return arrow_shaped(shaping(frame, columns, set(frame.columns)).collect(), columns)


def _rows_table(rows: list[dict[str, Any]], columns: tuple[Column, ...]) -> pa.Table:
    """Python rows -> an Arrow table in the warehouse table's exact shape."""
    frame = pl.DataFrame(rows, schema={c.name: POLARS_TYPES[c.sql_type] for c in columns})
    return _shape(frame, columns)


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
