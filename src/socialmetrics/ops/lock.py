"""One run at a time per project: a lock file that says who holds it and since when.

The file is created with O_EXCL, so of two processes only one can hold it. A lock left behind by
a process that died (same host, PID no longer alive) is taken over; one held by a live process
makes the second run stop with a clear message, or wait (`wait=True`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from socialmetrics.errors import RunInProgress

__all__ = ["LOCK_FILE", "RunInProgress", "project_lock", "read_lock"]

LOCK_FILE = ".socialmetrics.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def read_lock(root: Path) -> dict[str, object] | None:
    """Who holds the lock, or None."""
    try:
        return dict(json.loads((root / LOCK_FILE).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (json.JSONDecodeError, OSError, TypeError):
        return {"pid": -1, "host": "", "started_at": "?", "command": "?"}  # unreadable: stale


def _is_stale(info: dict[str, object]) -> bool:
    pid = info.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return True
    return info.get("host") == socket.gethostname() and not _alive(pid)


@contextlib.contextmanager
def project_lock(
    root: Path,
    command: str = "run",
    *,
    wait: bool = False,
    poll_seconds: float = 1.0,
    timeout_seconds: float | None = None,
) -> Iterator[dict[str, object]]:
    """Hold the project's lock for the duration of the block."""
    path = root / LOCK_FILE
    me: dict[str, object] = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": command,
    }
    deadline = None if timeout_seconds is None else time.monotonic() + timeout_seconds
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            info = read_lock(root)
            if info is None:
                continue  # released between our two calls
            if _is_stale(info):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()  # a dead process's lock: take it over (O_EXCL decides who)
                me["took_over_from"] = info.get("pid")
                continue
            if not wait or (deadline is not None and time.monotonic() > deadline):
                raise RunInProgress(
                    f"a {info.get('command')} is in progress since {info.get('started_at')} "
                    f"(process {info.get('pid')} on {info.get('host')}); wait for it to finish, "
                    "or use --wait"
                ) from None
            time.sleep(poll_seconds)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(me, fh)
        break
    try:
        yield me
    finally:
        current = read_lock(root)
        if current is not None and current.get("pid") == me["pid"]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
