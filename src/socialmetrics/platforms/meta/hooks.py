"""Quirks of Meta's content exports that Instagram and Facebook share, as table hooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from socialmetrics.transform.canonical import CanonicalTable

CONTENT_ID = r"content with ID (\d+)"
"""How a `Data comment` names the post Meta could not compute."""


def meta_error_rows(table: CanonicalTable) -> None:
    """Rows Meta could not compute: the post id, date and text are blank and `Data comment`
    says `An error occurred while computing metadata for content with ID 933528094972880`.
    Such a row is still that post: it keeps the id the comment names and whatever figure Meta
    gave (NULL otherwise, never 0), and the file's notes count them."""
    frame = table.frame
    if "data_comment" not in frame.columns or "post_id" not in frame.columns:
        return
    named = pl.col("data_comment").str.extract(CONTENT_ID, 1)
    failed = pl.col("post_id").is_null() & named.is_not_null()
    count = int(frame.select(failed.sum()).item())
    if not count:
        return
    table.frame = frame.with_columns(pl.coalesce(pl.col("post_id"), named).alias("post_id"))
    table.notes.append(
        f"{count} post(s) Meta could not compute (`Data comment`): loaded under the id the "
        "comment names, with NULL for every figure Meta did not give"
    )
