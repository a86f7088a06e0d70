"""The same HTML report, paginated for A4 by WeasyPrint (needs the system's Pango)."""

from __future__ import annotations

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
    HTML(string=html).write_pdf(str(path))
    return path
