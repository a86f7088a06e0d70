"""What a normalised table is: canonical columns, its quarantined problems, the file's context.

The types every step after recognition passes along (`CanonicalTable`, `Problem`,
`FileContext`), and what a file or folder NAME says about its period (never what it is).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import polars as pl

from socialmetrics.extract.recognise import Recognition
from socialmetrics.model.grains import Grain


@dataclass
class Problem:
    """A recoverable oddity in one row: goes to quarantine with where it was and why."""

    row: int | None
    column: str | None
    raw: str | None
    reason: str
    sheet: str | None = None

    def describe(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        value = f": {self.raw!r}" if self.raw is not None else ""
        return f"{', '.join(where)}{value}: {self.reason}"


@dataclass
class CanonicalTable:
    """A table in canonical names, ready for enrichment and loading."""

    recognition: Recognition
    kind: Grain
    platform: str
    frame: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    duplicates: int = 0
    superseded: int = 0
    changes: list[Any] = field(default_factory=list)
    """Layout changes against the reference layout (see validate.drift.compare)."""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    notes: list[str] = field(default_factory=list)
    context: FileContext | None = None
    """Where the table came from, for hooks that read facts a platform writes into the file's
    name (LinkedIn competitor analytics: the client's own page)."""

    @property
    def sheet(self) -> str | None:
        return self.recognition.table.label


def run_hook(table: CanonicalTable) -> None:
    """The spec's hook, if any: a quirk the spec's data cannot say, declared by the platform."""
    spec = table.recognition.spec
    if spec is not None and spec.hook:
        from socialmetrics.platforms import registry

        registry.get(table.platform).table_hooks[spec.hook](table)


@dataclass(frozen=True)
class FileContext:
    """What is known about the file besides its contents (for periods and audience dates)."""

    path: PurePath
    modified: dt.datetime | None = None
    timezone: str | None = None
    """The client's time zone: times a platform exports in UTC are shown in it."""


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_NAME_PERIODS = (
    # Meta: Mar-18-2025_Apr-14-2025
    (r"([A-Za-z]{3})-(\d{1,2})-(\d{4})[_ ]+([A-Za-z]{3})-(\d{1,2})-(\d{4})", "mdy_names"),
    # X classic: _20210301_20210401_
    (r"(?<!\d)(\d{4})(\d{2})(\d{2})_(\d{4})(\d{2})(\d{2})(?!\d)", "ymd"),
    # X new: 2024-11-21_2025-02-19
    (r"(\d{4})-(\d{2})-(\d{2})_(\d{4})-(\d{2})-(\d{2})", "ymd"),
    # Meta PT/ES folders: 14_09_24_a_14_09_25
    (r"(?<!\d)(\d{2})_(\d{2})_(\d{2})_a_(\d{2})_(\d{2})_(\d{2})(?!\d)", "dmy2"),
)


@functools.lru_cache(maxsize=4096)  # asked of the same files again and again in a run
def period_from_name(path: PurePath) -> tuple[dt.date, dt.date] | None:
    """The period a platform wrote into the file or folder name, if any (never used to decide
    what a file is; only to check rows against it and to date audience snapshots)."""
    for part in [path.name, *(p.name for p in path.parents)][:3]:
        for pattern, style in _NAME_PERIODS:
            m = re.search(pattern, part)
            if not m:
                continue
            g = m.groups()
            try:
                if style == "mdy_names":
                    a = dt.date(int(g[2]), _MONTHS[g[0].lower()], int(g[1]))
                    b = dt.date(int(g[5]), _MONTHS[g[3].lower()], int(g[4]))
                elif style == "ymd":
                    a = dt.date(int(g[0]), int(g[1]), int(g[2]))
                    b = dt.date(int(g[3]), int(g[4]), int(g[5]))
                else:
                    a = dt.date(2000 + int(g[2]), int(g[1]), int(g[0]))
                    b = dt.date(2000 + int(g[5]), int(g[4]), int(g[3]))
            except (KeyError, ValueError):
                continue
            if a <= b:
                return a, b
    return None


def month_from_path(path: PurePath) -> dt.date | None:
    """Last day of a `YYYY-MM` month named by a folder or the file name (e.g. `2026-10/`)."""
    for part in [path.name, *(p.name for p in path.parents)][:4]:
        m = re.search(r"(?<!\d)(20\d{2})-(0[1-9]|1[0-2])(?!\d)", part)
        if m and not re.search(r"\d{4}-\d{2}-\d{2}", part):
            year, month = int(m.group(1)), int(m.group(2))
            return dt.date(year, month, calendar.monthrange(year, month)[1])
    return None
