"""Read CSV, .xlsx, BIFF8 .xls, XML Spreadsheet 2003 and zips of CSVs exactly as the platforms
write them into raw text tables, within the reading limits (`extract.limits`).

`read_file` is the entry point of the `extract` package, the only one that knows file
formats: it sniffs the container from the bytes and hands workbooks to `excel`. Text is read
here: decoded (UTF-8, UTF-8 BOM, UTF-16 with BOM, cp1252), `sep=` lines dropped, the separator
detected, quoted multi-line fields kept whole, and Meta's multi-block chart files split at
their blank lines. Nothing here decides what a table means: that is `recognise`.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from socialmetrics.errors import FileReadError
from socialmetrics.extract.excel import read_excel, read_xml_workbook
from socialmetrics.extract.limits import DEFAULT_LIMITS, ReadLimits
from socialmetrics.extract.raw import RawFile, RawTable, is_blank, non_empty, split_blocks
from socialmetrics.extract.xml_spreadsheet import HEAD_BYTES, is_xml_spreadsheet

__all__ = ["RawFile", "RawTable", "read_file", "sniff_format"]

csv.field_size_limit(1 << 27)

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SEPARATORS = (",", ";", "\t")


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


def read_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> RawFile:
    """Read any supported file into raw tables, within `limits` (a breach is a
    `FileReadError` naming the limit; see `extract.limits`).

    >>> read_file(Path("Reach.csv")).tables[0].title  # doctest: +SKIP
    'Reach'
    """
    try:
        with path.open("rb") as fh:
            limits.check_size(path, os.fstat(fh.fileno()).st_size)
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise FileReadError(path, f"cannot open the file ({exc.strerror})") from exc
    fmt = sniff_format(head, path)
    if fmt == "csv":
        return read_csv(path, limits)
    if fmt == "zip":
        return read_zip(path, limits)
    if fmt == "xml_spreadsheet":
        return read_xml_workbook(path, limits)
    if fmt == "xlsx":
        _check_workbook_zip(path, limits)
    return read_excel(path, fmt, limits)


def _check_workbook_zip(path: Path, limits: ReadLimits) -> None:
    """An .xlsx is a zip: its parts are checked for bombs before calamine unpacks them."""
    try:
        with zipfile.ZipFile(path) as archive:
            limits.check_archive(path, archive)
    except ZIP_FAILURES:
        return  # the workbook reader says what is wrong with it


def _is_workbook_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except ZIP_FAILURES:
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


ZIP_FAILURES = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    UnicodeDecodeError,  # a member name flagged UTF-8 that is not
)
"""What a damaged zip raises while it is opened or unpacked (found by fuzzing): bad headers,
offsets past the end, broken deflate streams, unknown compression, encrypted members, names
that are not the UTF-8 they claim."""

ZIP_MEMBER_SUFFIXES = (".csv", ".tsv", ".txt")


def read_zip(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> RawFile:
    """Read the CSV members of a zip (YouTube Studio's download): each member's tables keep the
    member's name as their sheet, so messages say `Chart data.csv` inside the zip."""
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_FAILURES as exc:
        raise FileReadError(
            path, f"is not a readable zip ({exc})", "Download it again from the platform."
        ) from exc
    tables: list[RawTable] = []
    notes: list[str] = []
    encodings: list[str] = []
    with archive:
        limits.check_archive(path, archive)
        cells = 0
        for info in archive.infolist():
            name = member_name(info)
            if info.is_dir() or PurePosixPath(name).name.startswith((".", "__MACOSX")):
                continue
            if not name.lower().endswith(ZIP_MEMBER_SUFFIXES):
                notes.append(f"member {name!r} skipped: not a CSV")
                continue
            try:
                data = limits.read_member(path, archive, info)
            except ZIP_FAILURES as exc:
                raise FileReadError(
                    path,
                    f"member {name!r} is damaged or cannot be unpacked ({exc})",
                    "Download it again from the platform",
                ) from exc
            if not data.strip():
                notes.append(f"member {name!r} is empty")
                continue
            limits.check_lines(path, data)
            text, encoding = decode(data, path)
            encodings.append(encoding)
            inner = _parse_text(text, path, limits, cells)
            cells += sum(len(r) for t in inner.tables for r in t.rows)
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


def read_csv(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> RawFile:
    """Read a delimited text file, whatever the platform or Excel did to it."""
    data = path.read_bytes()
    if not data.strip():
        raise FileReadError(path, "the file is empty", "Export it again from the platform.")
    limits.check_lines(path, data)
    text, encoding = decode(data, path)
    parsed = _parse_text(text, path, limits)
    parsed.encoding = encoding
    return parsed


def _parse_text(
    text: str, path: Path, limits: ReadLimits = DEFAULT_LIMITS, cells: int = 0
) -> RawFile:
    """Split decoded text into tables (shared by loose CSVs and the members of a zip);
    `cells`: those already read from the same file (other members of a zip)."""
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
            line = start_line + previous_end
            cells += len(row)
            limits.check_row(path, f"line {line}", len(row), len(records) + 1, cells)
            records.append((line, row))
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
    while records and is_blank(records[-1][1]):
        records.pop()
    if len(records) < 3 or non_empty(records[-1][1]) != 1 or non_empty(records[0][1]) < 3:
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
    try:
        inner = next(csv.reader([row[0]], delimiter=sep, quotechar='"'), row)
    except csv.Error:  # a stray carriage return inside the cell (found by fuzzing): keep it
        return row
    return inner if len(inner) > 1 else row
