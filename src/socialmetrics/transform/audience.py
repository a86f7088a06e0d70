"""Audience breakdowns (Meta's blocks, LinkedIn's demographic sheets) -> canonical rows.

Each block's shape (age x gender matrix, a wide row of labels and values, a long list, a single
total) becomes rows of (segment, gender, value), dated by the period in the file or folder name,
else a `YYYY-MM` folder, else the file's modification day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl

from socialmetrics.extract.recognise import Recognition
from socialmetrics.model.grains import GRAINS
from socialmetrics.specs.registry import normalise_header
from socialmetrics.transform import parse
from socialmetrics.transform.canonical import (
    CanonicalTable,
    FileContext,
    Problem,
    month_from_path,
    period_from_name,
)

EXPORT_DAY = re.compile(r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)(?!\d)")
"""One ISO day in a file name (LinkedIn creator `Content_2026-03-17.xlsx`): the export's day."""


def _day_in_name(name: str) -> dt.date | None:
    found = EXPORT_DAY.findall(name)
    if len(found) != 1:
        return None
    try:
        return dt.date(*(int(p) for p in found[0]))
    except ValueError:
        return None


def audience_date(context: FileContext) -> tuple[dt.date, str]:
    """The day an audience snapshot describes: the period end in the name, the one day in the
    file's name, a YYYY-MM folder, else the file's modification day."""
    period = period_from_name(context.path)
    if period:
        return period[1], "period in the file or folder name"
    day = _day_in_name(context.path.name)
    if day:
        return day, "day in the file name"
    month_end = month_from_path(context.path)
    if month_end:
        return month_end, "month folder"
    if context.modified:
        return context.modified.date(), "file modification date"
    return dt.date.today(), "today (no date found)"


def _gender(spec_genders: dict[str, tuple[str, ...]], header: str) -> str | None:
    norm = normalise_header(header)
    for gender, names in spec_genders.items():
        if norm in names:
            return gender
    return None


@dataclass(frozen=True)
class AudienceBlock:
    """A block's cells as (segment, gender, raw value, row), and how its values read."""

    records: list[tuple[str, str | None, str, int]]
    audience: str
    dimension: str
    is_count: bool
    flags: parse.NumberFlags

    @property
    def raw_values(self) -> pl.DataFrame:
        return pl.DataFrame({"value": [r[2] for r in self.records]}, schema={"value": pl.String})


def audience_block(rec: Recognition) -> AudienceBlock:
    """The cells of a recognised audience block, whatever its shape."""
    assert rec.spec is not None and rec.dimension is not None
    rows = rec.table.rows
    numbers = rec.table.row_numbers
    dim = rec.dimension
    audience = dim.audience
    records: list[tuple[str, str | None, str, int]] = []  # segment, gender, raw value, row
    if rec.shape == "matrix":
        genders = [_gender(rec.spec.gender_headers, h) for h in rows[0]]
        for row, number in zip(rows[1:], numbers[1:], strict=True):
            for j in range(1, len(row)):
                records.append((row[0], genders[j] if j < len(genders) else None, row[j], number))
    elif rec.shape == "wide":
        records = [
            (label, None, value, numbers[1])
            for label, value in zip(rows[0], rows[1], strict=True)
            if label.strip()
        ]
    elif rec.shape == "single":
        records = [("all", None, rows[1][0], numbers[1])]
    else:  # long: header then (segment, value) rows
        value_col = rec.columns[1].canonical if rec.columns else None
        if value_col == "page_views":
            audience = "visitors"
        records = [
            (r[0], None, r[1] if len(r) > 1 else "", n)
            for r, n in zip(rows[1:], numbers[1:], strict=True)
        ]
    dimension = dim.name
    is_count = (
        rec.shape == "single" or rec.spec.style == "breakdown" or dim.name == "content_format"
    )
    if dim.name == "total":
        dimension, is_count = "total", True
    # Shares without a % sign are still percentages (Meta's 2025 files: 5.1 means 5.1 %),
    # unless the value column says it is a 0-1 fraction (TikTok's `Distribution`).
    percent_unit = not is_count
    value_spec = rec.columns[1].spec_column if len(rec.columns) > 1 else None
    if value_spec is not None and value_spec.type == "rate":
        is_count, percent_unit = False, value_spec.unit == "percent"
    flags = parse.NumberFlags(rate=not is_count, percent_unit=percent_unit, count=is_count)
    return AudienceBlock(records, audience, dimension, is_count, flags)


def normalise_audience(
    rec: Recognition, context: FileContext, typed: pl.DataFrame
) -> CanonicalTable:
    """One row per segment (and gender) of the block (`typed`: its values, parsed with other
    tables' numbers by `normalise.prepare_tables`)."""
    assert rec.spec is not None and rec.platform is not None and rec.dimension is not None
    block = audience_block(rec)
    records, audience, dimension, is_count = (
        block.records,
        block.audience,
        block.dimension,
        block.is_count,
    )
    values, failed = typed["value"], typed["value" + parse.FAILED]
    as_of, rule = audience_date(context)
    frame = pl.DataFrame(
        {
            "as_of_date": [as_of] * len(records),
            "audience": [audience] * len(records),
            "dimension": [dimension] * len(records),
            "segment": [r[0].strip() for r in records],
            "gender": [r[1] for r in records],
            "metric": [None] * len(records),
            "value": values,
            "unit": ["count" if is_count else "share"] * len(records),
            "extra": [None] * len(records),
            "source_row": [r[3] for r in records],
        },
        schema_overrides={
            "gender": pl.String,
            "metric": pl.String,
            "extra": pl.String,
            "as_of_date": pl.Date,
        },
    )
    problems = [
        Problem(
            row=records[i][3],
            column=records[i][0],
            raw=records[i][2],
            reason="row not loaded: not a number or percentage",
            sheet=rec.table.label,
        )
        for i in failed.arg_true().to_list()
    ]
    frame = frame.filter(~failed)
    table = CanonicalTable(
        recognition=rec,
        kind="audience",
        platform=rec.platform,
        frame=frame,
        problems=problems,
        rows_read=len(records),
        period_start=as_of,
        period_end=as_of,
        notes=[f"audience dated {as_of} from the {rule}"],
    )
    key = list(GRAINS["audience"].file_key)
    dups = frame.select(key).is_duplicated()
    if dups.any():
        table.duplicates = int(dups.sum()) // 2
        table.frame = frame.unique(key, keep="first")
    return table
