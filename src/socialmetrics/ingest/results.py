"""What inspecting and loading files produced, and the stable JSON contracts built from it.

`FileResult` is one file after inspection (what `check` shows and `ingest` loads);
`FileOutcome` is what ingest did with it; `IngestSummary` is the run. Their `to_json` objects
are documented interfaces (docs/cli.md): add fields, never rename them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import pyarrow as pa

from socialmetrics.extract.discover import SourceFile
from socialmetrics.extract.recognise import Recognition
from socialmetrics.transform.canonical import CanonicalTable, period_from_name
from socialmetrics.validate import drift

STATUSES = ("ok", "partial", "unrecognised", "error", "skipped")
"""`skipped`: a note (a .txt that is no export), neither loaded nor a failure."""


@dataclass
class FileResult:
    """Everything known about one file after inspection."""

    source: SourceFile
    status: str = "ok"
    message: str = ""
    tables: list[CanonicalTable] = field(default_factory=list)
    unrecognised: list[Recognition] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    content_hash: str = ""
    size: int = 0
    modified: dt.datetime | None = None
    format: str | None = None
    encoding: str | None = None
    already_loaded: bool = False
    """Known from the ledger to be loaded with these bytes: not read in this run."""
    facts: dict[str, list[pa.Table]] | None = field(default=None, repr=False)
    """The rows shaped as the warehouse's fact tables, where the file was inspected (a
    worker) for this run's load; None: shaped at load time."""

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def file_id(self) -> str:
        """Stable id of this client's file content: the same bytes in the same client."""
        key = f"{self.source.client_id or ''}\0{self.content_hash}".encode()
        return hashlib.sha256(key).hexdigest()[:20]

    @property
    def platforms(self) -> list[str]:
        return sorted({t.platform for t in self.tables})

    @property
    def kinds(self) -> list[str]:
        return sorted({t.kind for t in self.tables})

    @property
    def rows_read(self) -> int:
        return sum(t.rows_read for t in self.tables)

    @property
    def rows_loadable(self) -> int:
        return sum(t.frame.height for t in self.tables)

    @property
    def problems(self) -> int:
        return sum(len(t.problems) for t in self.tables)

    @property
    def period(self) -> tuple[dt.date | None, dt.date | None]:
        """Days covered by the file's series and posts (audience snapshots only if alone)."""
        tables = [t for t in self.tables if t.kind != "audience"] or self.tables
        starts = [t.period_start for t in tables if t.period_start]
        ends = [t.period_end for t in tables if t.period_end]
        return (min(starts) if starts else None, max(ends) if ends else None)

    @property
    def exported_through(self) -> dt.date | None:
        """The last day the export covers: the period in its name, else its newest row."""
        named = period_from_name(PurePath(self.source.relative))
        return named[1] if named else self.period[1]

    def to_json(self) -> dict[str, Any]:
        """The stable `check --json` object (documented in docs/cli.md)."""
        return {
            "path": str(self.path),
            "client": self.source.client_id,
            "platform": ",".join(self.platforms) if self.platforms else None,
            "status": self.status,
            "message": self.message,
            "warnings": self.warnings,
            "tables": [table_json(t) for t in self.tables]
            + [unrecognised_json(r) for r in self.unrecognised],
        }


def table_json(t: CanonicalTable) -> dict[str, Any]:
    rec = t.recognition
    return {
        "sheet": t.sheet,
        "platform": t.platform,
        "platform_rule": rec.platform_rule,
        "kind": t.kind,
        "spec": rec.spec.id if rec.spec else None,
        "layout": rec.layout,
        "layout_exact": rec.layout_exact,
        "rows": t.frame.height,
        "rows_read": t.rows_read,
        "duplicates": t.duplicates,
        "superseded": t.superseded,
        "period_start": t.period_start.isoformat() if t.period_start else None,
        "period_end": t.period_end.isoformat() if t.period_end else None,
        "columns_mapped": {c.header: c.canonical for c in rec.mapped},
        "columns_unknown": [c.header for c in rec.unknown],
        "columns_missing": rec.missing,
        "problems": [p.describe() for p in t.problems],
        "warnings": rec.warnings,
        "notes": t.notes,
        "changes": [change_json(c) for c in t.changes],
    }


def change_json(c: drift.Change) -> dict[str, Any]:
    return {
        "change": c.change,
        "header_old": c.header_old,
        "header_new": c.header_new,
        "canonical": c.canonical,
        "detail": c.detail,
        "status": c.status,
        "confidence": c.confidence,
    }


def unrecognised_json(r: Recognition) -> dict[str, Any]:
    return {
        "sheet": r.table.label,
        "platform": None,
        "kind": None,
        "layout": None,
        "rows": 0,
        "period_start": None,
        "period_end": None,
        "columns_mapped": {},
        "columns_unknown": [c for c in (r.table.rows[0] if r.table.rows else []) if c.strip()],
        "columns_missing": [],
        "problems": [],
        "candidates": [
            {"spec": c.spec_id, "score": round(c.score, 2), "why_not": c.reason}
            for c in r.candidates
        ],
    }


def summary_text(result: FileResult) -> str:
    if not result.tables:
        closest = result.unrecognised[0].candidates[:2] if result.unrecognised else []
        hint = "; ".join(f"{c.spec_id}: {c.reason}" for c in closest)
        return "not a known platform export" + (f" (closest: {hint})" if hint else "")
    parts = []
    for t in result.tables:
        rec = t.recognition
        layout = rec.layout if rec.layout_exact else f"~{rec.layout}"
        parts.append(f"{t.platform} {t.kind} [{rec.spec.id if rec.spec else '?'} {layout}]")
    uniq = list(dict.fromkeys(parts))
    text = f"{', '.join(uniq[:3])}{' ...' if len(uniq) > 3 else ''}: {result.rows_loadable} rows"
    start, end = result.period
    if start and end:
        text += f", {start} to {end}"
    if result.problems:
        text += f"; {result.problems} row problem(s) quarantined"
    if result.unrecognised:
        labels = ", ".join(
            repr(r.table.label or f"table {r.table.index + 1}") for r in result.unrecognised
        )
        text += f"; not recognised: {labels}"
    return text


@dataclass
class FileOutcome:
    """What ingest did with one file."""

    client_id: str
    path: str
    status: str
    action: str  # loaded, replaced, unchanged, duplicate, failed, unrecognised, retired, skipped
    message: str
    rows_loaded: int = 0
    rows_quarantined: int = 0
    superseded: int = 0
    rows_retired: int = 0
    """For a retired file (gone from the folder): the rows removed with it."""
    file_id: str | None = None
    columns_unknown: dict[str, list[str]] = field(default_factory=dict)
    """Per sheet/block, the headers kept in `extra` because no spec knows them."""
    changes: list[dict[str, Any]] = field(default_factory=list)
    """Layout changes seen in this file (see validate.drift)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client_id,
            "path": self.path,
            "status": self.status,
            "action": self.action,
            "message": self.message,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "rows_superseded": self.superseded,
            "rows_retired": self.rows_retired,
            "columns_unknown": self.columns_unknown,
            "changes": self.changes,
        }


@dataclass
class IngestSummary:
    """The run's account: per file, per client, and totals."""

    load_id: str
    month: str | None
    files: list[FileOutcome] = field(default_factory=list)
    client_errors: dict[str, str] = field(default_factory=dict)
    strict_refusal: list[str] = field(default_factory=list)
    """With --strict: the unconfirmed layout changes that stopped the run before any load."""
    interrupted_loads: int = 0
    """Earlier loads found still `running` (their process died): marked `interrupted`."""
    clients_rolled_back: list[str] = field(default_factory=list)
    """Clients whose load failed in the warehouse (a full disk...): nothing of theirs kept."""
    warehouse_error: str = ""
    """The run's own record could not be written (its clients' loads stand)."""

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.action in ("failed", "unrecognised")]

    @property
    def exit_code(self) -> int:
        """0 when everything loaded, 1 when some files or clients failed (the rest loaded)."""
        problems = self.failed or self.client_errors or self.strict_refusal
        return 1 if problems or self.warehouse_error else 0

    @property
    def status(self) -> str:
        """ok, partial (something failed, something loaded or was already there) or failed."""
        if self.exit_code == 0:
            return "ok"
        totals = self.totals()
        done = totals["files_loaded"] or totals["files_unchanged"] or totals["files_retired"]
        return "partial" if done else "failed"

    def count(self, action: str) -> int:
        return sum(1 for f in self.files if f.action == action)

    def totals(self) -> dict[str, int]:
        return {
            "clients": len({f.client_id for f in self.files} | set(self.client_errors)),
            "files_loaded": self.count("loaded") + self.count("replaced"),
            "files_unchanged": self.count("unchanged") + self.count("duplicate"),
            "files_failed": len(self.failed),
            "clients_failed": len(self.client_errors),
            "rows_loaded": sum(f.rows_loaded for f in self.files),
            "rows_quarantined": sum(f.rows_quarantined for f in self.files),
            "rows_superseded": sum(f.superseded for f in self.files),
            "files_retired": self.count("retired"),
            "rows_retired": sum(f.rows_retired for f in self.files),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "load_id": self.load_id,
            "month": self.month,
            **self.totals(),
            "client_errors": self.client_errors,
            "strict_refusal": self.strict_refusal,
            "interrupted_loads": self.interrupted_loads,
            "clients_rolled_back": self.clients_rolled_back,
            "warehouse_error": self.warehouse_error,
            "files": [f.to_json() for f in self.files],
        }
