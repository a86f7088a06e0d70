"""Extract -> recognise -> normalise -> enrich for one file, without touching the warehouse.

`inspect_file` is what `check` shows and what `ingest` loads: one function, so the two can
never disagree. Errors reading one file are captured in its result, never raised, so one bad
file cannot stop the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import polars as pl

from socialmetrics.errors import FileReadError
from socialmetrics.extract.discover import SourceFile, content_hash
from socialmetrics.extract.readers import read_file
from socialmetrics.extract.recognise import Context, Recognition, recognise_table
from socialmetrics.specs.registry import Registry, default_registry
from socialmetrics.transform.enrich import enrich
from socialmetrics.transform.normalise import (
    CanonicalTable,
    FileContext,
    normalise_table,
    period_from_name,
)
from socialmetrics.validate import drift

STATUSES = ("ok", "partial", "unrecognised", "error")


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


def _summary(result: FileResult) -> str:
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


def inspect_file(
    source: SourceFile,
    registry: Registry | None = None,
    meta_platform: str | None = None,
    *,
    rejected: set[tuple[str, str, str]] | None = None,
    history: drift.History | None = None,
    timezone: str | None = None,
) -> FileResult:
    """Read, recognise, map drifted columns, normalise and enrich one file.

    Never raises for bad input: an unreadable file is a result with status `error`.
    """
    registry = registry or default_registry()
    result = FileResult(source=source)
    path = source.path
    try:
        stat = path.stat()
        result.size = stat.st_size
        result.modified = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).replace(tzinfo=None)
        result.content_hash = content_hash(path)
        raw = read_file(path)
    except FileReadError as exc:
        result.status, result.message = "error", f"{exc.reason}. {exc.hint}".strip(". ") + "."
        return result
    except OSError as exc:
        result.status, result.message = "error", f"cannot read the file: {exc.strerror}"
        return result
    result.format, result.encoding = raw.format, raw.encoding
    result.warnings.extend(raw.notes[1:] if raw.notes[:1] and "sep=" in raw.notes[0] else raw.notes)
    rel = PurePath(source.relative) if source.client_root else PurePath(path)
    context = Context(path=rel, meta_platform=meta_platform)
    file_context = FileContext(path=rel, modified=result.modified, timezone=timezone)
    for table in raw.tables:
        rec = recognise_table(table, registry, context)
        if not rec.recognised:
            result.unrecognised.append(rec)
            continue
        rec.proposals = drift.propose_and_map(rec, rejected=rejected, history=history)
        try:
            canonical = enrich(normalise_table(rec, file_context))
        except (pl.exceptions.PolarsError, ValueError) as exc:  # defensive: report, do not crash
            result.warnings.append(f"{table.label or 'table'}: could not be normalised ({exc})")
            result.unrecognised.append(rec)
            continue
        result.tables.append(canonical)
        result.warnings.extend(f"{table.label or 'table'}: {w}" for w in rec.warnings)
    if not result.tables:
        result.status = "unrecognised"
    elif result.unrecognised or result.problems:
        result.status = "partial"
    result.message = _summary(result)
    return result


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
        key=lambda r: (r.exported_through or dt.date.min, r.modified or dt.datetime.min),
    )
    last: dict[tuple[Any, ...], drift.LayoutSnapshot] = {}
    for result in order:
        through = result.exported_through
        month = through.strftime("%Y-%m") if through else ""
        for table in result.tables:
            rec = table.recognition
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


KEYS = {
    "account_daily": ["date"],
    "posts": ["post_id"],
    "audience": ["as_of_date", "audience", "dimension", "segment", "gender"],
}


def mark_superseded(results: list[FileResult]) -> int:
    """Count, per table, the rows a newer export among `results` overrides, as ingest would:
    newest first by the last day covered, then the file's modification time. Returns the total.

    Account-day rows count once per day even when several metrics are overridden.
    """
    order = sorted(
        (r for r in results if r.tables),
        key=lambda r: (r.exported_through or dt.date.min, r.modified or dt.datetime.min),
        reverse=True,
    )
    seen: set[tuple[Any, ...]] = set()
    total = 0
    for result in order:
        for table in result.tables:
            keys = KEYS[table.kind]
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


def check_paths(
    paths: list[Path],
    registry: Registry | None = None,
    meta_platform: str | None = None,
    project_root: Path | None = None,
) -> list[FileResult]:
    """Inspect files and folders given on the command line (folders are walked).

    With a project, its aliases.toml decisions apply, as they do in `ingest`.
    """
    from socialmetrics.extract.discover import files_in
    from socialmetrics.specs.aliases import acknowledged, load_aliases, overlay, rejected_keys

    aliases = load_aliases(project_root) if project_root else []
    registry = overlay(registry or default_registry(), aliases)
    results = []
    for path in paths:
        sources = list(files_in(path)) if path.is_dir() else [SourceFile(path, None, None)]
        for source in sources:
            results.append(
                inspect_file(source, registry, meta_platform, rejected=rejected_keys(aliases))
            )
    mark_superseded(results)
    detect_changes(results, acknowledged=acknowledged(aliases))
    return results
