"""Turn a recognised raw table into a typed canonical table plus its quarantined problems.

After this step only canonical names exist. Values are parsed column at a time (see `parse`);
a cell that cannot be parsed becomes NULL and a quarantine entry, a row whose key (day, post id)
cannot be parsed is quarantined whole, and columns the spec does not know travel in `extra`.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from socialmetrics.extract.recognise import ColumnMatch, Recognition
from socialmetrics.model.grains import GRAINS
from socialmetrics.transform import parse
from socialmetrics.transform.audience import audience_block, normalise_audience
from socialmetrics.transform.audience_table import normalise_audience_table
from socialmetrics.transform.audience_wide import normalise_audience_wide
from socialmetrics.transform.canonical import (
    CanonicalTable,
    FileContext,
    Problem,
    period_from_name,
    run_hook,
)
from socialmetrics.transform.columns import (
    REASONS,
    Prepared,
    currency_of,
    extra_json,
    keep_currency,
    number_columns,
    parse_columns,
    raw_of,
    typed_columns,
    whole_dates,
)


def normalise_table(
    rec: Recognition, context: FileContext, prepared: Prepared | None = None
) -> CanonicalTable:
    """Parse and rename one recognised table into canonical columns (`prepared`: its raw
    frame and numbers, from `prepare_tables`, else made here)."""
    assert rec.spec is not None and rec.platform is not None
    prepared = prepared or prepare_tables([rec])[0]
    summaries = _summaries(rec)
    if summaries is None:
        return normalise_audience(rec, context, prepared.numbers)
    if rec.spec.kind == "audience" and rec.shape == "table":
        if rec.spec.segments_in_columns:
            return normalise_audience_wide(rec, context, prepared)
        return normalise_audience_table(rec, context, prepared)
    return _normalise_tabular(rec, context, prepared)


def _summaries(rec: Recognition) -> bool | None:
    """Whether the table's normaliser reads its raw frame with the export's total rows set
    aside (True) or kept (False: wide audience tables); None: an audience block, read cell by
    cell (`audience_block`)."""
    assert rec.spec is not None
    if rec.spec.kind == "audience" and rec.shape == "table":
        return not rec.spec.segments_in_columns
    return True if rec.shape in ("table", "chart") else None


def prepare_tables(recs: list[Recognition]) -> list[Prepared]:
    """The raw frames and parsed numbers of many recognised tables, made together: one query
    for all their numbers, however many tables and files."""
    raws: list[tuple[pl.DataFrame, list[str], dict[str, parse.NumberFlags], dict[str, str]]] = []
    for rec in recs:  # (raw frame, notes, its numeric columns, its other typed columns)
        summaries = _summaries(rec)
        if summaries is None:
            block = audience_block(rec)
            raws.append((block.raw_values, [], {"value": block.flags}, {}))
        else:
            raws.append((*raw_of(rec, summaries), number_columns(rec), typed_columns(rec)))
    numbers = parse.numbers_of(
        [(raw, columns, rec.language) for rec, (raw, _, columns, _) in zip(recs, raws, strict=True)]
    )
    cells = parse.cells_of([(raw, typed) for raw, _, _, typed in raws])
    return [
        Prepared(raw, notes, numbers_, cells_)
        for (raw, notes, _, _), numbers_, cells_ in zip(raws, numbers, cells, strict=True)
    ]


def _normalise_tabular(
    rec: Recognition, context: FileContext, prepared: Prepared
) -> CanonicalTable:
    assert rec.spec is not None and rec.platform is not None
    kind = rec.spec.kind
    raw, summary_notes = prepared.raw, list(prepared.notes)
    sheet = rec.table.label
    problems: list[Problem] = []
    (key,) = GRAINS[kind].file_key
    parsed, wanted, unknown = parse_columns(rec, prepared)
    key_failed = pl.Series([False] * raw.height, dtype=pl.Boolean)
    out: dict[str, pl.Series] = {"source_row": parsed["source_row"]}
    for match, name in wanted:
        canonical = match.canonical
        assert canonical is not None
        out[canonical] = parsed[canonical]
        failed = parsed[f"{canonical}{parse.FAILED}"]
        if not failed.any():
            continue
        col_type = match.spec_column.type if match.spec_column else "number"
        reason = REASONS.get(col_type, "could not be parsed")
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
    frame, notes = whole_dates(frame, wanted, context)
    notes = summary_notes + notes
    if raw.height == 0:  # X writes a header alone for a month without posts
        notes.append("no data rows: nothing to load for this export's period")
    currency = currency_of(rec)
    if currency and kind == "posts":  # posts have a column for it
        frame = frame.with_columns(pl.lit(currency).alias("revenue_currency"))
    else:
        raw, unknown = keep_currency(rec, raw, unknown)
    frame = frame.with_columns(extra_json(raw, unknown), key_failed.alias(KEY_FAILED))
    table = CanonicalTable(
        recognition=rec,
        kind=kind,
        platform=rec.platform,
        frame=frame,
        problems=problems,
        rows_read=raw.height,
        notes=notes,
        context=context,
    )
    run_hook(table)
    _drop_bad_keys(table)
    _check_period(table, context)
    _deduplicate(table)
    _set_period(table)
    return table


def _to_local_time(
    frame: pl.DataFrame, wanted: list[tuple[ColumnMatch, str]], timezone: str | None
) -> pl.DataFrame:
    """UTC exports (X classic `time`) -> the client's wall-clock time, so that the day and the
    best hour to post mean the same on every platform."""
    utc = [
        m.canonical
        for m, _ in wanted
        if m.spec_column is not None and m.spec_column.timezone == "UTC" and m.canonical
    ]
    if not timezone or not utc:  # every eager Polars call costs a query: skip the no-ops
        return frame
    return frame.with_columns(
        pl.col(c)
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(timezone)
        .dt.replace_time_zone(None)
        for c in utc
    )


KEY_FAILED = "__key_failed"
"""Rides along in the frame until the bad keys are dropped, so a hook may drop rows."""


def _drop_bad_keys(table: CanonicalTable) -> None:
    key_failed = table.frame[KEY_FAILED].fill_null(False)  # rows a hook added
    frame = table.frame.drop(KEY_FAILED)
    (key,) = GRAINS[table.kind].file_key
    missing_key = (
        frame[key].is_null()
        if key in frame.columns
        else pl.Series([True] * frame.height, dtype=pl.Boolean)
    )
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
    dropped = missing_key | key_failed
    table.frame = frame.filter(~dropped) if dropped.any() else frame


def _check_period(table: CanonicalTable, context: FileContext) -> None:
    """Rows dated outside the period the platform wrote in the file name are quarantined."""
    period = period_from_name(context.path)
    if period is None or table.kind != "account_daily":
        return
    start, end = period[0] - dt.timedelta(days=1), period[1] + dt.timedelta(days=1)
    frame = table.frame
    outside = (frame["date"] < start) | (frame["date"] > end)
    if not outside.any():
        return
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
    if frame.is_empty() or not frame[key].is_duplicated().any():
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
