"""Parse exported text into typed values, as Polars expressions, and say which cells failed.

Each parser returns a pair of expressions: the typed value and a boolean "held something but
could not be parsed" flag, which becomes a quarantine entry; numbers, the most of any table,
are parsed all columns at once by `numbers`. Missing is `""`, `-`, `N/A`, `NA`; a `-` in a
paid/promoted column means zero (spec: `dash = "zero"`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

MISSING_TOKENS = [
    *("", "-", "–", "—", "N/A", "n/a", "NA", "na", "null", "NULL", "None", "nan", "NaN"),
    *("undefined",),  # TikTok writes it for a day it has no figure for
]
DASHES = ["-", "–", "—"]
DATE_FORMATS = (
    *("%Y-%m-%d", "%m/%d/%Y", "%a, %b %d, %Y", "%a %b %d %Y", "%d.%m.%Y"),
    *("%b %d, %Y", "%B %d, %Y"),  # YouTube's `Video publish time`, English in every language
    "%d-%m-%Y",  # YouTube CSVs re-saved by a European Excel
)
DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%m/%d/%Y %I:%M:%S %p",  # legacy Facebook Insights `Posted`
    "%m/%d/%Y %I:%M %p",
)
TZ_FORMATS = ("%Y-%m-%d %H:%M %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S %z")

_DECIMAL_COMMA = (
    r"^[+-]?(\d+,\d{1,2}|\d+,\d{4,}|0,\d+|[1-9]\d{0,2}(\.\d{3})+,\d+|[1-9]\d{0,2}(\.\d{3}){2,})%?$"
)
_DECIMAL_DOT = (
    r"^[+-]?(\d*\.\d{1,2}|\d*\.\d{4,}|0\.\d+|\d{1,3}(,\d{3})+\.\d+|\d{1,3}(,\d{3}){2,})%?$"
)
_AMBIGUOUS = r"^[+-]?[1-9]\d{0,2}[.,]\d{3}%?$"
COMMA_LANGUAGES = {"es", "pt", "it", "fr", "de"}


@dataclass(frozen=True)
class Parser:
    """A column's typed value and its failure flag, as expressions.

    `failed` None is the common rule: a cell fails when it held something and parsed to
    nothing. It is then computed from the value's column in a later stage of the query
    (`failed_given`), rather than repeating the whole value expression inside it.
    """

    value: pl.Expr
    failed: pl.Expr | None = None

    def failed_given(self, name: str, value: pl.Expr) -> pl.Expr:
        """The failure flag of raw column `name`, `value` being its parsed column."""
        if self.failed is not None:
            return self.failed
        return (~_missing(name) & value.is_null()).fill_null(False)


def _text(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String).str.strip_chars()


def _missing(name: str) -> pl.Expr:
    text = _text(name)
    return text.is_null() | text.is_in(MISSING_TOKENS)


_CELL_SPACES = r"[\s\u00a0\u202f']"
_FLAGS = ("decimal_comma", "dash_zero", "rate", "percent_unit", "count")
_BY_EVIDENCE, _BY_LANGUAGE = 1 << len(_FLAGS), 1 << (len(_FLAGS) + 1)
"""Two more bits per column: its decimal mark is decided from its values (its file's language
is known), and that language writes a decimal comma (the tie-breaker for `1.234`-like values)."""


@dataclass(frozen=True)
class NumberFlags:
    """How one numeric column is read (see `numbers`)."""

    decimal_comma: bool = False
    dash_zero: bool = False
    rate: bool = False
    percent_unit: bool = False
    count: bool = False

    def code(self, language: str | None = None) -> int:
        """The flags as bits (bit i: `_FLAGS[i]`), with how the decimal mark is decided for a
        file in `language`: one small integer travels beside each cell."""
        bits = sum(1 << i for i, field in enumerate(_FLAGS) if getattr(self, field))
        if language is not None:
            bits |= _BY_EVIDENCE | (_BY_LANGUAGE if language in COMMA_LANGUAGES else 0)
        return bits


FAILED = "\0failed"


def _flag(field: str) -> pl.Expr:
    """A cell's flag, from its column's bits."""
    return _bit(1 << _FLAGS.index(field))


def _bit(bit: int) -> pl.Expr:
    return (pl.col("__flags") & bit) != 0


NumberColumns = tuple[pl.DataFrame, dict[str, NumberFlags], str | None]
"""A table's numeric columns to parse: the frame, its columns' flags, the file's language."""


def _stacked(tables: list[NumberColumns]) -> pl.LazyFrame:
    """Every column of every table one under the other as `__text` (stripped text), each cell
    with its column's number (`__column`) and flag bits (`__flags`): a cell's column travels as
    data, so one query parses them all, whatever their number, tables and flags."""
    values, codes, heights = [], [], []
    for frame, columns, language in tables:
        for name, flags in columns.items():
            values.append(frame[name].cast(pl.String))
            codes.append(flags.code(language))
            heights.append(frame.height)
    column = pl.Series("__column", range(len(heights)), dtype=pl.UInt32)
    return (
        pl.DataFrame(
            [
                pl.concat(values, rechunk=True).str.strip_chars().alias("__text"),
                column.gather(column.repeat_by(pl.Series(heights, dtype=pl.UInt32)).explode()),
            ]
        )
        .lazy()
        .with_columns(
            pl.lit(pl.Series(codes, dtype=pl.UInt8)).gather(pl.col("__column")).alias("__flags")
        )
    )


def _with_decimal_commas(stacked: pl.LazyFrame) -> pl.LazyFrame:
    """Each cell's column's decimal mark, where its file's language is known decided from the
    column's values (see `decimal_comma_columns`) in place of the flag it was given."""
    body = pl.col("__text").str.replace_all(_CELL_SPACES, "").alias("__body")
    patterns = {"__comma": _DECIMAL_COMMA, "__dot": _DECIMAL_DOT, "__ambiguous": _AMBIGUOUS}
    stacked = stacked.with_columns(body).with_columns(  # each pattern once, over every cell
        pl.col("__body").str.contains(pattern).fill_null(False).alias(name)
        for name, pattern in patterns.items()
    )
    comma, dot, ambiguous = (pl.col(name).any().over("__column") for name in patterns)
    decided = (comma & ~dot) | (~comma & ~dot & ambiguous & _bit(_BY_LANGUAGE))
    bit = 1 << _FLAGS.index("decimal_comma")
    return stacked.with_columns(
        pl.when(~_bit(_BY_EVIDENCE))
        .then(pl.col("__flags"))
        .when(decided)
        .then(pl.col("__flags") | bit)
        .otherwise(pl.col("__flags") & (0xFF ^ bit))
        .cast(pl.UInt8)
        .alias("__flags")
    ).drop("__body", *patterns)


def _parse_stacked(stacked: pl.LazyFrame) -> pl.DataFrame:
    """The number rule, written once: `__text` and its flags -> `value` and `failed`.

    Written as stages of one lazy query: each stage names its result so the next refers to a
    column, not to the whole expression before it. (One nested expression referring to the
    value four times was ten times slower to plan than to run on an export-sized table.)
    """
    text = pl.col("__text")
    body, value = pl.col("__body"), pl.col("__value")
    return (
        stacked.with_columns(
            (text.is_null() | text.is_in(MISSING_TOKENS)).alias("__missing"),
            text.str.ends_with("%").fill_null(False).alias("__percent"),
            text.str.strip_suffix("%").str.replace_all(_CELL_SPACES, "").alias("__body"),
        )
        .with_columns(
            pl.when(_flag("decimal_comma"))
            .then(body.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
            .otherwise(body.str.replace_all(",", "", literal=True))
            .cast(pl.Float64, strict=False)
            .alias("__number")
        )
        .with_columns(  # rates: `%` divides by 100; elsewhere a `%` is a failure
            pl.when(_flag("rate"))
            .then(
                pl.when(pl.col("__percent") | _flag("percent_unit"))
                .then(pl.col("__number") / 100.0)
                .otherwise(pl.col("__number"))
            )
            .when(pl.col("__percent"))
            .then(None)
            .otherwise(pl.col("__number"))
            .alias("__value")
        )
        .with_columns(  # counts: whole and not negative
            (_flag("count") & value.is_not_null() & ((value < 0) | (value != value.round(0))))
            .fill_null(False)
            .alias("__bad")
        )
        .select(
            pl.when(_flag("dash_zero") & text.is_in(DASHES))
            .then(0.0)
            .when(pl.col("__missing") | pl.col("__bad"))
            .then(None)
            .otherwise(value)
            .alias("value"),
            (~pl.col("__missing") & (value.is_null() | pl.col("__bad")))
            .fill_null(False)
            .alias("failed"),
        )
        .collect()
    )


def numbers(
    frame: pl.DataFrame, columns: dict[str, NumberFlags], language: str | None = None
) -> pl.DataFrame:
    """Numbers as exported: `1938.0`, `1,234`, `1.234,5`, `12.2%`, `2,1%`, `-` -> Float64, as
    `col` (Float64) and `col\0failed` (Boolean, "held something that is not a number").

    With `rate` a value with `%` is divided by 100 so rates come out as 0-1 fractions
    (`percent_unit`: the column is in percent even without the sign). A `%` on a non-rate
    column fails: silently dividing a count would lie. `count` also fails negative or
    fractional values; `dash_zero` reads `-` as 0 (paid parts), elsewhere it is missing.
    Given the file's `language`, each column's decimal mark is decided from its values
    (`decimal_comma_columns`) instead of taken from its flags.
    """
    return numbers_of([(frame, columns, language)])[0]


def numbers_of(tables: list[NumberColumns]) -> list[pl.DataFrame]:
    """`numbers` of many tables at once: every cell of every table stacked into one column and
    parsed, decimal marks included, by one query. On export-sized tables Polars' cost is per
    query, not per value: a chunk of files' tables parsed together costs about what one did."""
    out: list[pl.DataFrame] = []
    if not any(frame.height and columns for frame, columns, _ in tables):
        typed = pl.DataFrame(
            {"value": [], "failed": []}, schema={"value": pl.Float64, "failed": pl.Boolean}
        )
    else:
        typed = _parse_stacked(_with_decimal_commas(_stacked(tables)))
    values, failed = typed["value"], typed["failed"]
    offset = 0
    for frame, columns, _ in tables:
        height = frame.height
        parsed = {}
        for name in columns:
            parsed[name] = values.slice(offset, height)
            parsed[name + FAILED] = failed.slice(offset, height)
            offset += height
        out.append(
            pl.DataFrame(
                [parsed[n].alias(n) for n in columns]
                + [parsed[n + FAILED].alias(n + FAILED) for n in columns]
            )
            if columns
            else pl.DataFrame()
        )
    return out


def number_series(series: pl.Series, **flags: bool) -> tuple[pl.Series, pl.Series]:
    """One column of numbers (see `numbers`): (values, failed)."""
    typed = numbers(series.to_frame("v"), {"v": NumberFlags(**flags)})
    return typed["v"], typed["v" + FAILED]


def decimal_comma_columns(
    frame: pl.DataFrame, columns: list[str], language: str = "en"
) -> set[str]:
    """The columns whose decimal mark is `,`, decided for all of them in one query.

    Unambiguous evidence wins (`1.234,5`, `2,1%`, `0,5` -> decimal comma; `0.058`, `12.25`,
    `1,234,567`, `1,234.5` -> decimal dot); a column of only `1,234` or `1.234`-like values
    follows the file's language (es/pt/it/fr/de: the comma is the decimal mark).
    """
    if not columns or frame.is_empty():
        return set()
    flags = dict.fromkeys(columns, NumberFlags())
    decided = (
        _with_decimal_commas(_stacked([(frame, flags, language)]))
        .group_by("__column")
        .agg(_flag("decimal_comma").first().alias("comma"))
        .filter(pl.col("comma"))
        .collect()
    )
    return {columns[i] for i in decided["__column"].to_list()}


def _coalesce(text: pl.Expr, formats: tuple[str, ...], kind: str) -> pl.Expr:
    parts = []
    for fmt in formats:
        if kind == "date":
            parts.append(text.str.to_date(fmt, strict=False).cast(pl.Datetime("us")))
        elif kind == "tz":
            parts.append(
                text.str.to_datetime(
                    fmt, strict=False, time_zone="UTC", time_unit="us"
                ).dt.replace_time_zone(None)
            )
        else:
            parts.append(text.str.to_datetime(fmt, strict=False, time_unit="us"))
    return pl.coalesce(parts)


def timestamp(name: str) -> Parser:
    """Any export date/time form -> naive Datetime (an explicit UTC offset is applied)."""
    text = _text(name)
    missing = _missing(name)
    value = pl.coalesce(
        _coalesce(text, DATETIME_FORMATS, "datetime"),
        _coalesce(text, TZ_FORMATS, "tz"),
        _coalesce(text, DATE_FORMATS, "date"),
    )
    value = pl.when(missing).then(None).otherwise(value)
    return Parser(value.alias(name))


def date(name: str) -> Parser:
    """A day: `2026-05-25T01:00:00` is 25 May (Meta's time-zone artefact), text or Excel cell."""
    parsed = timestamp(name)
    return Parser(parsed.value.dt.date().alias(name))


def month_day(name: str) -> Parser:
    """A day without a year (`April 14`, `4 de noviembre`, `4月14日`) -> month * 100 + day as
    Int32; the year is assigned per file afterwards (`transform.yearless`)."""
    from socialmetrics.transform.yearless import month_day as parse_month_day

    def encode(value: str | None) -> int | None:
        found = parse_month_day(value)
        return None if found is None else found[0] * 100 + found[1]

    missing = _missing(name)
    value = _text(name).map_elements(encode, return_dtype=pl.Int32, skip_nulls=True)
    value = pl.when(missing).then(None).otherwise(value)
    return Parser(value.alias(name))


def duration(name: str) -> Parser:
    """`H:MM:SS` or `M:SS` (YouTube's average view duration) -> seconds, as Float64."""
    text = _text(name)
    missing = _missing(name)
    parts = text.str.extract_groups(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
    hours = parts.struct.field("1").cast(pl.Float64).fill_null(0.0)
    seconds = (
        hours * 3600
        + parts.struct.field("2").cast(pl.Float64) * 60
        + parts.struct.field("3").cast(pl.Float64)
    )
    value = pl.when(missing).then(None).otherwise(seconds)
    return Parser(value.alias(name))


def text(name: str) -> Parser:
    """Text as exported; blank cells become NULL."""
    raw = pl.col(name).cast(pl.String)
    value = pl.when(raw.str.strip_chars() == "").then(None).otherwise(raw)
    return Parser(value.alias(name), pl.lit(False).alias(name))


def identifier(name: str) -> Parser:
    """Ids stay text. `1.2e+17` means Excel already lost digits: that is a failure."""
    value = _text(name).str.strip_suffix(".0")
    missing = _missing(name)
    failed = (~missing & value.str.contains(r"[eE][+]")).fill_null(False)
    value = pl.when(missing | failed).then(None).otherwise(value)
    return Parser(value.alias(name), failed.alias(name))


PARSERS: dict[str, Callable[[str], Parser]] = {
    "timestamp": timestamp,
    "date": date,
    "id": identifier,
    "date_yearless": month_day,
    "duration": duration,
    "text": text,
}
"""The parser of each spec column type that is not a number (any other type reads as text)."""


def _kind(column_type: str) -> str:
    return column_type if column_type in PARSERS else "text"


TypedColumns = tuple[pl.DataFrame, dict[str, str]]
"""A table's columns to parse that are not numbers: the frame, each column's spec type."""


def cells_of(tables: list[TypedColumns]) -> list[pl.DataFrame]:
    """Each table's columns parsed by their type's parser, as `col` and `col\0failed`: every
    cell of one type, across all the tables, stacked and parsed by one query, and the types'
    queries run together. (On export-sized tables Polars' cost is per query, not per value.)"""
    kinds = {
        kind if kind in PARSERS else "text" for _, columns in tables for kind in columns.values()
    }
    plans: dict[str, pl.LazyFrame] = {}
    for kind in sorted(kinds):
        cells = [
            frame[name].cast(pl.String)
            for frame, columns in tables
            for name, of in columns.items()
            if (of if of in PARSERS else "text") == kind
        ]
        parser = PARSERS[kind]("__cell")
        plans[kind] = (
            pl.concat(cells, rechunk=True)
            .alias("__cell")
            .to_frame()
            .lazy()
            .with_columns(parser.value.alias("__value"))
            .select(
                pl.col("__value").alias("value"),
                parser.failed_given("__cell", pl.col("__value")).alias("failed"),
            )
        )
    typed = dict(zip(plans, pl.collect_all(list(plans.values())), strict=True))
    offsets = dict.fromkeys(plans, 0)
    out = []
    for frame, columns in tables:
        height, values, failures = frame.height, [], []
        for name, of in columns.items():
            kind = _kind(of)
            start = offsets[kind]
            values.append(typed[kind]["value"].slice(start, height).alias(name))
            failures.append(typed[kind]["failed"].slice(start, height).alias(name + FAILED))
            offsets[kind] = start + height
        out.append(pl.DataFrame([*values, *failures]))
    return out


def parse_series(series: pl.Series, parser: Parser) -> tuple[pl.Series, pl.Series]:
    """Run a parser on one Series (for tests and one-off use): (values, failed)."""
    name = series.name
    out = (
        series.to_frame()
        .lazy()
        .with_columns(parser.value.alias("__v"))
        .select(pl.col("__v").alias("v"), parser.failed_given(name, pl.col("__v")).alias("f"))
        .collect()
    )
    return out["v"], out["f"]
