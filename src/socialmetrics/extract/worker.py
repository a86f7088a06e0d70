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
"""A worker is replaced after this many files, so that fragmentation never adds up."""

_pool: ProcessPool | None = None
_pool_pid = 0
_lock = threading.Lock()


def _worker_pool() -> ProcessPool:
    """The process's reading pool, started on first use (and again in a forked child)."""
    global _pool, _pool_pid
    with _lock:
        if _pool is None or not _pool.active or _pool_pid != os.getpid():
            _pool = ProcessPool(
                max_workers=1,
                max_tasks=TASKS_PER_WORKER,
                initializer=_quiet,
                context=multiprocessing.get_context("spawn"),
            )
            _pool_pid = os.getpid()
            atexit.register(_stop, _pool)
        return _pool


def _quiet() -> None:
    """A worker's own stderr goes nowhere: a reader that runs out of memory prints a Rust
    backtrace there, and what went wrong comes back to the caller as the file's error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _stop(pool: ProcessPool) -> None:
    pool.stop()  # type: ignore[no-untyped-call]
    pool.join(timeout=5)


def _read_capped(path: str, limits: ReadLimits) -> RawFile:
    """In the worker: cap this process's data memory, then read."""
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = limits.worker_memory_mb * MB
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    return read_file(Path(path), limits)


def read_isolated(path: Path, limits: ReadLimits) -> RawFile:
    """`read_file` in the worker process, within `limits`; any failure is a `FileReadError`.

    >>> read_isolated(Path("Reach.csv"), ReadLimits()).format  # doctest: +SKIP
    'csv'
    """
    future = _worker_pool().schedule(
        _read_capped, args=(str(path), limits), timeout=limits.seconds_per_file
    )
    try:
        return future.result()
    except FutureTimeout:
        raise limits.breach(
            path, f"reading took more than {limits.seconds_per_file} s", "seconds_per_file"
        ) from None
    except MemoryError:
        raise limits.breach(
            path,
            f"reading needed more than {limits.worker_memory_mb:,} MB of memory",
            "worker_memory_mb",
        ) from None
    except FileReadError:
        raise
    except ProcessExpired as exc:
        raise FileReadError(
            path,
            f"refused: the reader stopped (exit code {exc.exitcode}), most likely over the "
            f"memory limit of {limits.worker_memory_mb:,} MB (limits.worker_memory_mb)",
            "If this is a real export, raise limits.worker_memory_mb in socialmetrics.toml",
        ) from None
    except Exception as exc:  # a reader bug must cost this file only
        raise FileReadError(
            path,
            f"the reader failed unexpectedly ({type(exc).__name__}: {str(exc)[:200]})",
            "Please report it with the file if you can share it",
        ) from None
