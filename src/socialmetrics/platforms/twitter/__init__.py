"""X (formerly Twitter): the classic tweet-activity exports and the 2025 account analytics."""

import polars as pl

from socialmetrics.platforms.base import DemoWriter, Platform
from socialmetrics.platforms.twitter import demo

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


PLATFORM = Platform(
    id="twitter",
    names={"en": "X (Twitter)", "es": "X (Twitter)"},
    report_order=40,
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
