"""X (formerly Twitter): the classic tweet-activity exports and the 2025 account analytics."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from socialmetrics.platforms.base import DemoWriter, Platform
from socialmetrics.platforms.twitter import demo

if TYPE_CHECKING:
    from socialmetrics.transform.canonical import CanonicalTable

CLICK_PARTS = ("link_clicks", "hashtag_clicks", "permalink_clicks", "detail_expands")


def derive_clicks(frame: pl.DataFrame) -> pl.DataFrame:
    """X classic exports clicks by kind only: all clicks are their sum."""
    if "clicks" in frame.columns or not all(p in frame.columns for p in CLICK_PARTS):
        return frame
    return frame.with_columns(pl.sum_horizontal([pl.col(p) for p in CLICK_PARTS]).alias("clicks"))


def content_type_from_text(frame: pl.DataFrame) -> pl.DataFrame:
    """X exports no post type: a post with video views is a video, one with a URL a link."""
    if "post_text" not in frame.columns:
        return frame
    video = (
        pl.col("video_views").fill_null(0) > 0 if "video_views" in frame.columns else pl.lit(False)
    )
    link = pl.col("post_text").str.contains(r"https?://").fill_null(False)
    kind = (
        pl.when(video)
        .then(pl.lit("video"))
        .when(link)
        .then(pl.lit("link"))
        .otherwise(pl.lit("text"))
    )
    return frame.with_columns(kind.alias("content_type"))


GHOST_LINK = r"/status/undefined$"
"""What X writes as the link of a row that is no post at all."""


def skip_ghost_rows(table: CanonicalTable) -> None:
    """X's content export writes ghost rows (no post id, a link ending `/status/undefined`):
    not posts and not errors; skipped, and the notes say how many."""
    frame = table.frame
    if "post_url" not in frame.columns or "post_id" not in frame.columns:
        return
    ghost = pl.col("post_id").is_null() & pl.col("post_url").str.contains(GHOST_LINK)
    count = int(frame.select(ghost.fill_null(False).sum()).item())
    if count:
        table.frame = frame.filter(~ghost.fill_null(False))
        table.notes.append(f"{count} ghost row(s) skipped (no post id, link `/status/undefined`)")


PLATFORM = Platform(
    id="twitter",
    table_hooks={"skip_ghost_rows": skip_ghost_rows},
    names={"en": "X (Twitter)", "es": "X (Twitter)"},
    report_order=40,
    color="#14171A",
    rate_denominator="impressions",
    path_tokens=("x", "twitter"),
    derive=derive_clicks,
    content_type=content_type_from_text,
    demo=DemoWriter(
        write=demo.write,
        folder="x",
        seed_key="x",
        level=(300, 3000),
        weekend=0.85,
        followers=(1000, 15000),
    ),
)
