"""Write each client's monthly report files: reports/<client>/<YYYY-MM>/<client>-<YYYY-MM>.<ext>."""

from __future__ import annotations

from pathlib import Path

from socialmetrics import months
from socialmetrics.config import Project, load_client
from socialmetrics.errors import ConfigError, OutputError, UsageError
from socialmetrics.extract.discover import client_folders
from socialmetrics.report import formats as report_formats
from socialmetrics.report.data import build_report
from socialmetrics.report.html import render_html
from socialmetrics.warehouse.base import connect


def write_reports(
    project: Project,
    *,
    month: str | None = None,
    client: str | None = None,
    language: str | None = None,
    formats: tuple[str, ...] | None = None,
) -> list[Path]:
    """Render and write the reports in the given formats (default: every registered one);
    returns the files written."""
    month = month or months.previous(str(project.get("project.timezone")))
    months.bounds(month)  # validates the form
    registered = report_formats.formats()
    wanted = [f for f in registered if formats is None or f in formats]
    unknown = [f for f in formats or () if f not in registered]
    if unknown:
        available = ", ".join(sorted(registered))
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
    if project.reports_dir.exists() and not project.reports_dir.is_dir():
        raise ConfigError(
            f"paths.reports is {project.reports_dir}, which is a file: point it at a folder"
        )
    written: list[Path] = []
    broken: list[str] = []
    with connect(project.warehouse_url, project.root) as wh:
        wh.ensure_schema()
        for folder in folders:
            try:
                settings = load_client(folder, project)
            except ConfigError as exc:  # that client only: the others still get their reports
                broken.append(str(exc))
                continue
            data = build_report(wh, settings, month, str(project.get("report.engagement_rate")))
            lang = language or settings.language
            out = project.reports_dir / settings.client_id / month
            agency = str(project.get("project.name"))
            html = render_html(data, lang, agency, project.root / "templates")
            rendering = report_formats.Rendering(data, lang, agency, html)
            stem = out / f"{settings.client_id}-{month}"
            try:
                out.mkdir(parents=True, exist_ok=True)
                for name in wanted:
                    fmt = registered[name]
                    written.append(fmt.write(rendering, stem.with_suffix(fmt.suffix)))
            except OSError as exc:
                raise OutputError(
                    f"cannot write {settings.client_id}'s reports in {out}: "
                    f"{exc.strerror or exc}. {len(written)} report file(s) were written before; "
                    "free some space (or fix the folder's permissions) and run `report` again"
                ) from exc
    if broken:
        raise ConfigError(
            f"{len(written)} report file(s) written; no report for {len(broken)} client(s) "
            "whose settings are broken: " + " | ".join(broken)
        )
    return written
