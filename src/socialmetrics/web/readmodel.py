"""What the portal's pages show, read from the warehouse in one go and kept as a snapshot.

The pages read the marts and the ledger; they never recompute them. A snapshot older than
`FRESH_SECONDS` is read again in the background; while a run holds the warehouse (DuckDB allows
no reader beside a writer), the previous snapshot is served, marked as such: users see the last
consistent state, never half of a load.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from socialmetrics import months
from socialmetrics.config import Project
from socialmetrics.errors import SocialMetricsError
from socialmetrics.extract.discover import client_folders
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import Warehouse, connect
from socialmetrics.warehouse.registry import read_only_url

FRESH_SECONDS = 5.0
WAREHOUSE_TURNS = threading.RLock()
"""Held by every portal thread while it has the warehouse open. DuckDB refuses, within one
process, a read-write connection (accepting a layout change) beside read-only ones (a page, the
background snapshot) to the same file: the portal's threads take turns; reads are short and
their results kept."""
HEADLINE = ("followers_end", "engagements", "impressions", "posts_published")
"""The overview's columns: additive across platforms (reach is never summed)."""
FAILED = ("error", "unrecognised")


@dataclass
class ClientRow:
    client_id: str
    month: str | None = None
    totals: dict[str, float | None] = field(default_factory=dict)
    previous: dict[str, float | None] = field(default_factory=dict)
    platforms: list[str] = field(default_factory=list)
    freshness: dict[str, dt.date] = field(default_factory=dict)
    """Per platform: the last day loaded."""
    pending_changes: int = 0
    failed_files: int = 0
    reports: list[str] = field(default_factory=list)
    """Months with report files."""
    not_delivered: list[str] = field(default_factory=list)
    months_loaded: list[str] = field(default_factory=list)

    def delta(self, kpi: str) -> float | None:
        now, before = self.totals.get(kpi), self.previous.get(kpi)
        if now is None or not before:
            return None
        return (now - before) / before


@dataclass
class Snapshot:
    clients: dict[str, ClientRow]
    runs: list[dict[str, Any]]
    read_at: float
    stale_reason: str = ""


def _headline(wh: Warehouse) -> dict[str, dict[str, dict[str, Any]]]:
    """client -> month -> {kpi: sum over platforms, "platforms": [...]}, for each client's
    last two months."""
    sums = ", ".join(f"SUM({k})" for k in HEADLINE)
    rows = wh.query(
        f"SELECT client_id, month, {sums}, COUNT(*) FROM monthly_kpis m WHERE month >= ("
        "SELECT MAX(month) FROM monthly_kpis n WHERE n.client_id = m.client_id"
        ") - INTERVAL '1 month' GROUP BY client_id, month"
    )
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for client, month, *values in rows:
        out.setdefault(client, {})[months.of(month)] = dict(zip(HEADLINE, values, strict=False))
    return out


def read_snapshot(project: Project) -> Snapshot:
    """Every client's row and the recent runs, in one read of the warehouse."""
    with WAREHOUSE_TURNS, connect(read_only_url(project.warehouse_url), project.root) as wh:
        headline = _headline(wh)
        platforms = wh.query(
            "SELECT client_id, platform, MAX(date) FROM account_daily GROUP BY 1, 2"
        )
        failed = wh.query(
            "SELECT client_id, COUNT(*) FROM source_files WHERE status IN ('error', "
            "'unrecognised') GROUP BY 1"
        )
        pending = ledger.pending_changes_by_client(wh)
        loaded: dict[str, list[str]] = {}
        for client, month in wh.query("SELECT DISTINCT client_id, month FROM monthly_kpis"):
            loaded.setdefault(client, []).append(months.of(month))
        delivered = ledger.delivered(wh)
        runs = ledger.run_history(wh, 30)
    names = {f.name for f in client_folders(project.clients_dir)}
    rows: dict[str, ClientRow] = {}
    for name in sorted(names | set(headline)):
        row = rows[name] = ClientRow(name)
        by_month = headline.get(name, {})
        if by_month:
            row.month = max(by_month)
            row.totals = {k: _float(by_month[row.month].get(k)) for k in HEADLINE}
            previous = by_month.get(months.shift(row.month, -1), {})
            row.previous = {k: _float(previous.get(k)) for k in HEADLINE}
        row.pending_changes = int(pending.get(name, 0))
        row.months_loaded = sorted(loaded.get(name, []), reverse=True)
        folder = project.reports_dir / name
        if folder.is_dir():
            row.reports = sorted(
                (p.name for p in folder.iterdir() if p.is_dir() and months.is_month(p.name)),
                reverse=True,
            )
        row.not_delivered = [m for m in row.reports if (name, m) not in delivered]
    for client, platform, last in platforms:
        if client in rows:
            rows[client].freshness[platform] = last
            rows[client].platforms.append(platform)
    for client, count in failed:
        if client in rows:
            rows[client].failed_files = int(count)
    return Snapshot(rows, runs, time.monotonic())


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


class SnapshotCache:
    """The last snapshot. Past `FRESH_SECONDS` it is read again in the background while
    requests keep getting the current one (no page waits for the warehouse, except the very
    first); the previous one stays while the warehouse is busy."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._refreshing = False

    def get(self) -> Snapshot:
        with self._lock:
            current = self._snapshot
            if current is None:  # nothing to show yet (or just invalidated): read it now
                self._snapshot = read_snapshot(self.project)
                return self._snapshot
            if time.monotonic() - current.read_at >= FRESH_SECONDS and not self._refreshing:
                self._refreshing = True
                threading.Thread(target=self._refresh, name="snapshot", daemon=True).start()
            return current

    def _refresh(self) -> None:
        fresh, reason = None, ""
        try:
            fresh = read_snapshot(self.project)
        except SocialMetricsError as exc:  # a run holds the warehouse: keep what we have
            reason = str(exc)
        finally:
            with self._lock:
                if fresh is not None:
                    self._snapshot = fresh
                elif reason and self._snapshot is not None:
                    self._snapshot.stale_reason = reason
                self._refreshing = False

    def invalidate(self) -> None:
        with self._lock:
            self._snapshot = None
