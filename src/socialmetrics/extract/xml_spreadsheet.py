"""XML Spreadsheet 2003 (`<?xml ...?><Workbook xmlns="urn:schemas-microsoft-com:office:
spreadsheet">`): what legacy Facebook Insights exports are, under a `.xls` name.

Neither calamine nor xlrd reads it, so it is read here: one table per `<Worksheet>`, cells
placed by their `ss:Index` (a skipped cell is blank), dates as ISO text like the other Excel
readers. Real files hold bytes that are not UTF-8 (a broken Vietnamese letter): they are
replaced, not fatal. The parser is defusedxml's: the file is untrusted input (no entities, no
external references).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from socialmetrics.errors import FileReadError

NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet"
SS = f"{{{NAMESPACE}}}"
MARKER = NAMESPACE.encode()
HEAD_BYTES = 4096
"""How much of a file's start is searched for the workbook's namespace."""


def is_xml_spreadsheet(head: bytes) -> bool:
    """The file starts as XML and declares the spreadsheet namespace near its top."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<?xml") and MARKER in head[:HEAD_BYTES]


def _cell_text(cell: Element) -> str:
    data = cell.find(f"{SS}Data")
    if data is None:
        return ""
    text = "".join(data.itertext())
    if data.get(f"{SS}Type") == "DateTime" and text.endswith("T00:00:00.000"):
        return text[: -len("T00:00:00.000")]
    if data.get(f"{SS}Type") == "Number" and text.endswith(".0"):
        return text[:-2]
    return text


def _rows(sheet: Element) -> list[tuple[int, list[str]]]:
    """(1-based row number, cells) of a worksheet, honouring `ss:Index` on rows and cells."""
    records: list[tuple[int, list[str]]] = []
    number = 0
    for row in sheet.iter(f"{SS}Row"):
        number = int(row.get(f"{SS}Index", number + 1))
        cells: list[str] = []
        for cell in row.findall(f"{SS}Cell"):
            position = int(cell.get(f"{SS}Index", len(cells) + 1))
            cells.extend([""] * (position - 1 - len(cells)))
            cells.append(_cell_text(cell))
        records.append((number, cells))
    width = max((len(c) for _, c in records), default=0)
    return [(n, c + [""] * (width - len(c))) for n, c in records]


def read_worksheets(path: Path) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """(sheet name, numbered rows) for every worksheet of the file."""
    data = path.read_bytes().decode("utf-8", errors="replace")
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise FileReadError(
            path,
            f"cannot be read as an XML Spreadsheet 2003 workbook ({exc})",
            "Open it in Excel and save it as .xlsx, or export it again from the platform.",
        ) from exc
    return [
        (sheet.get(f"{SS}Name", f"Sheet{i + 1}"), _rows(sheet))
        for i, sheet in enumerate(root.iter(f"{SS}Worksheet"))
    ]
