"""Portal load test: N users browsing the agency overview (and client pages) at once for a
bounded time, against `socialmetrics serve`'s app in its own process on 127.0.0.1.

The warehouse is `bench_ingest.py`'s (benchmarks/out/agency-<N>x13/bench.duckdb) with every
client copied `--copies` times in SQL (20 x 10 = 200 clients). Each simulated user logs in
once, then loops: the overview, the overview sorted by engagements, one client's page. The
baseline, measured in the same run, is the portal's health endpoint (the server's own floor:
routing and the socket, no page). Latency percentiles and errors per page; the server is
always stopped.

    python benchmarks/bench_portal.py --clients 20 --copies 10 --users 20 --seconds 30
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out"
PASSWORD = "benchmark password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _project(clients: int, copies: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from bench_queries import scale
    from socialmetrics.warehouse.base import connect
    from socialmetrics.web.users import UserStore

    source = OUT / f"agency-{clients}x13" / "bench.duckdb"
    if not source.exists():
        sys.exit(f"run benchmarks/bench_ingest.py --clients {clients} first")
    root = Path(tempfile.mkdtemp(prefix="sm-portal-"))
    (root / "clients").mkdir()
    warehouse = root / "warehouse.duckdb"
    shutil.copy(source, warehouse)
    if copies > 1:
        scale(warehouse, copies, 1)
    with connect(f"duckdb:///{warehouse}") as wh:
        wh.ensure_schema()  # rebuilds the materialised tables after the copies
    (root / "socialmetrics.toml").write_text(
        f'[warehouse]\nurl = "duckdb:///{warehouse}"\n', encoding="utf-8"
    )
    UserStore(root).add("bench", "analyst", PASSWORD, [])
    return root


def _user(base: str, until: float, client: str, out: dict[str, list[float]], errors: list[str]):  # type: ignore[no-untyped-def]
    import httpx

    with httpx.Client(base_url=base, timeout=30) as http:
        form = http.get("/login").text
        token = re.search(r'name="token" value="([^"]+)"', form)
        assert token
        http.post("/login", data={"username": "bench", "password": PASSWORD, "token": token[1]})
        pages = {
            "health (baseline)": "/healthz",
            "overview": "/",
            "overview sorted": "/?sort=engagements&desc=true",
            "client page": f"/clients/{client}",
        }
        while time.monotonic() < until:
            for name, url in pages.items():
                start = time.perf_counter()
                try:
                    response = http.get(url)
                    ok = response.status_code == 200
                except httpx.HTTPError as exc:
                    ok, response = False, exc  # type: ignore[assignment]
                out[name].append((time.perf_counter() - start) * 1000)
                if not ok:
                    errors.append(f"{name}: {url}: {response}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    root = _project(args.clients, args.copies)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "socialmetrics.cli",
            "serve",
            "--project",
            str(root),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and server.poll() is None, "no server"
                time.sleep(0.2)
        from socialmetrics.warehouse.base import connect

        with connect(f"duckdb:///{root / 'warehouse.duckdb'}?access_mode=read_only") as wh:
            clients, first = wh.query(
                "SELECT COUNT(DISTINCT client_id), MIN(client_id) FROM monthly_kpis"
            )[0]
        times: dict[str, list[float]] = {
            k: [] for k in ("health (baseline)", "overview", "overview sorted", "client page")
        }
        errors: list[str] = []
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=_user, args=(base, until, first, times, errors))
            for _ in range(args.users)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
    results: dict[str, Any] = {"clients": clients, "users": args.users, "seconds": args.seconds}
    print(f"{clients} clients, {args.users} concurrent users, {args.seconds:.0f} s")
    print("| page | requests | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    for name, values in times.items():
        cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        row = {"requests": len(values), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}
        results[name] = row
        failed = sum(1 for e in errors if e.startswith(f"{name}: "))
        print(
            f"| {name} | {row['requests']:,} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['p99']:.1f} | {failed} |"
        )
    results["errors"] = errors
    print(f"errors: {len(errors)}")
    OUT.mkdir(exist_ok=True)
    (OUT / "portal-results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
