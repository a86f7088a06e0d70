"""Report benchmark: monthly reports for N demo clients, seconds per client and peak memory.

Phases, each in its own process (so peak RSS is its own), on the warehouse that
`bench_ingest.py` loaded (benchmarks/out/agency-<N>x13/bench.duckdb):

- baseline: the marts alone (every query a report needs, no rendering), one process;
- html+xlsx: marts + charts + HTML + Excel files;
- pdf: marts + charts + HTML + PDF (WeasyPrint).

The rendering phases run with `--jobs` workers (default 1: the cost of one client on one core;
0: one per core, the default of `socialmetrics report`). CPU seconds include the workers'.

    python benchmarks/bench_report.py --clients 100 --jobs 0
"""

from __future__ import annotations

import argparse
import json
import resource
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--phase")
    parser.add_argument("--project", type=Path)
    parser.add_argument("--jobs", type=int, default=1, help="report workers (0: one per core)")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(_phase(args.phase, args.project, args.jobs)))
        return
    project = OUT / f"agency-{args.clients}x13"
    if not (project / "bench.duckdb").exists():
        sys.exit(f"run benchmarks/bench_ingest.py --clients {args.clients} first")
    results = {}
    for name in ("baseline", "html+xlsx", "pdf"):
        command = [sys.executable, __file__, "--phase", name, "--project", str(project)]
        out = subprocess.run(
            [*command, "--jobs", str(args.jobs)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    name = f"report-results-{args.clients}-jobs{args.jobs}.json"
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
