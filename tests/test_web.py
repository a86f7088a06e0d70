"""The web portal: every page for every role, each forbidden access (another client's page,
month or report file, by path and by encoded path), CSRF on every form, login throttling,
session expiry and the users command."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from socialmetrics.cli import app as cli
from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.ops.report import write_reports
from socialmetrics.web import readmodel, security
from socialmetrics.web.app import create_app
from socialmetrics.web.users import UserStore
from tests.helpers.crash import FILES, MONTH, make_agency

PASSWORD = "correct horse battery"
USERS = {
    "admin": ("admin", []),
    "ana": ("analyst", []),
    "acme-viewer": ("viewer", ["acme"]),
}


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three clients ingested (acme, beta, gamma), HTML and Excel reports of MONTH, users."""
    root = tmp_path_factory.mktemp("portal")
    make_agency(root, f"duckdb:///{root / 'warehouse.duckdb'}")
    project = load_project(root)
    assert ingest(project).exit_code in (0, 1)
    assert write_reports(project, month=MONTH, formats=("html", "xlsx"))
    store = UserStore(root)
    for name, (role, clients) in USERS.items():
        store.add(name, role, PASSWORD, clients)
    return root


def _login(client: TestClient, name: str, password: str = PASSWORD) -> int:
    form = client.get("/login")
    token = re.search(r'name="token" value="([^"]+)"', form.text)
    assert token, form.text
    done = client.post(
        "/login",
        data={"username": name, "password": password, "token": token.group(1)},
        follow_redirects=False,
    )
    return done.status_code


@pytest.fixture
def browser(portal: Path) -> Iterator[TestClient]:
    with TestClient(create_app(load_project(portal))) as client:
        yield client


def _as(browser: TestClient, name: str) -> TestClient:
    assert _login(browser, name) == 303
    return browser


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def test_every_page_needs_a_login(browser: TestClient) -> None:
    for url in ("/", "/clients/acme", f"/clients/acme/{MONTH}", "/changes", "/runs"):
        response = browser.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login", url
    report = f"/clients/acme/{MONTH}/files/acme-{MONTH}.html"
    assert browser.get(report, follow_redirects=False).status_code == 303


def test_a_wrong_password_is_refused_and_a_right_one_opens_the_overview(
    browser: TestClient,
) -> None:
    assert _login(browser, "ana", "not the password at all") == 401
    assert browser.get("/", follow_redirects=False).status_code == 303
    assert _login(browser, "ana") == 303
    page = browser.get("/")
    assert page.status_code == 200
    for client in ("acme", "beta", "gamma"):
        assert f'href="/clients/{client}"' in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-frame-options"] == "DENY"


def test_the_overview_shows_the_marts_figures_sorted_and_filtered(
    browser: TestClient, portal: Path
) -> None:
    from socialmetrics.warehouse.base import connect

    _as(browser, "ana")
    with connect(f"duckdb:///{portal / 'warehouse.duckdb'}?access_mode=read_only") as wh:
        (month, engagements) = wh.query(
            "SELECT month, SUM(engagements) FROM monthly_kpis WHERE client_id = 'acme' "
            "AND month = (SELECT MAX(month) FROM monthly_kpis WHERE client_id = 'acme') "
            "GROUP BY month"
        )[0]
    page = browser.get("/?q=acm").text
    row = page.split('href="/clients/acme"', 1)[1].split("</tr>", 1)[0]
    assert f"{month:%Y-%m}" in row
    assert f"{engagements:,.0f}" in row
    assert 'href="/clients/beta"' not in page
    by_engagements = browser.get("/?sort=engagements&desc=true").text
    order = re.findall(r'<td><a href="/clients/([a-z]+)">', by_engagements)
    assert sorted(order) == ["acme", "beta", "gamma"] and len(order) == 3
    partial = browser.get("/?sort=client", headers={"HX-Request": "true"}).text
    assert partial.lstrip().startswith("<table") and "<html" not in partial


def test_the_client_and_month_pages_show_the_report(browser: TestClient) -> None:
    _as(browser, "acme-viewer")
    client = browser.get("/clients/acme")
    assert client.status_code == 200 and f'href="/clients/acme/{MONTH}"' in client.text
    month = browser.get(f"/clients/acme/{MONTH}")
    assert month.status_code == 200
    assert month.text.count("<svg") >= 3  # the report's charts, same specs
    assert f"acme-{MONTH}.html" in month.text and f"acme-{MONTH}.xlsx" in month.text
    english = browser.get(f"/clients/acme/{MONTH}?lang=en").text
    assert "Data quality" in english and "Top posts" in english
    assert "Publicaciones destacadas" in month.text  # the client's language (es)
    # the interactive charts: the report's own Vega-Lite specs, tooltips added, drawn by the
    # vendored Vega (served by the portal itself, scripts only from 'self')
    specs = [
        json.loads(html.unescape(m))
        for m in re.findall(
            r'<script type="application/json" class="vega-spec">(.*?)</script>', month.text, re.S
        )
    ]
    assert len(specs) == month.text.count('<figure class="chart')
    assert all(s["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6") for s in specs)
    assert all(s["config"]["mark"]["tooltip"] is True and s["datasets"] for s in specs)
    locale = json.loads(re.findall(r'id="vega-locale">(.*?)</script>', month.text)[0])
    assert locale["format"]["decimal"] == ","  # the report's language (es): 1.234,5
    for script in re.findall(r'<script src="(/static/[^"]+)"', month.text):
        served = browser.get(script)
        assert served.status_code == 200 and "javascript" in served.headers["content-type"]
    assert "script-src" not in month.headers["content-security-policy"]  # default-src 'self'
    assert "unsafe-eval" not in month.headers["content-security-policy"]
    report = browser.get(f"/clients/acme/{MONTH}/files/acme-{MONTH}.html")
    assert report.status_code == 200 and report.text.lower().startswith("<!doctype html")
    assert report.headers["content-security-policy"].startswith("sandbox")
    book = browser.get(f"/clients/acme/{MONTH}/files/acme-{MONTH}.xlsx")
    assert book.status_code == 200 and book.content[:2] == b"PK"
    assert "attachment" in book.headers["content-disposition"]


@pytest.mark.parametrize(
    "url",
    [
        "/clients/beta",
        f"/clients/beta/{MONTH}",
        f"/clients/beta/{MONTH}/files/beta-{MONTH}.html",
        f"/clients/beta/{MONTH}/files/beta-{MONTH}.xlsx",
        f"/clients/acme/{MONTH}/files/..%2F..%2Fbeta%2F{MONTH}%2Fbeta-{MONTH}.html",
        f"/clients/acme/{MONTH}/files/%2e%2e%2fbeta-{MONTH}.html",
        f"/clients/acme/..%2Fbeta/files/beta-{MONTH}.html",
        f"/clients/acme/{MONTH}/files/beta-{MONTH}.html",
        "/clients/acme/2026-13",
        "/clients/..%2Fclients%2Fbeta",
        "/clients/gamma",
    ],
)
def test_a_viewer_never_gets_another_clients_page_or_file(
    browser: TestClient, portal: Path, url: str
) -> None:
    _as(browser, "acme-viewer")
    response = browser.get(url, follow_redirects=False)
    assert response.status_code == 404, (url, response.status_code)
    assert b"<svg" not in response.content and response.content[:2] != b"PK"
    assert b"beta" not in response.content or b"no such" in response.content


def test_a_viewers_overview_lists_only_its_clients(browser: TestClient) -> None:
    _as(browser, "acme-viewer")
    page = browser.get("/").text
    assert 'href="/clients/acme"' in page
    assert "beta" not in page and "gamma" not in page
    assert 'href="/changes"' not in page


@pytest.mark.parametrize("url", ["/changes", "/runs"])
def test_agency_pages_are_forbidden_to_viewers(browser: TestClient, url: str) -> None:
    _as(browser, "acme-viewer")
    assert browser.get(url).status_code == 403


def test_the_runs_page_lists_the_ledger_and_the_next_run(browser: TestClient) -> None:
    _as(browser, "ana")
    page = browser.get("/runs")
    assert page.status_code == 200
    assert "ingest" in page.text and "Next run:" in page.text and "0 6 1 * *" in page.text


def test_every_form_needs_its_csrf_token(browser: TestClient) -> None:
    _as(browser, "ana")
    changes = browser.get("/changes").text
    decision = {"header": "x", "spec": "y", "decision": "accept"}
    assert browser.post("/changes", data=decision).status_code == 403
    assert browser.post("/changes", data={**decision, "csrf": "forged"}).status_code == 403
    assert browser.post("/logout", data={}).status_code == 403
    assert browser.post("/logout", data={"csrf": _csrf(changes)}, follow_redirects=False)
    assert browser.get("/", follow_redirects=False).status_code == 303  # logged out


def test_a_login_without_its_form_token_is_refused(browser: TestClient) -> None:
    refused = browser.post("/login", data={"username": "ana", "password": PASSWORD})
    assert refused.status_code == 403


def test_logins_are_throttled_after_repeated_failures(browser: TestClient) -> None:
    for _ in range(security.MAX_FAILURES):
        assert _login(browser, "admin", "wrong password, again") == 401
    assert _login(browser, "admin") == 429  # even the right password waits now


def test_a_session_expires_and_a_reset_ends_it(portal: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sessions = security.Sessions("k" * 32, 3600)
    cookie = sessions.issue("ana", 0)
    assert sessions.read(cookie) == security.Session("ana", 0, sessions.read(cookie).csrf)  # type: ignore[union-attr]
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    assert sessions.read(cookie) is None
    monkeypatch.undo()
    assert sessions.read(cookie + "x") is None  # tampered

    store = UserStore(portal)
    store.add("temp", "analyst", PASSWORD, [])
    with TestClient(create_app(load_project(portal))) as client:
        assert _login(client, "temp") == 303
        assert client.get("/").status_code == 200
        store.reset("temp", "another long password")
        assert client.get("/", follow_redirects=False).status_code == 303
        assert _login(client, "temp", "another long password") == 303
        store.remove("temp")
        assert client.get("/", follow_redirects=False).status_code == 303


def test_accepting_a_layout_change_writes_the_aliases_file(
    browser: TestClient, portal: Path
) -> None:
    _as(browser, "ana")
    page = browser.get("/changes").text
    forms = re.findall(
        r'name="spec" value="([^"]+)">\s*<input type="hidden" name="header" value="([^"]+)">'
        r'\s*<label>Canonical column <input name="canonical" value="([a-z_]+)"',
        page,
    )
    assert forms, "the test agency has a proposed rename to confirm"
    spec, header, canonical = forms[0]
    # pages keep reading meanwhile (DuckDB refuses a writer beside readers in one process)
    stop, failures = threading.Event(), []
    project = load_project(portal)

    def read_pages() -> None:
        while not stop.is_set():
            try:
                readmodel.read_snapshot(project)
            except Exception as exc:  # any failure is the test's
                failures.append(exc)

    reader = threading.Thread(target=read_pages)
    reader.start()
    try:
        time.sleep(0.2)
        done = browser.post(
            "/changes",
            data={
                "csrf": _csrf(page),
                "spec": spec,
                "header": header,
                "canonical": canonical,
                "decision": "accept",
            },
        )
    finally:
        stop.set()
        reader.join()
    assert failures == []
    assert done.status_code == 200 and "accepted" in done.text
    aliases = (portal / "aliases.toml").read_text(encoding="utf-8")
    assert header in aliases and canonical in aliases


def test_users_are_managed_on_the_command_line(portal: Path) -> None:
    runner = CliRunner()
    base = ["--project", str(portal)]
    added = runner.invoke(
        cli,
        ["users", "add", "gamma-viewer", "--client", "gamma", "--password-stdin", *base],
        input=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    short = runner.invoke(
        cli,
        ["users", "add", "x", "--role", "admin", "--password-stdin", *base],
        input="short\n",
    )
    assert short.exit_code != 0 and "12 characters" in short.output
    unknown = runner.invoke(
        cli,
        ["users", "add", "y", "--client", "nobody", "--password-stdin", *base],
        input=PASSWORD + "\n",
    )
    assert unknown.exit_code != 0
    listed = runner.invoke(cli, ["users", "list", *base])
    assert re.search(r"gamma-viewer\s+viewer\s+gamma", listed.output), listed.output
    stored = (portal / "users.json").read_text()
    assert PASSWORD not in stored and "$argon2id$" in stored
    assert (portal / "users.json").stat().st_mode & 0o077 == 0
    assert runner.invoke(cli, ["users", "remove", "gamma-viewer", *base]).exit_code == 0


def test_serve_refuses_to_start_without_users(tmp_path: Path) -> None:
    root = make_agency(tmp_path, f"duckdb:///{tmp_path / 'w.duckdb'}")
    result = CliRunner().invoke(cli, ["serve", "--project", str(root)])
    assert result.exit_code != 0 and "users add" in result.output


def test_an_upload_is_saved_in_the_clients_folder_and_checked_at_once(
    browser: TestClient, portal: Path
) -> None:
    _as(browser, "ana")
    form = browser.get("/clients/acme/upload")
    assert form.status_code == 200
    posts = sorted((FILES / "instagram").glob("*.csv"))[0]
    files = [
        ("files", ("../../../escape.csv", posts.read_bytes(), "text/csv")),
        ("files", ("notes.txt", b"not an export at all\n", "text/plain")),
    ]
    checked = browser.post("/clients/acme/upload", data={"csrf": _csrf(form.text)}, files=files)
    assert checked.status_code == 200
    row = checked.text.split("escape.csv", 1)[1].split("</tr>", 1)[0]
    assert "instagram" in row and "ok" in row
    assert "notes.txt" in checked.text
    saved = list((portal / "clients" / "acme" / "uploads").rglob("escape.csv"))
    assert len(saved) == 1 and saved[0].read_bytes() == posts.read_bytes()
    assert not (portal.parent / "escape.csv").exists()
    again = browser.post("/clients/acme/upload", data={"csrf": _csrf(form.text)}, files=files[:1])
    assert again.status_code == 200
    assert len(list((portal / "clients" / "acme" / "uploads").rglob("escape*.csv"))) == 1
    # a whole folder (the browser sends each file's relative path), the file picker left empty
    tiktok = sorted((FILES / "tiktok").glob("*.csv"))[:2]
    folder = [("files", ("", b"", "application/octet-stream"))] + [
        ("files", (f"march/tiktok/{p.name}", p.read_bytes(), "text/csv")) for p in tiktok
    ]
    done = browser.post("/clients/acme/upload", data={"csrf": _csrf(form.text)}, files=folder)
    assert done.status_code == 200 and "tiktok" in done.text
    names = {p.name for p in (portal / "clients" / "acme" / "uploads").rglob("*")}
    assert {p.name for p in tiktok} <= names and "upload" not in names
    nothing = browser.post(
        "/clients/acme/upload",
        data={"csrf": _csrf(form.text)},
        files=[("files", ("", b"", "application/octet-stream"))],
        headers={"Accept-Language": "es"},
    )
    assert "Elige al menos un archivo o una carpeta." in nothing.text


def test_an_ingest_started_from_the_page_ends_in_the_cli_summary(browser: TestClient) -> None:
    _as(browser, "ana")
    page = browser.get("/clients/acme").text
    started = browser.post(
        "/clients/acme/runs",
        data={"csrf": _csrf(page), "kind": "ingest"},
        follow_redirects=False,
    )
    assert started.status_code == 303
    job = started.headers["location"]
    assert re.fullmatch(r"/jobs/[0-9a-f]+", job), job
    polled = re.search(r'hx-get="([^"]+)"', browser.get(job).text)
    assert polled is None or polled[1] == job  # the page polls where the run is
    deadline = time.monotonic() + 120
    while "Running for" in (status := browser.get(job, headers={"HX-Request": "true"}).text):
        assert time.monotonic() < deadline, status
        time.sleep(0.5)
    assert "Finished" in status and "client(s):" in status, status


def test_viewers_cannot_upload_or_start_runs(browser: TestClient) -> None:
    _as(browser, "acme-viewer")
    page = browser.get("/clients/acme").text
    assert "Upload exports" not in page
    token = _csrf(page)
    assert browser.get("/clients/acme/upload").status_code == 403
    upload = [("files", ("a.csv", b"x", "text/csv"))]
    assert (
        browser.post("/clients/acme/upload", data={"csrf": token}, files=upload).status_code == 403
    )
    assert (
        browser.post("/clients/beta/upload", data={"csrf": token}, files=upload).status_code == 404
    )
    run = {"csrf": token, "kind": "ingest"}
    assert browser.post("/clients/acme/runs", data=run).status_code == 403


@pytest.mark.postgres
def test_the_portal_reads_a_postgresql_warehouse(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from tests.helpers.crash import fresh_url

    url = fresh_url(request.getfixturevalue("postgres_url"), tmp_path, "portal")
    root = make_agency(tmp_path / "agency", url)
    project = load_project(root)
    assert ingest(project).exit_code in (0, 1)
    write_reports(project, month=MONTH, client="beta", formats=("html",))
    UserStore(root).add("beta-viewer", "viewer", PASSWORD, ["beta"])
    with TestClient(create_app(project)) as client:
        assert _login(client, "beta-viewer") == 303
        overview = client.get("/").text
        assert 'href="/clients/beta"' in overview and "acme" not in overview
        month = client.get(f"/clients/beta/{MONTH}")
        assert month.status_code == 200 and month.text.count("<svg") >= 3
        assert client.get(f"/clients/beta/{MONTH}/files/beta-{MONTH}.html").status_code == 200
        assert client.get(f"/clients/acme/{MONTH}").status_code == 404


def _settled(cache: readmodel.SnapshotCache) -> readmodel.Snapshot:
    """The cache's snapshot once its background refresh (if any) has ended."""
    deadline = time.monotonic() + 30
    while cache._refreshing:
        assert time.monotonic() < deadline, "the snapshot refresh never ended"
        time.sleep(0.02)
    assert cache._snapshot is not None
    return cache._snapshot


def test_while_a_run_holds_the_warehouse_pages_show_the_state_before_it(
    portal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer holds the DuckDB file (as a load does): no page waits or fails, the last
    consistent snapshot is served and says why; once the writer is gone, fresh data again."""
    cache = readmodel.SnapshotCache(load_project(portal))
    before = cache.get()
    assert set(before.clients) == {"acme", "beta", "gamma"}
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
            " time.sleep(60)",
            str(portal / "warehouse.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(readmodel, "FRESH_SECONDS", 0.0)
        started = time.monotonic()
        assert cache.get() is before  # served at once, the refresh runs behind it
        assert time.monotonic() - started < 0.5
        during = _settled(cache)
        assert during is before and during.stale_reason
        assert "in use" in during.stale_reason or "lock" in during.stale_reason.lower()
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 30
    while (after := cache.get()) is before:  # a refresh started while held may fail once more
        assert time.monotonic() < deadline, "no fresh snapshot after the writer left"
        _settled(cache)
    assert after.stale_reason == ""
    assert set(after.clients) == set(before.clients)
    _settled(cache)  # no refresh left running into the next test


def test_the_portal_speaks_the_browsers_language(browser: TestClient) -> None:
    from socialmetrics.web.i18n import negotiate

    assert negotiate("pt-BR,pt;q=0.9,en;q=0.8") == "pt-BR"
    assert negotiate("pt-PT") == "pt-BR" and negotiate("es-MX,en;q=0.5") == "es"
    assert negotiate("de-DE, fr;q=0.9") == "en" and negotiate(None) == "en"
    assert negotiate("en;q=0.2, es;q=0.8") == "es" and negotiate("es;q=0, en") == "en"
    _as(browser, "ana")
    portuguese = browser.get("/", headers={"Accept-Language": "pt-BR,pt;q=0.9"}).text
    assert '<html lang="pt-BR">' in portuguese
    assert "Sair" in portuguese and "Mudanças de formato" in portuguese
    assert "Último dia carregado" in portuguese and "Seguidores" in portuguese  # column headings
    spanish = browser.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"}).text
    assert "Cerrar sesión" in spanish and "Último día cargado" in spanish
    english = browser.get("/").text
    assert "Log out" in english and "Last day loaded" in english
    missing = browser.get("/clients/nobody", headers={"Accept-Language": "es"})
    assert missing.status_code == 404 and "no existe ese cliente" in missing.text
    runs = browser.get("/runs", headers={"Accept-Language": "pt-BR"}).text
    assert "Próxima execução" in runs
