"""TikTok business accounts, as TikTok Studio's "Download data" writes them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from socialmetrics.platforms.base import DemoWriter, Platform, all_videos
from socialmetrics.platforms.tiktok import demo

if TYPE_CHECKING:
    from socialmetrics.transform.canonical import CanonicalTable


def tiktok_video_id(table: CanonicalTable) -> None:
    """No id column: the video's id is in its link (`.../video/7527623000473079054`)."""
    frame = table.frame
    from_link = pl.col("post_url").str.extract(r"/video/(\d+)", 1)
    if "post_id" in frame.columns:
        from_link = pl.coalesce(pl.col("post_id"), from_link)
    table.frame = frame.with_columns(from_link.alias("post_id"))


PLATFORM = Platform(
    id="tiktok",
    names={"en": "TikTok", "es": "TikTok"},
    report_order=50,
    color="#FE2C55",
    rate_denominator="video_views",
    daily_reach="average",  # Viewers: unique people per day, never summed
    path_tokens=("tiktok", "tt"),
    table_hooks={"tiktok_video_id": tiktok_video_id},
    content_type=all_videos,
    demo=DemoWriter(
        write=demo.write,
        folder="tiktok",
        seed_key="tt",
        level=(2000, 30000),
        weekend=1.2,
        followers=(2000, 60000),
    ),
)
