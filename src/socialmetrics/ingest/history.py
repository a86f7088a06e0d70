"""Drift history from the warehouse: what a client's earlier files loaded, for checking a
proposed rename's values and for comparing a layout with the previous file's."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from socialmetrics.ingest.results import FileResult
from socialmetrics.model import POST_SNAPSHOT_COLUMNS
from socialmetrics.model.grains import GRAINS
from socialmetrics.validate import drift
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import Warehouse

POST_TABLE_COLUMNS = {c.name for c in POST_SNAPSHOT_COLUMNS}


class WarehouseHistory:
    """What the warehouse already holds of a metric, for checking a proposed rename's values."""

    def __init__(self, wh: Warehouse, client_id: str) -> None:
        self.wh, self.client_id = wh, client_id
        self.cache: dict[tuple[str, str, str], dict[Any, float]] = {}
        self.seen: list[FileResult] = []

    def __call__(self, platform: str, kind: str, canonical: str) -> dict[Any, float]:
        key = (platform, kind, canonical)
        if key not in self.cache:
            self.cache[key] = self._fetch(platform, kind, canonical)
            for result in self.seen:  # this run's earlier files count as history too
                self._add(result, key)
        return self.cache[key]

    def learn(self, result: FileResult) -> None:
        """Remember a file inspected in this run (older months come first in a client folder)."""
        self.seen.append(result)
        for key in self.cache:
            self._add(result, key)

    def _add(self, result: FileResult, key: tuple[str, str, str]) -> None:
        platform, kind, canonical = key
        id_col = GRAINS[kind].entity  # type: ignore[index]
        for t in result.tables:
            frame = t.frame
            if t.platform == platform and t.kind == kind and canonical in frame.columns:
                pairs = frame.select(id_col, canonical).drop_nulls().rows()
                self.cache[key].update((k, float(v)) for k, v in pairs)

    def _fetch(self, platform: str, kind: str, canonical: str) -> dict[Any, float]:
        rows = ledger.metric_values(
            self.wh, self.client_id, platform, kind, canonical, POST_TABLE_COLUMNS
        )
        return {k: float(v) for k, v in rows if v is not None}


def last_layout(
    wh: Warehouse, client_id: str, platform: str, spec: str, before: dt.date | None
) -> drift.LayoutSnapshot | None:
    """The layout of the latest file of this client and export loaded before `before`."""
    row = ledger.last_layout(wh, client_id, platform, spec, before)
    if row is None:
        return None
    headers, mapped, formats, path = row
    return drift.LayoutSnapshot(
        json.loads(headers),
        json.loads(mapped),
        json.loads(formats or "{}"),
        f"previous file {path}",
    )
