"""Audience exports laid out as tables: one row per segment (and day), one or more measures.

TikTok's follower activity (day, hour, active followers) has one `value` column: the audience's
own size, stored with `metric` NULL. YouTube's tables by traffic source, age, gender, geography,
city, subscription status or device, and its daily charts by those dimensions or by video, have
several metric columns: each becomes one row per segment with `metric` naming it (`video_views`,
`watch_time_hours`...), so a breakdown keeps every figure the export has. A table without a day
is dated like any audience snapshot (period in the name, month folder, modification day).
"""

from __future__ import annotations

import polars as pl

from socialmetrics.extract.recognise import Recognition
from socialmetrics.model.grains import GRAINS
from socialmetrics.model.metrics import METRIC_BY_NAME
from socialmetrics.specs.registry import normalise_header
from socialmetrics.transform.audience import audience_date
from socialmetrics.transform.canonical import CanonicalTable, FileContext, Problem, run_hook
from socialmetrics.transform.columns import (
    Prepared,
    extra_json,
    keep_currency,
    parse_columns,
    whole_dates,
)

SHARE_SUFFIX = "_share"
"""A spec column `<metric>_share` holds that metric's share of the total (`Views (%)`)."""

ROW_COLUMNS = ("as_of_date", "dimension", "segment", "segment_label", "value")
"""Canonical columns with a place in an audience row. A measure is `value`, a `<metric>_share`,
or a metric of the daily grain; any other mapped column (a video's title, publish time and
duration beside its id) travels in `extra` as exported."""


def _measure(canonical: str, rec: Recognition) -> tuple[str | None, str] | None:
    """(metric, unit) of a measure column, or None when the column is not a measure."""
    if canonical == "value":
        assert rec.spec is not None
        spec_column = rec.spec.column("value")
        return None, "count" if spec_column is None or spec_column.type == "count" else "share"
    if canonical.endswith(SHARE_SUFFIX) and canonical[: -len(SHARE_SUFFIX)] in METRIC_BY_NAME:
        return canonical[: -len(SHARE_SUFFIX)], "share"
    metric = METRIC_BY_NAME.get(canonical)
    if metric is None or "account_daily" not in metric.grains:
        return None  # a video's duration beside its id: an attribute, kept in `extra`
    return metric.name, "count" if metric.type == "count" else metric.type


BELOW_THRESHOLD = r"^\s*<\s*\d+([.,]\d+)?\s*%?\s*$"
"""A share the platform only bounds (LinkedIn `< 1%`): the segment is kept, its value NULL and
the text in `extra` — never 0, never the bound."""


def _row_dimension(rec: Recognition) -> pl.Expr:
    """The dimension of each row: named by the row (`Job titles`) through the spec's
    `[dimensions]`, else the label itself in snake case; or the one recognition found."""
    assert rec.spec is not None and rec.dimension is not None
    if rec.dimension.name != "per_row":
        return pl.lit(rec.dimension.name)
    names = {k: d.name for d in rec.spec.dimensions for k in d.keywords}

    def name(label: str) -> str:
        key = normalise_header(label)
        return names.get(key, key.replace(" ", "_"))

    return pl.col("dimension").map_elements(name, return_dtype=pl.String, skip_nulls=True)


def _below_threshold(
    rec: Recognition, raw: pl.DataFrame, measures: dict[str, tuple[str | None, str]]
) -> tuple[pl.DataFrame, dict[str, tuple[str, str]]]:
    """Raw columns holding the `< 1%` cells of each measure (NULL elsewhere):
    {canonical: (header, raw column)}."""
    columns: dict[str, tuple[str, str]] = {}
    exprs = []
    for match in rec.columns:
        if match.canonical is None or match.canonical not in measures:
            continue
        name = f"c{match.index}"
        below = pl.col(name).cast(pl.String).str.contains(BELOW_THRESHOLD).fill_null(False)
        exprs.append(pl.when(below).then(pl.col(name)).alias(f"{name}\0below"))
        columns[match.canonical] = (match.header.strip(), f"{name}\0below")
    return (raw.with_columns(exprs) if exprs else raw), columns


def normalise_audience_table(
    rec: Recognition, context: FileContext, prepared: Prepared
) -> CanonicalTable:
    """One row per segment and measure; the dimension is the one recognition found."""
    assert rec.spec is not None and rec.platform is not None and rec.dimension is not None
    raw, notes = prepared.raw, list(prepared.notes)
    parsed, wanted, unknown = parse_columns(rec, prepared)
    frame, date_notes = whole_dates(parsed, wanted, context)
    notes += date_notes
    if "as_of_date" not in frame.columns:
        as_of, rule = audience_date(context)
        frame = frame.with_columns(pl.lit(as_of, dtype=pl.Date).alias("as_of_date"))
        notes.append(f"audience dated {as_of} from the {rule}")
    measures = {
        m.canonical: found
        for m, _ in wanted
        if m.canonical and (found := _measure(m.canonical, rec)) is not None
    }
    kept = dict(unknown)
    for match, name in wanted:
        if match.canonical not in measures and match.canonical not in ROW_COLUMNS:
            kept[match.header.strip()] = name
    segment = pl.col("segment").cast(pl.String).str.strip_chars()
    if "segment_label" in frame.columns:  # YouTube cities: a place id, then the city's name
        match = next(m for m in rec.columns if m.canonical == "segment")
        kept[match.header.strip()] = f"c{match.index}"
        segment = pl.coalesce(pl.col("segment_label").str.strip_chars(), segment)
    raw, kept = keep_currency(rec, raw, kept)
    raw, below = _below_threshold(rec, raw, measures)
    frame = frame.with_columns(
        segment.alias("segment"),
        _row_dimension(rec).alias("dimension"),
        extra_json(raw, {**kept, **dict(below.values())}),
        *(raw[name].is_not_null().alias(f"{c}\0below") for c, (_, name) in below.items()),
    )
    bad = pl.col("as_of_date").is_null() | pl.col("segment").is_null()
    if measures:
        bad = bad | pl.all_horizontal(
            pl.col(c).is_null() & ~pl.col(f"{c}\0below") for c in measures
        )
    problems = [
        Problem(
            row=int(row),
            column=None,
            raw=None,
            reason="row not loaded: no day, segment or value",
            sheet=rec.table.label,
        )
        for row in frame.filter(bad)["source_row"]
    ]
    frame = frame.filter(~bad)

    def rows(canonical: str | None, metric: str | None, unit: str) -> pl.DataFrame:
        kept = (
            frame.filter(pl.col(canonical).is_not_null() | pl.col(f"{canonical}\0below"))
            if canonical
            else frame.clear()
        )
        return kept.select(
            pl.col("as_of_date"),
            pl.lit(rec.spec.audience).alias("audience"),  # type: ignore[union-attr]
            pl.col("dimension"),
            pl.col("segment"),
            pl.lit(None, dtype=pl.String).alias("gender"),
            pl.lit(metric, dtype=pl.String).alias("metric"),
            (pl.col(canonical) if canonical else pl.lit(None)).cast(pl.Float64).alias("value"),
            pl.lit(unit).alias("unit"),
            pl.col("extra"),
            pl.col("source_row"),
        )

    long = pl.concat(
        [rows(canonical, metric, unit) for canonical, (metric, unit) in measures.items()]
        or [rows(None, None, "count")],  # nothing measured: the spec's hook may say more
        how="diagonal_relaxed",
    )
    return audience_result(rec, long, problems, raw.height, notes, context)


def audience_result(
    rec: Recognition,
    long: pl.DataFrame,
    problems: list[Problem],
    rows_read: int,
    notes: list[str],
    context: FileContext,
) -> CanonicalTable:
    """Audience rows as a canonical table: one row per key (the first kept, the others counted
    as duplicates), in sheet order, the spec's hook run, dated by the days it holds."""
    assert rec.platform is not None
    key = list(GRAINS["audience"].file_key)
    unique = long.unique(key, keep="first", maintain_order=True).sort(
        "source_row", maintain_order=True
    )
    table = CanonicalTable(
        recognition=rec,
        kind="audience",
        platform=rec.platform,
        frame=unique,
        problems=problems,
        rows_read=rows_read,
        duplicates=long.height - unique.height,
        notes=notes,
        context=context,
    )
    run_hook(table)
    days = table.frame["as_of_date"].drop_nulls()
    if days.len():
        table.period_start, table.period_end = days.min(), days.max()  # type: ignore[assignment]
    return table
