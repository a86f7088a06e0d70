"""YouTube channels, as YouTube Studio's Advanced mode downloads them (zip or loose CSVs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from socialmetrics.platforms.base import DemoWriter, Platform, all_videos
from socialmetrics.platforms.youtube import demo

if TYPE_CHECKING:
    from socialmetrics.transform.canonical import CanonicalTable

WATCH_URL = "https://www.youtube.com/watch?v="


def youtube_video_url(table: CanonicalTable) -> None:
    """No link column: a video's permalink is its id on the watch page."""
    table.frame = table.frame.with_columns(
        (pl.lit(WATCH_URL) + pl.col("post_id").str.strip_chars()).alias("post_url")
    )


PLATFORM = Platform(
    id="youtube",
    names={"en": "YouTube", "es": "YouTube"},
    report_order=60,
    color="#FF0000",
    rate_denominator="video_views",
    path_tokens=("youtube", "yt"),
    table_hooks={"youtube_video_url": youtube_video_url},
    content_type=all_videos,
    demo=DemoWriter(
        write=demo.write,
        folder="youtube",
        seed_key="yt",
        level=(1500, 25000),
        weekend=1.1,
        followers=(1000, 40000),
    ),
)
