"""Turn a recognised raw table into a typed canonical table plus its quarantined problems.

After this step only canonical names exist. Values are parsed column at a time (see `parse`);
a cell that cannot be parsed becomes NULL and a quarantine entry, a row whose key (day, post id)
cannot be parsed is quarantined whole, and columns the spec does not know travel in `extra`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import polars as pl

from socialmetrics.extract.recognise import ColumnMatch, Recognition
from socialmetrics.model.grains import GRAINS, Grain
from socialmetrics.specs.registry import normalise_header
from socialmetrics.transform import parse

TEXT_TYPES = {"text", "url", "category"}


@dataclass
class Problem:
    """A recoverable oddity in one row: goes to quarantine with where it was and why."""

    row: int | None
    column: str | None
    raw: str | None
    reason: str
    sheet: str | None = None

    def describe(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        value = f": {self.raw!r}" if self.raw is not None else ""
        return f"{', '.join(where)}{value}: {self.reason}"


@dataclass
class CanonicalTable:
    """A table in canonical names, ready for enrichment and loading."""

    recognition: Recognition
    kind: Grain
    platform: str
    frame: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    duplicates: int = 0
    superseded: int = 0
    changes: list[Any] = field(default_factory=list)
    """Layout changes against the reference layout (see validate.drift.compare)."""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def sheet(self) -> str | None:
        return self.recognition.table.label


@dataclass(frozen=True)
class FileContext:
    """What is known about the file besides its contents (for periods and audience dates)."""

    path: PurePath
    modified: dt.datetime | None = None
    timezone: str | None = None
    """The client's time zone: times a platform exports in UTC are shown in it."""


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_NAME_PERIODS = (
    # Meta: Mar-18-2025_Apr-14-2025
    (r"([A-Za-z]{3})-(\d{1,2})-(\d{4})[_ ]+([A-Za-z]{3})-(\d{1,2})-(\d{4})", "mdy_names"),
    # X classic: _20210301_20210401_
    (r"(?<!\d)(\d{4})(\d{2})(\d{2})_(\d{4})(\d{2})(\d{2})(?!\d)", "ymd"),
    # X new: 2024-11-21_2025-02-19
    (r"(\d{4})-(\d{2})-(\d{2})_(\d{4})-(\d{2})-(\d{2})", "ymd"),
    # Meta PT/ES folders: 14_09_24_a_14_09_25
    (r"(?<!\d)(\d{2})_(\d{2})_(\d{2})_a_(\d{2})_(\d{2})_(\d{2})(?!\d)", "dmy2"),
)


def period_from_name(path: PurePath) -> tuple[dt.date, dt.date] | None:
    """The period a platform wrote into the file or folder name, if any (never used to decide
    what a file is; only to check rows against it and to date audience snapshots)."""
    for part in [path.name, *(p.name for p in path.parents)][:3]:
        for pattern, style in _NAME_PERIODS:
            m = re.search(pattern, part)
            if not m:
                continue
            g = m.groups()
            try:
                if style == "mdy_names":
                    a = dt.date(int(g[2]), _MONTHS[g[0].lower()], int(g[1]))
                    b = dt.date(int(g[5]), _MONTHS[g[3].lower()], int(g[4]))
                elif style == "ymd":
                    a = dt.date(int(g[0]), int(g[1]), int(g[2]))
                    b = dt.date(int(g[3]), int(g[4]), int(g[5]))
                else:
                    a = dt.date(2000 + int(g[2]), int(g[1]), int(g[0]))
                    b = dt.date(2000 + int(g[5]), int(g[4]), int(g[3]))
            except (KeyError, ValueError):
                continue
            if a <= b:
                return a, b
    return None


def month_from_path(path: PurePath) -> dt.date | None:
    """Last day of a `YYYY-MM` month named by a folder or the file name (e.g. `2026-10/`)."""
    for part in [path.name, *(p.name for p in path.parents)][:4]:
        m = re.search(r"(?<!\d)(20\d{2})-(0[1-9]|1[0-2])(?!\d)", part)
        if m and not re.search(r"\d{4}-\d{2}-\d{2}", part):
            year, month = int(m.group(1)), int(m.group(2))
            return dt.date(year, month, calendar.monthrange(year, month)[1])
    return None


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
    return parse.text(name)


_REASONS = {
    "count": "not a whole, non-negative number",
    "rate": "not a number or percentage",
    "number": "not a number",
    "timestamp": "not a date/time in any known export format",
    "date": "not a date in any known export format",
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
    if rec.shape in ("table", "chart"):
        return _normalise_tabular(rec, context)
    return _normalise_audience(rec, context)


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
    )
    if rec.spec.hook:  # a quirk the spec's data cannot say, declared by the platform
        from socialmetrics.platforms import registry

        registry.get(rec.platform).table_hooks[rec.spec.hook](table)
    _drop_bad_keys(table, key_failed)
    _check_period(table, context)
    _deduplicate(table)
    _set_period(table)
    return table


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


# --------------------------------------------------------------------------------------------
# audience


def audience_date(context: FileContext) -> tuple[dt.date, str]:
    """The day an audience snapshot describes: the period end in the name, a YYYY-MM folder,
    else the file's modification day."""
    period = period_from_name(context.path)
    if period:
        return period[1], "period in the file or folder name"
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


def _normalise_audience(rec: Recognition, context: FileContext) -> CanonicalTable:
    assert rec.spec is not None and rec.platform is not None and rec.dimension is not None
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
    raw_values = pl.DataFrame({"value": [r[2] for r in records]}, schema={"value": pl.String})
    comma = "value" in parse.decimal_comma_columns(raw_values, ["value"], rec.language)
    # Shares without a % sign are still percentages (2025 files): 5.1 means 5.1 %.
    parser = parse.number(
        "value", decimal_comma=comma, rate=not is_count, percent_unit=not is_count, count=is_count
    )
    result = raw_values.select(parser.value.alias("v"), parser.failed.alias("f"))
    values, failed = result["v"], result["f"]
    as_of, rule = audience_date(context)
    frame = pl.DataFrame(
        {
            "as_of_date": [as_of] * len(records),
            "audience": [audience] * len(records),
            "dimension": [dimension] * len(records),
            "segment": [r[0].strip() for r in records],
            "gender": [r[1] for r in records],
            "value": values,
            "unit": ["count" if is_count else "share"] * len(records),
            "source_row": [r[3] for r in records],
        },
        schema_overrides={"gender": pl.String, "as_of_date": pl.Date},
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
