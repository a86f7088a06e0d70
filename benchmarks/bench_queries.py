"""Query benchmark: the canonical tables and marts at any history, on DuckDB and PostgreSQL.

On the warehouse `bench_ingest.py` loaded (benchmarks/out/agency-<N>x13/bench.duckdb), scaled
up in SQL when asked (`--copies K --years Y`: every client copied K times, its 13 months
repeated Y times further back; 20 clients x 50 copies x 5 = 1,000 clients x 65 months), times:

- monthly impressions per client and platform, over every client (materialised
  `account_daily` against the `account_daily_live` view it replaces);
- one client's monthly KPIs (`monthly_kpis` against `monthly_kpis_live`);
- a cross-client monthly summary (every client's KPIs of one month, summed per platform);
- one client's month of daily series and its top posts (what a report reads).

Each query runs 5 times, the median is kept. With `--postgres URL`, the same warehouse is
copied into a fresh schema on that server (COPY through ADBC) and timed there too.

    python benchmarks/bench_queries.py --clients 60
    python benchmarks/bench_queries.py --clients 60 --copies 17 --years 5
    python benchmarks/bench_queries.py --clients 20 --copies 50 --years 5 --view-runs 1
    python benchmarks/bench_queries.py --warehouse benchmarks/out/agency-20x13-x50/bench.duckdb \
        --view-runs 1     # a warehouse already built (bench_report.py --copies 50: 1,000 clients)
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
BASE_TABLES = (
    "clients",
    "source_files",
    "account_daily_facts",
    "post_snapshots",
    "audience_snapshots",
    "competitor_snapshots",
)
RENAMED = {"client_id", "source_file_id", "file_id", "post_id"}


def queries(client: str, month: str) -> dict[str, tuple[str, list[Any]]]:
    monthly = (
        "SELECT client_id, platform, date_trunc('month', date) AS month, SUM(impressions) "
        "FROM {} GROUP BY 1, 2, 3"
    )
    kpis = "SELECT * FROM {} WHERE client_id = $1 AND month = CAST($2 AS DATE)"
    return {
        "monthly impressions, all clients (view)": (monthly.format("account_daily_live"), []),
        "monthly impressions, all clients (table)": (monthly.format("account_daily"), []),
        "one client's monthly KPIs (view)": (kpis.format("monthly_kpis_live"), [client, month]),
        "one client's monthly KPIs (table)": (kpis.format("monthly_kpis"), [client, month]),
        "cross-client monthly summary": (
            "SELECT platform, COUNT(*), SUM(followers_net), SUM(engagements), "
            "AVG(engagement_rate) FROM monthly_kpis WHERE month = CAST($1 AS DATE) "
            "GROUP BY platform",
            [month],
        ),
        "one client's daily series of a month": (
            "SELECT * FROM account_daily WHERE client_id = $1 AND date >= CAST($2 AS DATE) "
            "AND date < CAST($2 AS DATE) + INTERVAL '1 month'",
            [client, month],
        ),
        "one client's top posts of a month": (
            "SELECT * FROM top_posts WHERE client_id = $1 AND month = CAST($2 AS DATE) "
            "AND position <= 10",
            [client, month],
        ),
    }


def _median_ms(wh: Any, sql: str, params: list[Any], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        wh.query(sql, params)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _shifted(table: str, column: str) -> bool:
    """The dates a copy of history moves back: what the data describes, not when it loaded."""
    return table != "clients" and (column == "published_at" or not column.endswith("_at"))


def scale(path: Path, copies: int, years: int) -> dict[str, int]:
    """Every client copied `copies` times and its history repeated `years` times (13 months
    further back each), in SQL; then the materialised tables rebuilt."""
    import duckdb

    con = duckdb.connect(str(path))
    counts = {}
    for table in BASE_TABLES:
        cols = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = $1 ORDER BY ordinal_position",
            [table],
        ).fetchall()
        exprs = []
        for name, kind in cols:
            if name in RENAMED:
                if name == "client_id":  # a copy is another client; a year back is the same
                    exprs.append(f"{name} || CASE WHEN k > 0 THEN '~' || k ELSE '' END")
                else:
                    exprs.append(
                        f"{name} || CASE WHEN k + y > 0 THEN '~' || k || '~' || y ELSE '' END"
                    )
            elif kind in ("DATE", "TIMESTAMP") and _shifted(table, name):
                exprs.append(f"CAST({name} - INTERVAL (13 * y) MONTH AS {kind})")
            else:
                exprs.append(name)
        years_here = 1 if table == "clients" else years
        con.execute(f"CREATE TEMP TABLE orig AS SELECT * FROM {table}")
        con.execute(f"DELETE FROM {table}")
        con.execute(
            f"INSERT INTO {table} SELECT {', '.join(exprs)} FROM orig, "
            f"range({copies}) c(k), range({years_here}) r(y)"
        )
        con.execute("DROP TABLE orig")
        (counts[table],) = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone() or (0,)
    for name in ("account_daily", "posts", "monthly_kpis"):
        con.execute(f"DROP TABLE IF EXISTS {name} CASCADE")
    con.close()
    return counts


def _copy_to_postgres(source: Path, url: str) -> str:
    """The warehouse's base tables in a new schema on the server (COPY via ADBC)."""
    from socialmetrics.warehouse.base import connect

    schema = f"bench_{int(time.time())}"
    with connect(url) as wh:
        wh.execute(f"CREATE SCHEMA {schema}")
        wh.commit()
    target = f"{url}?options=-csearch_path%3D{schema}"
    with connect(f"duckdb:///{source}") as src, connect(target) as dst:
        dst.ensure_schema()
        for table in BASE_TABLES:
            data = src.query_arrow(f"SELECT * FROM {table}")
            for batch in data.to_batches(max_chunksize=200_000):
                import pyarrow as pa

                dst.insert_arrow(table, pa.Table.from_batches([batch]))
            dst.commit()
        for name in ("monthly_kpis", "posts", "account_daily"):
            dst.execute(f"DROP TABLE IF EXISTS {name} CASCADE")
        dst.commit()
    return target


def measure(url: str, view_runs: int = 5) -> dict[str, Any]:
    from socialmetrics.warehouse.base import connect

    with connect(url) as wh:
        start = time.perf_counter()
        wh.ensure_schema()  # rebuilds the materialised tables for every client
        rebuild = time.perf_counter() - start
        client, month = wh.query(
            "SELECT client_id, MAX(month) FROM monthly_kpis GROUP BY client_id "
            "ORDER BY client_id LIMIT 1"
        )[0]
        sizes = {
            t: wh.query(f"SELECT COUNT(*) FROM {t}")[0][0]
            for t in ("account_daily_facts", "account_daily", "posts", "monthly_kpis")
        }
        (clients,) = wh.query("SELECT COUNT(DISTINCT client_id) FROM monthly_kpis")[0]
        times = {
            name: _median_ms(wh, sql, params, view_runs if "(view)" in name else 5)
            for name, (sql, params) in queries(client, str(month)).items()
        }
    return {"clients": clients, "rows": sizes, "rebuild_seconds": rebuild, "ms": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--postgres", help="postgresql://user@127.0.0.1:port/db to time too")
    parser.add_argument(
        "--view-runs",
        type=int,
        default=5,
        help="runs of the (slow, replaced) live views; 1 at 1,000 clients x 5 years",
    )
    parser.add_argument("--warehouse", type=Path, help="time this DuckDB file (a copy of it)")
    args = parser.parse_args()
    source = args.warehouse or OUT / f"agency-{args.clients}x13" / "bench.duckdb"
    if not source.exists():
        sys.exit(f"run benchmarks/bench_ingest.py --clients {args.clients} first")
    work = Path(tempfile.mkdtemp()) / "queries.duckdb"
    shutil.copy(source, work)
    results: dict[str, Any] = {}
    if args.copies > 1 or args.years > 1:
        start = time.perf_counter()
        results["scaled_rows"] = scale(work, args.copies, args.years)
        results["scale_seconds"] = time.perf_counter() - start
    results["duckdb"] = measure(f"duckdb:///{work}", args.view_runs)
    if args.postgres:
        start = time.perf_counter()
        target = _copy_to_postgres(work, args.postgres)
        results["postgres_copy_seconds"] = time.perf_counter() - start
        results["postgres"] = measure(target, args.view_runs)
    name = f"queries-{args.clients}x{args.copies}x{args.years}.json"
    if args.warehouse:
        name = f"queries-{args.warehouse.parent.name}.json"
    (OUT / name).write_text(json.dumps(results, indent=2, default=str))
    engines = [e for e in ("duckdb", "postgres") if e in results]
    print(f"clients: {results['duckdb']['clients']:,}; rows: {results['duckdb']['rows']}")
    print("| query | " + " | ".join(f"{e} ms" for e in engines) + " |")
    print("|---|" + "---|" * len(engines))
    for query in results["duckdb"]["ms"]:
        cells = " | ".join(f"{results[e]['ms'][query]:,.1f}" for e in engines)
        print(f"| {query} | {cells} |")
    rebuild = " | ".join(f"{results[e]['rebuild_seconds']:.1f} s" for e in engines)
    print(f"| schema check (rebuilds the materialised tables after --copies) | {rebuild} |")


if __name__ == "__main__":
    main()
