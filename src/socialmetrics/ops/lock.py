"""One writing command at a time per project: a lock the kernel holds for us.

The lock is `flock` on `.socialmetrics.lock`: the kernel grants it to one process and releases
it when that process ends, however it ends (kill -9 included), so a lock is never "stale" and
never taken from a live owner that is still writing its details (a second process used to see
the empty file of one just starting, call it stale and run too). The file says who holds it and
since when, for messages and `status`; it is removed on release.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from socialmetrics.errors import RunInProgress

__all__ = ["LOCK_FILE", "RunInProgress", "project_lock", "read_lock"]

LOCK_FILE = ".socialmetrics.lock"


def _parse(text: str) -> dict[str, object]:
    try:
        info = json.loads(text)
    except json.JSONDecodeError:
        info = None
    if isinstance(info, dict):
        return info
    return {"pid": None, "host": "", "started_at": "?", "command": "run (starting)"}


def read_lock(root: Path) -> dict[str, object] | None:
    """What the lock file says of its holder, or None when there is no lock file."""
    try:
        return _parse((root / LOCK_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except OSError:
        return _parse("")


def _acquire(path: Path) -> int | None:
    """The locked file's descriptor, or None when another process holds the lock."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    try:
        same = os.fstat(fd).st_ino == path.stat().st_ino
    except FileNotFoundError:
        same = False
    if not same:  # the previous holder removed the file between our open and our lock
        os.close(fd)
        return _acquire(path)
    return fd


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
    while (fd := _acquire(path)) is None:
        if not wait or (deadline is not None and time.monotonic() > deadline):
            info = read_lock(root) or _parse("")
            raise RunInProgress(
                f"a {info.get('command')} is in progress since {info.get('started_at')} "
                f"(process {info.get('pid')} on {info.get('host')}); wait for it to finish, "
                "or use --wait"
            )
        time.sleep(poll_seconds)
    try:
        left = _parse(os.read(fd, 1 << 16).decode("utf-8", "replace"))
        if left.get("pid"):  # a holder that died without removing its file
            me["took_over_from"] = left["pid"]
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(me).encode())
        yield me
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # while still locked: whoever opened it before must try again
        os.close(fd)
