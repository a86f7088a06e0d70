"""The agency overview's rows: the clients a user may see, filtered and sorted, and their
rendered tables kept per snapshot."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from socialmetrics.report.labels import KPIS, N_
from socialmetrics.web.readmodel import HEADLINE, ClientRow, Snapshot
from socialmetrics.web.users import User

COLUMNS: dict[str, tuple[str, str]] = {
    "client": N_("overview column", "Client"),
    "month": N_("overview column", "Last month"),
    **{k: KPIS[k] for k in HEADLINE},
    "freshness": N_("overview column", "Last day loaded"),
    "pending_changes": N_("overview column", "Layout changes to confirm"),
    "failed_files": N_("overview column", "Failed files"),
    "not_delivered": N_("overview column", "Reports not delivered"),
}
"""Column key -> (context, English heading), translated on the page (`pgettext`)."""
"""Sortable columns: key -> heading."""


def _total(row: ClientRow, kpi: str) -> float:
    return row.totals.get(kpi) or 0.0


_SORT_KEYS: dict[str, Callable[[ClientRow], Any]] = {
    "client": lambda r: r.client_id,
    "month": lambda r: r.month or "",
    **{k: functools.partial(_total, kpi=k) for k in HEADLINE},
    "freshness": lambda r: min(r.freshness.values()).isoformat() if r.freshness else "",
    "pending_changes": lambda r: r.pending_changes,
    "failed_files": lambda r: r.failed_files,
    "not_delivered": lambda r: len(r.not_delivered),
}


def visible_rows(
    snapshot: Snapshot, user: User, query: str = "", sort: str = "client", desc: bool = False
) -> list[ClientRow]:
    """The user's clients whose id contains `query`, sorted by a column of COLUMNS."""
    needle = query.strip().lower()
    rows = [
        row
        for client_id, row in snapshot.clients.items()
        if user.may_see(client_id) and needle in client_id.lower()
    ]
    key = _SORT_KEYS.get(sort, _SORT_KEYS["client"])
    return sorted(rows, key=key, reverse=desc)


def delta_class(value: float | None) -> str:
    if value is None:
        return "flat"
    return "up" if value > 0 else "down" if value < 0 else "flat"


def group_changes(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pending changes, one entry per (spec, header): the clients, months and files where it
    was seen, and the evidence recorded (values side by side)."""
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for change in changes:
        header = change["header_new"] or change["header_old"] or ""
        entry = grouped.setdefault(
            (change["spec"], header),
            {
                "spec": change["spec"],
                "header": header,
                "header_old": change["header_old"],
                "header_new": change["header_new"],
                "change": change["change"],
                "canonical": change["canonical"],
                "platform": change["platform"],
                "confidence": change["confidence"],
                "details": [],
                "where": [],
            },
        )
        if change["detail"] and change["detail"] not in entry["details"]:
            entry["details"].append(change["detail"])
        entry["where"].append(f"{change['client_id']} {change['month']}")
    return list(grouped.values())


class RenderedTables:
    """The overview's table as rendered, kept per snapshot, sort, filter and the clients the
    user sees: 200 rows cost ~15 ms to render and every analyst asks for the same few tables
    until the next snapshot."""

    def __init__(self, keep: int = 64) -> None:
        self._kept: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Markup | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], table: Markup) -> None:
        with self._lock:
            self._kept[key] = table
            while len(self._kept) > self._keep:
                self._kept.popitem(last=False)
