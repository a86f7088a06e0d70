"""Small per-spec hooks for what a data file cannot say (named by a spec's `hook` key)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from socialmetrics.transform.normalise import CanonicalTable


def linkedin_post_id(table: CanonicalTable) -> None:
    """LinkedIn has no id column: the post's URN inside its link is the id
    (`.../feed/update/urn:li:activity:7355562008013860867` -> `urn:li:activity:7355...`)."""
    url = table.frame["post_url"]
    urn = url.str.extract(r"(urn:li:[a-zA-Z]+:\d+)", 1)
    table.frame = table.frame.with_columns(
        pl.coalesce(urn, url.str.strip_chars_end("/")).alias("post_id")
    )


HOOKS: dict[str, Callable[[CanonicalTable], None]] = {"linkedin_post_id": linkedin_post_id}


def run(name: str, table: CanonicalTable) -> None:
    HOOKS[name](table)
