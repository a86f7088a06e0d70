"""Parse the columns of a recognised table in one pass: the raw text frame, typed canonical
columns with their failure flags, unknown columns as JSON, yearless days made whole, and the
export's own total rows set aside. Shared by every normaliser (tables, charts, audience tables).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass

import polars as pl

from socialmetrics.extract.recognise import ColumnMatch, Recognition
from socialmetrics.transform import parse, yearless
from socialmetrics.transform.canonical import FileContext

SUMMARY_KEYS = ("post_id", "date", "published_at", "segment", "as_of_date")
"""Columns whose value names a row: where an export writes its `Total` label (YouTube)."""
SUMMARY_MARKERS = ("lifetime_marker",)
"""Columns that carry a label on every row (Meta's `Date` reads `Lifetime`, in Spanish
`Total`): a labelled row is the total only when it names nothing else (no id, text or date)."""
DESCRIPTIVE = ("id", "text", "url", "timestamp", "date", "date_yearless")


def drop_summary_rows(rec: Recognition, raw: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Set aside the export's own total rows (YouTube's `Total`, Meta's `Total` row): kept as
    a check value in the notes, never loaded as a post, day or segment."""
    assert rec.spec is not None
    labels = list(rec.spec.summary_rows)

    def labelled(m: ColumnMatch) -> pl.Expr:
        return pl.col(f"c{m.index}").str.strip_chars().str.to_lowercase().is_in(labels)

    keys = [labelled(m) for m in rec.columns if m.canonical in SUMMARY_KEYS]
    markers = [m for m in rec.columns if m.canonical in SUMMARY_MARKERS]
    if markers:
        describing = [
            pl.col(f"c{m.index}").str.strip_chars() == ""
            for m in rec.columns
            if m.spec_column is not None
            and m.spec_column.type in DESCRIPTIVE
            and m.canonical not in SUMMARY_MARKERS
        ]
        keys += [labelled(m) & pl.all_horizontal(describing or [pl.lit(True)]) for m in markers]
    if not labels or not keys:
        return raw, []
    label = pl.any_horizontal(keys)
    summary = raw.filter(label)
    notes = []
    for row in summary.iter_rows(named=True):
        values = [
            f"{visible(m.header)} {row[f'c{m.index}'].strip()}"
            for m in rec.columns
            if m.canonical not in (None, *SUMMARY_KEYS, *SUMMARY_MARKERS)
            and row[f"c{m.index}"].strip()
        ]
        shown = ", ".join(values[:4]) + (", ..." if len(values) > 4 else "")
        notes.append(
            f"row {row['source_row']}: the export's total, a check value and not data "
            f"({shown or 'no values'})"
        )
    return raw.filter(~label), notes


def visible(header: str) -> str:
    """A header as a person reads it: without the invisible soft hyphens and BOMs."""
    return "".join(ch for ch in header if unicodedata.category(ch) != "Cf").strip()


def currency_of(rec: Recognition) -> str | None:
    """The currency the table's money header names (`Estimated revenue (USD)`), if any."""
    return next((m.currency for m in rec.columns if m.currency), None)


def keep_currency(
    rec: Recognition, raw: pl.DataFrame, kept: dict[str, str]
) -> tuple[pl.DataFrame, dict[str, str]]:
    """Rows without a currency column (daily and audience rows) carry the money header's
    currency in `extra` as `currency`; `kept` maps extra names to raw columns."""
    currency = currency_of(rec)
    if currency is None:
        return raw, kept
    return raw.with_columns(pl.lit(currency).alias("__currency")), {
        **kept,
        "currency": "__currency",
    }


def raw_frame(rec: Recognition) -> pl.DataFrame:
    rows = rec.data_rows
    width = max([len(rec.table.rows[rec.header_row]), *(len(r) for r in rows)], default=0)
    columns: dict[str, list[str]] = {f"c{i}": [] for i in range(width)}
    for row in rows:
        padded = row + [""] * (width - len(row))
        for i, cell in enumerate(padded):
            columns[f"c{i}"].append(cell)
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    return frame.with_columns(pl.Series("source_row", rec.data_row_numbers, dtype=pl.Int64))


def _number_flags(match: ColumnMatch) -> parse.NumberFlags:
    col = match.spec_column
    if col is None:  # a chart's value column: the title says which metric it is
        return parse.NumberFlags(rate=True)
    return parse.NumberFlags(
        dash_zero=col.dash == "zero",
        rate=col.type == "rate",
        percent_unit=col.unit == "percent",
        count=col.type == "count",
    )


REASONS = {
    "count": "not a whole, non-negative number",
    "rate": "not a number or percentage",
    "number": "not a number",
    "timestamp": "not a date/time in any known export format",
    "date": "not a date in any known export format",
    "date_yearless": "not a day and month in any language known",
    "duration": "not a duration (H:MM:SS)",
    "id": "id in scientific notation: digits were lost (export again without opening in Excel)",
}


def extra_json(frame: pl.DataFrame, columns: dict[str, str]) -> pl.Series:
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


@dataclass(frozen=True)
class Prepared:
    """A recognised table's raw text frame (the export's own total rows set aside, `notes`
    saying so; for an audience block, its cells' raw values) and its numbers parsed. Made for
    many tables at once (`normalise.prepare_tables`): their numbers are one query, not one
    per table."""

    raw: pl.DataFrame
    notes: list[str]
    numbers: pl.DataFrame
    cells: pl.DataFrame
    """The mapped columns that are not numbers, parsed (`parse.cells_of`)."""


def raw_of(rec: Recognition, summaries: bool) -> tuple[pl.DataFrame, list[str]]:
    """The table's raw text frame, its total rows set aside (`summaries`), with the notes."""
    raw = raw_frame(rec)
    return drop_summary_rows(rec, raw) if summaries else (raw, [])


def number_columns(rec: Recognition) -> dict[str, parse.NumberFlags]:
    """The raw columns `parse_columns` reads as numbers, with how each is read."""
    return {name: _number_flags(m) for m, name in _numeric(_wanted(rec))}


def typed_columns(rec: Recognition) -> dict[str, str]:
    """The other raw columns `parse_columns` reads, with their spec type (`parse.PARSERS`)."""
    numeric = {name for _, name in _numeric(_wanted(rec))}
    return {
        name: m.spec_column.type
        for m, name in _wanted(rec)
        if name not in numeric and m.spec_column is not None
    }


def _wanted(rec: Recognition) -> list[tuple[ColumnMatch, str]]:
    """The mapped columns to parse, as (match, raw column) pairs."""
    return [
        (match, f"c{match.index}")
        for match in rec.columns
        if match.canonical is not None
        and not (match.spec_column is not None and match.spec_column.type == "ignore")
    ]


def _numeric(wanted: list[tuple[ColumnMatch, str]]) -> list[tuple[ColumnMatch, str]]:
    return [
        (m, name)
        for m, name in wanted
        if m.spec_column is None or m.spec_column.type in ("count", "rate", "number")
    ]


def parse_columns(
    rec: Recognition, prepared: Prepared
) -> tuple[pl.DataFrame, list[tuple[ColumnMatch, str]], dict[str, str]]:
    """Parse every mapped column in as few Polars passes as possible (the numbers were parsed
    by `prepare`, with other tables' at best).

    Returns the parsed frame (`canonical` and `canonical\0failed` columns), the mapped columns
    as (match, raw column) pairs, and the unknown columns as {label: raw column}.
    """
    raw = prepared.raw
    unknown: dict[str, str] = {}
    for match in rec.columns:
        name = f"c{match.index}"
        if match.canonical is None and (
            match.header.strip() or raw[name].str.strip_chars().ne("").any()
        ):
            label = match.header.strip() or f"column {match.index + 1}"
            if label in unknown or match.duplicate:
                label = f"{label} (column {match.index + 1})"
            unknown[label] = name
    wanted = _wanted(rec)
    numeric = _numeric(wanted)
    numeric_names = {name for _, name in numeric}
    others = [(m, name) for m, name in wanted if name not in numeric_names]
    cells = prepared.cells
    assert cells is not None or not others
    parsed = pl.DataFrame(
        [
            raw["source_row"],
            *[cells[name].alias(str(m.canonical)) for m, name in others],
            *[
                cells[name + parse.FAILED].alias(f"{m.canonical}{parse.FAILED}")
                for m, name in others
            ],
        ]
    )
    if numeric:
        typed = prepared.numbers
        names = {str(m.canonical): name for m, name in numeric}
        parsed = parsed.with_columns(
            *[typed[name].alias(c) for c, name in names.items()],
            *[typed[name + parse.FAILED].alias(f"{c}{parse.FAILED}") for c, name in names.items()],
        )
    return parsed, wanted, unknown


def whole_dates(
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
