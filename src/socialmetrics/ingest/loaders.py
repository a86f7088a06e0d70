"""Where each client's load transaction runs: on the run's own connection, one client after
the other, or, on a warehouse that takes several writers at once (PostgreSQL), on up to
`width` connections of their own, several clients at once.

A client's load is one transaction whatever the width, and clients never share rows (every
row is keyed by its client, every file id includes it), so concurrent loads cannot deadlock on
each other. Finished loads are handed back in the order they were given, so the run's summary
(and everything after it) does not depend on the width. While loads run, the main process
goes on with the next clients' files: with a server doing the loads' work (COPY, the refresh
of the materialised tables), the run's own process stops waiting on it.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from socialmetrics.ingest.results import FileOutcome
from socialmetrics.warehouse.base import Warehouse, connect

Job = Callable[[Warehouse], list[FileOutcome]]
"""One client's load, given the connection to run it on."""
Done = tuple[str, list[FileOutcome] | Exception]
"""A client id and what its load gave: its files' outcomes, or why it rolled back."""


def _attempt(job: Job, wh: Warehouse) -> list[FileOutcome] | Exception:
    try:
        return job(wh)
    except Exception as exc:  # one client's failure must not stop the others
        return exc


class ClientLoads:
    """Client loads, run in order on `wh`, or up to `width` at once where the warehouse
    allows several writers; `submit` and `finish` return the finished ones in order."""

    def __init__(self, wh: Warehouse, width: int) -> None:
        self.wh = wh
        self.width = max(1, width) if wh.concurrent_writers else 1
        self._pool = (
            ThreadPoolExecutor(self.width, thread_name_prefix="socialmetrics-load")
            if self.width > 1
            else None
        )
        self._local = threading.local()
        self._opened: list[Warehouse] = []
        self._lock = threading.Lock()
        self._pending: deque[tuple[str, Future[list[FileOutcome] | Exception]]] = deque()

    def submit(self, client_id: str, job: Job) -> list[Done]:
        """Start a client's load (at once, when loads run one at a time); the loads finished
        so far, in order. At most `width` loads wait: a run's memory stays bounded."""
        if self._pool is None:
            return [(client_id, _attempt(job, self.wh))]
        self._pending.append((client_id, self._pool.submit(self._run, job)))
        done = []
        while self._pending and (len(self._pending) > self.width or self._pending[0][1].done()):
            cid, future = self._pending.popleft()
            done.append((cid, future.result()))
        return done

    def finish(self) -> list[Done]:
        """Wait for every load; the rest, in order. The loads' connections are closed."""
        done = [(cid, future.result()) for cid, future in self._pending]
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        for wh in self._opened:
            wh.close()
        self._opened.clear()
        return done

    def _run(self, job: Job) -> list[FileOutcome] | Exception:
        """In a loader thread: the job on this thread's connection (opened on first use)."""
        wh: Warehouse | None = getattr(self._local, "wh", None)
        if wh is None:
            try:
                wh = connect(self.wh.url)
            except Exception as exc:
                return exc
            self._local.wh = wh
            with self._lock:
                self._opened.append(wh)
        return _attempt(job, wh)
