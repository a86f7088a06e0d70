"""The report as a person meets it: in a real browser, as PDF pages and text, as an Excel file."""

from __future__ import annotations

import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import fastexcel
import pytest

from socialmetrics.config import load_client, load_project
from socialmetrics.ops.report import write_reports
from socialmetrics.report.data import build_report
from socialmetrics.warehouse.base import connect
from tests.test_report import project  # noqa: F401  (fixture)

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture
def written(project: Path, weasyprint_ready: None) -> dict[str, Path]:  # noqa: F811
    paths = write_reports(load_project(project), month="2026-03", language="es")
    return {p.suffix: p for p in paths}


def test_html_in_a_real_browser(written: dict[str, Path], chromium: str, tmp_path: Path) -> None:
    html = written[".html"]
    shot = tmp_path / "page.png"
    profile = tempfile.mkdtemp()
    run = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            "--window-size=1100,1600",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.exists(), run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
    assert console == []  # no console errors (there is no script at all)
    from PIL import Image

    with Image.open(shot) as img:
        colors = img.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colors) > 50  # not a blank page
    dom = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tempfile.mkdtemp()}",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    for section in ("cover", "summary", "insights", "platform-instagram", "quality"):
        assert f'id="{section}"' in dom


def test_pdf_pages_and_text(written: dict[str, Path], poppler: None, tmp_path: Path) -> None:
    pdf = written[".pdf"]
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "marzo de 2026" in text
    assert "329" in text and "1.234" in text  # KPI values, Spanish formatting
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2


def test_excel_values_equal_the_marts(written: dict[str, Path], project: Path) -> None:  # noqa: F811
    xlsx = written[".xlsx"]
    book = fastexcel.read_excel(xlsx)
    assert book.sheet_names == ["KPIs", "Daily", "Posts"]
    kpis = book.load_sheet("KPIs").to_polars()
    proj = load_project(project)
    with connect(proj.warehouse_url, proj.root) as wh:
        data = build_report(wh, load_client(proj.clients_dir / "cafe", proj), "2026-03")
    expected = {(s.platform, c.kpi): c.value for s in data.sections for c in s.cards}
    got = {(r["platform"], r["kpi"]): r["value"] for r in kpis.to_dicts()}
    assert got == pytest.approx(expected)
    assert kpis["value"].dtype.is_numeric()  # numbers stored as numbers
    posts = book.load_sheet("Posts").to_polars()
    texts = posts["post_text"].to_list()
    assert "<script>alert(1)</script> =1+1" in texts
    with zipfile.ZipFile(xlsx) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(re.search(r"<f>", s) for s in sheets)  # no formula anywhere


def test_formula_like_posts_stay_text(project: Path, tmp_path: Path) -> None:  # noqa: F811
    from socialmetrics.report.xlsx import write_xlsx

    proj = load_project(project)
    with connect(proj.warehouse_url, proj.root) as wh:
        data = build_report(wh, load_client(proj.clients_dir / "cafe", proj), "2026-03")
    for s in data.sections:
        for i, p in enumerate(s.top_posts):
            p["post_text"] = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"][i % 4]
    path = write_xlsx(data, "en", tmp_path / "r.xlsx")
    texts = fastexcel.read_excel(path).load_sheet("Posts").to_polars()["post_text"].to_list()
    assert texts == ['=HYPERLINK("http://x")', "+1"]
