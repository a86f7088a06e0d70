"""Fuzzing of the readers and parsers for a fixed time budget (not part of the test suite).

Targets, each fed mutations of the repo's own test files (bit flips, cut ends, spliced and
repeated chunks, inserted quotes, separators, NULs and BOMs) and random text:

- `read`: `extract.readers.read_file` as ingest runs it, in the capped worker: a reader bug
  (anything but a `FileReadError`) is a crash; a file only the worker's memory or time cap
  stopped is counted as `capped`;
- `inspect`: the whole file pipeline (`ingest.inspect.inspect_file`: worker read, recognise,
  map, parse, enrich), which must never raise;
- `parse`: every value parser of `transform.parse` and the yearless-day reader on random text,
  which must flag a bad value, never raise.

With `hypothesis` (a dev dependency) always; with `atheris` (coverage-guided, libFuzzer) when it
is installed (`uv pip install atheris`), as `--engine atheris`.

    python benchmarks/fuzz_readers.py --seconds 60          # per target

Prints a Markdown table (executions, crashes) and writes benchmarks/out/fuzz.json; each crashing
input is saved in benchmarks/out/fuzz-crashes/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "files"
OUT = Path(__file__).resolve().parent / "out"
CRASHES = OUT / "fuzz-crashes"
SEEDS = sorted(p for p in FILES.rglob("*") if p.is_file() and p.suffix != ".py")
TOKENS = [b'"', b",", b";", b"\t", b"\n", b"\r\n", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"sep="]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four random edits of a seed file's bytes."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        at = rng.randrange(len(out) + 1)
        if op == 0 and out:  # flip bits
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        elif op == 1:  # cut the end
            del out[at:]
        elif op == 2:  # insert a token
            out[at:at] = rng.choice(TOKENS) * rng.randint(1, 3)
        elif op == 3 and out:  # repeat a chunk
            j = min(len(out), at + rng.randint(1, 200))
            out[at:at] = out[at:j] * rng.randint(1, 20)
        elif op == 4 and out:  # delete a chunk
            del out[at : at + rng.randint(1, 64)]
        else:  # random bytes
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 32)))
    return bytes(out)


class Target:
    """One fuzz target: counts executions and keeps each distinct crash once."""

    def __init__(self, name: str, run: Callable[[bytes, str], None]) -> None:
        self.name, self.run = name, run
        self.executions = 0
        self.crashes: dict[str, str] = {}

    def __call__(self, data: bytes, suffix: str) -> None:
        self.executions += 1
        try:
            self.run(data, suffix)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # Rust panics are BaseExceptions: crashes too
            where = traceback.extract_tb(exc.__traceback__)[-1]
            key = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
            if key not in self.crashes:
                self.crashes[key] = str(exc)[:300]
                CRASHES.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha1(data).hexdigest()[:12]
                (CRASHES / f"{self.name}-{digest}{suffix}").write_bytes(data)


capped: list[bytes] = []
"""Inputs that only the worker's memory or time cap stopped (the net under the limits)."""


def _targets(work: Path) -> list[Target]:
    from socialmetrics.errors import FileReadError
    from socialmetrics.extract.discover import SourceFile
    from socialmetrics.extract.limits import ReadLimits
    from socialmetrics.extract.worker import read_isolated
    from socialmetrics.ingest.inspect import inspect_file
    from socialmetrics.transform import parse, yearless

    def as_file(data: bytes, suffix: str) -> Path:
        path = work / f"input{suffix}"
        path.write_bytes(data)
        return path

    limits = ReadLimits(worker_memory_mb=1024, seconds_per_file=20)

    def read(data: bytes, suffix: str) -> None:
        """Read as ingest reads: in the capped worker. A file the caps stop is counted apart; a
        reader bug (anything unexpected) is a crash."""
        try:
            read_isolated(as_file(data, suffix), limits)
        except FileReadError as exc:
            if "the reader failed unexpectedly" in exc.reason:
                raise
            if "limits.worker_memory_mb" in exc.reason or "limits.seconds_per_file" in exc.reason:
                capped.append(data)

    def inspect(data: bytes, suffix: str) -> None:
        result = inspect_file(SourceFile(as_file(data, suffix), "fuzz", work), limits=limits)
        assert result.status in ("ok", "partial", "unrecognised", "error", "skipped")
        if "the reader failed unexpectedly" in result.message:
            raise AssertionError(result.message)

    parsers = [parse.timestamp, parse.date, parse.month_day, parse.duration, parse.text]
    parsers.append(parse.identifier)

    def values(data: bytes, _suffix: str) -> None:
        cells = data.decode("utf-8", errors="replace").split("\n")
        series = pl.Series("v", cells, dtype=pl.String)
        for make in parsers:
            parse.parse_series(series, make("v"))
        parse.numbers(pl.DataFrame({"v": cells}), {"v": parse.NumberFlags()})
        for cell in cells:
            yearless.month_day(cell)

    return [Target("read", read), Target("inspect", inspect), Target("parse", values)]


def run_random(target: Target, seconds: float) -> None:
    """Mutation fuzzing driven by hypothesis: it picks the seed file, the edits and text."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    deadline = time.monotonic() + seconds

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        seed_file=st.sampled_from(SEEDS),
        edits=st.integers(0, 2**32 - 1),
        text=st.text(max_size=200),
    )
    def once(seed_file: Path, edits: int, text: str) -> None:
        if time.monotonic() > deadline:
            return
        if target.name == "parse":
            target(text.encode("utf-8", errors="replace"), ".csv")
            return
        data = mutate(seed_file.read_bytes(), random.Random(edits))
        target(data, seed_file.suffix)

    while time.monotonic() < deadline:
        once()


def run_atheris(target: Target, seconds: float) -> None:
    """Coverage-guided fuzzing with atheris (libFuzzer), seeded with the test files. libFuzzer
    ends the process when its time is up, so this runs in a child process per target and
    reports through a JSON file written as it goes."""
    import atheris

    corpus = Path(tempfile.mkdtemp())
    for i, seed_file in enumerate(SEEDS):
        (corpus / f"{i}").write_bytes(seed_file.read_bytes())
    status = OUT / f"atheris-{target.name}.json"

    def one(data: bytes) -> None:
        target(data, ".xlsx" if data[:2] == b"PK" else ".csv")
        if target.executions % 200 == 0 or target.crashes:
            status.write_text(
                json.dumps(
                    {
                        "executions": target.executions,
                        "crashes": target.crashes,
                        "capped": len(capped),
                    }
                )
            )

    atheris.instrument_all()  # coverage feedback from every Python function loaded
    atheris.Setup(
        [sys.argv[0], f"-max_total_time={int(seconds)}", "-rss_limit_mb=4096", str(corpus)], one
    )
    atheris.Fuzz()


def _atheris_in_child(name: str, seconds: float) -> dict[str, object]:
    """Run one target under atheris in its own process; its counts from its status file."""
    import subprocess

    status = OUT / f"atheris-{name}.json"
    status.unlink(missing_ok=True)
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--engine",
            "atheris",
            "--seconds",
            str(seconds),
            "--only",
            name,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds * 3 + 60,
        check=False,
    )
    found = json.loads(status.read_text()) if status.exists() else {}
    return {"seconds": round(time.monotonic() - started, 1), **found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="budget per target")
    parser.add_argument("--engine", choices=("hypothesis", "atheris"), default="hypothesis")
    parser.add_argument("--only", help=argparse.SUPPRESS)  # one atheris target, in a child
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = _targets(Path(tmp))
        if args.only:
            run_atheris(next(t for t in targets if t.name == args.only), args.seconds)
            return
        for target in targets:
            started = time.monotonic()
            if args.engine == "atheris":
                found = _atheris_in_child(target.name, args.seconds)
                target.executions = int(found.get("executions", 0))
                target.crashes = dict(found.get("crashes", {}))
                capped.extend([b""] * int(found.get("capped", 0)))
            else:
                run_random(target, args.seconds)
            elapsed = time.monotonic() - started
            stopped = len(capped)
            for data in capped:
                if data:
                    CRASHES.mkdir(parents=True, exist_ok=True)
                    (CRASHES / f"capped-{hashlib.sha1(data).hexdigest()[:12]}").write_bytes(data)
            capped.clear()
            rows.append(
                {
                    "target": target.name,
                    "engine": args.engine,
                    "seconds": round(elapsed, 1),
                    "executions": target.executions,
                    "per_second": round(target.executions / elapsed, 1),
                    "crashes": len(target.crashes),
                    "capped": stopped,
                    "crash_kinds": target.crashes,
                }
            )
    print("| target | engine | seconds | executions | per second | crashes | capped |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['target']} | {r['engine']} | {r['seconds']} | {r['executions']:,} | "
            f"{r['per_second']} | {r['crashes']} | {r['capped']} |"
        )
    for r in rows:
        for kind, message in r["crash_kinds"].items():
            print(f"- {r['target']}: {kind}: {message}")
    (OUT / f"fuzz-{args.engine}.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
