"""kill -9 trials, many: `ingest` and the monthly `run` killed at random moments, on DuckDB and on
a throwaway PostgreSQL server (127.0.0.1, stopped at the end), each followed by a normal run
whose warehouse must equal a clean run's. The test suite runs two of each
(`tests/test_kill_trials.py`); this runs as many as you ask.

    python benchmarks/kill_trials.py --trials 25        # per command and warehouse

Prints a Markdown table and writes benchmarks/out/kill-trials.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.crash import clean_run, fresh_url, kill_trial, make_agency  # noqa: E402
from tests.helpers.postgres import find_bindir, postgres_server  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


@contextlib.contextmanager
def _backends() -> Iterator[dict[str, str | None]]:
    if find_bindir() is None:
        print("PostgreSQL server binaries not found: DuckDB only", file=sys.stderr)
        yield {"duckdb": None}
        return
    with postgres_server() as url:
        yield {"duckdb": None, "postgres": url}


def _url(kind: str, base: str | None, folder: Path, name: str) -> str:
    return fresh_url(base, folder, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=25, help="per command and warehouse")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows = []
    with _backends() as backends, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for kind, base in backends.items():
            for name in ("ingest", "run"):
                clean = make_agency(
                    work / f"{kind}-{name}-clean", _url(kind, base, work, f"{name}_clean")
                )
                duration, reference, _ = clean_run(clean, name)
                started = time.monotonic()
                killed = equal = 0
                failures = []
                for i in range(args.trials):
                    url = _url(kind, base, work, f"{name}_{i}")
                    root = make_agency(work / f"{kind}-{name}-{i}", url)
                    trial = kill_trial(root, name, rng.uniform(0.05, duration), reference, url)
                    killed += trial.killed
                    equal += trial.equal
                    if not trial.equal:
                        failures.append({"delay": trial.delay, "differences": trial.differences})
                rows.append(
                    {
                        "warehouse": kind,
                        "command": name,
                        "trials": args.trials,
                        "killed_mid_run": killed,
                        "equal_to_clean_run": equal,
                        "clean_run_s": round(duration, 2),
                        "seconds": round(time.monotonic() - started, 1),
                        "failures": failures,
                    }
                )
                print(rows[-1], file=sys.stderr)
    print("| warehouse | command | trials | killed mid-run | equal to a clean run | clean run |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['warehouse']} | {r['command']} | {r['trials']} | {r['killed_mid_run']} | "
            f"{r['equal_to_clean_run']} | {r['clean_run_s']} s |"
        )
    OUT.mkdir(exist_ok=True)
    (OUT / "kill-trials.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
