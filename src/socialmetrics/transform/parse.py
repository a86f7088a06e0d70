"""Parse exported text into typed values, column at a time, and say which cells failed.

Vectorised with Polars: each parser returns the typed column and a boolean column marking the
cells that held something but could not be parsed, which become quarantine entries. Missing is
`""`, `-`, `N/A`, `NA`; a `-` in a paid/promoted column means zero (spec: `dash = "zero"`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

MISSING_TOKENS = ["", "-", "–", "—", "N/A", "n/a", "NA", "na", "null", "NULL", "None", "nan", "NaN"]
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%a, %b %d, %Y", "%a %b %d %Y", "%d.%m.%Y")
DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%.f",
)
TZ_FORMATS = ("%Y-%m-%d %H:%M %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S %z")

_DECIMAL_COMMA = r"^[+-]?(\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d{1,2}|\d+,\d{4,})%?$"
_THOUSANDS_COMMA = r"^[+-]?(\d{1,3}(,\d{3}){2,}(\.\d+)?|\d{1,3}(,\d{3})+\.\d+)%?$"
_AMBIGUOUS_COMMA = r"^[+-]?\d{1,3},\d{3}%?$"
COMMA_LANGUAGES = {"es", "pt", "it", "fr", "de"}


@dataclass
class Parsed:
    """A typed column and the mask of cells that could not be parsed."""

    values: pl.Series
    failed: pl.Series
    note: str = ""


def _clean(raw: pl.Series) -> tuple[pl.Series, pl.Series]:
    text = raw.cast(pl.String).str.strip_chars()
    missing = text.is_null() | text.is_in(MISSING_TOKENS)
    return text, missing


def uses_decimal_comma(text: pl.Series, language: str = "en") -> bool:
    """Decide, for one column, whether `,` is the decimal mark.

    Unambiguous evidence wins (`1.234,5`, `2,1%` -> decimal comma; `1,234,567` or `1,234.5` ->
    thousands); a column of only `1,234`-like values follows the file's language.
    """
    sample = text.drop_nulls()
    if sample.str.contains(_DECIMAL_COMMA).any():
        return True
    if sample.str.contains(_THOUSANDS_COMMA).any():
        return False
    if sample.str.contains(_AMBIGUOUS_COMMA).any():
        return language in COMMA_LANGUAGES
    return False


def parse_number(
    raw: pl.Series, *, language: str = "en", dash_zero: bool = False, rate: bool = False
) -> Parsed:
    """Numbers as exported: `1938.0`, `1,234`, `1.234,5`, `12.2%`, `2,1%`, `-` -> Float64.

    With `rate=True` a value with `%` is divided by 100, so rates come out as 0-1 fractions.
    A `%` on a non-rate column is a parse failure: silently dividing a count would lie.
    """
    text, missing = _clean(raw)
    dashes = text.is_in(["-", "–", "—"])
    percent = text.str.ends_with("%").fill_null(False)
    body = text.str.strip_suffix("%").str.replace_all(r"[\s\u00a0\u202f']", "")
    note = ""
    if uses_decimal_comma(body.filter(~missing), language):
        body = body.str.replace_all(r"\.", "").str.replace(",", ".", literal=True)
        note = "decimal comma"
    else:
        body = body.str.replace_all(",", "", literal=True)
    values = body.cast(pl.Float64, strict=False)
    if rate:
        values = pl.select(
            pl.when(percent).then(values / 100.0).otherwise(values)
        ).to_series().alias(raw.name)
    else:
        values = pl.select(pl.when(percent).then(None).otherwise(values)).to_series()
    values = pl.select(pl.when(missing).then(None).otherwise(values)).to_series()
    if dash_zero:
        values = pl.select(pl.when(dashes).then(0.0).otherwise(values)).to_series()
    failed = (~missing & values.is_null()).fill_null(False)
    return Parsed(values.alias(raw.name), failed.alias(raw.name), note)


def parse_count(raw: pl.Series, **kwargs: object) -> Parsed:
    """A count: a number that must be a whole number and not negative."""
    parsed = parse_number(raw, **kwargs)  # type: ignore[arg-type]
    v = parsed.values
    bad = (v.is_not_null() & ((v < 0) | (v != v.round(0)))).fill_null(False)
    values = pl.select(pl.when(bad).then(None).otherwise(v)).to_series().alias(raw.name)
    return Parsed(values, parsed.failed | bad, parsed.note)


def _coalesce_formats(text: pl.Series, formats: tuple[str, ...], kind: str) -> pl.Series:
    results = []
    for fmt in formats:
        if kind == "date":
            results.append(text.str.to_date(fmt, strict=False))
        elif kind == "tz":
            results.append(
                text.str.to_datetime(fmt, strict=False, time_zone="UTC")
                .dt.replace_time_zone(None)
            )
        else:
            results.append(text.str.to_datetime(fmt, strict=False, time_unit="us"))
    frame = pl.DataFrame({f"f{i}": r for i, r in enumerate(results)})
    return frame.select(pl.coalesce(frame.columns)).to_series()


def parse_timestamp(raw: pl.Series) -> Parsed:
    """Any of the export date/time forms -> naive Datetime (UTC offsets are applied)."""
    text, missing = _clean(raw)
    stamp = _coalesce_formats(text, DATETIME_FORMATS, "datetime")
    zoned = _coalesce_formats(text, TZ_FORMATS, "tz")
    dates = _coalesce_formats(text, DATE_FORMATS, "date")
    values = pl.select(
        pl.coalesce(stamp, zoned.cast(pl.Datetime("us")), dates.cast(pl.Datetime("us")))
    ).to_series()
    values = pl.select(pl.when(missing).then(None).otherwise(values)).to_series()
    failed = (~missing & values.is_null()).fill_null(False)
    return Parsed(values.alias(raw.name), failed.alias(raw.name))


def parse_date(raw: pl.Series) -> Parsed:
    """A day: `2026-05-25T01:00:00` is 25 May (Meta's time-zone artefact), text or Excel cell."""
    parsed = parse_timestamp(raw)
    return Parsed(parsed.values.dt.date().alias(raw.name), parsed.failed, parsed.note)


def parse_text(raw: pl.Series, *, html_entities: bool = False) -> Parsed:
    """Text: kept as exported, with empty cells as NULL."""
    text = raw.cast(pl.String)
    text = pl.select(pl.when(text.str.strip_chars() == "").then(None).otherwise(text)).to_series()
    if html_entities:
        import html

        text = text.map_elements(html.unescape, return_dtype=pl.String, skip_nulls=True)
    return Parsed(text.alias(raw.name), pl.Series(raw.name, [False] * len(raw)))


def parse_id(raw: pl.Series) -> Parsed:
    """Ids stay text; Excel's `1.2e+17` or a float `123.0` would already have lost digits."""
    text, missing = _clean(raw)
    text = text.str.strip_suffix(".0")
    failed = (~missing & text.str.contains(r"[eE]\+")).fill_null(False)
    values = pl.select(pl.when(missing | failed).then(None).otherwise(text)).to_series()
    return Parsed(values.alias(raw.name), failed.alias(raw.name))
