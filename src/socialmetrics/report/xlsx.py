"""ReportData -> an Excel workbook: the all-channels overview (totals, goals, each platform's
share), KPI sheet, daily series, posts (with native Excel charts) and the competitor benchmark
where there is one.

Numbers are stored as numbers (formatted by Excel), dates as dates, and every string from the
data is written as a string: a post starting with `=`, `+`, `-` or `@` stays text, never a
formula (`strings_to_formulas` off and `write_string` for all text).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

from socialmetrics.marts.breakdowns import TOP_POST_COLUMNS
from socialmetrics.report.data import ReportData
from socialmetrics.report.i18n import Formatter
from socialmetrics.warehouse.marts import COMPETITOR_COLUMNS


def _write(sheet: Any, row: int, col: int, value: Any, fmt: dict[str, Any]) -> None:
    if value is None:
        sheet.write_blank(row, col, None)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, float(value), fmt.get("number"))
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, fmt["datetime"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt["date"])
    else:
        sheet.write_string(row, col, str(value))


def _overview(book: Any, data: ReportData, f: Formatter, fmt: dict[str, Any]) -> None:
    """The first sheet: all-channels totals, then the goals, then each platform's share (the
    same figures as the report's first page; rates and shares as fractions)."""
    sheet = book.add_worksheet("Overview")
    o = data.overview
    sheet.write_row(
        0, 0, ["kpi", "label", "value", "mom", "delta_unit", "platforms"], fmt["header"]
    )
    r = 1
    for t in o.totals:
        row: list[Any] = [t.kpi, f.kpi(t.kpi), t.value, t.mom, "pp" if t.rate else "ratio"]
        row.append(t.platforms)
        for col, value in enumerate(row):
            _write(sheet, r, col, value, fmt)
        r += 1
    if o.goals:
        r += 1
        headers = ["goal_kpi", "label", "platform", "period", "target", "value", "progress", "met"]
        sheet.write_row(r, 0, headers, fmt["header"])
        r += 1
        for g in o.goals:
            row = [
                g.goal.kpi,
                f.kpi(g.goal.kpi),
                g.goal.platform,
                g.goal.period,
                g.goal.target,
                g.value,
                g.progress,
                g.met,
            ]
            for col, value in enumerate(row):
                _write(sheet, r, col, value, fmt)
            r += 1
    if o.shares:
        r += 1
        sheet.write_row(r, 0, ["share_kpi", "label", "platform", "share"], fmt["header"])
        blocks = []
        for kpi, split in o.shares.items():
            blocks.append((kpi, r + 1, r + len(split)))
            for platform, share in split.items():
                r += 1
                for col, value in enumerate([kpi, f.kpi(kpi), platform, share]):
                    _write(sheet, r, col, value, fmt)
        kpi, first, last = blocks[0]  # a pie of the first split (impressions, usually)
        chart = book.add_chart({"type": "pie"})
        chart.add_series(
            {
                "name": f.kpi(kpi),
                "categories": ["Overview", first, 2, last, 2],
                "values": ["Overview", first, 3, last, 3],
                "data_labels": {"percentage": True},
            }
        )
        chart.set_title({"name": f"{f.t('Share of each platform')}: {f.kpi(kpi)}"})
        sheet.insert_chart("J2", chart)
    sheet.set_column(0, 1, 26)


def write_xlsx(data: ReportData, language: str, path: Path) -> Path:
    """Write the workbook; returns its path."""
    f = Formatter(language)
    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    fmt = {
        "header": book.add_format({"bold": True, "bg_color": "#eeeeee"}),
        "number": book.add_format({"num_format": "#,##0.####"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    _overview(book, data, f, fmt)
    kpis = book.add_worksheet("KPIs")
    headers = ["platform", "kpi", "label", "value", "mom", "yoy", "delta_unit", "rate_basis"]
    kpis.write_row(0, 0, headers, fmt["header"])
    r = 1
    for s in data.sections:
        for c in s.cards:
            values = [
                s.platform,
                c.kpi,
                f.kpi(c.kpi),
                c.value,
                c.mom,
                c.yoy,
                "pp" if c.rate else "ratio",
                s.rate_basis,
            ]
            for col, value in enumerate(values):
                _write(kpis, r, col, value, fmt)
            r += 1
    kpis.set_column(0, 2, 22)
    daily = book.add_worksheet("Daily")
    daily_cols = ["platform", "date", "impressions", "reach", "engagements", "followers_gained"]
    daily.write_row(0, 0, daily_cols, fmt["header"])
    r = 1
    series = []
    for s in data.sections:
        first = r
        for d in s.daily:
            for col, name in enumerate(daily_cols):
                _write(daily, r, col, d[name], fmt)
            r += 1
        if r > first:
            series.append(
                {
                    "name": f.platform(s.platform),
                    "categories": ["Daily", first, 1, r - 1, 1],
                    "values": ["Daily", first, 2, r - 1, 2],
                }
            )
    if series:  # a chart without data would make an invalid workbook
        chart = book.add_chart({"type": "line"})
        for item in series:
            chart.add_series(item)
        chart.set_title({"name": f.kpi("impressions")})
        daily.insert_chart("H2", chart)
    posts = book.add_worksheet("Posts")
    post_cols = [c for c in TOP_POST_COLUMNS if c != "engagement_rate_reach"]
    posts.write_row(0, 0, post_cols, fmt["header"])
    r = 1
    for s in data.sections:
        for p in s.top_posts:
            for col, name in enumerate(post_cols):
                _write(posts, r, col, p[name], fmt)
            r += 1
    if r > 1:
        bar = book.add_chart({"type": "bar"})
        bar.add_series(
            {
                "name": f.kpi("engagements"),
                "categories": ["Posts", 1, 1, r - 1, 1],
                "values": ["Posts", 1, 8, r - 1, 8],
            }
        )
        bar.set_title({"name": f.t("Top posts")})
        posts.insert_chart("P2", bar)
    benchmark = [(s.platform, page) for s in data.sections for page in s.competitors]
    if benchmark:
        sheet = book.add_worksheet("Competitors")
        columns = ["platform", *COMPETITOR_COLUMNS]
        sheet.write_row(0, 0, columns, fmt["header"])
        for r, (platform, page) in enumerate(benchmark, start=1):
            for col, value in enumerate([platform, *(page[n] for n in COMPETITOR_COLUMNS)]):
                _write(sheet, r, col, value, fmt)
        sheet.set_column(3, 3, 40)
    book.close()
    return path
