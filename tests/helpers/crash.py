"""kill -9 trials: start a writing command, kill it at a random moment, run it again, and
compare the warehouse with a clean run's. Used by `tests/test_kill_trials.py` (a few trials,
in CI) and by `benchmarks/kill_trials.py` (many)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialmetrics.warehouse.base import connect

FILES = Path(__file__).resolve().parent.parent / "files"
CLIENT_SOURCES = {
    "acme": ("instagram", "tiktok"),
    "beta": ("twitter", "youtube"),
    "gamma": ("linkedin", "facebook"),
}
VOLATILE = ("load_id", "loaded_at", "started_at", "finished_at", "run_id", "retired_at")
COMPARED = (
    "account_daily",
    "posts",
    "audience",
    "competitors",
    "quarantine",
    "layout_changes",
)
MONTH = "2026-03"
FILE_TIMES_NS = 1_772_000_000 * 10**9
"""Every copied file's mtime, plus one second per file in copy order: which export of a row
wins depends on file times, so two agencies compare equal only when their times match (copy
times may tie or not, a few milliseconds apart)."""


def fresh_url(postgres: str | None, folder: Path, name: str) -> str:
    """An empty warehouse for one trial: a DuckDB file in `folder`, or a new schema on the
    PostgreSQL server at `postgres`."""
    if postgres is None:
        return f"duckdb:///{folder / f'{name}.duckdb'}"
    schema = f"kill_{os.getpid()}_{name}"
    with connect(postgres) as wh:
        wh.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        wh.execute(f"CREATE SCHEMA {schema}")
        wh.commit()
    return f"{postgres}?options=-csearch_path%3D{schema}"


def make_agency(root: Path, url: str) -> Path:
    """Three clients, each with the test files of two platforms (about 60 files), with the
    same file times in every agency made."""
    copied = 0
    for client, platforms in CLIENT_SOURCES.items():
        for platform in platforms:
            for path in sorted((FILES / platform).iterdir()):
                if path.is_file():
                    dest = root / "clients" / client / platform / path.name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, dest)
                    stamp = FILE_TIMES_NS + copied * 10**9
                    os.utime(dest, ns=(stamp, stamp))
                    copied += 1
    (root / "socialmetrics.toml").write_text(f'[warehouse]\nurl = "{url}"\n', encoding="utf-8")
    return root


def command(root: Path, name: str) -> list[str]:
    base = [sys.executable, "-m", "socialmetrics.cli", name, "--project", str(root)]
    if name == "ingest":
        return [*base, "--silent"]
    return [*base, "--month", MONTH]


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """What the warehouse holds, without what differs between two clean runs (load ids and
    times): canonical views, quarantine, layout changes, and each file's ledger entry."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with connect(url) as wh:
        for name in COMPARED:
            table = wh.query_arrow(f"SELECT * FROM {name}")
            keep = [c for c in table.column_names if c not in VOLATILE]
            rows = zip(*(table.column(c).to_pylist() for c in keep), strict=True)
            out[name] = sorted((tuple(map(repr, row)) for row in rows), key=repr)
        out["source_files"] = sorted(
            wh.query(
                "SELECT client_id, path, file_id, status, rows_loaded, rows_quarantined "
                "FROM source_files"
            ),
            key=repr,
        )
        out["running"] = wh.query(
            "SELECT COUNT(*) FROM load_runs WHERE status = 'running'"
        ) + wh.query("SELECT COUNT(*) FROM job_runs WHERE status = 'running'")
    return out


@dataclass
class Trial:
    command: str
    delay: float
    killed: bool
    exit_code: int
    equal: bool
    differences: list[str] = field(default_factory=list)


def clean_run(root: Path, name: str) -> tuple[float, dict[str, list[tuple[Any, ...]]], str]:
    """One run to completion: its duration, snapshot and URL."""
    url = root.joinpath("socialmetrics.toml").read_text().split('"')[1]
    start = time.monotonic()
    done = subprocess.run(command(root, name), capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    return time.monotonic() - start, snapshot(url), url


def kill_trial(
    root: Path, name: str, delay: float, reference: dict[str, list[tuple[Any, ...]]], url: str
) -> Trial:
    """Start `name`, SIGKILL it after `delay` seconds, run it again to the end, compare."""
    proc = subprocess.Popen(
        command(root, name), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    again = subprocess.run(command(root, name), capture_output=True, text=True, timeout=600)
    after = snapshot(url)
    differences = [
        f"{table}: {len(after.get(table, []))} rows vs {len(rows)} in a clean run"
        for table, rows in reference.items()
        if after.get(table) != rows
    ]
    return Trial(name, delay, killed, again.returncode, not differences, differences)
