"""Write each client's monthly report files: reports/<client>/<YYYY-MM>/<client>-<YYYY-MM>.<ext>."""

from __future__ import annotations

from pathlib import Path

from socialmetrics import months
from socialmetrics.compute import open_engine
from socialmetrics.config import Project, load_client
from socialmetrics.errors import ConfigError, OutputError, UsageError
from socialmetrics.extract.discover import selected_clients
from socialmetrics.report import catalogs
from socialmetrics.report import formats as report_formats
from socialmetrics.report.data import build_report
from socialmetrics.report.html import render_html
from socialmetrics.warehouse.base import connect
from socialmetrics.warehouse.registry import read_only_url


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
    if language is not None and language not in catalogs.languages():
        choices = ", ".join(catalogs.languages())
        raise UsageError(f"--lang must be one of {choices}, got {language!r}")
    folders = selected_clients(project.clients_dir, client)
    if project.reports_dir.exists() and not project.reports_dir.is_dir():
        raise ConfigError(
            f"paths.reports is {project.reports_dir}, which is a file: point it at a folder"
        )
    with connect(project.warehouse_url, project.root) as wh:
        wh.ensure_schema()  # then closed: the workers open it to read (DuckDB: read-only)
    url, jobs = str(project.get("compute.engine")), int(project.get("compute.jobs"))
    if url == "local" and (len(folders) <= 1 or jobs == 1):  # no worker is worth starting
        outcomes = [render_client(project, f, month, language, wanted) for f in folders]
    else:
        engine = open_engine(url, jobs, purpose="render")
        try:
            futures = [
                engine.submit(render_client, project, f, month, language, wanted, timeout=None)
                for f in folders
            ]
            outcomes = [future.result() for future in futures]  # in client order
        finally:
            engine.close()
    written = [path for paths, _ in outcomes for path in paths]
    broken = [problem for _, problem in outcomes if problem]
    failed = [p for p in broken if p.startswith(WRITE_FAILED)]
    if failed:
        raise OutputError(
            f"{failed[0].removeprefix(WRITE_FAILED)}. {len(written)} report file(s) were written "
            "before; "
            "free some space (or fix the folder's permissions) and run `report` again"
        )
    if broken:
        raise ConfigError(
            f"{len(written)} report file(s) written; no report for {len(broken)} client(s) "
            "whose settings are broken: " + " | ".join(broken)
        )
    return written


WRITE_FAILED = "write failed: "


def render_client(
    project: Project, folder: Path, month: str, language: str | None, wanted: list[str]
) -> tuple[list[Path], str]:
    """In a worker: one client's report files, and what stopped them (empty: nothing).

    A client whose settings are broken gets no report and the others still do."""
    registered = report_formats.formats()
    try:
        settings = load_client(folder, project)
    except ConfigError as exc:
        return [], str(exc)
    written: list[Path] = []
    try:
        with connect(read_only_url(project.warehouse_url), project.root) as wh:
            data = build_report(wh, settings, month, str(project.get("report.engagement_rate")))
    except ConfigError as exc:  # the client's notes.toml
        return [], str(exc)
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
        return written, (
            f"{WRITE_FAILED}cannot write {settings.client_id}'s reports in {out}: "
            f"{exc.strerror or exc}"
        )
    return written, ""
