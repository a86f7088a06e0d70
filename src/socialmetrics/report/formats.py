"""Report formats by name: `html`, `pdf` and `xlsx` built in, more through entry points.

A format is a `ReportFormat`: a file suffix and a function that writes one client's month from
its `Rendering` (the report data, its language, the HTML already rendered). A plugin package
adds one with an entry point in the group `socialmetrics.report_formats` naming a
`ReportFormat`, the same way the built-ins are declared below:

    [project.entry-points."socialmetrics.report_formats"]
    pptx = "socialmetrics_pptx:FORMAT"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from socialmetrics import plugins
from socialmetrics.report.data import ReportData

ENTRY_POINT_GROUP = "socialmetrics.report_formats"


@dataclass(frozen=True)
class Rendering:
    """What every format writes from: the month's data, in one language, and its HTML."""

    data: ReportData
    language: str
    agency: str
    html: str


@dataclass(frozen=True)
class ReportFormat:
    name: str
    suffix: str
    write: Callable[[Rendering, Path], Path]
    """Writes the file at the given path (the suffix already set); returns it."""
    description: str = ""


def _html(rendering: Rendering, path: Path) -> Path:
    path.write_text(rendering.html, encoding="utf-8")
    return path


def _xlsx(rendering: Rendering, path: Path) -> Path:
    from socialmetrics.report.xlsx import write_xlsx

    return write_xlsx(rendering.data, rendering.language, path)


def _pdf(rendering: Rendering, path: Path) -> Path:
    from socialmetrics.report.pdf import write_pdf

    return write_pdf(rendering.html, path)


BUILTIN = (
    ReportFormat("html", ".html", _html, "one self-contained page (inline CSS and SVG)"),
    ReportFormat("xlsx", ".xlsx", _xlsx, "Excel workbook with native charts, no formulas"),
    ReportFormat("pdf", ".pdf", _pdf, "the same page as A4 PDF (needs Pango)"),
)
"""In writing order: the PDF last, so a machine without Pango still gets the others first."""
_registered: list[ReportFormat] = []


def register(fmt: ReportFormat) -> None:
    """Add a format (what an entry point does; tests and applications may call it)."""
    _registered.append(fmt)
    formats.cache_clear()


def unregister(name: str) -> None:
    _registered[:] = [f for f in _registered if f.name != name]
    formats.cache_clear()


@cache
def formats() -> dict[str, ReportFormat]:
    """Name -> format: built-ins, then entry points, then `register` calls."""
    found = [*BUILTIN, *plugins.load(ENTRY_POINT_GROUP, ReportFormat), *_registered]
    return {f.name: f for f in found}
