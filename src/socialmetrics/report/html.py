"""ReportData -> one self-contained HTML file (inline CSS and SVG, no network).

Texts are gettext messages (`{{ _("Top posts") }}`, Jinja2's i18n extension with the report
language's catalog); charts are drawn once by `figures.py`, inline SVG in the page.

Templates are Jinja2 with autoescaping on: a post text holding `<script>` stays text, and a link
is written only for an http(s) URL (`web_url`); anything else is shown as text. A project
can override any template by placing a file of the same name in `<project>/templates/`.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

from socialmetrics.report.data import ReportData
from socialmetrics.report.figures import build_figures
from socialmetrics.report.i18n import Formatter

UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\\]")
"""Whitespace, control characters and backslashes: browsers drop or reinterpret them, so a
URL holding one is not shown as a link (`java\tscript:` is still a script to a browser)."""


def web_url(value: object) -> str | None:
    """The URL if it is a plain http(s) link, else None: a permalink from an export
    (`javascript:...`, `data:...`, ` javascript:...`) must never become a clickable script.
    Every URL from data or settings goes through this before it is a link."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or UNSAFE_IN_URL.search(url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def environment(project_templates: Path | None = None) -> Environment:
    """The report's Jinja2 environment: the project's templates first, then the package's."""
    loaders: list[Any] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(FileSystemLoader(str(project_templates)))
    loaders.append(PackageLoader("socialmetrics.report", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.filters["web_url"] = web_url
    return env


@cache
def _translated(project_templates: Path | None, language: str) -> Environment:
    """One environment per templates folder and language, kept for the process: compiling the
    template costs more than rendering it (~0.18 s), and a worker renders many clients."""
    env = environment(project_templates)
    translations = Formatter(language).translations
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env


def render_html(
    data: ReportData, language: str, agency: str, project_templates: Path | None = None
) -> str:
    """The report as one HTML document in `language` (one of `catalogs.languages()`)."""
    from socialmetrics import months

    f = Formatter(language)
    folder = project_templates if project_templates and project_templates.is_dir() else None
    html = (
        _translated(folder, f.language)
        .get_template("report.html.j2")
        .render(
            data=data,
            f=f,
            figures=build_figures(data, f),
            months=months,
            agency=agency,
            month_label=f.month(months.start(data.month)),
            color=data.client.brand_color,
            logo=logo_data_uri(data.client.folder, data.client.logo),
        )
    )
    return html if html.endswith("\n") else html + "\n"  # a text file ends with a newline


LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


def logo_data_uri(folder: Path, logo: str | None) -> str | None:
    """The client's logo inlined (the HTML stays one self-contained file), if it exists."""
    if not logo:
        return None
    path = (folder / logo).resolve()
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None or not path.is_file() or not path.is_relative_to(folder.resolve()):
        return None
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"
