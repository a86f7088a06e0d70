"""Canonical tables -> the fact tables' rows, as Arrow tables in the warehouse's exact shape.

Facts carry their lineage (file, sheet, row, load). The tables of many files (a worker's
chunk) are shaped together: each kind's tables stacked into one frame, one query per warehouse
table for all of them, then cut back into each file's rows (on export-sized tables Polars'
cost is per query, not per value).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl
import pyarrow as pa

from socialmetrics.ingest.results import FileResult
from socialmetrics.ingest.tables import POST_TABLE_COLUMNS, arrow_shaped, shaping
from socialmetrics.model import (
    ACCOUNT_EXTRA_COLUMNS,
    ACCOUNT_FACT_COLUMNS,
    AUDIENCE_COLUMNS,
    COMPETITOR_COLUMNS,
    POST_SNAPSHOT_COLUMNS,
    TABLES,
    Column,
)
from socialmetrics.model.grains import FACT_DATE_COLUMNS
from socialmetrics.transform.canonical import CanonicalTable

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
                plans.setdefault(name, []).append(shaping(plan, columns, has, (MEMBER, POSITION)))
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
        arrow = arrow_shaped(frame.drop(MEMBER, POSITION, FILE_INDEX, strict=False), TABLES[name])
        offset = 0  # sorted by table, so each file's rows come together, in the files' order
        for index, rows in frame[FILE_INDEX].rle().struct.unnest().select("value", "len").rows():
            # a copy, not a slice: a slice pickles (to the main process) with all the files' rows
            rows_of_file = pa.array(range(offset, offset + rows), type=pa.int64())
            out[index].setdefault(name, []).append(arrow.take(rows_of_file))
            offset += rows
    return out
