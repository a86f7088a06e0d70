"""Passes over all the files of a run at once (each file alone cannot say): which rows a newer
export overrides, and which layouts changed since the previous file of the same export.

`check` runs them over the files it was given, `ingest` over each client's folder, with the
newest-export rule the views use (`model.grains`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import polars as pl

from socialmetrics.model.grains import GRAINS, newest_first_key
from socialmetrics.validate import drift

if TYPE_CHECKING:
    from socialmetrics.ingest.results import FileResult


ReferenceLookup = Callable[[str, str, dt.date | None], drift.LayoutSnapshot | None]
"""(platform, spec id, before this day) -> the layout of the latest earlier loaded file."""


def detect_changes(
    results: list[FileResult],
    reference: ReferenceLookup | None = None,
    acknowledged: dict[tuple[str, str], str] | None = None,
) -> None:
    """Compare each table with the previous file of the same client, platform and export
    (among `results`, else in the warehouse through `reference`), else with the spec's closest
    layout; the changes are stored on each table."""
    order = sorted(
        (r for r in results if r.tables),
        key=lambda r: newest_first_key(r.exported_through, r.modified),
    )
    last: dict[tuple[Any, ...], drift.LayoutSnapshot] = {}
    for result in order:
        through = result.exported_through
        month = through.strftime("%Y-%m") if through else ""
        for table in result.tables:
            rec = table.recognition
            if rec.shape == "chart":
                table.changes = drift.chart_changes(rec)
            if rec.spec is None or rec.shape != "table":
                continue
            key = (result.source.client_id, table.platform, rec.spec.id)
            ref = last.get(key)
            if ref is None and reference is not None:
                ref = reference(table.platform, rec.spec.id, through)
            if ref is None:
                ref = drift.spec_reference(rec)
            table.changes = drift.compare(rec, ref, month, acknowledged)
            for change in table.changes:
                change.reference = ref.source if ref else ""
            snap = drift.snapshot(rec)
            snap.source = f"previous file {result.source.relative}"
            last[key] = snap


def mark_superseded(results: list[FileResult]) -> int:
    """Count, per table, the rows a newer export among `results` overrides, as ingest would:
    newest first by the last day covered, then the file's modification time. Returns the total.

    Account-day rows count once per day even when several metrics are overridden.
    """
    order = sorted(
        (r for r in results if r.tables),
        key=lambda r: newest_first_key(r.exported_through, r.modified),
        reverse=True,
    )
    seen: set[tuple[Any, ...]] = set()
    total = 0
    for result in order:
        for table in result.tables:
            keys = [k for k in GRAINS[table.kind].keys if k != "metric"]
            frame = table.frame
            if table.kind == "account_daily":
                metrics = [
                    c for c, t in frame.schema.items() if t.is_numeric() and c != "source_row"
                ]
                long = frame.select("date", *metrics).unpivot(index="date", on=metrics)
                rows = long.filter(pl.col("value").is_not_null()).select("date", "variable").rows()
                mine = {(result.source.client_id, table.platform, *row) for row in rows}
                overridden = {row[2] for row in mine if row in seen}
            else:
                mine = {
                    (result.source.client_id, table.platform, *row)
                    for row in frame.select([k for k in keys if k in frame.columns]).rows()
                }
                overridden = {row for row in mine if row in seen}
            table.superseded = len(overridden)
            total += table.superseded
            seen |= mine
    return total
