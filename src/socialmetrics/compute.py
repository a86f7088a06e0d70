"""Where the parallel steps run: worker processes on this machine (the default, one per core)
or the workers of a Dask distributed cluster (`compute.engine = "dask://scheduler:8786"`).

Both are driven the same way, as `concurrent.futures` executors (Dask's
`Client.get_executor()` is one), so inspection and rendering code does not know which it runs
on. Local workers are spawned processes with a memory cap and a per-task time cap (pebble
kills a task over time); Dask workers are capped by Dask itself (`--memory-limit`, the nanny
restarts a worker over it), and a task over time is abandoned rather than killed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from socialmetrics.errors import UsageError
from socialmetrics.platforms.registry import extra_folders, use_extra_folders

DASK_SCHEME = "dask"


def cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Engine(Protocol):
    """What the parallel steps need of where they run."""

    url: str
    jobs: int
    """Tasks worth keeping in flight at once: the workers' number."""
    caps_workers: bool
    """True when each task's worker process has the project's memory cap (local workers)."""

    def submit(self, fn: Callable[..., Any], *args: Any, timeout: float | None) -> Future[Any]:
        """Run `fn(*args)` on a worker; `timeout` seconds at most where the engine can stop it."""
        ...

    def close(self) -> None: ...


@dataclass
class LocalEngine:
    """`jobs` spawned worker processes on this machine (a pool per purpose, reused by later
    runs): `read` workers cap their memory, `render` workers do not."""

    jobs: int
    purpose: str = "read"
    url: str = "local"
    caps_workers: bool = True

    def submit(self, fn: Callable[..., Any], *args: Any, timeout: float | None) -> Future[Any]:
        from socialmetrics.extract.worker import worker_pool

        pool = worker_pool(self.jobs, self.purpose)
        return pool.schedule(in_worker, args=(extra_folders(), fn, *args), timeout=timeout)

    def close(self) -> None:
        """The pool stays for the next run of this process (starting workers costs seconds)."""


@dataclass
class DaskEngine:
    """The workers of a Dask distributed cluster, through `Client.get_executor()`."""

    url: str
    address: str
    client: Any = field(repr=False)
    jobs: int = 1
    executor: Any = field(default=None, repr=False)
    caps_workers: bool = False

    @classmethod
    def connect(cls, url: str, timeout: float = 30) -> DaskEngine:
        try:
            from distributed import Client
        except ImportError as exc:
            raise UsageError(
                f"compute.engine = {url!r} needs Dask distributed: pip install "
                "'socialmetrics[dask]'"
            ) from exc
        address = "tcp://" + url.split("://", 1)[1]
        try:
            client = Client(address, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise UsageError(
                f"cannot reach the Dask scheduler at {address} (compute.engine): {exc}. Is "
                "`dask scheduler` running there, and the port open?"
            ) from exc
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        if not threads:
            client.close()  # type: ignore[no-untyped-call]
            raise UsageError(f"the Dask scheduler at {address} has no workers (compute.engine)")
        return cls(url=url, address=address, client=client, jobs=threads)

    def submit(self, fn: Callable[..., Any], *args: Any, timeout: float | None) -> Future[Any]:
        if self.executor is None:
            self.executor = self.client.get_executor(pure=False)
        future: Future[Any] = self.executor.submit(in_worker, extra_folders(), fn, *args)
        return future

    def close(self) -> None:
        self.client.close()


def in_worker(folders: tuple[Path, ...], fn: Callable[..., Any], *args: Any) -> Any:
    """Run a task in a worker that knows the same platforms as the process that sent it."""
    use_extra_folders(folders)
    return fn(*args)


def check_engine_url(url: str) -> str:
    """The engine URL if it is `local` or `dask://host:port`; else a UsageError saying so."""
    if url == "local":
        return url
    parsed = urlparse(url)
    if parsed.scheme != DASK_SCHEME or not parsed.hostname or parsed.path not in ("", "/"):
        raise UsageError(
            f"compute.engine = {url!r} is not an engine: use local, or dask://host:port for "
            "the scheduler of a Dask distributed cluster"
        )
    return url


def open_engine(url: str = "local", jobs: int = 0, purpose: str = "read") -> Engine:
    """The engine for `url`; `jobs` local workers (0: one per core) for `purpose` (`read`:
    files, with the memory cap; `render`: reports)."""
    url = check_engine_url(url)
    if url == "local":
        if jobs < 0:
            raise UsageError(f"--jobs must be 0 (one per core) or more, got {jobs}")
        return LocalEngine(jobs=jobs or cores(), purpose=purpose)
    return DaskEngine.connect(url)


@contextmanager
def local_dask_cluster(workers: int = 2, log_dir: Path | None = None) -> Iterator[str]:
    """A real Dask cluster on this machine, for trying `compute.engine` and for the tests and
    benchmarks: a scheduler and `workers` one-thread workers, each its own process, bound to
    127.0.0.1 only, always stopped. Yields the engine URL (`dask://127.0.0.1:<port>`)."""
    import socket
    import subprocess
    import sys

    from distributed import Client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    address = f"tcp://127.0.0.1:{port}"
    commands = [["distributed.cli.dask_scheduler", "--port", str(port)]]
    commands += [["distributed.cli.dask_worker", address, "--nthreads", "1"]] * workers
    procs = []
    try:
        for i, (module, *args) in enumerate(commands):
            log = (log_dir / f"dask-{i}.log").open("w") if log_dir else subprocess.DEVNULL
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", module, *args, "--host", "127.0.0.1", "--no-dashboard"],
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                )
            )
        with Client(address, timeout=60) as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(workers, timeout=60)
        yield f"{DASK_SCHEME}://127.0.0.1:{port}"
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
