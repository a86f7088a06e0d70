"""What a reader gives: a file as raw text tables (a sheet, or a block of a CSV), each row
numbered as in the file, and the helpers every reader splits tables with."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


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


def is_blank(row: Sequence[str]) -> bool:
    return all(not c.strip() for c in row)


def non_empty(row: Sequence[str]) -> int:
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
        if is_blank(row):
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append((number, row))
    tables: list[RawTable] = []
    for block in blocks:
        if block:
            tables.append(make_table(sheet, len(tables), block))
    return tables


def make_table(sheet: str | None, index: int, records: list[tuple[int, list[str]]]) -> RawTable:
    """A table from numbered rows; a leading one-cell row (chart title, LinkedIn description)
    becomes the title when more rows follow."""
    title = None
    if len(records) > 1 and non_empty(records[0][1]) == 1:
        title = next(c for c in records[0][1] if c.strip()).strip()
        records = records[1:]
    return RawTable(
        sheet=sheet,
        index=index,
        title=title,
        rows=[r for _, r in records],
        row_numbers=[n for n, _ in records],
    )
