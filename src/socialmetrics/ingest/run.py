"""The ingest run: plan the client folders, inspect every file as its client, run the cross-file
passes, hold everything back under `--strict` until no layout change is left to confirm, then
load each client in its own transaction.

One bad file never stops the others, and a failed client rolls back alone.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from socialmetrics import months
from socialmetrics.compute import Engine, open_engine
from socialmetrics.config import ClientSettings, Project, load_client
from socialmetrics.errors import SocialMetricsError, UsageError, WarehouseError
from socialmetrics.extract.discover import SourceFile, files_in, selected_clients
from socialmetrics.ingest.history import WarehouseHistory, last_layout
from socialmetrics.ingest.inspect import Rules, inspect_source
from socialmetrics.ingest.load import load_client_files
from socialmetrics.ingest.loaders import ClientLoads, Done
from socialmetrics.ingest.parallel import Task, inspect_all
from socialmetrics.ingest.passes import detect_changes
from socialmetrics.ingest.results import FileOutcome, FileResult, IngestSummary
from socialmetrics.ingest.unchanged import already_loaded
from socialmetrics.specs.registry import Registry
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import Warehouse, connect, redacted, write_error

ProgressHook = Callable[[str, str, FileResult | None], None]
"""Called as (event, label, result): event is "total", "client", "file" (before) or "done"."""


def new_load_id(now: dt.datetime | None = None) -> str:
    """Sortable by time: later loads win ties between exports of the same period."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


def ingest(
    project: Project,
    *,
    client: str | None = None,
    month: str | None = None,
    progress: ProgressHook | None = None,
    registry: Registry | None = None,
    warehouse: Warehouse | None = None,
    strict: bool | None = None,
    wait: bool = False,
    keep_missing: bool | None = None,
    jobs: int | None = None,
) -> IngestSummary:
    """Load every client's folder (or one client, or one month) into the warehouse.

    One loader at a time per warehouse (`Warehouse.writer_lock`; `wait` queues behind another).
    Files already loaded are not read again; the others are inspected by `jobs` workers
    (default `compute.jobs`: one per core) or on the Dask cluster of `compute.engine`.

    >>> summary = ingest(load_project(Path("my-agency")))  # doctest: +SKIP
    >>> summary.exit_code
    0
    """
    strict = bool(project.get("ingest.strict")) if strict is None else strict
    if keep_missing is None:
        keep_missing = bool(project.get("ingest.keep_missing"))
    bounds = months.bounds(month) if month else None
    if not project.clients_dir.is_dir():
        raise UsageError(
            f"the clients folder {project.clients_dir} does not exist; create it with "
            "`socialmetrics init` or set paths.clients"
        )
    folders = selected_clients(project.clients_dir, client)
    rules = Rules.for_project(project, registry)
    engine_url = str(project.get("compute.engine"))  # checked when the project loaded
    jobs = int(project.get("compute.jobs")) if jobs is None else jobs
    own = warehouse is None
    wh = warehouse or connect(project.warehouse_url, project.root)
    summary = IngestSummary(load_id=new_load_id(), month=month)
    try:
        with wh.writer_lock(wait):
            _ingest_locked(
                wh,
                project,
                summary,
                folders,
                rules,
                bounds,
                (strict, not keep_missing),
                progress,
                functools.partial(open_engine, engine_url, jobs),
                int(project.get("warehouse.loaders")),
            )
    finally:
        if own:
            wh.close()
    return summary


def _ingest_locked(
    wh: Warehouse,
    project: Project,
    summary: IngestSummary,
    folders: list[Path],
    rules: Rules,
    bounds: tuple[dt.date, dt.date] | None,
    modes: tuple[bool, bool],
    progress: ProgressHook | None,
    engine_for: Callable[[], Engine],
    loaders: int,
) -> None:
    """The run itself, under the warehouse's writer lock (`modes`: strict, retire missing;
    `loaders`: clients loaded at once where the warehouse allows it)."""
    strict, retire = modes
    month = summary.month
    try:
        wh.ensure_schema()
        summary.interrupted_loads = ledger.mark_interrupted(wh, "load_runs")
        ledger.start_load(wh, summary.load_id, month)
    except SocialMetricsError:
        raise
    except Exception as exc:  # nothing is loaded yet: the run cannot go on
        raise WarehouseError(
            f"cannot start the load in {redacted(wh.url) or 'the warehouse'}: {write_error(exc)}"
        ) from exc
    within = project.files_within
    plan = [(folder, list(files_in(folder, folder.name, within))) for folder in folders]
    if progress:
        progress("total", str(sum(len(files) for _, files in plan)), None)
    clients, tasks = _plan_clients(wh, project, plan, bounds, summary)
    engine = engine_for() if tasks else None  # a no-change run starts no worker
    loads = ClientLoads(wh, loaders)
    try:
        stream = inspect_all(tasks, rules, engine, summary.load_id) if engine else iter(())
        _inspect_and_load(
            wh, summary, clients, stream, rules, loads, (bounds, strict, retire), progress
        )
    finally:
        _record(summary, loads.finish())
        if engine is not None:
            engine.close()
    try:
        ledger.finish_load(wh, summary.load_id, summary.status, summary.totals(), summary.to_json())
    except Exception as exc:  # the clients' loads are committed; only the record failed
        summary.warehouse_error = (
            f"the run's record in load_runs could not be written: {write_error(exc)}"
        )


ClientPlan = tuple[ClientSettings, list[SourceFile], list[FileResult | None]]
"""A client's settings, files, and for each file its result when known without reading it."""


def _plan_clients(
    wh: Warehouse,
    project: Project,
    plan: list[tuple[Path, list[SourceFile]]],
    bounds: tuple[dt.date, dt.date] | None,
    summary: IngestSummary,
) -> tuple[list[ClientPlan], list[Task]]:
    """Each client's files, those already loaded decided from the ledger without reading them
    (not on a month re-load, which reads the month's files again); the rest are tasks."""
    clients: list[ClientPlan] = []
    tasks: list[Task] = []
    for folder, sources in plan:
        try:
            settings = load_client(folder, project)
        except SocialMetricsError as exc:
            summary.client_errors[folder.name] = str(exc)
            continue
        loaded = ledger.loaded_files_by_path(wh, settings.client_id) if bounds is None else {}
        known = [already_loaded(source, loaded) for source in sources]
        tasks += [Task(s, settings) for s, k in zip(sources, known, strict=True) if k is None]
        clients.append((settings, sources, known))
    return clients, tasks


def _inspect_and_load(
    wh: Warehouse,
    summary: IngestSummary,
    clients: list[ClientPlan],
    stream: Iterator[tuple[FileResult, bool]],
    rules: Rules,
    loads: ClientLoads,
    modes: tuple[tuple[dt.date, dt.date] | None, bool, bool],
    progress: ProgressHook | None = None,
) -> None:
    """Take each client's results in file order (the workers inspect the next clients' files
    meanwhile), run the cross-file passes, and load the client (or hold it, under strict);
    `modes`: the month's bounds, strict, retire missing files."""
    bounds, strict, _ = modes
    held: list[tuple[ClientSettings, list[FileResult]]] = []
    for settings, sources, known in clients:
        if progress:
            progress("client", settings.client_id, None)
        results = []
        history = WarehouseHistory(wh, settings.client_id)
        for source, result in zip(sources, known, strict=True):
            if progress:
                progress("file", f"{settings.client_id}/{source.relative}", None)
            if result is None:
                result, needs_history = next(stream)
                if needs_history:  # a drifted file: its renames are checked against history.
                    # A worker has just read it within the caps: read here, not in another.
                    result = inspect_source(source, rules, settings, history, isolated=False)
                history.learn(result)
            if progress:
                progress("done", source.relative, result)
            if bounds and result.tables:
                start, end = result.period
                if start and end and (end < bounds[0] or start > bounds[1]):
                    continue
            results.append(result)
        detect_changes(
            results, functools.partial(last_layout, wh, settings.client_id), rules.acknowledged
        )
        if strict:
            held.append((settings, results))  # nothing loads before every client is checked
        else:
            _record(
                summary,
                loads.submit(settings.client_id, _job(settings, results, summary.load_id, modes)),
            )
    if strict:
        pending = [
            (settings.client_id, r.source.relative, c)
            for settings, results in held
            for r in _to_load(wh, settings.client_id, results, bounds)
            for t in r.tables
            for c in t.changes
            if c.status == "pending"
        ]
        if pending:
            summary.strict_refusal = [
                f"{client}/{path}: {change.describe()}" for client, path, change in pending
            ]
        else:
            for settings, results in held:
                job = _job(settings, results, summary.load_id, modes)
                _record(summary, loads.submit(settings.client_id, job))


def _to_load(
    wh: Warehouse,
    client_id: str,
    results: list[FileResult],
    bounds: tuple[dt.date, dt.date] | None,
) -> list[FileResult]:
    """The files a load would write (not those already loaded, unless a month is re-loaded)."""
    if bounds is not None:
        return results
    loaded = ledger.loaded_file_ids(wh, client_id)
    return [r for r in results if r.file_id not in loaded]


def _job(
    settings: ClientSettings,
    results: list[FileResult],
    load_id: str,
    modes: tuple[tuple[dt.date, dt.date] | None, bool, bool],
) -> Callable[[Warehouse], list[FileOutcome]]:
    """The client's load, to run on whichever connection `ClientLoads` gives it."""
    bounds, strict, retire = modes

    def load(wh: Warehouse) -> list[FileOutcome]:
        return load_client_files(wh, settings, results, load_id, bounds, strict, retire)

    return load


def _record(summary: IngestSummary, done: list[Done]) -> None:
    """Finished client loads into the summary, in the order the clients were given."""
    for client_id, outcome in done:
        if isinstance(outcome, Exception):
            summary.client_errors[client_id] = (
                f"nothing of this client was loaded (rolled back): {write_error(outcome)}"
            )
            summary.clients_rolled_back.append(client_id)
        else:
            summary.files.extend(outcome)
