"""Inspecting many files on all the engine's workers, results in the order of the files.

Files go to the workers in small chunks (one task reads, recognises, normalises and enriches
several files: the rules travel once per chunk, not once per file), a bounded number of chunks
in flight so that memory stays flat however many files there are, and results come back in
the order the files were given, so a run's outcome never depends on how many workers it had.

What a worker cannot know is the warehouse: a file with unknown columns whose renaming would be
checked against the client's history is marked, and the caller inspects it again in order with
that history (rare: only drifted files). A chunk that fails (a worker killed over its memory
cap, over time, or gone) is retried one file at a time, so only the guilty file fails.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from socialmetrics.compute import Engine
from socialmetrics.config import ClientSettings
from socialmetrics.errors import FileReadError
from socialmetrics.extract.discover import SourceFile
from socialmetrics.extract.worker import cap_memory, failure
from socialmetrics.ingest.facts import fact_tables_of
from socialmetrics.ingest.inspect import Rules, error_result, inspect_sources
from socialmetrics.ingest.results import FileResult

CHUNK_FILES = 64
"""Most files in one task: enough that their tables are parsed and shaped in bulk (one query
for many files: see `inspect_sources`, `fact_tables_of`), few enough to spread."""
CHUNKS_PER_WORKER = 3
"""Chunks in flight per worker: the workers never wait, the results held stay few."""


@dataclass(frozen=True)
class Task:
    """One file to inspect, as the client it belongs to."""

    source: SourceFile
    client: ClientSettings | None


class _HistoryProbe:
    """Stands in for the warehouse history in a worker: notes that it was needed."""

    def __init__(self) -> None:
        self.called = False

    def __call__(self, platform: str, kind: str, canonical: str) -> dict[Any, float]:
        self.called = True
        return {}


def inspect_chunk(
    tasks: list[Task], rules: Rules, capped: bool, load_id: str
) -> list[tuple[FileResult, bool]]:
    """In a worker: inspect each file (read in this process) and shape its rows as the
    warehouse's Arrow tables for load `load_id`; and whether it needs history."""
    if capped:
        cap_memory(rules.limits)
    probes = [_HistoryProbe() for _ in tasks]
    files = [(task.source, task.client, probe) for task, probe in zip(tasks, probes, strict=True)]
    results = inspect_sources(files, rules, isolated=False)
    out = [(result, probe.called) for result, probe in zip(results, probes, strict=True)]
    ready = [result for result, needs_history in out if result.tables and not needs_history]
    for result, facts in zip(ready, fact_tables_of(ready, load_id), strict=True):
        result.facts = facts
    return out


def chunk_size(files: int, workers: int) -> int:
    """Chunks small enough that every worker gets several, at most CHUNK_FILES files."""
    return max(1, min(CHUNK_FILES, math.ceil(files / (workers * CHUNKS_PER_WORKER))))


def inspect_all(
    tasks: Sequence[Task], rules: Rules, engine: Engine, load_id: str
) -> Iterator[tuple[FileResult, bool]]:
    """(result, needs the warehouse history) of every task, in the order of `tasks`; the
    results carry their rows shaped for load `load_id`."""
    size = chunk_size(len(tasks), engine.jobs)
    chunks = (list(tasks[i : i + size]) for i in range(0, len(tasks), size))
    in_flight: deque[tuple[list[Task], Future[Any]]] = deque()

    def submit(chunk: list[Task]) -> None:
        timeout = rules.limits.seconds_per_file * len(chunk)
        future = engine.submit(
            inspect_chunk, chunk, rules, engine.caps_workers, load_id, timeout=timeout
        )
        in_flight.append((chunk, future))

    for chunk in chunks:
        submit(chunk)
        if len(in_flight) >= engine.jobs * CHUNKS_PER_WORKER:
            yield from _results(*in_flight.popleft(), rules, engine, load_id)
    while in_flight:
        yield from _results(*in_flight.popleft(), rules, engine, load_id)


def _results(
    chunk: list[Task],
    future: Future[Any],
    rules: Rules,
    engine: Engine,
    load_id: str,
    retried: bool = False,
) -> Iterator[tuple[FileResult, bool]]:
    timeout = rules.limits.seconds_per_file * len(chunk)

    def again(tasks: list[Task], retry: bool) -> Iterator[tuple[FileResult, bool]]:
        single = engine.submit(
            inspect_chunk, tasks, rules, engine.caps_workers, load_id, timeout=timeout
        )
        yield from _results(tasks, single, rules, engine, load_id, retry)

    try:
        results: list[tuple[FileResult, bool]] = future.result(timeout=timeout + 60)
    except Exception as exc:  # a worker's failure costs its files only
        future.cancel()
        if isinstance(exc, BrokenProcessPool) and not retried:
            # the pool broke (a worker died between tasks), not because of these files: once
            # more, in the fresh pool the engine starts
            yield from again(chunk, True)
        elif len(chunk) == 1:
            error: FileReadError = failure(chunk[0].source.path, exc, rules.limits)
            yield error_result(chunk[0].source, error), False
        else:
            for task in chunk:  # one at a time: only the guilty file fails
                yield from again([task], retried)
        return
    yield from results
