"""Reading files in a worker process with a memory cap and a time cap, so that even a
decompression trick the limits do not know costs one file, never the run.

The limits of `extract.limits` refuse what they can see before and while reading; this is the
net under them. A pebble process pool (one worker, started once per process and reused) reads
each file with `RLIMIT_DATA` set to `limits.worker_memory_mb`; a file that takes longer than
`limits.seconds_per_file` has its worker killed and replaced. Either way the caller gets a
`FileReadError` for that file and the next file reads in a fresh worker.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import resource
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from socialmetrics.errors import FileReadError
from socialmetrics.extract.limits import MB, ReadLimits
from socialmetrics.extract.raw import RawFile
from socialmetrics.extract.readers import read_file

TASKS_PER_WORKER = 500
"""A worker is replaced after this many tasks, so that fragmentation never adds up."""

_pools: dict[tuple[int, str], ProcessPool] = {}
_pools_pid = 0
_lock = threading.Lock()


def worker_pool(workers: int = 1, purpose: str = "read") -> ProcessPool:
    """The process's pool of `workers` processes for `purpose`, started on first use (and again
    in a forked child) and reused by every later call. Reading workers cap their own memory
    (`cap_memory`), so other work (reports) gets a pool of its own."""
    global _pools_pid
    with _lock:
        if _pools_pid != os.getpid():
            _pools.clear()
            _pools_pid = os.getpid()
        pool = _pools.get((workers, purpose))
        if pool is None or not pool.active:
            # Arrow's jemalloc reserves about 1 GB of address space up front, which RLIMIT_DATA
            # counts: the workers (spawned with this environment) use the system allocator, and
            # the cap measures what a file really takes (430 MB for all the real samples)
            os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
            _polars_threads(workers)
            pool = ProcessPool(
                max_workers=workers,
                max_tasks=TASKS_PER_WORKER,
                initializer=_quiet,
                context=multiprocessing.get_context("spawn"),
            )
            _pools[workers, purpose] = pool
            atexit.register(_stop, pool)
        return pool


_USER_POLARS_THREADS = os.environ.get("POLARS_MAX_THREADS")


def _polars_threads(workers: int) -> None:
    """Workers spawned from now on get the cores shared out between them as Polars threads
    (one each when there are as many workers as cores), unless the user set
    POLARS_MAX_THREADS. An export-sized query costs its thread pool's hand-offs more than its
    work: one thread per worker inspects a file 16% faster, and two workers with two threads
    each would only contend for the same two cores."""
    if _USER_POLARS_THREADS is None:
        from socialmetrics.compute import cores

        os.environ["POLARS_MAX_THREADS"] = str(max(1, cores() // max(workers, 1)))


WORKER_NICENESS = 5
"""Workers yield the CPU to the process that started them: a run's critical path is that
process (it loads each client in turn while the workers inspect the next ones' files), and
with as many workers as cores it would otherwise get a third of a core less when it needs one.
Measured at 20 clients on two cores: ingest 38.4 s -> 32.3-35.6 s."""


def _quiet() -> None:
    """A worker's own stderr goes nowhere: a reader that runs out of memory prints a Rust
    backtrace there, and what went wrong comes back to the caller as the file's error. And it
    runs at a lower priority than its parent (`WORKER_NICENESS`)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)


def _stop(pool: ProcessPool) -> None:
    pool.stop()  # type: ignore[no-untyped-call]
    pool.join(timeout=5)


def cap_memory(limits: ReadLimits) -> None:
    """In a worker: cap this process's data memory at `limits.worker_memory_mb`."""
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = limits.worker_memory_mb * MB
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


def _read_capped(path: str, limits: ReadLimits) -> RawFile:
    """In the worker: cap this process's data memory, then read."""
    cap_memory(limits)
    return read_file(Path(path), limits)


def read_isolated(path: Path, limits: ReadLimits) -> RawFile:
    """`read_file` in the worker process, within `limits`; any failure is a `FileReadError`.

    >>> read_isolated(Path("Reach.csv"), ReadLimits()).format  # doctest: +SKIP
    'csv'
    """
    future = worker_pool().schedule(
        _read_capped, args=(str(path), limits), timeout=limits.seconds_per_file
    )
    try:
        return future.result()
    except Exception as exc:
        raise failure(path, exc, limits) from None


def failure(path: Path, exc: BaseException, limits: ReadLimits, files: int = 1) -> FileReadError:
    """What a worker's failure on `files` files (`path` the first) means, as a file error: over
    the time cap, out of memory, the process gone, or a reader bug."""
    if isinstance(exc, FileReadError):
        return exc
    if isinstance(exc, FutureTimeout):
        return limits.breach(
            path, f"reading took more than {limits.seconds_per_file * files} s", "seconds_per_file"
        )
    if isinstance(exc, MemoryError):
        return limits.breach(
            path,
            f"reading needed more than {limits.worker_memory_mb:,} MB of memory",
            "worker_memory_mb",
        )
    if isinstance(exc, ProcessExpired):
        return FileReadError(
            path,
            f"refused: the reader stopped (exit code {exc.exitcode}), most likely over the "
            f"memory limit of {limits.worker_memory_mb:,} MB (limits.worker_memory_mb)",
            "If this is a real export, raise limits.worker_memory_mb in socialmetrics.toml",
        )
    return FileReadError(  # a reader bug must cost this file only
        path,
        f"the reader failed unexpectedly ({type(exc).__name__}: {str(exc)[:200]})",
        "Please report it with the file if you can share it",
    )
