"""Ingest benchmark: the demo agency at N clients, against a bare read of the same files.

Each phase runs in its own process so its peak memory (max RSS) is its own:

- baseline: DuckDB `read_csv` (auto-detect; UTF-16 files decoded first, as any reader must) for
  every CSV and a fastexcel read of every sheet of every workbook: reading only, no recognition,
  no cleaning, no loading;
- socialmetrics: `ingest` of the whole agency into a fresh DuckDB file (read, recognise, parse,
  de-duplicate, enrich, load, with lineage and quarantine).

    python benchmarks/bench_ingest.py --clients 100          # or: make bench

Prints a Markdown table and writes benchmarks/out/results-<clients>.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def phase_baseline(project: Path) -> dict[str, float]:
    import duckdb
    import fastexcel

    files = sorted(
        p for p in (project / "clients").rglob("*") if p.suffix in (".csv", ".xlsx", ".xls")
    )
    con = duckdb.connect()
    rows = failed = 0
    start = time.perf_counter()
    for path in files:
        try:
            if path.suffix == ".csv":
                data = path.read_bytes()
                if data[:2] == b"\xff\xfe":  # DuckDB reads UTF-8: decode Meta's UTF-16 first
                    tmp = OUT / "_utf8.csv"
                    tmp.write_bytes(data.decode("utf-16").encode("utf-8"))
                    target = tmp
                else:
                    target = path
                rel = con.read_csv(str(target), header=True, ignore_errors=True, null_padding=True)
                rows += rel.shape[0]
            else:
                book = fastexcel.read_excel(path)
                for name in book.sheet_names:
                    rows += book.load_sheet(name).height
        except Exception:
            failed += 1
    seconds = time.perf_counter() - start
    return {
        "files": len(files),
        "rows": rows,
        "failed": failed,
        "seconds": seconds,
        "peak_mb": _peak_mb(),
    }


def phase_ingest(project: Path) -> dict[str, float]:
    from socialmetrics.config import load_project
    from socialmetrics.ingest import ingest

    warehouse = project / "bench.duckdb"
    warehouse.unlink(missing_ok=True)
    start = time.perf_counter()
    summary = ingest(load_project(project, {"warehouse.url": f"duckdb:///{warehouse}"}))
    seconds = time.perf_counter() - start
    totals = summary.totals()
    files = totals["files_loaded"] + totals["files_failed"]
    return {
        "files": files,
        "rows": totals["rows_loaded"],
        "failed": totals["files_failed"],
        "seconds": seconds,
        "peak_mb": _peak_mb(),
    }


def _run_phase(name: str, project: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--project", str(project)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--months", type=int, default=13)
    parser.add_argument("--phase", choices=["baseline", "ingest"])
    parser.add_argument("--project", type=Path)
    args = parser.parse_args()
    if args.phase:
        result = (
            phase_baseline(args.project) if args.phase == "baseline" else phase_ingest(args.project)
        )
        print(json.dumps(result))
        return
    from socialmetrics.demo.generator import generate_demo

    OUT.mkdir(exist_ok=True)
    project = OUT / f"agency-{args.clients}x{args.months}"
    marker = project / ".complete"
    if not marker.exists():
        start = time.perf_counter()
        written = generate_demo(
            project, clients=args.clients, months=args.months, seed=7, end_month="2026-10"
        )
        marker.write_text(str(written))
        print(f"generated {written} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    results = {"baseline": _run_phase("baseline", project), "ingest": _run_phase("ingest", project)}
    results["machine"] = {
        "python": platform.python_version(),
        "cpus": __import__("os").cpu_count(),
        "clients": args.clients,
        "months": args.months,
    }
    (OUT / f"results-{args.clients}.json").write_text(json.dumps(results, indent=2))
    print("| run | files | rows | seconds | files/s | rows/s | peak MB |")
    print("|---|---|---|---|---|---|---|")
    for name in ("baseline", "ingest"):
        r = results[name]
        print(
            f"| {name} | {r['files']:.0f} | {r['rows']:.0f} | {r['seconds']:.1f} | "
            f"{r['files'] / r['seconds']:.0f} | {r['rows'] / r['seconds']:.0f} | "
            f"{r['peak_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
