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


def _shaping(
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


def _arrow(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pa.Table:
    return frame.to_arrow().cast(
        pa.schema([pa.field(c.name, ARROW_TYPES[c.sql_type]) for c in columns])
    )


def _shape(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pa.Table:
    """Rows -> an Arrow table in the warehouse table's exact shape."""
    return _arrow(_shaping(frame, columns, set(frame.columns)).collect(), columns)


def _rows_table(rows: list[dict[str, Any]], columns: tuple[Column, ...]) -> pa.Table:
    """Python rows -> an Arrow table in the warehouse table's exact shape."""
    frame = pl.DataFrame(rows, schema={c.name: POLARS_TYPES[c.sql_type] for c in columns})
    return _shape(frame, columns)


LINEAGE = ("client_id", "platform", "source_file_id", "source_sheet", "load_id")
MEMBER, POSITION, FILE_INDEX = "__member", "__position", "__file"
"""Bookkeeping of tables shaped together, dropped before the rows are stored: which table
(in the files' order) a row comes from, its metric's place among that table's metrics, and
which file."""
Member = tuple[int, FileResult, CanonicalTable]
"""A file table shaped with others: its place in the files' order, its file, itself."""


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


def _source(table: CanonicalTable) -> pl.DataFrame:
    """A table's rows as they are shaped: a post's known-but-not-modelled columns folded into
    its `extra`."""
    source = table.frame
    if table.kind != "posts":
        return source
    known = [
        c
        for c in source.columns
        if c not in POST_TABLE_COLUMNS and c not in ("extra", "exported_through")
    ]
    return source.with_columns(_merge_extra(source, known)) if known else source


def _metrics(frame: pl.DataFrame) -> list[str]:
    """A daily table's metric columns, in its order."""
    return [
        c
        for c, t in frame.schema.items()
        if c not in ("date", "source_row") and t in (pl.Float64, pl.Int64)
    ]


def _batches(members: list[tuple[Member, pl.DataFrame]]) -> list[list[tuple[Member, pl.DataFrame]]]:
    """Tables of one kind in groups whose shared columns have the same types (nearly always
    one group): each group is stacked into one frame."""
    batches: list[tuple[dict[str, pl.DataType], list[tuple[Member, pl.DataFrame]]]] = []
    for member, frame in members:
        schema = dict(frame.schema)
        for types, batch in batches:
            if all(types.get(c, t) == t for c, t in schema.items()):
                types.update(schema)
                batch.append((member, frame))
                break
        else:
            batches.append((schema, [(member, frame)]))
    return [batch for _, batch in batches]


Shaping = tuple[pl.LazyFrame, tuple[Column, ...], set[str]]
"""A warehouse table's rows still to compute: the plan, the table's columns, the plan's."""


def _stacked(batch: list[tuple[Member, pl.DataFrame]], load_id: str) -> pl.LazyFrame:
    """The batch's tables one under the other, each row with its lineage and bookkeeping."""
    stacked = pl.concat([frame for _, frame in batch], how="diagonal")
    members = [m for (m, _, _), frame in batch for _ in range(frame.height)]
    lineage = pl.DataFrame(
        {
            MEMBER: [m for (m, _, _), _ in batch],
            "client_id": [r.source.client_id for (_, r, _), _ in batch],
            "platform": [t.platform for (_, _, t), _ in batch],
            "source_file_id": [r.file_id for (_, r, _), _ in batch],
            "source_sheet": [t.sheet for (_, _, t), _ in batch],
            "load_id": [load_id] * len(batch),
            "exported_through": [r.exported_through for (_, r, _), _ in batch],
        },
        schema_overrides={
            MEMBER: pl.UInt32,
            "source_sheet": pl.String,
            "client_id": pl.String,
            "source_file_id": pl.String,
            "exported_through": pl.Date,
        },
    )
    return (
        stacked.with_columns(  # a place among metrics only unpivoted rows have (`_kind_plans`)
            pl.Series(MEMBER, members, dtype=pl.UInt32), pl.lit(0, dtype=pl.UInt32).alias(POSITION)
        )
        .lazy()
        .join(lineage.lazy(), on=MEMBER, how="left", maintain_order="left")
    )


def _kind_plans(
    kind: str, frame: pl.LazyFrame, present: set[str], batch: list[tuple[Member, pl.DataFrame]]
) -> dict[str, Shaping]:
    """What a stacked batch of one kind's tables becomes, per warehouse table, as lazy plans."""
    if kind == "posts":
        return {"post_snapshots": (frame, POST_SNAPSHOT_COLUMNS, present)}
    if kind == "competitors":
        return {"competitor_snapshots": (frame, COMPETITOR_COLUMNS, present)}
    if kind == "audience":
        plans = {"audience_snapshots": (frame, AUDIENCE_COLUMNS, present)}
        total = frame.filter(  # Meta's "IG_ACCOUNT,FOLLOW,UNIQUE_USERS": the audience size
            (pl.col("dimension") == "total")
            & (pl.col("audience") == "followers")
            & pl.col("metric").is_null()
        ).select(
            pl.exclude("value", "as_of_date", "metric"),
            pl.col("as_of_date").alias("date"),
            pl.lit("followers_total").alias("metric"),
            pl.col("value"),
        )
        plans["account_daily_facts"] = (total, ACCOUNT_FACT_COLUMNS, present | {"date", "metric"})
        return plans
    positions = [(m, metric, i) for (m, _, _), f in batch for i, metric in enumerate(_metrics(f))]
    metrics = list(dict.fromkeys(metric for _, metric, _ in positions))
    keys = [
        *("client_id", "platform", "date", "source_file_id", "source_sheet", "source_row"),
        *("load_id", "exported_through", MEMBER),
    ]
    plans = {
        "account_daily_extra": (
            frame.filter(pl.col("extra").is_not_null()),
            ACCOUNT_EXTRA_COLUMNS,
            present,
        )
    }
    if metrics:
        place = pl.DataFrame(
            positions,
            schema={MEMBER: pl.UInt32, "metric": pl.String, POSITION: pl.UInt32},
            orient="row",
        )
        long = (
            frame.select([*keys, *[pl.col(m).cast(pl.Float64) for m in metrics]])
            .unpivot(index=keys, on=metrics, variable_name="metric", value_name="value")
            .filter(pl.col("value").is_not_null())
            .join(place.lazy(), on=[MEMBER, "metric"], how="left", maintain_order="left")
        )
        plans = {
            "account_daily_facts": (long, ACCOUNT_FACT_COLUMNS, {*keys, "metric", "value"})
        } | plans
    return plans


def fact_tables(
    result: FileResult, load_id: str, month: tuple[dt.date, dt.date] | None = None
) -> dict[str, list[pa.Table]]:
    """The file's rows as Arrow tables per warehouse table, optionally limited to a month."""
    return fact_tables_of([result], load_id, month)[0]


def fact_tables_of(
    results: list[FileResult], load_id: str, month: tuple[dt.date, dt.date] | None = None
) -> list[dict[str, list[pa.Table]]]:
    """Each file's rows as Arrow tables per warehouse table (optionally limited to a month),
    shaped together: the tables of one kind stacked into one frame and one query per
    warehouse table for all the files (on export-sized tables Polars' cost is per query, not
    per value), then cut back into each file's rows, in the order each file alone gives."""
    order = [(index, r, t) for index, r in enumerate(results) for t in r.tables if t.frame.height]
    by_kind: dict[str, list[tuple[Member, pl.DataFrame]]] = {}
    for rank, (_, result, table) in enumerate(order):  # rank: the table's place in all files
        by_kind.setdefault(table.kind, []).append(((rank, result, table), _source(table)))
    plans: dict[str, list[pl.LazyFrame]] = {}
    for kind, members in by_kind.items():
        for batch in _batches(members):
            present = {*(c for _, f in batch for c in f.columns), *LINEAGE, "exported_through"}
            for name, (plan, columns, has) in _kind_plans(
                kind, _stacked(batch, load_id), present, batch
            ).items():
                if month is not None and FACT_DATE_COLUMNS[name] in has:
                    undated = [
                        m for (m, _, _), f in batch if FACT_DATE_COLUMNS[name] not in f.columns
                    ]
                    plan = plan.filter(
                        pl.col(FACT_DATE_COLUMNS[name]).is_between(month[0], month[1])
                        | pl.col(MEMBER).is_in(undated)
                    )
                plans.setdefault(name, []).append(_shaping(plan, columns, has, (MEMBER, POSITION)))
    out: list[dict[str, list[pa.Table]]] = [{} for _ in results]
    files = pl.Series(FILE_INDEX, [index for index, _, _ in order], dtype=pl.UInt32)
    names = list(plans)
    queries = [
        pl.concat(plans[name])
        .sort(MEMBER, POSITION, maintain_order=True)
        .with_columns(pl.lit(files).gather(pl.col(MEMBER)).alias(FILE_INDEX))
        for name in names
    ]
    for name, frame in zip(names, pl.collect_all(queries), strict=True):
        arrow = _arrow(frame.drop(MEMBER, POSITION, FILE_INDEX, strict=False), TABLES[name])
        offset = 0  # sorted by table, so each file's rows come together, in the files' order
        for index, rows in frame[FILE_INDEX].rle().struct.unnest().select("value", "len").rows():
            # a copy, not a slice: a slice pickles (to the main process) with all the files' rows
            rows_of_file = pa.array(range(offset, offset + rows), type=pa.int64())
            out[index].setdefault(name, []).append(arrow.take(rows_of_file))
            offset += rows
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
