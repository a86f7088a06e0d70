"""LinkedIn company pages: content, followers, visitors and demographics exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from socialmetrics.platforms.base import DemoWriter, Platform
from socialmetrics.platforms.linkedin import demo

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


PLATFORM = Platform(
    id="linkedin",
    names={"en": "LinkedIn", "es": "LinkedIn"},
    report_order=30,
    rate_denominator="impressions",
    path_tokens=("linkedin",),
    table_hooks={"linkedin_post_id": linkedin_post_id},
    demo=DemoWriter(
        write=demo.write,
        folder="linkedin",
        seed_key="li",
        level=(200, 1500),
        weekend=0.45,
        followers=(800, 9000),
    ),
)
