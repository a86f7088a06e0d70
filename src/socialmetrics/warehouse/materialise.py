"""The canonical views that every report and query reads, kept as tables.

`account_daily` (a pivot of the newest version of every daily fact), `posts` (the newest
export of every post, with its follower-based rate) and `monthly_kpis` are what reports, marts
and users query; as views they rank and pivot all of history on every query, so their cost
grows with the agency's history. They are tables instead, computed by their `_live` views and
refreshed for one client at a time inside that client's load transaction: a reader sees a
client's previous or new figures, never half of each, and a load costs that client's history,
not the agency's.
"""

from __future__ import annotations

from socialmetrics.warehouse.base import Warehouse
from socialmetrics.warehouse.schema import MATERIALISED, live, view_definitions

INDEXES = {
    "account_daily": ("client_id", "date"),
    "posts": ("client_id", "published_date"),
    "monthly_kpis": ("client_id", "month"),
}


def relation_kind(wh: Warehouse, name: str) -> str | None:
    """'VIEW', 'BASE TABLE' or None: what `name` is in the warehouse's current schema."""
    rows = wh.query(
        "SELECT table_type FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_name = $1",
        [name],
    )
    return str(rows[0][0]) if rows else None


def create_views(wh: Warehouse) -> None:
    """Re-create every view (new metrics appear), and the materialised tables where they are
    missing or their columns changed (then filled for every client). In ensure_schema's
    transaction."""
    definitions = view_definitions()
    for name, _ in reversed(definitions):
        if name in MATERIALISED:
            wh.execute(f"DROP VIEW IF EXISTS {live(name)}")
        if relation_kind(wh, name) == "VIEW":  # a view in a warehouse made before 2026-12
            wh.execute(f"DROP VIEW {name}")
    for name, sql in definitions:
        wh.execute(sql)
        if name in MATERIALISED:
            _ensure_table(wh, name)


def _ensure_table(wh: Warehouse, name: str) -> None:
    wanted = wh.columns_of(live(name))
    if relation_kind(wh, name) == "BASE TABLE":
        if wh.columns_of(name) == wanted:
            return
        wh.execute(f"DROP TABLE {name}")
    cols = ", ".join(wanted)
    wh.execute(f"CREATE TABLE {name} AS SELECT {cols} FROM {live(name)}")
    index = wh.dialect.create_index(f"ix_{name}_client", name, INDEXES[name])
    if index:
        wh.execute(index)


def refresh_client(wh: Warehouse, client_id: str) -> None:
    """Recompute one client's rows of every materialised table from its live view."""
    for name in MATERIALISED:
        cols = ", ".join(wh.columns_of(name))
        wh.execute(f"DELETE FROM {name} WHERE client_id = $1", [client_id])
        wh.execute(
            f"INSERT INTO {name} ({cols}) SELECT {cols} FROM {live(name)} WHERE client_id = $1",
            [client_id],
        )
