"""Every date and number form of export-formats.md parses to the right value."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from socialmetrics.transform import parse


def _one(parser_factory, text: str, **kwargs):  # type: ignore[no-untyped-def]
    if parser_factory is parse.numbers:
        values, failed = parse.number_series(pl.Series("v", [text]), **kwargs)
    else:
        values, failed = parse.parse_series(pl.Series("v", [text]), parser_factory("v", **kwargs))
    return values[0], failed[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue, Feb 18, 2025", dt.datetime(2025, 2, 18)),
        ("Sun, Feb 9, 2025", dt.datetime(2025, 2, 9)),
        ("Mon Feb 17 2025", dt.datetime(2025, 2, 17)),
        ("Fri, Jun 5, 2026", dt.datetime(2026, 6, 5)),
        ("03/18/2025 09:48", dt.datetime(2025, 3, 18, 9, 48)),
        ("2026-05-25T01:00:00", dt.datetime(2026, 5, 25, 1, 0)),
        ("2016-12-23 18:50 +0000", dt.datetime(2016, 12, 23, 18, 50)),
        ("2016-12-23 18:50 +0200", dt.datetime(2016, 12, 23, 16, 50)),
        ("07/28/2025", dt.datetime(2025, 7, 28)),
        ("2025-02-08", dt.datetime(2025, 2, 8)),
        ("2025-03-14T00:00:00", dt.datetime(2025, 3, 14)),
    ],
)
def test_timestamps(text: str, expected: dt.datetime) -> None:
    assert _one(parse.timestamp, text) == (expected, False)


def test_date_takes_the_day_of_meta_t01_artefact() -> None:
    assert _one(parse.date, "2026-05-25T01:00:00") == (dt.date(2026, 5, 25), False)


@pytest.mark.parametrize("text", ["", "-", "N/A", "NA"])
def test_missing_is_null_not_failure(text: str) -> None:
    assert _one(parse.numbers, text) == (None, False)
    assert _one(parse.timestamp, text) == (None, False)


def test_bad_date_fails() -> None:
    assert _one(parse.timestamp, "yesterday") == (None, True)


@pytest.mark.parametrize(
    ("values", "language", "expected"),
    [
        (["1938.0", "12"], "en", [1938.0, 12.0]),
        (["1,234", "5"], "en", [1234.0, 5.0]),
        (["1.234,5", "3"], "es", [1234.5, 3.0]),
        (["1.234", "7"], "es", [1234.0, 7.0]),
        (["0.058823529411764705", "0.125"], "en", [0.058823529411764705, 0.125]),
        (["0,5", "12"], "pt", [0.5, 12.0]),
        (["1,234,567", "1"], "es", [1234567.0, 1.0]),
    ],
)
def test_numbers_decimal_mark_per_column(
    values: list[str], language: str, expected: list[float]
) -> None:
    frame = pl.DataFrame({"v": values})
    comma = "v" in parse.decimal_comma_columns(frame, ["v"], language)
    out = parse.number_series(frame["v"], decimal_comma=comma)[0].to_list()
    assert out == pytest.approx(expected)


@pytest.mark.parametrize(
    ("values", "expected"),
    [(["12.2%", "0.5%"], [0.122, 0.005]), (["2,1%", "30%"], [0.021, 0.30]), (["0.032"], [0.032])],
)
def test_rates_become_fractions(values: list[str], expected: list[float]) -> None:
    frame = pl.DataFrame({"v": values})
    comma = "v" in parse.decimal_comma_columns(frame, ["v"], "en")
    out = parse.number_series(frame["v"], decimal_comma=comma, rate=True)[0].to_list()
    assert out == pytest.approx(expected)


def test_percent_on_a_count_fails_instead_of_dividing() -> None:
    assert _one(parse.numbers, "12%") == (None, True)


@pytest.mark.parametrize(
    ("text", "failed"), [("-3", True), ("2.5", True), ("4", False), ("4.0", False)]
)
def test_counts_must_be_whole_and_not_negative(text: str, failed: bool) -> None:
    assert _one(parse.numbers, text, count=True)[1] is failed


def test_dash_means_zero_for_paid_parts() -> None:
    assert _one(parse.numbers, "-", dash_zero=True) == (0.0, False)
    assert _one(parse.numbers, "-") == (None, False)


def test_ids_stay_text_and_scientific_notation_fails() -> None:
    assert _one(parse.identifier, "1388063576737214466") == ("1388063576737214466", False)
    assert _one(parse.identifier, "1.38806E+18") == (None, True)
