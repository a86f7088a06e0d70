"""Uploads from the portal: export files saved into a client's folder and checked at once, as
`socialmetrics check` would; and ingest/report runs started from the page as background
processes of the same CLI, whose output the page follows.

A saved file keeps its (cleaned) name under `uploads/<date>/` in the client's folder, so the
next ingest finds it like any file copied there by hand. A name already taken by other bytes
gets a suffix; the same bytes again are not saved twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from socialmetrics.config import Project
from socialmetrics.errors import UsageError
from socialmetrics.extract.limits import MB
from socialmetrics.ingest.inspect import check_paths
from socialmetrics.ingest.results import FileResult

CHUNK = 1 << 20
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def safe_name(name: str) -> str:
    """The file's own name without any folder part or character a path could misuse."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    cleaned = _UNSAFE.sub("_", base)[:150]
    return cleaned or "upload"


def save_upload(folder: Path, name: str, stream: BinaryIO, max_mb: int) -> tuple[Path, bool]:
    """Write one uploaded file into `folder` (at most `max_mb`); (path, saved) where saved is
    False when the same bytes were already there under that name."""
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".upload-{uuid.uuid4().hex}"
    digest = hashlib.sha256()
    size = 0
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_mb * MB:
                    raise UsageError(
                        f"{name}: larger than {max_mb} MB (limits.max_file_mb): not saved"
                    )
                digest.update(chunk)
                out.write(chunk)
        target = folder / safe_name(name)
        stem, suffix, n = target.stem, target.suffix, 1
        while target.exists():
            if hashlib.sha256(target.read_bytes()).digest() == digest.digest():
                return target, False
            n += 1
            target = folder / f"{stem} ({n}){suffix}"
        partial.replace(target)
        return target, True
    finally:
        partial.unlink(missing_ok=True)


def upload_folder(project: Project, client_id: str, today: dt.date | None = None) -> Path:
    return project.clients_dir / client_id / "uploads" / (today or dt.date.today()).isoformat()


def check_uploaded(project: Project, paths: list[Path]) -> list[FileResult]:
    """What each uploaded file is, checked as its client (exactly as `ingest` will read it)."""
    return check_paths(paths, project)


def rows_of(result: FileResult) -> int:
    """Rows the file would load (after its own de-duplication)."""
    return sum(t.frame.height for t in result.tables)


@dataclass
class Job:
    """One `ingest` or `report` started from the portal: its command and what it printed."""

    id: str
    client_id: str
    title: str
    command: list[str]
    started: float = field(default_factory=time.monotonic)
    output: list[str] = field(default_factory=list)
    exit_code: int | None = None

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


class Jobs:
    """Background runs of the CLI, one at a time per client, followed by the page."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, client_id: str, kind: str, month: str | None = None) -> Job:
        if kind not in ("ingest", "report"):
            raise UsageError(f"unknown run {kind!r}")
        with self._lock:
            running = [j for j in self._jobs.values() if j.exit_code is None]
            if any(j.client_id == client_id for j in running):
                raise UsageError(f"a run for {client_id} is already going: wait for it to end")
            args = [kind, "--project", str(self.project.root), "--client", client_id]
            if kind == "report" and month:
                args += ["--month", month]
            if kind == "ingest":
                args.append("--silent")  # the summary, without the progress bar's redraws
            command = [sys.executable, "-m", "socialmetrics.cli", *args]
            job = Job(uuid.uuid4().hex, client_id, f"{kind} {client_id}", command)
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job,), daemon=True).start()
        return job

    def _run(self, job: Job) -> None:
        try:
            process = subprocess.Popen(
                job.command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                cwd=self.project.root,
            )
        except OSError as exc:  # the page must end, not say "running" for ever
            job.output.append(f"the run could not start: {exc}")
            job.exit_code = 2
            return
        assert process.stdout is not None
        for line in process.stdout:
            job.output.append(line.rstrip("\n"))
        job.exit_code = process.wait()

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def of_clients(self, clients: Iterable[str]) -> list[Job]:
        wanted = set(clients)
        return [j for j in self._jobs.values() if j.client_id in wanted]
