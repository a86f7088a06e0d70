"""The portal in a real browser: a uvicorn server on 127.0.0.1 (always stopped) driven by
Playwright in the system Chromium. Log in, upload a real export, see it recognised, accept a
layout change, open a report. Screenshots are kept in test-artefacts/portal/."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.ops.report import write_reports
from socialmetrics.web.app import create_app
from socialmetrics.web.users import UserStore
from tests.helpers.crash import MONTH, make_agency

ARTEFACTS = Path(__file__).resolve().parent.parent / "test-artefacts" / "portal"
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = make_agency(tmp_path / "agency", f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    project = load_project(root)
    ingest(project)
    write_reports(project, month=MONTH, formats=("html",))
    UserStore(root).add("ana", "analyst", PASSWORD, [])
    port = _free_port()
    config = uvicorn.Config(create_app(project), host="127.0.0.1", port=port, log_level="error")
    app_server = uvicorn.Server(config)
    thread = threading.Thread(target=app_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not app_server.started:
        assert time.monotonic() < deadline, "the portal did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", root
    finally:
        app_server.should_exit = True
        thread.join(timeout=30)
        assert not thread.is_alive(), "the portal did not stop"


def test_log_in_upload_a_real_export_accept_a_change_open_a_report(
    server: tuple[str, Path], chromium: str, samples: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, root = server
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    export = samples / "instagram" / "SGC140__Mar-26-2025_Mar-26-2026_949104527769166.csv"
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/")
            assert page.url.endswith("/login")
            page.fill("input[name=username]", "ana")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(base + "/")
            assert page.locator("table.clients tbody tr").count() == 3
            page.fill("input[name=q]", "gam")  # htmx filters as one types
            expect(page.locator("table.clients tbody tr")).to_have_count(1)
            page.screenshot(path=str(ARTEFACTS / "overview.png"), full_page=True)

            page.goto(base + "/clients/acme/upload")
            page.set_input_files("input[type=file]:not([webkitdirectory])", str(export))
            page.click("form.drop button[type=submit]")
            row = page.locator("table.checked tbody tr").first
            row.wait_for()
            assert "instagram" in row.inner_text()
            page.screenshot(path=str(ARTEFACTS / "upload.png"), full_page=True)
            assert (root / "clients" / "acme" / "uploads").rglob(export.name)

            page.goto(base + "/changes")
            first = page.locator("article.change").first
            header = first.locator("input[name=header]").get_attribute("value")
            first.locator("button[value=accept]").click()
            page.wait_for_selector("p.notice")
            assert "accepted" in page.locator("p.notice").inner_text()
            assert header and header in (root / "aliases.toml").read_text(encoding="utf-8")
            page.screenshot(path=str(ARTEFACTS / "changes.png"), full_page=True)

            page.goto(f"{base}/clients/acme/{MONTH}")
            charts = page.locator("figure.chart").count()
            assert charts >= 3
            # each chart redrawn by Vega in the browser from the report's spec (CSP intact)
            expect(page.locator("figure.chart.live")).to_have_count(charts)
            live = page.locator("figure.chart.live .interactive svg").first
            assert "2026" in live.inner_html() or "mar" in live.inner_html()  # date ticks
            bar = page.locator("figure.chart.content_types .interactive svg path[aria-label]")
            bar.first.hover()
            expect(page.locator("#vg-tooltip-element")).to_be_visible()
            page.screenshot(path=str(ARTEFACTS / "month.png"), full_page=True)
            page.click(f"a[href$='acme-{MONTH}.html']")
            page.wait_for_load_state()
            assert page.locator("h1").first.inner_text().strip()
            page.screenshot(path=str(ARTEFACTS / "report.png"))
        finally:
            browser.close()
    assert errors == [], errors
    for shot in ("overview", "upload", "changes", "month", "report"):
        assert (ARTEFACTS / f"{shot}.png").stat().st_size > 10_000, shot
