"""Audience tables laid out wide: one row per day, one column per segment.

Legacy Facebook Insights workbooks hold dozens of such sheets (`Description | Date | F.13-17 |
F.18-24 ...`, `... | AE | AR ...`): each cell is one segment's value that day. They become
audience rows (day, dimension, segment, value). The sheet's name says the breakdown: a spec
dimension where one names it (`Lifetime Likes by City` -> city of the followers), else the
sheet's own name in snake case, so no two sheets share a key. An `F.`/`M.`/`U.` prefix on an
age band is the gender.
"""

from __future__ import annotations

import json
import re

import polars as pl

from socialmetrics.extract.recognise import Recognition
from socialmetrics.transform import parse
from socialmetrics.transform.audience_table import audience_result
from socialmetrics.transform.canonical import CanonicalTable, FileContext, Problem
from socialmetrics.transform.columns import Prepared, parse_columns

CATCH_ALL = "sheet"
"""The spec dimension that means "the sheet's own name is the breakdown"."""
GENDER_PREFIX = re.compile(r"^(?P<gender>[A-Za-z])\.(?P<segment>.+)$")


def _dimension(rec: Recognition) -> str:
    assert rec.dimension is not None
    if rec.dimension.name != CATCH_ALL:
        return rec.dimension.name
    name = (rec.table.sheet or rec.table.title or "breakdown").replace("...", " ")
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def _genders(rec: Recognition) -> dict[str, str]:
    assert rec.spec is not None
    return {h: g for g, heads in rec.spec.gender_headers.items() for h in heads}


def normalise_audience_wide(
    rec: Recognition, context: FileContext, prepared: Prepared
) -> CanonicalTable:
    """One audience row per day and segment column with a value."""
    assert rec.spec is not None and rec.platform is not None and rec.dimension is not None
    raw = prepared.raw
    parsed, _, _ = parse_columns(rec, prepared)
    segments = {f"c{m.index}": m.header.strip() for m in rec.columns if m.kept}
    description = None
    if "description" in parsed.columns:
        described = parsed["description"].drop_nulls()
        description = described[0] if described.len() else None
    extra = json.dumps({"description": description}, ensure_ascii=False) if description else None
    problems = [
        Problem(
            row=int(r),
            column="Date",
            raw=None,
            reason="row not loaded: no day",
            sheet=rec.table.label,
        )
        for r in parsed.filter(pl.col("as_of_date").is_null())["source_row"]
    ]
    days = raw.select("source_row", *segments).with_columns(parsed["as_of_date"])
    long = days.filter(pl.col("as_of_date").is_not_null()).unpivot(
        index=["source_row", "as_of_date"],
        on=list(segments),
        variable_name="column",
        value_name="raw",
    )
    long = long.filter(pl.col("raw").cast(pl.String).str.strip_chars() != "")
    values, failed = parse.number_series(long["raw"])
    long = long.with_columns(values.alias("value"), failed.alias("failed"))
    for row in long.filter(pl.col("failed")).iter_rows(named=True):
        problems.append(
            Problem(
                row=int(row["source_row"]),
                column=segments[row["column"]],
                raw=row["raw"],
                reason="value left empty: not a number",
                sheet=rec.table.label,
            )
        )
    genders = _genders(rec)
    dimension = _dimension(rec)

    def split(header: str) -> tuple[str, str | None]:
        found = GENDER_PREFIX.match(header) if dimension == "age_gender" else None
        if found and found["gender"].lower() in genders:
            return found["segment"], genders[found["gender"].lower()]
        return header, None

    labels = {c: split(h) for c, h in segments.items()}
    frame = long.filter(~pl.col("failed")).select(
        pl.col("as_of_date"),
        pl.lit(rec.dimension.audience).alias("audience"),
        pl.lit(dimension).alias("dimension"),
        pl.col("column").replace_strict({c: s for c, (s, _) in labels.items()}).alias("segment"),
        pl.col("column")
        .replace_strict({c: g for c, (_, g) in labels.items()}, return_dtype=pl.String)
        .alias("gender"),
        pl.lit(None, dtype=pl.String).alias("metric"),
        pl.col("value"),
        pl.lit("count").alias("unit"),
        pl.lit(extra, dtype=pl.String).alias("extra"),
        pl.col("source_row"),
    )
    notes = [f"{len(segments)} segment column(s) with values"]
    return audience_result(rec, frame, problems, raw.height, notes, context)
