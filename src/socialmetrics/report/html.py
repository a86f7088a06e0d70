"""ReportData -> one self-contained HTML file (inline CSS and SVG, no network).

Templates are Jinja2 with autoescaping on: a post text holding `<script>` stays text. A project
can override any template by placing a file of the same name in `<project>/templates/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

from socialmetrics.report import charts
from socialmetrics.report.data import ReportData
from socialmetrics.report.i18n import Formatter


def environment(project_templates: Path | None = None) -> Environment:
    loaders: list[Any] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(FileSystemLoader(str(project_templates)))
    loaders.append(PackageLoader("socialmetrics.report", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(
    data: ReportData, language: str, agency: str, project_templates: Path | None = None
) -> str:
    """The report as one HTML document in `language` (es or en)."""
    from socialmetrics.marts.kpis import month_start

    f = Formatter(language)
    env = environment(project_templates)
    return env.get_template("report.html.j2").render(
        data=data,
        f=f,
        charts=charts,
        agency=agency,
        month_label=f.month(month_start(data.month)),
        color=data.client.brand_color,
    )
