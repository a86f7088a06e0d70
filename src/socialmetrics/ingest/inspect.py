"""One file in, one `FileResult` out: read, recognise, map drifted columns, normalise, enrich.

`check` and `ingest` both inspect files through `inspect_source`, with the same client
settings (the client's `meta_platform` and time zone, from its client.toml) and the same
project aliases, so the two can never disagree about what a file is. Nothing here touches the
warehouse, and bad input is captured in the result, never raised: one bad file cannot stop the
others.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import polars as pl

from socialmetrics.config import ClientSettings, Project, load_client
from socialmetrics.errors import FileReadError
from socialmetrics.extract.discover import NOTE_SUFFIXES, SourceFile, content_hash, files_in
from socialmetrics.extract.limits import DEFAULT_LIMITS, ReadLimits
from socialmetrics.extract.readers import read_file
from socialmetrics.extract.recognise import Context, Recognition, recognise_table
from socialmetrics.extract.worker import read_isolated
from socialmetrics.ingest.passes import detect_changes, mark_superseded
from socialmetrics.ingest.results import FileResult, summary_text
from socialmetrics.ingest.unchanged import modified_time
from socialmetrics.specs.aliases import acknowledged, load_aliases, overlay, rejected_keys
from socialmetrics.specs.registry import Registry, default_registry
from socialmetrics.transform.canonical import FileContext
from socialmetrics.transform.columns import Prepared
from socialmetrics.transform.enrich import enrich
from socialmetrics.transform.normalise import normalise_table, prepare_tables
from socialmetrics.validate import drift


@dataclass(frozen=True)
class Rules:
    """What decides how files are read besides their bytes: the specs with the project's
    accepted aliases laid over them, the refused mappings, and the confirmed decisions."""

    registry: Registry
    rejected: set[tuple[str, str, str]] = field(default_factory=set)
    acknowledged: dict[tuple[str, str], str] = field(default_factory=dict)
    limits: ReadLimits = DEFAULT_LIMITS

    @classmethod
    def for_project(cls, project: Project | None, registry: Registry | None = None) -> Rules:
        """The bundled (or given) specs with the project's aliases.toml applied, if any, and
        its reading limits."""
        root = project.root if project is not None else None
        aliases = load_aliases(root) if root is not None else []
        return cls(
            registry=overlay(registry or default_registry(), aliases),
            rejected=rejected_keys(aliases),
            acknowledged=acknowledged(aliases),
            limits=ReadLimits.from_settings(project.values) if project else DEFAULT_LIMITS,
        )


def inspect_source(
    source: SourceFile,
    rules: Rules,
    client: ClientSettings | None,
    history: drift.History | None = None,
    *,
    isolated: bool = True,
) -> FileResult:
    """Inspect one file as the client it belongs to: the only way `check` and `ingest` do.

    `isolated`: read in the capped worker process (False: this process is such a worker)."""
    return inspect_sources([(source, client, history)], rules, isolated=isolated)[0]


def inspect_sources(
    files: Sequence[tuple[SourceFile, ClientSettings | None, drift.History | None]],
    rules: Rules,
    *,
    isolated: bool = True,
) -> list[FileResult]:
    """`inspect_source` of many files (each as its client, with its history) at once: each
    is read and recognised alone, then all their tables' numbers are parsed together, one
    query for the lot (`normalise.prepare_tables`), then each table is normalised."""
    readings = [
        _read_and_recognise(
            source,
            rules.registry,
            client.meta_platform if client else None,
            rules.rejected,
            history,
            client.timezone if client else None,
            rules.limits,
            isolated,
        )
        for source, client, history in files
    ]
    return _finish_all(readings)


def inspect_file(
    source: SourceFile,
    registry: Registry | None = None,
    meta_platform: str | None = None,
    *,
    rejected: set[tuple[str, str, str]] | None = None,
    history: drift.History | None = None,
    timezone: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    isolated: bool = True,
) -> FileResult:
    """Read, recognise, map drifted columns, normalise and enrich one file.

    Never raises for bad input: an unreadable file, or one over a reading limit, is a result
    with status `error`. Reading happens in a worker process with a memory and time cap. A
    note (`.txt`) that is not an export is `skipped`.
    """
    reading = _read_and_recognise(
        source,
        registry or default_registry(),
        meta_platform,
        rejected,
        history,
        timezone,
        limits,
        isolated,
    )
    return _finish_all([reading])[0]


def error_result(source: SourceFile, error: FileReadError) -> FileResult:
    """The result of a file that could not be read (a note that could not: skipped)."""
    result = FileResult(source=source, status="error", message=_error_text(error))
    with contextlib.suppress(OSError):  # on record in the ledger like any failed file
        _fingerprint(result, source.path.stat())
    return _as_note(source, result)


def _fingerprint(result: FileResult, stat: os.stat_result) -> None:
    """Size, modification time and content hash: what the ledger knows a file by."""
    result.size, result.modified = stat.st_size, modified_time(stat)
    result.content_hash = content_hash(result.source.path)


def _error_text(exc: FileReadError) -> str:
    return f"{exc.reason}. {exc.hint}".strip(". ") + "."


def _as_note(source: SourceFile, result: FileResult) -> FileResult:
    if result.status in ("unrecognised", "error") and source.path.suffix.lower() in NOTE_SUFFIXES:
        result.status = "skipped"
        result.message = f"skipped, not an export (a note?): {result.message}"
    return result


@dataclass
class _Reading:
    """A file read and its tables recognised, in the file's order: (recognition, context)
    where a table is recognised and its drifted columns mapped, (recognition, None) where not;
    `done`: the result is final (the file could not be read)."""

    result: FileResult
    tables: list[tuple[Recognition, FileContext | None]] = field(default_factory=list)
    done: bool = False


def _read_and_recognise(
    source: SourceFile,
    registry: Registry,
    meta_platform: str | None,
    rejected: set[tuple[str, str, str]] | None,
    history: drift.History | None,
    timezone: str | None,
    limits: ReadLimits,
    isolated: bool,
) -> _Reading:
    result = FileResult(source=source)
    reading = _Reading(result)
    path = source.path
    real = source.outside()
    if real is not None:  # never opened: its bytes must not reach the warehouse or a message
        result.status = "error"
        result.message = (
            f"not read: a link to {real}, outside the project. Copy the file into the client's "
            "folder, or set paths.allow_external_links = true to read linked files."
        )
        reading.done = True
        return reading
    try:
        stat = path.stat()
        result.size = stat.st_size
        limits.check_size(path, stat.st_size)
        _fingerprint(result, stat)
        raw = read_isolated(path, limits) if isolated else read_file(path, limits)
    except FileReadError as exc:
        result.status, result.message = "error", _error_text(exc)
        reading.done = True
        return reading
    except OSError as exc:
        result.status, result.message = "error", f"cannot read the file: {exc.strerror}"
        reading.done = True
        return reading
    result.format, result.encoding = raw.format, raw.encoding
    result.warnings.extend(raw.notes[1:] if raw.notes[:1] and "sep=" in raw.notes[0] else raw.notes)
    rel = PurePath(source.relative) if source.client_root else PurePath(path)
    context = Context(path=rel, meta_platform=meta_platform)
    file_context = FileContext(path=rel, modified=result.modified, timezone=timezone)
    for table in raw.tables:
        rec = recognise_table(table, registry, context)
        if not rec.recognised:
            reading.tables.append((rec, None))
            continue
        rec.proposals = drift.propose_and_map(rec, rejected=rejected, history=history)
        reading.tables.append((rec, file_context))
    return reading


def _finish_all(readings: list[_Reading]) -> list[FileResult]:
    """Every reading's result, the numbers of all their tables parsed together."""
    recognised = [rec for reading in readings for rec, ctx in reading.tables if ctx is not None]
    prepared = dict(zip(map(id, recognised), prepare_tables(recognised), strict=True))
    return [_as_note(r.result.source, _finish(r, prepared)) for r in readings]


def _finish(reading: _Reading, prepared: dict[int, Prepared]) -> FileResult:
    """Normalise and enrich the recognised tables (`prepared`: their raw frames and numbers,
    by id of the recognition, when made together with other files')."""
    result = reading.result
    if reading.done:
        return result
    for rec, file_context in reading.tables:
        if file_context is None:
            result.unrecognised.append(rec)
            continue
        label = rec.table.label or "table"
        try:
            canonical = enrich(normalise_table(rec, file_context, prepared.get(id(rec))))
        except (pl.exceptions.PolarsError, ValueError) as exc:  # defensive: report, do not crash
            result.warnings.append(f"{label}: could not be normalised ({exc})")
            result.unrecognised.append(rec)
            continue
        drift.column_formats(rec)  # here, in the worker: the layout comparison needs them
        result.tables.append(canonical)
        result.warnings.extend(f"{label}: {w}" for w in rec.warnings)
    if not result.tables:
        result.status = "unrecognised"
    elif result.unrecognised or result.problems:
        result.status = "partial"
    result.message = summary_text(result)
    return result


def _client_of(path: Path, project: Project | None) -> Path | None:
    """The client folder a path lies in, when it is inside the project's clients folder."""
    if project is None:
        return None
    clients = project.clients_dir.resolve()
    resolved = path.resolve()
    if resolved == clients or not resolved.is_relative_to(clients):
        return None
    return clients / resolved.relative_to(clients).parts[0]


def check_paths(
    paths: list[Path], project: Project | None = None, registry: Registry | None = None
) -> list[FileResult]:
    """Inspect files and folders given on the command line (folders are walked).

    Inside a project, files are inspected exactly as `ingest` would: with the project's
    aliases.toml, and, for a file in a client's folder, as that client (its client.toml's
    `meta_platform` and time zone, its path relative to the client's folder).
    """
    rules = Rules.for_project(project, registry)
    settings: dict[Path, ClientSettings] = {}
    results = []
    for path in paths:
        for source in _sources(path, project):
            client = None
            if source.client_root is not None and project is not None:
                if source.client_root not in settings:
                    settings[source.client_root] = load_client(source.client_root, project)
                client = settings[source.client_root]
            results.append(inspect_source(source, rules, client))
    mark_superseded(results)
    detect_changes(results, acknowledged=rules.acknowledged)
    return results


def _sources(path: Path, project: Project | None) -> list[SourceFile]:
    """The files under a path, each with its client when it lies in a client folder."""
    within = project.files_within if project is not None else None
    if project is not None and path.resolve() == project.clients_dir.resolve():
        from socialmetrics.extract.discover import client_folders

        return [s for folder in client_folders(path) for s in files_in(folder, folder.name, within)]
    folder = _client_of(path, project)
    if path.is_dir():
        if folder is None:
            return list(files_in(path))
        return [
            s
            for s in files_in(folder, folder.name, within)
            if s.path.resolve().is_relative_to(path.resolve())
        ]
    if folder is None:  # a loose file: refused only when it is a link out of the project
        inside = project is not None and path.absolute().is_relative_to(project.root.absolute())
        return [SourceFile(path, None, None, within if inside else None)]
    return [SourceFile(folder / path.resolve().relative_to(folder), folder.name, folder, within)]
