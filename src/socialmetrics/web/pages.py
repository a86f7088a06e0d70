"""The pages of one client's month: the report's KPI cards, charts (drawn from the same chart
specs as the report), top posts, report files and data-quality appendix."""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from socialmetrics.config import Project, load_client
from socialmetrics.report.data import ReportData, build_report
from socialmetrics.report.figures import Figure, Figures, build_figures
from socialmetrics.report.i18n import Formatter
from socialmetrics.warehouse.base import connect
from socialmetrics.warehouse.registry import read_only_url
from socialmetrics.web.readmodel import WAREHOUSE_TURNS

KEEP = 64
"""Rendered months kept (the charts cost ~0.3 s to draw)."""
FRESH_SECONDS = 30.0


@dataclass
class MonthPage:
    data: ReportData
    figures: Figures
    f: Formatter
    files: list[Path]
    drawn_at: float


def report_files(project: Project, client_id: str, month: str) -> list[Path]:
    """The report files written for a client's month (HTML, PDF, Excel), by name."""
    folder = project.reports_dir / client_id / month
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


class MonthPages:
    """Rendered month pages, kept a short while and served again while the warehouse is busy."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._pages: OrderedDict[tuple[str, str, str], MonthPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, client_id: str, month: str, language: str | None) -> MonthPage:
        settings = load_client(self.project.clients_dir / client_id, self.project)
        f = Formatter(language or settings.language)
        key = (client_id, month, f.language)
        with self._lock:
            kept = self._pages.get(key)
        if kept is not None and time.monotonic() - kept.drawn_at < FRESH_SECONDS:
            return kept
        try:
            with (
                WAREHOUSE_TURNS,
                connect(read_only_url(self.project.warehouse_url), self.project.root) as wh,
            ):
                basis = str(self.project.get("report.engagement_rate"))
                data = build_report(wh, settings, month, basis)
        except Exception:
            if kept is not None:  # a run holds the warehouse: the page as it was
                return kept
            raise
        page = MonthPage(
            data,
            build_figures(data, f),
            f,
            report_files(self.project, client_id, month),
            time.monotonic(),
        )
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > KEEP:
                self._pages.popitem(last=False)
        return page


def spark(page: MonthPage, platform: str, kpi: str) -> Markup:
    return page.figures.sparks.get((platform, kpi), Markup(""))


def interactive_spec(figure: Figure) -> dict[str, Any]:
    """The report chart's own Vega-Lite spec, with tooltips on its marks: what the browser
    draws in place of the static SVG (same data, scales, colours and locale)."""
    spec = copy.deepcopy(figure.spec)
    config = spec.setdefault("config", {})
    config["mark"] = {**config.get("mark", {}), "tooltip": True}
    return spec


@cache
def vega_locale(d3_name: str) -> dict[str, Any]:
    """The d3 number and time locales vl-convert drew the static charts with, for Vega in the
    browser (`vegaEmbed`'s formatLocale and timeFormatLocale)."""
    import vl_convert

    name: Any = d3_name
    return {
        "format": vl_convert.get_format_locale(name),
        "time": vl_convert.get_time_format_locale(name),
    }
