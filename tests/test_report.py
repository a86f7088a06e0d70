"""The monthly HTML report: both languages, formatting, missing data, escaping, overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.months import previous as previous_month
from socialmetrics.ops.report import write_reports
from tests.test_cli import run


@pytest.fixture
def project(make_project, files: Path, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    content = (
        (files / "instagram/contenido_es.csv")
        .read_bytes()
        .replace(b'Reel ""nuevo""', b"<script>alert(1)</script> =1+1")
        .replace(b"https://www.instagram.com/p/AAA1/", b" javascript:alert(document.domain)")
    )
    evil = tmp_path / "contenido.csv"
    evil.write_bytes(content)
    root = make_project(
        {
            "cafe": {
                "x/account_overview_analytics.csv": files
                / "twitter/account_overview_analytics.csv",
                "2026-02/instagram/publico.csv": files / "instagram/publico.csv",
                "2026-03/instagram/contenido.csv": evil,
            }
        }
    )
    (root / "clients/cafe/client.toml").write_text(
        'display_name = "Café <b>Aurora</b>"\nlanguage = "es"\nbrand_color = "#c2410c"\n'
    )
    ingest(load_project(root))
    return root


def _text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_spanish_report(project: Path) -> None:
    (path,) = write_reports(load_project(project), month="2026-03", formats=("html",))
    assert path == project / "reports/cafe/2026-03/cafe-2026-03.html"
    html = path.read_text()
    text = _text(html)
    assert "Informe mensual de redes sociales · marzo de 2026" in text
    for section in ("cover", "summary", "insights", "platform-instagram", "quality"):
        assert f'id="{section}"' in html
    assert "Interacciones 329" in text  # 104 + 225, from the posts
    assert "Seguidores 1.234" in text  # Spanish thousands separator
    assert "Tasa de interacción sobre alcance (suma diaria)" in text  # the basis is always said
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "Café &lt;b&gt;Aurora&lt;/b&gt;" in html
    # a permalink that is not http(s) is shown as text, never as a link
    assert 'href="https://www.instagram.com/reel/AAA2/"' in html
    assert "javascript:alert(document.domain)</span>" in html
    assert not re.search(r"href=\"\s*javascript", html, flags=re.I)


def test_english_report_and_missing_platform(project: Path) -> None:
    (path,) = write_reports(
        load_project(project), month="2026-02", language="en", formats=("html",)
    )
    text = _text(path.read_text())
    assert "Monthly social media report · February 2026" in text
    assert "No X (Twitter) data for February 2026." in text  # said, never shown as zeros
    assert "There is no X (Twitter) data this month" in text


def test_project_templates_override_the_package(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/report.html.j2").write_text(
        "<p>{{ data.client.display_name }} {{ month_label }}</p>"
    )
    (path,) = write_reports(
        load_project(project), month="2026-03", language="en", formats=("html",)
    )
    assert path.read_text() == "<p>Café &lt;b&gt;Aurora&lt;/b&gt; March 2026</p>\n"


def test_report_command(project: Path) -> None:
    result = run(
        "report",
        "--project",
        str(project),
        "--month",
        "2026-03",
        "--lang",
        "en",
        "--format",
        "html,xlsx",
    )
    assert result.exit_code == 0
    assert "cafe-2026-03.html" in result.output and "cafe-2026-03.xlsx" in result.output
    bad = run("report", "--project", str(project), "--month", "2026-03", "--format", "docx")
    assert bad.exit_code == 2
    assert "format(s) docx not available in this version; use: html, pdf, xlsx" in bad.output
    lang = run("report", "--project", str(project), "--month", "2026-03", "--lang", "fr")
    assert lang.exit_code == 2 and "--lang must be one of en, es, pt-BR, got 'fr'" in lang.output


def test_default_month_is_the_previous_one() -> None:
    import datetime as dt

    assert previous_month("Europe/Madrid", dt.date(2026, 1, 1)) == "2025-12"
    assert previous_month("Europe/Madrid", dt.date(2026, 11, 24)) == "2026-10"


def test_engagement_rate_basis_is_configurable(project: Path) -> None:
    config = project / "socialmetrics.toml"
    config.write_text(config.read_text() + '\n[report]\nengagement_rate = "followers"\n')
    (path,) = write_reports(
        load_project(project), month="2026-03", language="en", formats=("html",)
    )
    text = _text(path.read_text())
    assert "Engagement rate by followers" in text
    assert "Engagement rate 26.66%" in text  # 329 engagements / 1,234 followers
    config.write_text(config.read_text().replace('"followers"', '"likes"'))
    bad = run("report", "--project", str(project), "--month", "2026-03")
    assert bad.exit_code == 2
    assert (
        "report.engagement_rate 'likes' must be one of native, impressions, reach, followers"
        in bad.output
    )
