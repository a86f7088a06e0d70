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
from tests.conftest import require
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


def _browser_check(chromium: str, html: Path, shot: Path, height: int) -> None:
    """Open the page in headless Chromium: a screenshot that is not blank, no console output."""
    from PIL import Image

    run = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tempfile.mkdtemp()}",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            f"--window-size=1100,{height}",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.exists(), run.stderr[-2000:]
    assert [line for line in run.stderr.splitlines() if "CONSOLE" in line] == []
    with Image.open(shot) as img:
        assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50  # not blank


@pytest.fixture
def written(project: Path, weasyprint_ready: None) -> dict[str, Path]:  # noqa: F811
    paths = write_reports(load_project(project), month="2026-03", language="es")
    return {p.suffix: p for p in paths}


def test_html_in_a_real_browser(written: dict[str, Path], chromium: str, tmp_path: Path) -> None:
    html = written[".html"]
    _browser_check(chromium, html, tmp_path / "page.png", 1600)
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
    assert book.sheet_names == ["Overview", "KPIs", "Daily", "Posts"]
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


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """The demo agency's October report for one client, in each report language."""
    import shutil

    from socialmetrics.demo.generator import generate_demo
    from socialmetrics.ingest import ingest

    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        require(False, f"WeasyPrint cannot load Pango: {exc}")  # fails in CI, skips elsewhere
    root = tmp_path_factory.mktemp("demo-reports")
    generate_demo(root, clients=1, months=13, seed=3, end_month="2026-10")
    client = root / "clients/cafe-aurora"
    (client / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" '
        'height="10" fill="#123456"/></svg>'
    )
    with (client / "client.toml").open("a") as fh:
        fh.write('logo = "logo.svg"\n')
    proj = load_project(root)
    ingest(proj)
    out: dict[str, dict[str, Path]] = {}
    for lang in LANGUAGES:
        paths = write_reports(proj, month="2026-10", language=lang, formats=("html", "pdf", "xlsx"))
        keep = root / lang
        keep.mkdir()
        out[lang] = {p.suffix: Path(shutil.copy(p, keep / p.name)) for p in paths}
    out["root"] = {"": root}
    return out


LANGUAGES = ("es", "en", "pt-BR")


def _axis_labels(svg: str) -> list[str]:
    """The tick labels of a chart's axes, as vl-convert writes them."""
    groups = re.findall(r'role-axis-label"[^>]*>(.*?)</g>', svg, flags=re.S)
    return [t for g in groups for t in re.findall(r"<text[^>]*>([^<]+)</text>", g)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_demo_report_in_browser_and_pdf(
    demo_reports: dict[str, dict[str, Path]],
    lang: str,
    chromium: str,
    poppler: None,
    weasyprint_ready: None,
    tmp_path: Path,
) -> None:
    from socialmetrics.months import start as month_start
    from socialmetrics.report.i18n import Formatter

    html = demo_reports[lang][".html"]
    _browser_check(chromium, html, tmp_path / "shot.png", 1800)
    page = html.read_text()
    assert 'src="data:image/svg+xml;base64,' in page  # the logo, inlined
    for section in (
        "cover",
        "overview",
        "goals",
        "notes",
        "summary",
        "insights",
        "platform-instagram",
        "platform-linkedin",
        "platform-twitter",
        "quality",
    ):
        assert f'id="{section}"' in page
    root = demo_reports["root"][""]
    proj = load_project(root)
    with connect(proj.warehouse_url, proj.root) as wh:
        data = build_report(wh, load_client(proj.clients_dir / "cafe-aurora", proj), "2026-10")
    f = Formatter(lang)
    text = subprocess.run(
        ["pdftotext", str(demo_reports[lang][".pdf"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f.month(month_start("2026-10")) in text  # "octubre de 2026" / "October 2026"
    for section in data.sections:
        for card in section.cards:
            shown = f.percent(card.value, 2) if card.rate else f.number(card.value)
            assert shown in text, (section.platform, card.kpi, shown)
    for total in data.overview.totals:  # the all-channels page
        assert f.value(total.value, total.rate) in text, ("all channels", total.kpi)
    charts = re.findall(r'<figure class="chart" data-chart="(\w+)">(.*?)</figure>', page, re.S)
    kinds = {kind for kind, _ in charts}
    assert {"share", "daily", "followers", "content_types", "heatmap"} <= kinds, kinds
    for kind, svg in charts:  # every chart has axes with tick labels
        assert len(_axis_labels(svg)) >= 2, kind
    daily = next(svg for kind, svg in charts if kind == "daily")
    october = f.short_month(month_start("2026-10"))
    september = f.short_month(month_start("2026-09"))
    assert october in daily and september in daily  # the month and its faint comparison
    heatmap = next(svg for kind, svg in charts if kind == "heatmap")
    assert f.weekday(1) in _axis_labels(heatmap) and "23" in _axis_labels(heatmap)
    kpis = fastexcel.read_excel(demo_reports[lang][".xlsx"]).load_sheet("KPIs").to_polars()
    got = {(r["platform"], r["kpi"]): r["value"] for r in kpis.to_dicts()}
    assert got == pytest.approx(
        {(s.platform, c.kpi): c.value for s in data.sections for c in s.cards}
    )
