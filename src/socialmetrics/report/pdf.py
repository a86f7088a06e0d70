"""The same HTML report, paginated for A4 by WeasyPrint (needs the system's Pango).

The charts go to WeasyPrint as SVG images rather than inline SVG: the same vectors and texts in
the PDF, but WeasyPrint's HTML parser and CSS cascade no longer walk their thousands of
elements (a third of the PDF's time, measured on the demo reports).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from socialmetrics.errors import PdfUnavailable

# Print layout (A4 pages, cards three a row, a page per platform) lives in the template's
# `@media print` rules, so a browser's "print to PDF" gives the same pages.

__all__ = ["PdfUnavailable", "write_pdf"]


def write_pdf(html: str, path: Path) -> Path:
    try:
        from weasyprint import HTML
    except OSError as exc:  # the shared libraries are missing
        raise PdfUnavailable(
            "PDF reports need Pango (on Debian/Ubuntu: apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0 fonts-dejavu-core); {str(exc).splitlines()[0]}"
        ) from exc
    HTML(string=charts_as_images(html)).write_pdf(str(path))
    return path


CHART = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg"[^>]*>.*?</svg>', re.S)
"""A chart as vl-convert writes it (a root `<svg>` with no `<svg>` inside)."""
WIDTH = re.compile(r'\bwidth="([\d.]+)"')
CLASS = re.compile(r'\bclass="([^"]*)"')


def _attribute(pattern: re.Pattern[str], tag: str, default: str) -> str:
    found = pattern.search(tag)
    return found.group(1) if found else default


def _image(match: re.Match[str]) -> str:
    svg = match.group(0)
    root = svg[: svg.index(">")]
    width, css = _attribute(WIDTH, root, "600"), _attribute(CLASS, root, "chart-svg")
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img class="{css}" alt="" style="width:{width}px;max-width:100%" '
        f'src="data:image/svg+xml;base64,{data}">'
    )


def charts_as_images(html: str) -> str:
    """Every chart of the page as an `<img>` of its SVG (see the module's docstring)."""
    return CHART.sub(_image, html)
