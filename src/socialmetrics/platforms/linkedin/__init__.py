"""LinkedIn company pages: content, followers, visitors and demographics exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from socialmetrics.platforms.base import DemoWriter, Platform
from socialmetrics.platforms.linkedin import demo
from socialmetrics.platforms.linkedin.boosted import merge_boosted_posts
from socialmetrics.platforms.linkedin.competitors import linkedin_competitors
from socialmetrics.platforms.linkedin.creator import (
    linkedin_creator_followers,
    linkedin_discovery,
    linkedin_top_posts,
)

if TYPE_CHECKING:
    from socialmetrics.transform.canonical import CanonicalTable


def linkedin_post_id(table: CanonicalTable) -> None:
    """LinkedIn has no id column: the post's URN inside its link is the id
    (`.../feed/update/urn:li:activity:7355562008013860867` -> `urn:li:activity:7355...`)."""
    url = table.frame["post_url"]
    urn = url.str.extract(r"(urn:li:[a-zA-Z]+:\d+)", 1)
    table.frame = table.frame.with_columns(
        pl.coalesce(urn, url.str.strip_chars_end("/")).alias("post_id")
    )


def linkedin_posts(table: CanonicalTable) -> None:
    """The post id from its link, then a boosted post's rows folded into one post."""
    linkedin_post_id(table)
    merge_boosted_posts(table)


PLATFORM = Platform(
    id="linkedin",
    names={"en": "LinkedIn", "es": "LinkedIn"},
    report_order=30,
    color="#0A66C2",
    rate_denominator="impressions",
    path_tokens=("linkedin",),
    table_hooks={
        "linkedin_posts": linkedin_posts,
        "linkedin_competitors": linkedin_competitors,
        "linkedin_creator_followers": linkedin_creator_followers,
        "linkedin_top_posts": linkedin_top_posts,
        "linkedin_discovery": linkedin_discovery,
    },
    demo=DemoWriter(
        write=demo.write,
        folder="linkedin",
        seed_key="li",
        level=(200, 1500),
        weekend=0.45,
        followers=(800, 9000),
    ),
)
