"""LinkedIn creator (personal profile) export `Content_<date>.xlsx`: what its sheets write
outside a plain table.

- FOLLOWERS: the audience size is a line above the daily table (`Total followers on
  3/17/2026: | 2996`).
- TOP POSTS: two top-50 lists side by side (by engagements, by impressions), each post in
  either or both: joined by post into one row per post.
- DISCOVERY: the period's figures, one per row under `Overall Performance | <period>`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import polars as pl

from socialmetrics.specs.registry import normalise_header
from socialmetrics.transform import parse

if TYPE_CHECKING:
    from socialmetrics.transform.canonical import CanonicalTable

TOTAL_FOLLOWERS = re.compile(r"total followers on (?P<day>.+?):?\s*$", re.IGNORECASE)


def _dates(values: list[str]) -> list[object]:
    series = pl.Series("v", values, dtype=pl.String)
    return parse.parse_series(series, parse.date("v"))[0].to_list()


def _number(value: str) -> float | None:
    series = pl.Series("v", [value], dtype=pl.String)
    return parse.number_series(series)[0][0]  # type: ignore[no-any-return]


def linkedin_creator_followers(table: CanonicalTable) -> None:
    """`Total followers on <day>: | <n>` above the table -> `followers_total` on that day."""
    rec = table.recognition
    for row, number in zip(
        rec.table.rows[: rec.header_row], rec.table.row_numbers[: rec.header_row], strict=True
    ):
        found = TOTAL_FOLLOWERS.match(row[0].strip()) if row else None
        if not found or len(row) < 2:
            continue
        (day,) = _dates([found["day"]])
        total = _number(row[1])
        if day is None or total is None:
            continue
        frame = table.frame
        if "followers_total" not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias("followers_total"))
        on_day = frame["date"] == day
        if on_day.any():
            frame = frame.with_columns(
                pl.when(on_day)
                .then(total)
                .otherwise(pl.col("followers_total"))
                .alias("followers_total")
            )
        else:
            line = {"date": day, "followers_total": total, "source_row": number}
            frame = pl.concat([frame, pl.DataFrame([line])], how="diagonal_relaxed")
        table.frame = frame
        table.notes.append(f"total followers {total:g} on {day} (the line above the table)")


def _side_by_side(table: CanonicalTable) -> tuple[list[str], list[str], list[str], list[int]]:
    """The right-hand list (after the blank column): URLs, dates, values, sheet rows."""
    rec = table.recognition
    header = rec.table.rows[rec.header_row]
    blank = next(i for i, c in enumerate(header) if i > 0 and not c.strip())
    urls, days, values, rows = [], [], [], []
    for row, number in zip(rec.data_rows, rec.data_row_numbers, strict=True):
        cells = [*row[blank + 1 : blank + 4], "", "", ""][:3]
        if cells[0].strip():
            urls.append(cells[0].strip())
            days.append(cells[1])
            values.append(cells[2])
            rows.append(number)
    return urls, days, values, rows


def linkedin_top_posts(table: CanonicalTable) -> None:
    """Join the top posts by engagements (left) and by impressions (right) by post."""
    rec = table.recognition
    assert rec.spec is not None
    header = rec.table.rows[rec.header_row]
    right_metric = rec.spec.alias_index.get(normalise_header(header[-1]))
    if right_metric is None or not any(not c.strip() for c in header[1:]):
        return
    metric = right_metric.canonical
    urls, days, values, rows = _side_by_side(table)
    left = table.frame.drop(metric, "extra", strict=False).filter(pl.col("post_url").is_not_null())
    right = pl.DataFrame(
        {
            "post_url": urls,
            "right_published": _dates(days),
            metric: [_number(v) for v in values],
            "right_row": rows,
        },
        schema={
            "post_url": pl.String,
            "right_published": pl.Date,
            metric: pl.Float64,
            "right_row": pl.Int64,
        },
    )
    published = left.schema["published_at"]
    joined = left.join(right, on="post_url", how="full", coalesce=True)
    table.frame = joined.with_columns(
        pl.coalesce("published_at", pl.col("right_published").cast(published)),
        pl.coalesce("source_row", "right_row").alias("source_row"),
        pl.lit(None, dtype=pl.String).alias("extra"),
    ).drop("right_published", "right_row")
    table.frame = table.frame.sort("source_row")
    post_id = table.frame["post_url"].str.extract(r"(urn:li:[a-zA-Z]+:\d+)", 1)
    table.frame = table.frame.with_columns(post_id.alias("post_id"))
    table.notes.append(
        f"top posts: {left.height} by engagements and {right.height} by impressions, "
        f"{table.frame.height} posts in all (LinkedIn lists at most 50 of each)"
    )


DISCOVERY_SCHEMA = {
    "as_of_date": pl.Date,
    "audience": pl.String,
    "dimension": pl.String,
    "segment": pl.String,
    "gender": pl.String,
    "metric": pl.String,
    "value": pl.Float64,
    "unit": pl.String,
    "extra": pl.String,
    "source_row": pl.Int64,
}


def linkedin_discovery(table: CanonicalTable) -> None:
    """`Overall Performance | <start> - <end>` then one figure per row -> audience totals
    dated by the period's end, one row per figure (`metric`), the period in `extra`."""
    rec = table.recognition
    assert rec.spec is not None
    header = rec.table.rows[rec.header_row]
    period = header[1] if len(header) > 1 else ""
    days = [d for d in _dates(re.split(r"\s+-\s+", period.strip())) if d is not None]
    if len(days) != 2:
        table.notes.append(f"DISCOVERY: no period in {period!r}: its figures are not loaded")
        table.frame = pl.DataFrame(schema=DISCOVERY_SCHEMA)
        return
    extra = json.dumps({"period_start": str(days[0]), "period_end": str(days[1])})
    lines = []
    for row, number in zip(rec.data_rows, rec.data_row_numbers, strict=True):
        if len(row) < 2 or not row[0].strip():
            continue
        column = rec.spec.alias_index.get(normalise_header(row[0]))
        lines.append(
            {
                "as_of_date": days[1],
                "audience": rec.spec.audience,
                "dimension": "total",
                "segment": "all",
                "gender": None,
                "metric": column.canonical if column else normalise_header(row[0]),
                "value": _number(row[1]),
                "unit": "count",
                "extra": extra,
                "source_row": number,
            }
        )
    table.frame = pl.DataFrame(lines, schema=DISCOVERY_SCHEMA)
    table.notes = [n for n in table.notes if not n.startswith("audience dated")]  # by the period
