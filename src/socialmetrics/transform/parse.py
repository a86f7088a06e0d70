"""Parse exported text into typed values, as Polars expressions, and say which cells failed.

Each parser returns a pair of expressions: the typed value and a boolean "held something but
could not be parsed" flag, which becomes a quarantine entry; numbers, the most of any table,
are parsed all columns at once by `numbers`. Missing is `""`, `-`, `N/A`, `NA`; a `-` in a
paid/promoted column means zero (spec: `dash = "zero"`).
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class NumberFlags:
    """How one numeric column is read (see `numbers`)."""

    decimal_comma: bool = False
    dash_zero: bool = False
    rate: bool = False
    percent_unit: bool = False
    count: bool = False


FAILED = "\0failed"


def stacked_positions(columns: int, height: int) -> pl.Series:
    """For each cell of `columns` stacked columns of `height` rows: its column's position."""
    return pl.Series(range(columns * height), dtype=pl.UInt32) // max(height, 1)


def _stack(frame: pl.DataFrame, columns: list[str], flags: list[NumberFlags]) -> pl.DataFrame:
    """The columns one under the other as `__text` (stripped text), each cell with its
    column's flags beside it: a cell's column travels as data, so one query parses them all."""
    height = frame.height
    values = pl.concat([frame[c].cast(pl.String) for c in columns], rechunk=True)
    position = stacked_positions(len(columns), height)
    per_column = pl.DataFrame(
        {field: [getattr(f, field) for f in flags] for field in _FLAGS},
        schema=dict.fromkeys(_FLAGS, pl.Boolean),
    )
    return per_column[position].with_columns(values.str.strip_chars().alias("__text"))


def _segment(series: pl.Series, position: int, height: int) -> pl.Series:
    return series.slice(position * height, height)


def _decimal_commas(stacked: pl.DataFrame, columns: int, height: int, language: str) -> list[bool]:
    """Per stacked column: is its decimal mark `,`? (see `decimal_comma_columns`)"""
    body = pl.col("__body")
    evidence = (
        stacked.lazy()
        .select(pl.col("__text").str.replace_all(_CELL_SPACES, "").alias("__body"))
        .select(
            body.str.contains(_DECIMAL_COMMA).fill_null(False).alias("comma"),
            body.str.contains(_DECIMAL_DOT).fill_null(False).alias("dot"),
            body.str.contains(_AMBIGUOUS).fill_null(False).alias("ambiguous"),
        )
        .collect()
    )
    out = []
    for i in range(columns):
        comma, dot, ambiguous = (
            bool(_segment(evidence[k], i, height).any()) for k in ("comma", "dot", "ambiguous")
        )
        by_language = ambiguous and language in COMMA_LANGUAGES
        out.append((comma and not dot) or (not comma and not dot and by_language))
    return out


def _parse_stacked(stacked: pl.DataFrame) -> pl.DataFrame:
    """The number rule, written once: `__text` and its flags -> `value` and `failed`.

    Written as stages of one lazy query: each stage names its result so the next refers to a
    column, not to the whole expression before it. (One nested expression referring to the
    value four times was ten times slower to plan than to run on an export-sized table.)
    """
    text = pl.col("__text")
    body, value = pl.col("__body"), pl.col("__value")
    return (
        stacked.lazy()
        .with_columns(
            (text.is_null() | text.is_in(MISSING_TOKENS)).alias("__missing"),
            text.str.ends_with("%").fill_null(False).alias("__percent"),
            text.str.strip_suffix("%").str.replace_all(_CELL_SPACES, "").alias("__body"),
        )
        .with_columns(
            pl.when(pl.col("decimal_comma"))
            .then(body.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
            .otherwise(body.str.replace_all(",", "", literal=True))
            .cast(pl.Float64, strict=False)
            .alias("__number")
        )
        .with_columns(  # rates: `%` divides by 100; elsewhere a `%` is a failure
            pl.when(pl.col("rate"))
            .then(
                pl.when(pl.col("__percent") | pl.col("percent_unit"))
                .then(pl.col("__number") / 100.0)
                .otherwise(pl.col("__number"))
            )
            .when(pl.col("__percent"))
            .then(None)
            .otherwise(pl.col("__number"))
            .alias("__value")
        )
        .with_columns(  # counts: whole and not negative
            (pl.col("count") & value.is_not_null() & ((value < 0) | (value != value.round(0))))
            .fill_null(False)
            .alias("__bad")
        )
        .select(
            pl.when(pl.col("dash_zero") & text.is_in(DASHES))
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

    The columns are stacked into one and parsed by one query whatever their number and flags:
    on export-sized tables Polars' cost is per expression, not per value.
    """
    names = list(columns)
    height = frame.height
    if height == 0 or not names:
        empty = {n: pl.Series([], dtype=pl.Float64) for n in names}
        return pl.DataFrame(empty | {n + FAILED: pl.Series([], dtype=pl.Boolean) for n in names})
    stacked = _stack(frame, names, [columns[n] for n in names])
    if language is not None:
        commas = _decimal_commas(stacked, len(names), height, language)
        per_column = pl.Series(commas, dtype=pl.Boolean)
        stacked = stacked.with_columns(
            per_column.gather(stacked_positions(len(names), height)).alias("decimal_comma")
        )
    typed = _parse_stacked(stacked)
    out = {n: _segment(typed["value"], i, height).alias(n) for i, n in enumerate(names)}
    for i, n in enumerate(names):
        out[n + FAILED] = _segment(typed["failed"], i, height).alias(n + FAILED)
    return pl.DataFrame(out)


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
    stacked = _stack(frame, columns, [NumberFlags()] * len(columns))
    commas = _decimal_commas(stacked, len(columns), frame.height, language)
    return {name for name, comma in zip(columns, commas, strict=True) if comma}


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
