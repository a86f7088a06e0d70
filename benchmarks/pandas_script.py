"""The script an analyst would write instead of socialmetrics: pandas + openpyxl, file by file.

It is the baseline `bench_ingest.py` times socialmetrics against, kept here so that anyone can
read what it does and does not do. For every export under `clients/`: read it (CSV with the
encoding sniffed from the BOM, Meta's `sep=` and title lines skipped; every sheet of a workbook
with openpyxl; every CSV of a zip), melt it to (client, file, sheet, column, value) and append it
to one long table, written to a DuckDB file at the end. No recognition of what a file is, no
dates or numbers parsed, no de-duplication, no lineage: the minimum to have "everything in one
table".

    python benchmarks/pandas_script.py path/to/agency [out.duckdb]

Prints one JSON line: files, rows, failed, seconds.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd


def read_export(path: Path) -> dict[str, pd.DataFrame]:
    """Every table of one file, by sheet name ('' for a CSV)."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        return pd.read_excel(path, sheet_name=None, engine="openpyxl", dtype=str)
    if path.suffix.lower() == ".zip":  # YouTube Studio: one CSV per table
        with zipfile.ZipFile(path) as archive:
            return {
                name: pd.read_csv(io.BytesIO(archive.read(name)), dtype=str)
                for name in archive.namelist()
                if name.lower().endswith(".csv")
            }
    head = path.read_bytes()[:4]
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    with path.open(encoding=encoding, newline="") as fh:
        first = [fh.readline() for _ in range(10)]
    # Meta writes `sep=,` and a title above the header: start at the first line with as many
    # commas as the widest of the first lines
    widest = max(line.count(",") for line in first)
    skip = next(i for i, line in enumerate(first) if line.count(",") == widest)
    try:
        frame = pd.read_csv(path, encoding=encoding, skiprows=skip, dtype=str)
    except pd.errors.ParserError:  # several blocks of different widths (Instagram's Audience)
        with path.open(encoding=encoding, newline="") as fh:
            rows = list(csv.reader(fh))[skip:]
        width = max(len(r) for r in rows)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
    return {"": frame}


def main(agency: Path, out: Path) -> dict[str, float]:
    files = sorted(
        p
        for p in (agency / "clients").rglob("*")
        if p.suffix.lower() in (".csv", ".xlsx", ".xls", ".zip")
    )
    parts: list[pd.DataFrame] = []
    failed = 0
    start = time.perf_counter()
    for path in files:
        client = path.relative_to(agency / "clients").parts[0]
        try:
            sheets = read_export(path)
        except Exception:
            failed += 1
            continue
        for sheet, frame in sheets.items():
            long = frame.reset_index().melt(id_vars="index", var_name="column")
            long["client"], long["file"], long["sheet"] = client, path.name, sheet
            parts.append(long)
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    import duckdb

    con = duckdb.connect(str(out))
    con.register("long_table", table)
    con.execute("CREATE OR REPLACE TABLE exports AS SELECT * FROM long_table")
    con.close()
    return {
        "files": len(files),
        "rows": float(len(table)),
        "failed": failed,
        "seconds": time.perf_counter() - start,
    }


if __name__ == "__main__":
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("pandas-script.duckdb")
    print(json.dumps(main(Path(sys.argv[1]), target)))
