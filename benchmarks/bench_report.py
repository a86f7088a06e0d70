"""Report benchmark: monthly reports for N demo clients, seconds per client and peak memory.

Phases, each in its own process (so peak RSS is its own), on the warehouse that
`bench_ingest.py` loaded (benchmarks/out/agency-<N>x13/bench.duckdb):

- baseline: the marts alone (every query a report needs, no rendering), one process;
- html+xlsx: marts + charts + HTML + Excel files;
- pdf: marts + charts + HTML + PDF (WeasyPrint).

The rendering phases run with `--jobs` workers (default 1: the cost of one client on one core;
0: one per core, the default of `socialmetrics report`). CPU seconds include the workers'.
`--copies K` copies every client K times in SQL (`bench_queries.scale`) with a client folder
for each copy (its `client.toml` and notes, no exports): 20 clients x 50 = 1,000 reports.
`--phases` picks phases (the PDF of 1,000 clients takes ~25 minutes on two cores).

    python benchmarks/bench_report.py --clients 100 --jobs 0
    python benchmarks/bench_report.py --clients 20 --copies 50 --jobs 0 --phases baseline,html+xlsx
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
MONTH = "2026-10"


def _phase(name: str, project: Path, jobs: int) -> dict[str, float]:
    from socialmetrics.config import load_client, load_project
    from socialmetrics.extract.discover import client_folders
    from socialmetrics.report.data import build_report
    from socialmetrics.warehouse.base import connect

    proj = load_project(
        project,
        {"warehouse.url": f"duckdb:///{project / 'bench.duckdb'}", "compute.jobs": jobs},
    )
    formats = {"baseline": (), "html+xlsx": ("html", "xlsx"), "pdf": ("pdf",)}[name]
    folders = client_folders(proj.clients_dir)
    start = time.perf_counter()
    if formats:
        from socialmetrics.ops.report import write_reports

        write_reports(proj, month=MONTH, formats=formats)
    else:
        with connect(proj.warehouse_url, proj.root) as wh:
            wh.ensure_schema()  # a warehouse from an older version gains new tables and views
            for folder in folders:
                build_report(wh, load_client(folder, proj), MONTH)
    seconds = time.perf_counter() - start
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return {
        "clients": len(folders),
        "seconds": seconds,
        "per_client": seconds / len(folders),
        "cpu_seconds": sum(u.ru_utime + u.ru_stime for u in usage),
        "peak_mb": max(u.ru_maxrss for u in usage) / 1024.0,
    }


def _copied(source: Path, copies: int) -> Path:
    """The agency with every client copied `copies` times: warehouse rows in SQL, and a folder
    per copy (settings and notes only: reports read the warehouse, not the exports)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_queries import scale
    from socialmetrics.warehouse.base import connect

    project = OUT / f"{source.name}-x{copies}"
    if (project / "bench.duckdb").exists():
        return project
    shutil.rmtree(project, ignore_errors=True)
    (project / "clients").mkdir(parents=True)
    shutil.copy(source / "socialmetrics.toml", project / "socialmetrics.toml")
    shutil.copy(source / "bench.duckdb", project / "building.duckdb")
    scale(project / "building.duckdb", copies, 1)
    with connect(f"duckdb:///{project / 'building.duckdb'}") as wh:
        wh.ensure_schema()  # the materialised tables, rebuilt for every copy
    for folder in sorted((source / "clients").iterdir()):
        for k in range(copies):
            copy = project / "clients" / (folder.name + (f"~{k}" if k else ""))
            copy.mkdir()
            for name in ("client.toml", "notes.toml"):
                if (folder / name).is_file():
                    shutil.copy(folder / name, copy / name)
    (project / "building.duckdb").rename(project / "bench.duckdb")
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--phase")
    parser.add_argument("--project", type=Path)
    parser.add_argument("--jobs", type=int, default=1, help="report workers (0: one per core)")
    parser.add_argument("--copies", type=int, default=1, help="copies of every client")
    parser.add_argument("--phases", default="baseline,html+xlsx,pdf")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(_phase(args.phase, args.project, args.jobs)))
        return
    project = OUT / f"agency-{args.clients}x13"
    if not (project / "bench.duckdb").exists():
        sys.exit(f"run benchmarks/bench_ingest.py --clients {args.clients} first")
    if args.build_only:
        _copied(project, args.copies)
        return
    if args.copies > 1:
        # in a process of its own: Linux keeps a process's peak RSS across exec, so the
        # copying (GBs in DuckDB at 50 copies) would show as every phase's peak
        build = ["--clients", str(args.clients), "--copies", str(args.copies), "--build-only"]
        subprocess.run([sys.executable, __file__, *build], check=True)
        project = OUT / f"{project.name}-x{args.copies}"
    results = {}
    for name in args.phases.split(","):
        command = [sys.executable, __file__, "--phase", name, "--project", str(project)]
        out = subprocess.run(
            [*command, "--jobs", str(args.jobs)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    name = f"report-results-{args.clients}x{args.copies}-jobs{args.jobs}.json"
    (OUT / name).write_text(json.dumps(results, indent=2))
    print(f"jobs = {args.jobs or 'one per core'}")
    print("| run | clients | seconds | s/client | CPU s | peak MB |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        print(
            f"| {name} | {r['clients']:.0f} | {r['seconds']:.1f} | {r['per_client']:.2f} | "
            f"{r['cpu_seconds']:.1f} | {r['peak_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
