"""LinkedIn boosted posts: one post, several rows in "All posts".

A boosted post is listed as `Post type` Organic (its organic distribution), one `Sponsored` row
per campaign (with the campaign's name and dates) and a `Total` row. They are one post, not
duplicates: the Total row carries the canonical metrics, the Organic row fills
`<metric>_organic`, the Sponsored rows add up to `<metric>_paid`, and each campaign is kept
under `campaigns` in the post's `extra`. A post listed once says which part it is: an Organic
post had no paid reach (`_paid` = 0), a Sponsored-only post (direct sponsored content) no
organic one.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import polars as pl

from socialmetrics.model.metrics import metrics_for

if TYPE_CHECKING:
    from socialmetrics.transform.canonical import CanonicalTable

ORGANIC, SPONSORED, TOTAL = "organic", "sponsored", "total"
CAMPAIGN_FIELDS = (
    "campaign_name",
    "campaign_start_date",
    "campaign_end_date",
    "target_audience",
)


def _part(post_type: str | None) -> str | None:
    value = (post_type or "").strip().lower()
    return value if value in (ORGANIC, SPONSORED, TOTAL) else None


def split_metrics(frame: pl.DataFrame) -> list[str]:
    """The frame's metrics that the model splits into organic and paid parts for posts."""
    declared = {m.name for m in metrics_for("posts")}
    return [
        m
        for m in frame.columns
        if f"{m}_organic" in declared and f"{m}_paid" in declared and m in declared
    ]


def _campaign(row: dict[str, Any], metrics: list[str]) -> dict[str, Any]:
    fields = {f: row.get(f) for f in CAMPAIGN_FIELDS if row.get(f) not in (None, "")}
    values = {m: row[m] for m in metrics if row.get(m) is not None}
    return {**fields, **values, "source_row": row["source_row"]}


def _merge_group(rows: list[dict[str, Any]], metrics: list[str]) -> dict[str, Any]:
    """One post from its Organic, Sponsored and Total rows."""
    by_part: dict[str | None, list[dict[str, Any]]] = {}
    for row in rows:
        by_part.setdefault(_part(row.get("paid_status")), []).append(row)
    organic = by_part.get(ORGANIC, [])
    sponsored = by_part.get(SPONSORED, [])
    total = by_part.get(TOTAL, [])
    merged = dict((total or organic or sponsored or rows)[0])
    for m in metrics:
        organic_value = organic[0].get(m) if organic else (0.0 if sponsored else None)
        paid_values = [r.get(m) for r in sponsored]
        paid = (
            sum(v for v in paid_values if v is not None)
            if any(v is not None for v in paid_values)
            else (0.0 if organic else None)
        )
        merged[f"{m}_organic"] = organic_value
        merged[f"{m}_paid"] = paid
        if not total and merged.get(m) is not None:  # no Total row: the parts add up
            merged[m] = (organic_value or 0.0) + (paid or 0.0)
    if sponsored:
        extra = json.loads(merged["extra"]) if merged.get("extra") else {}
        extra["campaigns"] = [_campaign(r, metrics) for r in sponsored]
        merged["extra"] = json.dumps(extra, ensure_ascii=False, default=str)
        for f in CAMPAIGN_FIELDS:  # the post is not one campaign: they are listed in extra
            merged[f] = None
    return merged


def merge_boosted_posts(table: CanonicalTable) -> None:
    """Fold a boosted post's Organic, Sponsored and Total rows into one post, and fill the
    organic and paid parts of every post whose `Post type` says which part it is."""
    frame = table.frame
    if "paid_status" not in frame.columns or frame.is_empty():
        return
    metrics = split_metrics(frame)
    if not metrics:
        return
    rows = frame.to_dicts()
    groups: dict[Any, list[dict[str, Any]]] = {}
    order: list[Any] = []
    for i, row in enumerate(rows):
        key = row.get("post_id") if row.get("post_id") is not None else ("row", i)
        if key not in groups:
            order.append(key)
        groups.setdefault(key, []).append(row)
    merged = [_merge_group(groups[k], metrics) for k in order]
    boosted = sum(1 for k in order if len({_part(r.get("paid_status")) for r in groups[k]}) > 1)
    schema = dict(frame.schema)
    for m in metrics:
        schema[f"{m}_organic"] = pl.Float64()
        schema[f"{m}_paid"] = pl.Float64()
    table.frame = pl.DataFrame(merged, schema=schema)
    if boosted:
        folded = frame.height - len(merged)
        table.notes.append(
            f"{boosted} boosted post(s): their Organic, Sponsored and Total rows ({folded} more "
            "row(s) than posts) are one post each; Total is the post, the parts are in "
            "*_organic and *_paid, the campaigns in extra"
        )
