"""Resource limits on reading one file: checked before reading (file size, each archive
member's unpacked size and compression ratio, bytes per line) and while reading (columns per
row, rows per file, cells per table), so that a hostile or broken export costs that one file.

The defaults sit far above the largest real export (a few MB, 2,681 columns, ~500,000 cells) and
far below what would take a run down. Each breach is a `FileReadError` that names the limit,
the value found and the setting that raises it (`limits.*` in socialmetrics.toml).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from socialmetrics.errors import FileReadError

MB = 1 << 20
RATIO_FLOOR = MB
"""Members smaller than this unpack to little whatever their ratio (XML styles reach 55:1)."""


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on what reading one file may cost; `limits.*` settings give the values."""

    max_file_mb: int = 100
    max_unpacked_mb: int = 256
    max_zip_ratio: int = 100
    max_line_kb: int = 1024
    max_columns: int = 5_000
    max_rows: int = 1_000_000
    max_cells: int = 5_000_000
    worker_memory_mb: int = 1536
    seconds_per_file: int = 120

    @classmethod
    def from_settings(cls, values: dict[str, object]) -> ReadLimits:
        """The limits of a project (its resolved `limits.*` settings)."""
        fields = cls.__dataclass_fields__
        return cls(
            **{
                name: int(str(values[f"limits.{name}"]))
                for name in fields
                if f"limits.{name}" in values
            }
        )

    def breach(self, path: Path, what: str, setting: str) -> FileReadError:
        """The error for a limit crossed: what was found, the limit and how to raise it."""
        value = getattr(self, setting)
        return FileReadError(
            path,
            f"refused: {what}, over the limit of {value:,} (limits.{setting})",
            f"If this is a real export, raise limits.{setting} in socialmetrics.toml",
        )

    # ------------------------------------------------------------------------------------
    # Before reading

    def check_size(self, path: Path, size: int) -> None:
        if size > self.max_file_mb * MB:
            raise self.breach(path, f"the file is {size / MB:,.1f} MB", "max_file_mb")

    def check_archive(self, path: Path, archive: zipfile.ZipFile) -> None:
        """Each member's declared unpacked size and ratio, and their total (zip bombs)."""
        total = 0
        for info in archive.infolist():
            total += info.file_size
            if info.file_size > self.max_unpacked_mb * MB:
                raise self.breach(
                    path,
                    f"member {info.filename!r} unpacks to {info.file_size / MB:,.0f} MB",
                    "max_unpacked_mb",
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > self.max_zip_ratio:
                raise self.breach(
                    path,
                    f"member {info.filename!r} unpacks {ratio:,.0f} times its packed size "
                    f"({info.compress_size:,} bytes to {info.file_size:,})",
                    "max_zip_ratio",
                )
        if total > self.max_unpacked_mb * MB:
            raise self.breach(
                path, f"its members unpack to {total / MB:,.0f} MB in all", "max_unpacked_mb"
            )

    def read_member(self, path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, never more than the limit even if its header lies about its size."""
        cap = self.max_unpacked_mb * MB
        with archive.open(info) as member:
            data = member.read(cap + 1)
        if len(data) > cap:
            raise self.breach(
                path,
                f"member {info.filename!r} unpacks to more than {cap // MB} MB",
                "max_unpacked_mb",
            )
        return data

    def check_lines(self, path: Path, data: bytes) -> None:
        """No physical line longer than `max_line_kb` (a 100 MB one-line file is not an export)."""
        limit = self.max_line_kb * 1024
        if len(data) <= limit:
            return
        match = re.search(rb"[^\n]{%d}" % (limit + 1), data)
        if match is not None:
            line = data.count(b"\n", 0, match.start()) + 1
            raise self.breach(path, f"line {line} is longer than {limit:,} bytes", "max_line_kb")

    # ------------------------------------------------------------------------------------
    # While reading

    def check_row(self, path: Path, where: str, width: int, rows: int, cells: int) -> None:
        """One more row read: its width, the rows so far and the cells so far."""
        if width > self.max_columns:
            raise self.breach(path, f"{where} has {width:,} columns", "max_columns")
        if rows > self.max_rows:
            raise self.breach(path, f"more than {self.max_rows:,} rows", "max_rows")
        if cells > self.max_cells:
            raise self.breach(path, f"more than {self.max_cells:,} cells", "max_cells")


DEFAULT_LIMITS = ReadLimits()
