"""Read CSV, .xlsx, BIFF8 .xls, XML Spreadsheet 2003 and zips of CSVs exactly as the platforms
write them into raw text tables.

The only module that knows file formats. It decodes (UTF-8, UTF-8 BOM, UTF-16 with BOM, cp1252),
drops `sep=` lines, detects the separator, keeps quoted multi-line fields whole, and splits Meta's
multi-block chart files at their blank lines. Excel files give one table per sheet; numeric cells
keep full precision and date cells become ISO text, so the parsing step sees one kind of input.
Nothing here decides what a table means: that is `recognise`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from socialmetrics.errors import FileReadError
from socialmetrics.extract.xml_spreadsheet import HEAD_BYTES, is_xml_spreadsheet, read_worksheets

csv.field_size_limit(1 << 27)
logging.getLogger("fastexcel").setLevel(logging.ERROR)
logging.getLogger("calamine").setLevel(logging.ERROR)

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SEPARATORS = (",", ";", "\t")
HEAD_ROWS = 30
"""How many leading rows of an Excel sheet are read as text to find its header row."""


@dataclass
class RawTable:
    """One table of a file: a sheet, or a block of a multi-block CSV, as text cells.

    `title` is the single-cell row above the table (a chart title such as "Reach", or LinkedIn's
    description row); `rows` are the rows below it, header included, with `row_numbers` giving
    each row's 1-based position in the file (CSV line) or sheet (Excel row) for error messages.
    """

    sheet: str | None
    index: int
    title: str | None
    rows: list[list[str]]
    row_numbers: list[int]

    @property
    def label(self) -> str | None:
        """How messages name this table: the sheet, else the block title."""
        return self.sheet if self.sheet is not None else self.title


@dataclass
class RawFile:
    """A file read into tables, with what was detected while reading it."""

    path: Path
    format: str
    tables: list[RawTable]
    encoding: str | None = None
    separator: str | None = None
    notes: list[str] = field(default_factory=list)


def sniff_format(head: bytes, path: Path) -> str:
    """Decide the container from the bytes, not the name: a `.xls` saved as xlsx still reads,
    and a zip is a workbook only if it holds one (YouTube Studio zips CSVs)."""
    if head.startswith(XLSX_MAGIC):
        return "xlsx" if _is_workbook_zip(path) else "zip"
    if head.startswith(XLS_MAGIC):
        return "xls"
    if is_xml_spreadsheet(head):
        return "xml_spreadsheet"
    return "csv"


def read_file(path: Path) -> RawFile:
    """Read any supported file into raw tables.

    >>> read_file(Path("Reach.csv")).tables[0].title  # doctest: +SKIP
    'Reach'
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise FileReadError(path, f"cannot open the file ({exc.strerror})") from exc
    fmt = sniff_format(head, path)
    if fmt == "csv":
        return read_csv(path)
    if fmt == "zip":
        return read_zip(path)
    if fmt == "xml_spreadsheet":
        return read_xml_workbook(path)
    return read_excel(path, fmt)


def _is_workbook_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return True  # let the workbook reader say what is wrong with it
    return "[Content_Types].xml" in names or "xl/workbook.xml" in names


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's real name: zips written without the UTF-8 flag (YouTube Studio's) store UTF-8
    bytes that `zipfile` decodes as cp437 (`Dados do gr├ífico.csv`); undo that when it fits."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


ZIP_MEMBER_SUFFIXES = (".csv", ".tsv", ".txt")


def read_zip(path: Path) -> RawFile:
    """Read the CSV members of a zip (YouTube Studio's download): each member's tables keep the
    member's name as their sheet, so messages say `Chart data.csv` inside the zip."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise FileReadError(
            path, f"is not a readable zip ({exc})", "Download it again from the platform."
        ) from exc
    tables: list[RawTable] = []
    notes: list[str] = []
    encodings: list[str] = []
    with archive:
        for info in archive.infolist():
            name = member_name(info)
            if info.is_dir() or PurePosixPath(name).name.startswith((".", "__MACOSX")):
                continue
            if not name.lower().endswith(ZIP_MEMBER_SUFFIXES):
                notes.append(f"member {name!r} skipped: not a CSV")
                continue
            data = archive.read(info)
            if not data.strip():
                notes.append(f"member {name!r} is empty")
                continue
            text, encoding = decode(data, path)
            encodings.append(encoding)
            inner = _parse_text(text, path)
            for table in inner.tables:
                table.sheet = name
                table.index = len(tables)
                tables.append(table)
            notes.extend(f"{name}: {note}" for note in inner.notes)
    if not tables:
        raise FileReadError(path, "holds no CSV file", "Check that it is the platform's download.")
    return RawFile(
        path=path,
        format="zip",
        tables=tables,
        encoding=encodings[0] if encodings else None,
        notes=notes,
    )


# --------------------------------------------------------------------------------------------
# CSV


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes by BOM, then strict UTF-8, then cp1252; return (text, encoding name)."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise FileReadError(
                path, f"starts like UTF-16 but byte {exc.start} is not valid UTF-16"
            ) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data[:200].count(b"\x00") > len(data[:200]) // 4:
        # UTF-16 without a BOM: every other byte of ASCII text is NUL.
        codec = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:
            raise FileReadError(
                path, "looks like UTF-16 without a BOM but does not decode"
            ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            count += 1
    return count


def detect_separator(lines: Sequence[str]) -> str:
    """Pick the separator that splits the first lines most often (`,` wins ties).

    Lines that are a single quoted cell (titles) say nothing and are skipped.
    """
    best, best_score = ",", 0
    sample = [ln for ln in lines[:20] if ln.strip()]
    for sep in SEPARATORS:
        counts = [_count_outside_quotes(ln, sep) for ln in sample]
        score = max(counts, default=0)
        if score > best_score:
            best, best_score = sep, score
    return best


def _is_blank(row: Sequence[str]) -> bool:
    return all(not c.strip() for c in row)


def _non_empty(row: Sequence[str]) -> int:
    return sum(1 for c in row if c.strip())


def split_blocks(
    records: Iterable[tuple[int, list[str]]], sheet: str | None = None
) -> list[RawTable]:
    """Split records at blank rows into tables; a leading single-cell row becomes the title.

    Meta's `Audience.csv` holds several titled blocks; ordinary exports are one block. A blank
    row inside a quoted field is not a record, so multi-line captions never split a table.
    """
    blocks: list[list[tuple[int, list[str]]]] = [[]]
    for number, row in records:
        if _is_blank(row):
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append((number, row))
    tables: list[RawTable] = []
    for block in blocks:
        if block:
            tables.append(_table(sheet, len(tables), block))
    return tables


def _table(sheet: str | None, index: int, records: list[tuple[int, list[str]]]) -> RawTable:
    """A table from numbered rows; a leading one-cell row (chart title, LinkedIn description)
    becomes the title when more rows follow."""
    title = None
    if len(records) > 1 and _non_empty(records[0][1]) == 1:
        title = next(c for c in records[0][1] if c.strip()).strip()
        records = records[1:]
    return RawTable(
        sheet=sheet,
        index=index,
        title=title,
        rows=[r for _, r in records],
        row_numbers=[n for n, _ in records],
    )


def read_csv(path: Path) -> RawFile:
    """Read a delimited text file, whatever the platform or Excel did to it."""
    data = path.read_bytes()
    if not data.strip():
        raise FileReadError(path, "the file is empty", "Export it again from the platform.")
    text, encoding = decode(data, path)
    parsed = _parse_text(text, path)
    parsed.encoding = encoding
    return parsed


def _parse_text(text: str, path: Path) -> RawFile:
    """Split decoded text into tables (shared by loose CSVs and the members of a zip)."""
    if "\x00" in text:
        raise FileReadError(
            path,
            "contains NUL bytes after decoding: it is not a text export",
            "Check that it is the file the platform produced.",
        )
    lines = text.splitlines()
    notes: list[str] = []
    start_line = 1
    sep: str | None = None
    first = lines[0].strip().strip('"').lower() if lines else ""
    if first.startswith("sep=") and len(first) in (4, 5):
        sep = first[4:] or ","
        if sep == "\\t":
            sep = "\t"
        start_line = 2
        notes.append(f"separator declared by a sep= line: {sep!r}")
        text = text.split("\n", 1)[1] if "\n" in text else ""
    if sep is None:
        sep = detect_separator(lines)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"')
    records: list[tuple[int, list[str]]] = []
    previous_end = 0
    try:
        for row in reader:
            records.append((start_line + previous_end, row))
            previous_end = reader.line_num
    except csv.Error as exc:
        raise FileReadError(
            path, f"line {start_line + reader.line_num}: {exc}", "The file may be cut short."
        ) from exc
    records = [(n, _unwrap_quoted_row(r, sep)) for n, r in records]
    footer = _footer(records)
    if footer:
        notes.append(f"line {records[-1][0]}: footer {footer!r} is not data")
        records = records[:-1]
    return RawFile(
        path=path,
        format="csv",
        tables=split_blocks(records),
        separator=sep,
        notes=notes,
    )


def _footer(records: list[tuple[int, list[str]]]) -> str | None:
    """A last line of one sentence under a wider table (YouTube's `Showing top 500 results`):
    a remark, not a row. A one-word or numeric cell is left as data."""
    while records and _is_blank(records[-1][1]):
        records.pop()
    if len(records) < 3 or _non_empty(records[-1][1]) != 1 or _non_empty(records[0][1]) < 3:
        return None
    cell = records[-1][1][0].strip()
    words = cell.split()
    if cell and len(words) >= 3 and any(w.isalpha() for w in words):
        return cell
    return None


def _unwrap_quoted_row(row: list[str], sep: str) -> list[str]:
    """Undo Excel's habit of wrapping a whole re-saved row in quotes: `"a,b,c"` -> a, b, c.

    Only a single cell that itself parses into several cells with inner quotes is unwrapped; a
    plain one-cell title such as `"Reach"` or the multi-word `"New York, NY"` is left alone.
    """
    if len(row) != 1 or sep not in row[0] or '"' not in row[0]:
        return row
    inner = next(csv.reader([row[0]], delimiter=sep, quotechar='"'), row)
    return inner if len(inner) > 1 else row


# --------------------------------------------------------------------------------------------
# Excel


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
    widths = [_non_empty(r) for r in rows]
    widest = max(widths, default=0)
    for i, w in enumerate(widths):
        if w >= max(2, math.ceil(widest / 2)):
            return i
    return 0


def read_excel(path: Path, fmt: str) -> RawFile:
    """Read every sheet of a workbook; .xls (BIFF8) and .xlsx both go through calamine."""
    import fastexcel

    try:
        book = fastexcel.read_excel(path)
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises several types for corrupt files
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FileReadError(
            path,
            f"cannot be opened as an {fmt} workbook ({first_line})",
            "Open it in Excel and save it again, or export it again from the platform.",
        ) from exc
    tables: list[RawTable] = []
    notes: list[str] = []
    for name in names:
        try:
            rows = _read_sheet(book, name)
        except Exception as exc:
            notes.append(f"sheet {name!r} could not be read: {exc}")
            continue
        records = [(i + 1, r) for i, r in enumerate(rows)]
        while records and _is_blank(records[-1][1]):
            records.pop()
        if records:
            tables.append(_table(name, len(tables), records))
    return RawFile(path=path, format=fmt, tables=tables, notes=notes)


def read_xml_workbook(path: Path) -> RawFile:
    """Every worksheet of an XML Spreadsheet 2003 file (legacy Facebook Insights `.xls`)."""
    tables: list[RawTable] = []
    for name, records in read_worksheets(path):
        while records and _is_blank(records[-1][1]):
            records.pop()
        if records:
            tables.append(_table(name, len(tables), records))
    return RawFile(path=path, format="xml_spreadsheet", tables=tables)


def _read_sheet(book: Any, name: str) -> list[list[str]]:
    head_sheet = book.load_sheet(
        name, header_row=None, n_rows=HEAD_ROWS, dtypes="string", skip_rows=0
    )
    head = [[c if c is not None else "" for c in row] for row in head_sheet.to_polars().rows()]
    if not head:
        return []
    header = guess_header_row(head)
    typed = book.load_sheet(name, header_row=None, skip_rows=header + 1, schema_sample_rows=None)
    body = typed.to_arrow()
    columns = [col.to_pylist() for col in body.columns]
    width = max(len(columns), max((len(r) for r in head), default=0))
    rows = [r + [""] * (width - len(r)) for r in head[: header + 1]]
    for i in range(body.num_rows):
        rows.append([_cell_text(col[i]) for col in columns] + [""] * (width - len(columns)))
    return rows
