"""Ingest benchmark: the demo agency at N clients, beside plain baselines run on the same files.

Each phase runs in its own process, so that its peak memory (max RSS) and CPU time are its own
(worker processes included):

- polars: a bare read of every file, Polars `read_csv` (UTF-16 decoded first) and fastexcel
  for every sheet: reading only, no recognition, no cleaning, no loading;
- duckdb: DuckDB `read_csv` (auto-detect) of every CSV, fastexcel for the workbooks;
- pandas: `benchmarks/pandas_script.py`, the pandas + openpyxl script an analyst would write;
- ingest-1 / ingest-all: `ingest` of the whole agency into a fresh DuckDB file with one worker
  and with one per core (read, recognise, parse, de-duplicate, enrich, load with lineage);
- incremental: 12 months loaded, then the 13th month added, then a run with nothing new;
- dask: the same ingest through a local Dask cluster (a scheduler and 2 one-thread workers,
  separate processes on 127.0.0.1);
- postgres: the ingest with all cores into a fresh schema of the PostgreSQL server given by
  `--postgres URL` (the server's own CPU is not counted: it is not this process's child).

Every baseline reads every file it times and counts its failures.

    python benchmarks/bench_ingest.py --clients 60          # make bench: 20 clients
    python benchmarks/bench_ingest.py --clients 60 --phases ingest-all,incremental

Prints a Markdown table and writes benchmarks/out/results-<clients>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
PHASES = ("polars", "duckdb", "pandas", "ingest-1", "ingest-all", "incremental", "dask")
OPTIONAL = ("postgres",)
"""Phases run only when asked for (they need a server)."""
EXPORTS = (".csv", ".xlsx", ".xls", ".zip")


class WorkerPeak:
    """The largest peak RSS (`VmHWM`) of this process's live children, sampled twice a second.

    `RUSAGE_CHILDREN`'s maxrss is not the workers' memory: the pool replaces a worker every
    `TASKS_PER_WORKER` tasks, the new one is forked from this process before it execs, and
    Linux keeps the parent's RSS of that moment as the child's peak (a worker started late
    in a 1,000-client run "peaked" at the main process's 1.6 GB)."""

    def __init__(self) -> None:
        self.mb = 0.0
        self.live = any(Path("/proc/self/task").glob("*/children"))
        if self.live:
            threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        tasks = Path(f"/proc/{os.getpid()}/task")  # any thread may start a worker
        while True:
            for children in tasks.glob("*/children"):
                try:
                    pids = children.read_text().split()
                except OSError:
                    continue  # the thread ended meanwhile
                for pid in pids:
                    try:
                        status = Path(f"/proc/{pid}/status").read_text()
                    except OSError:
                        continue  # gone meanwhile
                    for line in status.splitlines():
                        if line.startswith("VmHWM:"):
                            self.mb = max(self.mb, int(line.split()[1]) / 1024.0)
            time.sleep(0.5)


_WORKER_PEAK: WorkerPeak | None = None


def _usage(start: float) -> dict[str, float]:
    """Wall seconds, CPU seconds (this process and its finished workers) and peak RSS (this
    process; its workers, sampled while they ran)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    sampled = _WORKER_PEAK is not None and _WORKER_PEAK.live
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": cpu,
        "peak_mb": me.ru_maxrss / 1024.0,
        "worker_peak_mb": _WORKER_PEAK.mb if sampled else kids.ru_maxrss / 1024.0,
    }


def _files(project: Path) -> list[Path]:
    return sorted(p for p in (project / "clients").rglob("*") if p.suffix.lower() in EXPORTS)


def _utf8(path: Path, tmp: Path) -> Path:
    """Meta's UTF-16 CSVs decoded to UTF-8 (the bare readers read UTF-8 only)."""
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        tmp.write_bytes(data.decode("utf-16").encode("utf-8"))
        return tmp
    return path


def _members(path: Path) -> list[bytes]:
    """The CSVs of a zip export (YouTube Studio's downloads), as bytes."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return [archive.read(n) for n in archive.namelist() if n.lower().endswith(".csv")]


def _bare_read(project: Path, csv_rows: Callable[[Path], int]) -> dict[str, Any]:
    """Every file read by a bare reader: `csv_rows` for each CSV (and each CSV of a zip, via
    a temporary UTF-8 file), fastexcel for every sheet of every workbook."""
    import fastexcel

    files, rows, failed = _files(project), 0, 0
    tmp = Path(tempfile.mkdtemp()) / "utf8.csv"
    start = time.perf_counter()
    for path in files:
        try:
            if path.suffix.lower() == ".csv":
                rows += csv_rows(_utf8(path, tmp))
            elif path.suffix.lower() == ".zip":
                for data in _members(path):
                    tmp.write_bytes(data)
                    rows += csv_rows(tmp)
            else:
                book = fastexcel.read_excel(path)
                rows += sum(book.load_sheet(name).height for name in book.sheet_names)
        except Exception:
            failed += 1
    return {"files": len(files), "rows": rows, "failed": failed, **_usage(start)}


def phase_polars(project: Path) -> dict[str, Any]:
    import polars as pl

    def csv_rows(path: Path) -> int:
        options = {"has_header": False, "infer_schema": False, "truncate_ragged_lines": True}
        return pl.read_csv(path, **options).height  # type: ignore[arg-type]

    return _bare_read(project, csv_rows)


def phase_duckdb(project: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()

    def csv_rows(path: Path) -> int:
        rel = con.read_csv(str(path), header=True, ignore_errors=True, null_padding=True)
        return int(rel.shape[0])

    return _bare_read(project, csv_rows)


def phase_pandas(project: Path) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent))
    import pandas_script

    start = time.perf_counter()
    out = Path(tempfile.mkdtemp()) / "pandas.duckdb"
    result = pandas_script.main(project, out)
    return {**result, **_usage(start)}


def _ingest(project: Path, warehouse: Path, **overrides: Any) -> dict[str, Any]:
    return _ingest_into(project, f"duckdb:///{warehouse}", **overrides)


def _ingest_into(project: Path, url: str, **overrides: Any) -> dict[str, Any]:
    from socialmetrics.config import load_project
    from socialmetrics.ingest import ingest

    settings = {"warehouse.url": url, **overrides}
    summary = ingest(load_project(project, settings))
    totals = summary.totals()
    return {
        "files": totals["files_loaded"] + totals["files_failed"],
        "files_unchanged": totals["files_unchanged"],
        "rows": totals["rows_loaded"],
        "failed": totals["files_failed"],
    }


def _stop_workers() -> None:
    """Stop the worker pools, so that their CPU time and peak memory count (RUSAGE_CHILDREN)."""
    from socialmetrics.extract import worker

    for pool in list(worker._pools.values()):
        worker._stop(pool)


def phase_ingest(project: Path, jobs: int) -> dict[str, Any]:
    warehouse = Path(tempfile.mkdtemp()) / "bench.duckdb"
    start = time.perf_counter()
    result = _ingest(project, warehouse, **{"compute.jobs": jobs})
    _stop_workers()
    keep = project / "bench.duckdb"  # what bench_report.py and bench_queries.py read
    keep.unlink(missing_ok=True)
    shutil.move(warehouse, keep)
    return {**result, "jobs": jobs, **_usage(start)}


def phase_incremental(project: Path) -> dict[str, Any]:
    """12 months loaded, then the 13th, then nothing new; the files are hard links (same
    bytes and times as the originals)."""
    root = Path(tempfile.mkdtemp()) / "agency"
    root.mkdir()
    shutil.copy(project / "socialmetrics.toml", root / "socialmetrics.toml")
    months = sorted({p.name for p in (project / "clients").glob("*/*") if p.is_dir()})
    last = months[-1]

    def link(only_last: bool) -> None:
        for path in (project / "clients").rglob("*"):
            rel = path.relative_to(project / "clients")
            if path.is_dir() or (len(rel.parts) > 2 and (rel.parts[1] == last) != only_last):
                continue
            dest = root / "clients" / rel
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, dest)

    link(only_last=False)
    warehouse = root / "bench.duckdb"
    out: dict[str, Any] = {"month_added": last}
    for step in ("first_12_months", "month_13", "no_change"):
        if step == "month_13":
            link(only_last=True)
        start = time.perf_counter()
        result = _ingest(root, warehouse)
        out[step] = {**result, "seconds": time.perf_counter() - start}
    _stop_workers()
    return {**out, **_usage(time.perf_counter())}


def phase_dask(project: Path) -> dict[str, Any]:
    from socialmetrics.compute import local_dask_cluster

    with local_dask_cluster(workers=2) as url:
        warehouse = Path(tempfile.mkdtemp()) / "dask.duckdb"
        start = time.perf_counter()
        result = _ingest(project, warehouse, **{"compute.engine": url})
        usage = _usage(start)
    usage["cpu_seconds"] = float("nan")  # the workers are not this process's children
    return {**result, **usage}


def phase_postgres(project: Path, url: str) -> dict[str, Any]:
    from socialmetrics.warehouse.base import connect

    schema = f"bench_ingest_{int(time.time())}"
    with connect(url) as wh:
        wh.execute(f"CREATE SCHEMA {schema}")
        wh.commit()
    start = time.perf_counter()
    result = _ingest_into(project, f"{url}?options=-csearch_path%3D{schema}")
    _stop_workers()
    return {**result, **_usage(start)}


def run_phase(name: str, project: Path, postgres: str | None = None) -> dict[str, Any]:
    global _WORKER_PEAK
    _WORKER_PEAK = WorkerPeak()
    if name == "postgres":
        if not postgres:
            raise SystemExit("the postgres phase needs --postgres postgresql://...")
        return phase_postgres(project, postgres)
    if name == "polars":
        return phase_polars(project)
    if name == "duckdb":
        return phase_duckdb(project)
    if name == "pandas":
        return phase_pandas(project)
    if name == "ingest-1":
        return phase_ingest(project, 1)
    if name == "ingest-all":
        return phase_ingest(project, 0)
    if name == "incremental":
        return phase_incremental(project)
    return phase_dask(project)


def _in_process(name: str, project: Path, postgres: str | None) -> dict[str, Any]:
    extra = ["--postgres", postgres] if postgres else []
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--project", str(project), *extra],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def agency(clients: int, months: int) -> Path:
    """The demo agency at `clients` x `months`, generated once into benchmarks/out/."""
    from socialmetrics.demo.generator import generate_demo

    project = OUT / f"agency-{clients}x{months}"
    marker = project / ".complete"
    if not marker.exists():
        start = time.perf_counter()
        written = generate_demo(
            project, clients=clients, months=months, seed=7, end_month="2026-10"
        )
        marker.write_text(str(written))
        print(f"generated {written} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return project


def table(results: dict[str, Any]) -> str:
    """The results as the Markdown table of docs/benchmarks.md."""
    lines = [
        "| run | files | rows | failed | seconds | files/s | rows/s | CPU (cores) | peak MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        if name in ("machine", "incremental") or "error" in r:
            continue
        dask = name == "dask"  # its workers are not this process's children: no CPU figure
        cores = "n/a" if dask else f"{r['cpu_seconds'] / r['seconds']:.2f}"
        peak = (
            f"{r['peak_mb']:,.0f} (driver)"
            if dask
            else f"{max(r['peak_mb'], r['worker_peak_mb']):,.0f}"
        )
        lines.append(
            f"| {'dask (2 workers)' if dask else name} | {r['files']:,} | {r['rows']:,.0f} | "
            f"{r['failed']} | {r['seconds']:.1f} | {r['files'] / r['seconds']:,.0f} | "
            f"{r['rows'] / r['seconds']:,.0f} | {cores} | {peak} |"
        )
    if "incremental" in results and "error" not in results["incremental"]:
        r = results["incremental"]
        lines.append("")
        lines.append("| incremental step | files read | files unchanged | seconds |")
        lines.append("|---|---|---|---|")
        for step in ("first_12_months", "month_13", "no_change"):
            s = r[step]
            lines.append(
                f"| {step} | {s['files']:,} | {s['files_unchanged']:,} | {s['seconds']:.2f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--months", type=int, default=13)
    parser.add_argument("--phases", default=",".join(PHASES))
    parser.add_argument("--phase", choices=(*PHASES, *OPTIONAL))
    parser.add_argument("--project", type=Path)
    parser.add_argument("--postgres", help="postgresql://user@127.0.0.1:port/db (phase postgres)")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.project, args.postgres)))
        return
    OUT.mkdir(exist_ok=True)
    project = agency(args.clients, args.months)
    results: dict[str, Any] = {}
    for name in args.phases.split(","):
        results[name] = _in_process(name, project, args.postgres)
        print(f"{name}: {json.dumps(results[name])}", file=sys.stderr)
    results["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "clients": args.clients,
        "months": args.months,
        "date": time.strftime("%Y-%m-%d"),
    }
    (OUT / f"results-{args.clients}.json").write_text(json.dumps(results, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
