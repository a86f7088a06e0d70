"""Parse exported text into typed values, as Polars expressions, and say which cells failed.

Each parser returns a pair of expressions: the typed value and a boolean "held something but
could not be parsed" flag, which becomes a quarantine entry. A whole table is parsed in one
`select`. Missing is `""`, `-`, `N/A`, `NA`; a `-` in a paid/promoted column means zero
(spec: `dash = "zero"`).
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
    """A column's typed value and its failure flag, as expressions."""

    value: pl.Expr
    failed: pl.Expr


def _text(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String).str.strip_chars()


def _missing(name: str) -> pl.Expr:
    text = _text(name)
    return text.is_null() | text.is_in(MISSING_TOKENS)


def decimal_comma_columns(
    frame: pl.DataFrame, columns: list[str], language: str = "en"
) -> set[str]:
    """The columns whose decimal mark is `,`, decided for all of them in one pass.

    Unambiguous evidence wins (`1.234,5`, `2,1%`, `0,5` -> decimal comma; `0.058`, `12.25`,
    `1,234,567`, `1,234.5` -> decimal dot); a column of only `1,234` or `1.234`-like values
    follows the file's language (es/pt/it/fr/de: the comma is the decimal mark).
    """
    if not columns or frame.is_empty():
        return set()
    exprs = []
    for c in columns:
        body = _text(c).str.replace_all(r"[\s\u00a0\u202f']", "")
        exprs += [
            body.str.contains(_DECIMAL_COMMA).any().alias(f"{c}\0comma"),
            body.str.contains(_DECIMAL_DOT).any().alias(f"{c}\0dot"),
            body.str.contains(_AMBIGUOUS).any().alias(f"{c}\0ambiguous"),
        ]
    flags = frame.select(exprs).row(0, named=True)
    out = set()
    for c in columns:
        comma, dot, ambiguous = (flags[f"{c}\0{k}"] for k in ("comma", "dot", "ambiguous"))
        by_language = ambiguous and language in COMMA_LANGUAGES
        if (comma and not dot) or (not comma and not dot and by_language):
            out.add(c)
    return out


def number(
    name: str,
    *,
    decimal_comma: bool = False,
    dash_zero: bool = False,
    rate: bool = False,
    percent_unit: bool = False,
    count: bool = False,
) -> Parser:
    """Numbers as exported: `1938.0`, `1,234`, `1.234,5`, `12.2%`, `2,1%`, `-` -> Float64.

    With `rate` a value with `%` is divided by 100 so rates come out as 0-1 fractions
    (`percent_unit`: the column is in percent even without the sign). A `%` on a non-rate
    column fails: silently dividing a count would lie. `count` also fails negative or
    fractional values.
    """
    text = _text(name)
    missing = _missing(name)
    percent = text.str.ends_with("%").fill_null(False)
    body = text.str.strip_suffix("%").str.replace_all(r"[\s\u00a0\u202f']", "")
    if decimal_comma:
        body = body.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    else:
        body = body.str.replace_all(",", "", literal=True)
    raw = body.cast(pl.Float64, strict=False)
    if rate:
        value = pl.when(percent | pl.lit(percent_unit)).then(raw / 100.0).otherwise(raw)
    else:
        value = pl.when(percent).then(None).otherwise(raw)
    bad = pl.lit(False)
    if count:
        bad = value.is_not_null() & ((value < 0) | (value != value.round(0)))
        value = pl.when(bad).then(None).otherwise(value)
    value = pl.when(missing).then(None).otherwise(value)
    if dash_zero:
        value = pl.when(text.is_in(DASHES)).then(0.0).otherwise(value)
    failed = (~missing & (value.is_null() | bad)).fill_null(False)
    return Parser(value.alias(name), failed.alias(name))


@dataclass(frozen=True)
class NumberFlags:
    """How one numeric column is read (see `number`)."""

    decimal_comma: bool = False
    dash_zero: bool = False
    rate: bool = False
    percent_unit: bool = False
    count: bool = False


FAILED = "\0failed"


def numbers(frame: pl.DataFrame, columns: dict[str, NumberFlags]) -> pl.DataFrame:
    """Parse many numeric columns at once: `col` (Float64) and `col\0failed` (Boolean) each.

    Columns with the same flags are stacked into one long column, parsed by a single set of
    expressions and pivoted back: a wide table costs the same as a narrow one (Polars' cost here
    is per expression, not per value).
    """
    groups: dict[NumberFlags, list[str]] = {}
    for name, flags in columns.items():
        groups.setdefault(flags, []).append(name)
    out = pl.DataFrame({"__i": pl.Series(range(frame.height), dtype=pl.UInt32)})
    for flags, names in groups.items():
        if frame.height == 0:
            empty = {n: pl.Series([], dtype=pl.Float64) for n in names}
            empty |= {n + FAILED: pl.Series([], dtype=pl.Boolean) for n in names}
            out = out.with_columns(**empty)
            continue
        parser = number("__raw", **vars(flags))
        long = (
            frame.select(names)
            .with_row_index("__i")
            .unpivot(index="__i", variable_name="__col", value_name="__raw")
            .select("__i", "__col", parser.value.alias("v"), parser.failed.alias("f"))
        )
        wide = long.pivot(on="__col", index="__i", values=["v", "f"]).sort("__i")
        renames = {f"v_{n}": n for n in names} | {f"f_{n}": n + FAILED for n in names}
        out = out.join(wide.rename(renames), on="__i", how="left")
    return out.drop("__i")


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
    return Parser(value.alias(name), (~missing & value.is_null()).fill_null(False).alias(name))


def date(name: str) -> Parser:
    """A day: `2026-05-25T01:00:00` is 25 May (Meta's time-zone artefact), text or Excel cell."""
    parsed = timestamp(name)
    return Parser(parsed.value.dt.date().alias(name), parsed.failed)


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
    return Parser(value.alias(name), (~missing & value.is_null()).fill_null(False).alias(name))


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
    return Parser(value.alias(name), (~missing & value.is_null()).fill_null(False).alias(name))


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
    frame = series.to_frame()
    out = frame.select(parser.value.alias("v"), parser.failed.alias("f"))
    return out["v"], out["f"]
