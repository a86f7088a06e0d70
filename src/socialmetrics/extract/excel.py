"""Excel workbooks into raw tables: .xlsx and BIFF8 .xls through calamine (fastexcel), XML
Spreadsheet 2003 through `xml_spreadsheet`. Numeric cells keep full precision and date cells
become ISO text, so the parsing step sees the same kind of input as from a CSV."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from socialmetrics.errors import FileReadError
from socialmetrics.extract.limits import DEFAULT_LIMITS, ReadLimits
from socialmetrics.extract.raw import RawFile, RawTable, is_blank, make_table, non_empty
from socialmetrics.extract.xml_spreadsheet import read_worksheets

logging.getLogger("fastexcel").setLevel(logging.ERROR)
logging.getLogger("calamine").setLevel(logging.ERROR)

CONTROL = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)
"""Not reader failures: these always propagate (a MemoryError is the worker's memory cap).
Everything else calamine raises on a corrupt workbook is one, Rust panics included: pyo3 raises
them as `PanicException`, a BaseException (found by fuzzing: a mutated .xlsx failed an
assertion inside calamine)."""

HEAD_ROWS = 30
"""How many leading rows of an Excel sheet are read as text to find its header row."""


def _cell_text(value: Any) -> str:
    """Render a typed Excel cell as the text a CSV export would hold, without losing precision."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds())
    return str(value)


def guess_header_row(rows: Sequence[Sequence[str]]) -> int:
    """Index of the first row as wide as the table: description rows above it are one cell."""
    widths = [non_empty(r) for r in rows]
    widest = max(widths, default=0)
    for i, w in enumerate(widths):
        if w >= max(2, math.ceil(widest / 2)):
            return i
    return 0


def read_excel(path: Path, fmt: str, limits: ReadLimits = DEFAULT_LIMITS) -> RawFile:
    """Read every sheet of a workbook; .xls (BIFF8) and .xlsx both go through calamine."""
    import fastexcel

    try:
        book = fastexcel.read_excel(path)
        names = list(book.sheet_names)
    except BaseException as exc:  # calamine raises several types for corrupt files
        if isinstance(exc, CONTROL):
            raise
        if fmt == "xls" and _is_encrypted(path):
            raise FileReadError(
                path,
                "is a password-protected workbook",
                "Open it in Excel, remove the password (File > Info > Protect Workbook) and "
                "save it again",
            ) from exc
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FileReadError(
            path,
            f"cannot be opened as an {fmt} workbook ({first_line})",
            "Open it in Excel and save it again, or export it again from the platform.",
        ) from exc
    tables: list[RawTable] = []
    notes: list[str] = []
    cells = 0
    for name in names:
        try:
            rows = _read_sheet(book, name, path, limits, cells)
        except FileReadError:
            raise
        except BaseException as exc:
            if isinstance(exc, CONTROL):
                raise
            notes.append(f"sheet {name!r} could not be read: {exc}")
            continue
        cells += sum(len(r) for r in rows)
        records = [(i + 1, r) for i, r in enumerate(rows)]
        while records and is_blank(records[-1][1]):
            records.pop()
        if records:
            tables.append(make_table(name, len(tables), records))
    return RawFile(path=path, format=fmt, tables=tables, notes=notes)


ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _is_encrypted(path: Path) -> bool:
    """An encrypted .xlsx is an OLE container holding an `EncryptedPackage` stream."""
    return ENCRYPTED_STREAM in path.read_bytes()


def read_xml_workbook(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> RawFile:
    """Every worksheet of an XML Spreadsheet 2003 file (legacy Facebook Insights `.xls`)."""
    tables: list[RawTable] = []
    cells = 0
    for name, records in read_worksheets(path):
        width = max((len(r) for _, r in records), default=0)
        cells += width * len(records)
        limits.check_row(path, f"sheet {name!r}", width, len(records), cells)
        while records and is_blank(records[-1][1]):
            records.pop()
        if records:
            tables.append(make_table(name, len(tables), records))
    return RawFile(path=path, format="xml_spreadsheet", tables=tables)


def _read_sheet(
    book: Any, name: str, path: Path, limits: ReadLimits, cells: int
) -> list[list[str]]:
    """A sheet as text rows: a text look at its head finds the header row, then the body is
    read typed (full precision) and checked against the limits before it becomes text."""
    head_sheet = book.load_sheet(
        name, header_row=None, n_rows=HEAD_ROWS, dtypes="string", skip_rows=0
    )
    head = [[c if c is not None else "" for c in row] for row in head_sheet.to_polars().rows()]
    if not head:
        return []
    header = guess_header_row(head)
    typed = book.load_sheet(name, header_row=None, skip_rows=header + 1, schema_sample_rows=None)
    body = typed.to_arrow()
    width = max(body.num_columns, max((len(r) for r in head), default=0))
    rows_total = header + 1 + body.num_rows
    limits.check_row(path, f"sheet {name!r}", width, rows_total, cells + rows_total * width)
    columns = [col.to_pylist() for col in body.columns]
    rows = [r + [""] * (width - len(r)) for r in head[: header + 1]]
    for i in range(body.num_rows):
        rows.append([_cell_text(col[i]) for col in columns] + [""] * (width - len(columns)))
    return rows
