"""Write each client's monthly report files: reports/<client>/<YYYY-MM>/<client>-<YYYY-MM>.<ext>."""

from __future__ import annotations

from pathlib import Path

from socialmetrics import months
from socialmetrics.config import Project, load_client
from socialmetrics.errors import UsageError
from socialmetrics.extract.discover import client_folders
from socialmetrics.report.data import build_report
from socialmetrics.report.html import render_html
from socialmetrics.report.pdf import write_pdf
from socialmetrics.report.xlsx import write_xlsx
from socialmetrics.warehouse.base import connect

FORMATS = ("html", "pdf", "xlsx")


def write_reports(
    project: Project,
    *,
    month: str | None = None,
    client: str | None = None,
    language: str | None = None,
    formats: tuple[str, ...] = FORMATS,
) -> list[Path]:
    """Render and write the reports; returns the files written."""
    month = month or months.previous(str(project.get("project.timezone")))
    months.bounds(month)  # validates the form
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        available = ", ".join(FORMATS)
        raise UsageError(
            f"format(s) {', '.join(unknown)} not available in this version; use: {available}"
        )
    if language is not None and language not in ("es", "en"):
        raise UsageError(f"--lang must be es or en, got {language!r}")
    folders = client_folders(project.clients_dir)
    if client is not None:
        folders = [f for f in folders if f.name == client]
        if not folders:
            raise UsageError(f"no client folder {client!r} in {project.clients_dir}")
    written: list[Path] = []
    with connect(project.warehouse_url, project.root) as wh:
        wh.ensure_schema()
        for folder in folders:
            settings = load_client(folder, project)
            data = build_report(wh, settings, month, str(project.get("report.engagement_rate")))
            lang = language or settings.language
            out = project.reports_dir / settings.client_id / month
            out.mkdir(parents=True, exist_ok=True)
            stem = out / f"{settings.client_id}-{month}"
            html = render_html(
                data, lang, str(project.get("project.name")), project.root / "templates"
            )
            if "html" in formats:
                path = stem.with_suffix(".html")
                path.write_text(html, encoding="utf-8")
                written.append(path)
            if "xlsx" in formats:
                written.append(write_xlsx(data, lang, stem.with_suffix(".xlsx")))
            if "pdf" in formats:
                written.append(write_pdf(html, stem.with_suffix(".pdf")))
    return written
