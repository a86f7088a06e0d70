"""Turn a recognised raw table into a typed canonical table plus its quarantined problems.

After this step only canonical names exist. Values are parsed column at a time (see `parse`);
a cell that cannot be parsed becomes NULL and a quarantine entry, a row whose key (day, post id)
cannot be parsed is quarantined whole, and columns the spec does not know travel in `extra`.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from socialmetrics.extract.recognise import ColumnMatch, Recognition
from socialmetrics.model.grains import GRAINS
from socialmetrics.transform import parse, yearless
from socialmetrics.transform.audience import normalise_audience
from socialmetrics.transform.canonical import (
    CanonicalTable,
    FileContext,
    Problem,
    period_from_name,
)


def _raw_frame(rec: Recognition) -> pl.DataFrame:
    rows = rec.data_rows
    width = max([len(rec.table.rows[rec.header_row]), *(len(r) for r in rows)], default=0)
    columns: dict[str, list[str]] = {f"c{i}": [] for i in range(width)}
    for row in rows:
        padded = row + [""] * (width - len(row))
        for i, cell in enumerate(padded):
            columns[f"c{i}"].append(cell)
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    return frame.with_columns(pl.Series("source_row", rec.data_row_numbers, dtype=pl.Int64))


def _number_flags(match: ColumnMatch, decimal_comma: bool) -> parse.NumberFlags:
    col = match.spec_column
    if col is None:  # a chart's value column: the title says which metric it is
        return parse.NumberFlags(decimal_comma=decimal_comma, rate=True)
    return parse.NumberFlags(
        decimal_comma=decimal_comma,
        dash_zero=col.dash == "zero",
        rate=col.type == "rate",
        percent_unit=col.unit == "percent",
        count=col.type == "count",
    )


def _parser(match: ColumnMatch, name: str) -> parse.Parser:
    col = match.spec_column
    assert col is not None
    if col.type == "timestamp":
        return parse.timestamp(name)
    if col.type == "date":
        return parse.date(name)
    if col.type == "id":
        return parse.identifier(name)
    if col.type == "date_yearless":
        return parse.month_day(name)
    return parse.text(name)


_REASONS = {
    "count": "not a whole, non-negative number",
    "rate": "not a number or percentage",
    "number": "not a number",
    "timestamp": "not a date/time in any known export format",
    "date": "not a date in any known export format",
    "date_yearless": "not a day and month in any language known",
    "id": "id in scientific notation: digits were lost (export again without opening in Excel)",
}


def _extra_json(frame: pl.DataFrame, columns: dict[str, str]) -> pl.Series:
    """One JSON object per row of the given columns (name in JSON -> frame column), no blanks."""
    if not columns:
        return pl.Series("extra", [None] * frame.height, dtype=pl.String)
    data = frame.select(list(columns.values())).rows()
    names = list(columns)
    out = []
    for row in data:
        obj = {n: v for n, v in zip(names, row, strict=True) if v is not None and v != ""}
        out.append(json.dumps(obj, ensure_ascii=False, default=str) if obj else None)
    return pl.Series("extra", out, dtype=pl.String)


def normalise_table(rec: Recognition, context: FileContext) -> CanonicalTable:
    """Parse and rename one recognised table into canonical columns."""
    assert rec.spec is not None and rec.platform is not None
    if rec.spec.kind == "audience" and rec.shape == "table":
        return _normalise_audience_table(rec, context)
    if rec.shape in ("table", "chart"):
        return _normalise_tabular(rec, context)
    return normalise_audience(rec, context)


def _parse_columns(
    rec: Recognition, raw: pl.DataFrame
) -> tuple[pl.DataFrame, list[tuple[ColumnMatch, str]], dict[str, str]]:
    """Parse every mapped column in as few Polars passes as possible.

    Returns the parsed frame (`canonical` and `canonical\0failed` columns), the mapped columns
    as (match, raw column) pairs, and the unknown columns as {label: raw column}.
    """
    unknown: dict[str, str] = {}
    wanted: list[tuple[ColumnMatch, str]] = []
    for match in rec.columns:
        name = f"c{match.index}"
        if match.canonical is None:
            if match.header.strip() or raw[name].str.strip_chars().ne("").any():
                label = match.header.strip() or f"column {match.index + 1}"
                if label in unknown or match.duplicate:
                    label = f"{label} (column {match.index + 1})"
                unknown[label] = name
            continue
        if match.spec_column is not None and match.spec_column.type == "ignore":
            continue
        wanted.append((match, name))
    numeric = [
        (m, name)
        for m, name in wanted
        if m.spec_column is None or m.spec_column.type in ("count", "rate", "number")
    ]
    commas = parse.decimal_comma_columns(raw, [name for _, name in numeric], rec.language)
    flags = {name: _number_flags(m, name in commas) for m, name in numeric}
    others = [(m, name, _parser(m, name)) for m, name in wanted if name not in flags]
    parsed = raw.select(
        pl.col("source_row"),
        *[p.value.alias(m.canonical) for m, _, p in others],  # type: ignore[arg-type]
        *[p.failed.alias(f"{m.canonical}{parse.FAILED}") for m, _, p in others],
    )
    if flags:
        typed = parse.numbers(raw, flags)
        names = {str(m.canonical): name for m, name in numeric}
        parsed = parsed.with_columns(
            *[typed[name].alias(c) for c, name in names.items()],
            *[typed[name + parse.FAILED].alias(f"{c}{parse.FAILED}") for c, name in names.items()],
        )
    return parsed, wanted, unknown


def _normalise_audience_table(rec: Recognition, context: FileContext) -> CanonicalTable:
    """An audience export laid out as a table, one row per day and segment (TikTok's follower
    activity: day, hour, active followers): its one declared dimension, dated per row."""
    assert rec.spec is not None and rec.platform is not None and rec.spec.dimensions
    raw = _raw_frame(rec)
    parsed, wanted, _ = _parse_columns(rec, raw)
    frame, notes = _whole_dates(parsed, wanted, context)
    value = rec.spec.column("value")
    unit = "count" if value is None or value.type == "count" else "share"
    bad = pl.any_horizontal(
        pl.col(c).is_null() for c in ("as_of_date", "segment", "value") if c in frame.columns
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
    frame = frame.filter(~bad).select(
        pl.col("as_of_date"),
        pl.lit(rec.spec.audience).alias("audience"),
        pl.lit(rec.spec.dimensions[0].name).alias("dimension"),
        pl.col("segment").str.strip_chars(),
        pl.lit(None, dtype=pl.String).alias("gender"),
        pl.col("value"),
        pl.lit(unit).alias("unit"),
        pl.col("source_row"),
    )
    key = list(GRAINS["audience"].file_key)
    duplicates = frame.height - frame.unique(key).height
    frame = frame.unique(key, keep="first", maintain_order=True)
    days = frame["as_of_date"].drop_nulls()
    return CanonicalTable(
        recognition=rec,
        kind="audience",
        platform=rec.platform,
        frame=frame,
        problems=problems,
        rows_read=raw.height,
        duplicates=duplicates,
        period_start=days.min() if days.len() else None,  # type: ignore[arg-type]
        period_end=days.max() if days.len() else None,  # type: ignore[arg-type]
        notes=notes,
    )


def _normalise_tabular(rec: Recognition, context: FileContext) -> CanonicalTable:
    assert rec.spec is not None and rec.platform is not None
    kind = rec.spec.kind
    raw = _raw_frame(rec)
    sheet = rec.table.label
    problems: list[Problem] = []
    (key,) = GRAINS[kind].file_key
    parsed, wanted, unknown = _parse_columns(rec, raw)
    key_failed = pl.Series([False] * raw.height)
    out: dict[str, pl.Series] = {"source_row": parsed["source_row"]}
    for match, name in wanted:
        canonical = match.canonical
        assert canonical is not None
        out[canonical] = parsed[canonical]
        failed = parsed[f"{canonical}{parse.FAILED}"]
        if not failed.any():
            continue
        col_type = match.spec_column.type if match.spec_column else "number"
        reason = _REASONS.get(col_type, "could not be parsed")
        is_key = canonical in (key, "published_at")
        for i in failed.arg_true().to_list():
            problems.append(
                Problem(
                    row=int(raw["source_row"][i]),
                    column=match.header,
                    raw=raw[name][i],
                    reason=("row not loaded: " if is_key else "value left empty: ") + reason,
                    sheet=sheet,
                )
            )
        if is_key:
            key_failed = key_failed | failed
    frame = pl.DataFrame(out)
    frame = _to_local_time(frame, wanted, context.timezone)
    frame, notes = _whole_dates(frame, wanted, context)
    if unknown:
        frame = frame.with_columns(_extra_json(raw, unknown))
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("extra"))
    table = CanonicalTable(
        recognition=rec,
        kind=kind,
        platform=rec.platform,
        frame=frame,
        problems=problems,
        rows_read=raw.height,
        notes=notes,
    )
    if rec.spec.hook:  # a quirk the spec's data cannot say, declared by the platform
        from socialmetrics.platforms import registry

        registry.get(rec.platform).table_hooks[rec.spec.hook](table)
    _drop_bad_keys(table, key_failed)
    _check_period(table, context)
    _deduplicate(table)
    _set_period(table)
    return table


def _whole_dates(
    frame: pl.DataFrame, wanted: list[tuple[ColumnMatch, str]], context: FileContext
) -> tuple[pl.DataFrame, list[str]]:
    """Yearless days (parsed as month * 100 + day) -> dates: the file's own sequence first,
    anchored on the file, then the columns that fall before another column of their row."""
    columns = [
        m.spec_column
        for m, _ in wanted
        if m.spec_column is not None and m.spec_column.type == "date_yearless"
    ]
    if not columns:
        return frame, []
    latest, rule = yearless.anchor(context)
    notes: list[str] = []
    dates: dict[str, list[dt.date | None]] = {}
    for col in sorted(columns, key=lambda c: bool(c.relative_to)):
        days = [None if v is None else (v // 100, v % 100) for v in frame[col.canonical]]
        if col.relative_to:
            reference = dates.get(col.relative_to) or [None] * len(days)
            dates[col.canonical] = [
                yearless.on_or_before(d, r) for d, r in zip(days, reference, strict=True)
            ]
        else:
            dates[col.canonical] = yearless.assign_years(days, latest)
            notes.append(f"{col.canonical}: exported without a year; years from {rule}")
    return frame.with_columns(
        pl.Series(name, values, dtype=pl.Date) for name, values in dates.items()
    ), notes


def _to_local_time(
    frame: pl.DataFrame, wanted: list[tuple[ColumnMatch, str]], timezone: str | None
) -> pl.DataFrame:
    """UTC exports (X classic `time`) -> the client's wall-clock time, so that the day and the
    best hour to post mean the same on every platform."""
    if not timezone:
        return frame
    utc = [
        m.canonical
        for m, _ in wanted
        if m.spec_column is not None and m.spec_column.timezone == "UTC" and m.canonical
    ]
    return frame.with_columns(
        pl.col(c)
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(timezone)
        .dt.replace_time_zone(None)
        for c in utc
    )


def _drop_bad_keys(table: CanonicalTable, key_failed: pl.Series) -> None:
    frame = table.frame
    (key,) = GRAINS[table.kind].file_key
    missing_key = frame[key].is_null() if key in frame.columns else pl.Series([True] * frame.height)
    for i in (missing_key & ~key_failed).arg_true().to_list():
        table.problems.append(
            Problem(
                row=int(frame["source_row"][i]),
                column=key,
                raw="",
                reason=f"row not loaded: no {key}",
                sheet=table.sheet,
            )
        )
    table.frame = frame.filter(~(missing_key | key_failed))


def _check_period(table: CanonicalTable, context: FileContext) -> None:
    """Rows dated outside the period the platform wrote in the file name are quarantined."""
    period = period_from_name(context.path)
    if period is None or table.kind != "account_daily":
        return
    start, end = period[0] - dt.timedelta(days=1), period[1] + dt.timedelta(days=1)
    frame = table.frame
    outside = (frame["date"] < start) | (frame["date"] > end)
    for i in outside.arg_true().to_list():
        table.problems.append(
            Problem(
                row=int(frame["source_row"][i]),
                column="date",
                raw=str(frame["date"][i]),
                reason=f"row not loaded: date outside the file's period {period[0]} to {period[1]}",
                sheet=table.sheet,
            )
        )
    table.frame = frame.filter(~outside)


def _deduplicate(table: CanonicalTable) -> None:
    """Same day or post twice in one file (pasted exports): identical copies are dropped,
    conflicting ones quarantined; the first occurrence is kept."""
    (key,) = GRAINS[table.kind].file_key
    frame = table.frame
    if frame.is_empty():
        return
    value_cols = [c for c in frame.columns if c not in ("source_row", "extra")]
    first_seen = frame.select(pl.col(key).is_first_distinct()).to_series()
    identical_earlier = frame.select(pl.struct(value_cols).is_first_distinct().not_()).to_series()
    conflicting = ~first_seen & ~identical_earlier
    first_rows = dict(
        frame.filter(first_seen).select(pl.col(key).cast(pl.String), "source_row").iter_rows()
    )
    for i in conflicting.arg_true().to_list():
        k = frame[key][i]
        table.problems.append(
            Problem(
                row=int(frame["source_row"][i]),
                column=key,
                raw=str(k),
                reason=f"duplicate {key}: row {first_rows.get(str(k))} has it with other values "
                "and is kept",
                sheet=table.sheet,
            )
        )
    table.duplicates = int((~first_seen).sum())
    table.frame = frame.filter(first_seen)


def _set_period(table: CanonicalTable) -> None:
    column = GRAINS[table.kind].period_column
    if column not in table.frame.columns or table.frame.is_empty():
        return
    values = table.frame[column].drop_nulls()
    if values.is_empty():
        return
    if values.dtype == pl.Datetime:
        values = values.dt.date()
    lo, hi = values.min(), values.max()
    assert isinstance(lo, dt.date) and isinstance(hi, dt.date)
    table.period_start, table.period_end = lo, hi
