"""ReportData -> one self-contained HTML file (inline CSS and SVG, no network).

Templates are Jinja2 with autoescaping on: a post text holding `<script>` stays text, and a link
is written only for an http(s) URL (`web_url`); anything else is shown as text. A project
can override any template by placing a file of the same name in `<project>/templates/`.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

from socialmetrics.report import charts
from socialmetrics.report.data import ReportData
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
    loaders: list[Any] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(FileSystemLoader(str(project_templates)))
    loaders.append(PackageLoader("socialmetrics.report", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["web_url"] = web_url
    return env


def render_html(
    data: ReportData, language: str, agency: str, project_templates: Path | None = None
) -> str:
    """The report as one HTML document in `language` (es or en)."""
    from socialmetrics import months

    f = Formatter(language)
    env = environment(project_templates)
    html = env.get_template("report.html.j2").render(
        data=data,
        f=f,
        charts=charts,
        agency=agency,
        month_label=f.month(months.start(data.month)),
        color=data.client.brand_color,
        logo=logo_data_uri(data.client.folder, data.client.logo),
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
