"""The load protocol: one client's inspected files into the warehouse in ONE transaction.

All of the client's files load or none do. A file whose bytes were loaded before is skipped; a
file replaced at the same path replaces what its old version loaded; a month re-load replaces
that month's facts only. Rows are written as one bulk insert per table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pyarrow as pa

from socialmetrics.config import ClientSettings
from socialmetrics.ingest.facts import fact_tables_of
from socialmetrics.ingest.results import FileOutcome, FileResult, change_json
from socialmetrics.ingest.tables import (
    client_table,
    layout_changes_rows,
    quarantine_rows,
    rows_table,
    source_file_rows,
    source_tables_rows,
)
from socialmetrics.model.grains import GRAINS
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import Warehouse
from socialmetrics.warehouse.materialise import refresh_client


def load_client_files(
    wh: Warehouse,
    client: ClientSettings,
    results: list[FileResult],
    load_id: str,
    month: tuple[dt.date, dt.date] | None = None,
    strict: bool = False,
    retire_missing: bool = True,
) -> list[FileOutcome]:
    """Load one client's inspected files in ONE transaction: all of it or none of it.

    With `strict`, a file with any recoverable oddity (quarantined values, unrecognised
    sheets) is refused whole instead of loading its good rows. With `retire_missing` (and no
    `month`: then `results` are all of the folder's files), files loaded before that are no
    longer in the folder, at their path or elsewhere in it, are retired.
    """
    now = ledger.now()
    outcomes: list[FileOutcome] = []
    with wh.transaction():
        ledger.replace_client(wh, client.client_id, client_table(client, now))
        known = ledger.client_files(wh, client.client_id)
        loaded_ids = {fid for fid, _, status in known if status in ("ok", "partial")}
        ids_by_path: dict[str, set[str]] = {}
        for fid, path, _ in known:
            ids_by_path.setdefault(path, set()).add(fid)
        if month:
            ledger.delete_month(wh, client.client_id, month)
        seen: dict[str, str] = {}
        known_ids = {fid for fid, _, _ in known}
        batch: dict[str, list[pa.Table]] = {}
        ledger_rows: dict[str, list[dict[str, Any]]] = {}
        shaped = _shaped_facts(results, load_id, month)

        def add(name: str, table: pa.Table) -> None:
            if table.num_rows:
                batch.setdefault(name, []).append(table)

        def add_rows(name: str, rows: list[dict[str, Any]]) -> None:
            ledger_rows.setdefault(name, []).extend(rows)

        for result in results:
            rel = result.source.relative
            outcome = FileOutcome(
                client_id=client.client_id,
                path=rel,
                status=result.status,
                action="loaded",
                message=result.message,
                file_id=result.file_id if result.content_hash else None,
                columns_unknown={
                    t.sheet or "": [c.header for c in t.recognition.unknown]
                    for t in result.tables
                    if t.recognition.unknown
                },
                changes=[
                    {"sheet": t.sheet, **change_json(c)} for t in result.tables for c in t.changes
                ],
            )
            outcomes.append(outcome)
            if result.already_loaded:
                seen[result.file_id] = rel
                outcome.action = "unchanged"
                continue
            if result.status == "skipped":
                outcome.action = "skipped"
                continue
            if strict and result.status == "partial":
                outcome.action = "failed"
                outcome.message = (
                    f"strict mode: {result.problems} row problem(s), "
                    f"{len(result.unrecognised)} unrecognised table(s); nothing loaded from this "
                    "file. Fix it, or run without --strict to load its good rows"
                )
                continue
            if result.status in ("error", "unrecognised"):
                outcome.action = "failed" if result.status == "error" else "unrecognised"
                if result.content_hash and result.file_id not in loaded_ids:
                    if result.file_id in known_ids:
                        ledger.forget_file(wh, result.file_id)
                    add_rows("source_files", source_file_rows(result, load_id, now))
                continue
            if result.file_id in seen:
                outcome.changes = []
                outcome.action = "duplicate"
                outcome.message = f"same contents as {seen[result.file_id]}; loaded once"
                continue
            seen[result.file_id] = rel
            if result.file_id in loaded_ids and month is None:
                outcome.action = "unchanged"
                outcome.message = "already loaded (same contents); nothing to do"
                outcome.changes = []  # reported when it was loaded
                continue
            replaced = ids_by_path.get(rel, set()) - {result.file_id}
            if replaced and month is None:
                for old in replaced:
                    ledger.forget_file(wh, old)
                outcome.action = "replaced"
            if result.file_id in known_ids:  # a new file has nothing to delete
                if month is None:
                    ledger.forget_file(wh, result.file_id)
                else:
                    ledger.forget_file(wh, result.file_id, keep_facts=True)
            for name, parts in shaped[id(result)].items():
                for part in parts:
                    add(name, part)
            outcome.rows_loaded = _rows_loaded(result, month)
            outcome.rows_quarantined = result.problems
            add_rows("quarantine", quarantine_rows(result, load_id))
            add_rows("source_files", source_file_rows(result, load_id, now))
            add_rows("source_tables", source_tables_rows(result, load_id))
            add_rows("layout_changes", layout_changes_rows(result, client.client_id, load_id))
        if retire_missing and month is None:
            outcomes += _retire_missing(wh, client.client_id, known, results, load_id, now)
        for name, rows in ledger_rows.items():
            if rows:
                add(name, rows_table(name, rows))
        for name, tables in batch.items():  # one bulk insert per table per client
            wh.insert_arrow(name, pa.concat_tables(tables))
        if any(o.action in ("loaded", "replaced", "retired") for o in outcomes) or month:
            refresh_client(wh, client.client_id)
        _count_superseded(wh, client.client_id, outcomes)
    return outcomes


def _shaped_facts(
    results: list[FileResult], load_id: str, month: tuple[dt.date, dt.date] | None
) -> dict[int, dict[str, list[pa.Table]]]:
    """Each result's rows as the warehouse's Arrow tables, by `id(result)`: as its worker
    shaped them, else (a file inspected again here, or a month re-load) all such files shaped
    together in one call (one query per warehouse table, not one per file)."""
    ready = month is None
    out = {id(r): r.facts for r in results if ready and r.facts is not None}
    rest = [r for r in results if id(r) not in out]
    for result, facts in zip(rest, fact_tables_of(rest, load_id, month), strict=True):
        out[id(result)] = facts
    return out


def _retire_missing(
    wh: Warehouse,
    client_id: str,
    known: list[tuple[str, str, str]],
    results: list[FileResult],
    load_id: str,
    now: dt.datetime,
) -> list[FileOutcome]:
    """Retire the loaded files whose contents and path are both gone from the folder (deleted,
    or moved to another client's folder, where they load as that client's)."""
    present_ids = {r.file_id for r in results if r.content_hash}
    present_paths = {r.source.relative for r in results}
    outcomes = []
    for file_id, path, status in known:
        if status not in ("ok", "partial") or file_id in present_ids or path in present_paths:
            continue
        rows = ledger.retire_file(wh, file_id, load_id, now)
        outcomes.append(
            FileOutcome(
                client_id=client_id,
                path=path,
                status="retired",
                action="retired",
                message=(
                    f"no longer in the client's folder: its {rows} rows were retired. Put the "
                    "file back to load it again, or set ingest.keep_missing (--keep-missing) to "
                    "keep the rows of files archived elsewhere"
                ),
                file_id=file_id,
                rows_retired=rows,
            )
        )
    return outcomes


def _rows_loaded(result: FileResult, month: tuple[dt.date, dt.date] | None) -> int:
    """Rows (days, posts, audience lines) written, after in-file de-duplication."""
    total = 0
    for t in result.tables:
        frame = t.frame
        column = GRAINS[t.kind].date_column
        if month is not None and column in frame.columns:
            frame = frame.filter(pl.col(column).is_between(month[0], month[1]))
        total += frame.height
    return total


def _count_superseded(wh: Warehouse, client_id: str, outcomes: list[FileOutcome]) -> None:
    """Rows of this run's files that a newer export overrides (they stay queryable)."""
    if not any(o.action in ("loaded", "replaced") for o in outcomes):
        return
    by_file = ledger.superseded_by_file(wh, client_id)
    for outcome in outcomes:
        if outcome.file_id and outcome.action in ("loaded", "replaced"):
            outcome.superseded = by_file.get(outcome.file_id, 0)
