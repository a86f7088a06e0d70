"""Derive what the platforms do not export: totals from organic + paid parts, engagements,
engagement rates, normalised content types, day of week and hour. Generic rules only: a
platform's own derivations (clicks on X, its content types) are its `derive` and
`content_type` hooks.

Missing stays missing: a derived value is NULL when any input it needs is NULL, so a thinner
export never turns into zeros.
"""

from __future__ import annotations

import polars as pl

from socialmetrics.model.metrics import RATE_BY_NAME
from socialmetrics.platforms import registry
from socialmetrics.specs.registry import normalise_header
from socialmetrics.transform.canonical import CanonicalTable

POST_RATES = ("engagement_rate_impressions", "engagement_rate_reach", "engagement_rate_video_views")


def _totals_from_parts(frame: pl.DataFrame) -> pl.DataFrame:
    """`m = m_organic + m_paid` where only the parts were exported (X classic's promoted
    columns: a "-" there already parsed as 0). Rates are not added up."""
    adds = []
    for col in frame.columns:
        if not col.endswith("_organic") or frame[col].dtype not in (pl.Float64, pl.Int64):
            continue
        base = col.removesuffix("_organic")
        if base in frame.columns or base.startswith("engagement_rate"):
            continue
        paid = f"{base}_paid"
        if paid in frame.columns:
            adds.append((pl.col(col) + pl.col(paid).fill_null(0)).alias(base))
        else:
            adds.append(pl.col(col).alias(base))
    return frame.with_columns(adds) if adds else frame


def _derive_engagements(frame: pl.DataFrame, parts: tuple[str, ...]) -> pl.DataFrame:
    """Sum the spec's parts; a part written `name?` is optional (blank counts as 0, as
    LinkedIn's Follows column is blank on organic posts), the others must all be present."""
    required = [p for p in parts if not p.endswith("?")]
    optional = [p.removesuffix("?") for p in parts if p.endswith("?")]
    if not required or not all(p in frame.columns for p in required):
        return frame
    present_optional = [p for p in optional if p in frame.columns]
    derived = pl.sum_horizontal(
        [pl.col(p) for p in required] + [pl.col(p).fill_null(0) for p in present_optional]
    )
    any_null = pl.any_horizontal([pl.col(p).is_null() for p in required])
    expr = pl.when(any_null).then(None).otherwise(derived)
    if "engagements" in frame.columns:
        expr = pl.coalesce(pl.col("engagements"), expr)
    return frame.with_columns(expr.alias("engagements"))


def _content_type(table: CanonicalTable, frame: pl.DataFrame) -> pl.DataFrame:
    spec = table.recognition.spec
    assert spec is not None
    if "content_type_raw" in frame.columns:
        mapping = spec.content_types
        normalised = frame["content_type_raw"].map_elements(
            lambda v: mapping.get(normalise_header(v), "other"), return_dtype=pl.String
        )
        return frame.with_columns(normalised.alias("content_type"))
    by_platform = registry.get(table.platform).content_type
    return by_platform(frame) if by_platform else frame


def _publication(frame: pl.DataFrame) -> pl.DataFrame:
    """Day, weekday and hour of publication; an export that gives only the day (TikTok) has
    no hour: NULL, never midnight."""
    at = pl.col("published_at")
    day_only = frame.schema["published_at"] == pl.Date
    return frame.with_columns(
        at.cast(pl.Date).alias("published_date")
        if day_only
        else at.dt.date().alias("published_date"),
        at.dt.weekday().cast(pl.Int64).alias("day_of_week"),
        (pl.lit(None, dtype=pl.Int64) if day_only else at.dt.hour().cast(pl.Int64)).alias(
            "hour_of_day"
        ),
        at.cast(pl.Datetime("us")).alias("published_at"),
    )


def enrich(table: CanonicalTable) -> CanonicalTable:
    """Add derived columns in place and return the table."""
    if table.kind in ("audience", "competitors"):  # nothing to derive from segments or pages
        return table
    spec = table.recognition.spec
    assert spec is not None
    frame = _totals_from_parts(table.frame)
    derive = registry.get(table.platform).derive
    if derive is not None:
        frame = derive(frame)
    frame = _derive_engagements(frame, spec.engagements)
    if table.kind == "posts":
        frame = frame.with_columns(  # the follower rate needs the day's audience: in the views
            RATE_BY_NAME[name].polars(frame.columns) for name in POST_RATES
        )
        if "published_at" in frame.columns:
            frame = _publication(frame)
        frame = _content_type(table, frame)
    table.frame = frame
    return table
