"""LinkedIn competitor analytics: the period is written above the table, and the client's own
page is the one the file is named after (`<page>_competitor_analytics_<ms>.xlsx`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import polars as pl

from socialmetrics.transform import parse
from socialmetrics.transform.canonical import Problem

if TYPE_CHECKING:
    from socialmetrics.transform.canonical import CanonicalTable

FILE_NAME = re.compile(r"^(?P<page>.*)_competitor_analytics_\d+", re.IGNORECASE)


def _comparable(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def own_page_name(file_name: str) -> str | None:
    """The page a competitor export is named after, as comparable text (None if not named)."""
    found = FILE_NAME.match(file_name)
    return _comparable(found["page"]) if found and _comparable(found["page"]) else None


def _period(table: CanonicalTable) -> list[object]:
    rec = table.recognition
    cells = [c for row in rec.table.rows[: rec.header_row] for c in row if c.strip()]
    days, _ = parse.parse_series(pl.Series("period", cells, dtype=pl.String), parse.date("period"))
    return [d for d in days.to_list() if d is not None]


def linkedin_competitors(table: CanonicalTable) -> None:
    """Date every page by the period above the header; mark the client's own page."""
    frame = table.frame
    days = _period(table)
    if len(days) != 2:
        for row in frame["source_row"].to_list():
            table.problems.append(
                Problem(
                    row=int(row),
                    column="period",
                    raw=None,
                    reason="row not loaded: the export names no period (two dates above the "
                    "header)",
                    sheet=table.sheet,
                )
            )
        table.frame = frame.head(0).with_columns(
            pl.lit(None, dtype=pl.Date).alias("period_start"),
            pl.lit(None, dtype=pl.Date).alias("period_end"),
            pl.lit(None, dtype=pl.String).alias("page_role"),
        )
        return
    start, end = sorted(days)  # type: ignore[type-var]
    own = own_page_name(table.context.path.name) if table.context else None
    is_own = frame["page"].map_elements(
        lambda page: own is not None and own.endswith(_comparable(page)), return_dtype=pl.Boolean
    )
    table.frame = frame.with_columns(
        pl.lit(start, dtype=pl.Date).alias("period_start"),
        pl.lit(end, dtype=pl.Date).alias("period_end"),
        pl.when(is_own).then(pl.lit("client")).otherwise(pl.lit("competitor")).alias("page_role"),
    )
    if own is None or not is_own.any():
        table.notes.append(
            "the client's own page is not named by the file name "
            "(`<page>_competitor_analytics_<ms>.xlsx`): every page is marked competitor"
        )
