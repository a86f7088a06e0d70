"""The portal's ASGI application: `create_app(project)`, served by uvicorn (`socialmetrics serve`).

Every page checks the session and the user's role; every client page and report file checks
that the user may see that client (a viewer asking for another client's page or file gets the
same 404 as for a client that does not exist: nothing to guess from). Every POST checks the
session's CSRF token. Responses carry a strict Content-Security-Policy: the pages load only
the portal's own files (htmx is vendored, no CDN).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, HTTPException, Request, Response, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from socialmetrics import months
from socialmetrics.config import Project
from socialmetrics.errors import SocialMetricsError
from socialmetrics.ops.schedule import trigger
from socialmetrics.report import catalogs
from socialmetrics.validate.review import decide
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import connect
from socialmetrics.warehouse.registry import read_only_url
from socialmetrics.web import overview
from socialmetrics.web.i18n import ROLES, marked, negotiate, translations
from socialmetrics.web.pages import (
    MonthPages,
    interactive_spec,
    report_files,
    spark,
    vega_locale,
)
from socialmetrics.web.readmodel import WAREHOUSE_TURNS, SnapshotCache
from socialmetrics.web.security import (
    COOKIE,
    Session,
    Sessions,
    Throttle,
    csrf_ok,
    secret_key,
)
from socialmetrics.web.uploads import Jobs, check_uploaded, rows_of, save_upload, upload_folder
from socialmetrics.web.users import User, UserStore

STATIC = Path(__file__).parent / "static"
LOGIN_COOKIE = "sm_login"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
REPORT_FILE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src data:; "
    "style-src 'unsafe-inline'"
}


class LoginRequired(Exception):
    """No valid session: the browser goes to the login page."""


def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("socialmetrics.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["delta_class"] = overview.delta_class
    env.globals["rows_of"] = rows_of
    env.globals["roles"] = ROLES
    return env


def create_app(project: Project) -> FastAPI:
    """The portal of one project (its warehouse, client folders, reports and users)."""
    with WAREHOUSE_TURNS, connect(project.warehouse_url, project.root) as wh:
        wh.ensure_schema()  # once, read-write: the pages then only read
    app = FastAPI(title="socialmetrics", docs_url=None, redoc_url=None, openapi_url=None)
    env = templates()
    users = UserStore(project.root)
    sessions = Sessions(secret_key(project.root), int(project.get("web.session_hours")) * 3600)
    throttle = Throttle()
    snapshots = SnapshotCache(project)
    month_pages = MonthPages(project)
    tables = overview.RenderedTables()
    jobs = Jobs(project)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse("/login", status_code=303)

    def texts(request: Request) -> dict[str, Any]:
        """The page's language (the browser's) and its translation functions."""
        lang = negotiate(request.headers.get("accept-language"))
        found = translations(lang)
        return {"lang": lang, "_": found.gettext, "pgettext": found.pgettext}

    def render(name: str, request: Request, status: int = 200, **values: Any) -> HTMLResponse:
        html = env.get_template(name).render(request=request, **texts(request), **values)
        return HTMLResponse(html, status_code=status)

    def session_of(request: Request) -> tuple[User, Session]:
        session = sessions.read(request.cookies.get(COOKIE))
        user = users.get(session.user) if session else None
        if session is None or user is None or user.session_version != session.version:
            raise LoginRequired
        return user, session

    def page(
        name: str, request: Request, user: User, session: Session, **values: Any
    ) -> HTMLResponse:
        return render(name, request, user=user, csrf=session.csrf, **values)

    def client_for(user: User, client_id: str) -> str:
        """The client if it exists and the user may see it; the same 404 otherwise."""
        if not user.may_see(client_id) or client_id not in snapshots.get().clients:
            raise HTTPException(404, marked("no such client"))
        return client_id

    def pending_changes() -> list[dict[str, Any]]:
        with WAREHOUSE_TURNS, connect(read_only_url(project.warehouse_url), project.root) as wh:
            return overview.group_changes(ledger.layout_changes(wh, pending_only=True))

    def editor(user: User) -> None:
        if not user.may_edit():
            raise HTTPException(403, marked("this page is for the agency's analysts"))

    def checked(session: Session, token: str | None) -> None:
        if not csrf_ok(session, token):
            raise HTTPException(403, marked("the form has expired: reload the page and try again"))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return render("message.html", request, exc.status_code, title=str(exc.detail))

    @app.exception_handler(SocialMetricsError)
    async def app_error(request: Request, exc: SocialMetricsError) -> Response:
        return render("message.html", request, 503, title=str(exc))

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/login")
    def login_form(request: Request) -> Response:
        token = sessions.issue("", 0)  # a signed, expiring token for the login form
        response = render("login.html", request, token=token, error="", minutes=0)
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict")
        return response

    @app.post("/login")
    def login(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        token: str = Form(""),
    ) -> Response:
        pre = sessions.read(request.cookies.get(LOGIN_COOKIE))
        if pre is None or token != request.cookies.get(LOGIN_COOKIE):
            raise HTTPException(403, marked("the login form has expired: reload it and try again"))
        name = username.strip().lower()
        address = request.client.host if request.client else "?"
        keys = (f"user:{name}", f"addr:{address}")
        wait = throttle.wait_seconds(*keys)
        if wait > 0:
            fresh = sessions.issue("", 0)
            response = render(
                "login.html",
                request,
                429,
                token=fresh,
                error=marked("Too many failed logins: try again in %(minutes)s minutes."),
                minutes=int(wait // 60) + 1,
            )
            response.set_cookie(LOGIN_COOKIE, fresh, httponly=True, samesite="strict")
            return response
        user = users.authenticate(name, password)
        if user is None:
            throttle.failed(*keys)
            fresh = sessions.issue("", 0)
            response = render(
                "login.html",
                request,
                401,
                token=fresh,
                error=marked("Wrong user name or password."),
                minutes=0,
            )
            response.set_cookie(LOGIN_COOKIE, fresh, httponly=True, samesite="strict")
            return response
        throttle.succeeded(keys[0])
        done = RedirectResponse("/", status_code=303)
        done.set_cookie(
            COOKIE,
            sessions.issue(user.name, user.session_version),
            max_age=sessions.max_age,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        done.delete_cookie(LOGIN_COOKIE)
        return done

    @app.post("/logout")
    def logout(request: Request, csrf: str = Form("")) -> Response:
        _, session = session_of(request)
        checked(session, csrf)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    @app.get("/")
    def agency_overview(
        request: Request, sort: str = "client", q: str = "", desc: bool = False
    ) -> Response:
        user, session = session_of(request)
        snapshot = snapshots.get()
        rows = overview.visible_rows(snapshot, user, q, sort, desc)
        values = {"sort": sort, "desc": desc, "q": q, "columns": overview.COLUMNS}
        words = texts(request)
        key = (id(snapshot), snapshot.read_at, user.may_edit(), tuple(r.client_id for r in rows))
        table = tables.get((*key, sort, desc, q, words["lang"]))
        if table is None:
            template = env.get_template("overview_table.html")
            table = Markup(template.render(rows=rows, may_edit=user.may_edit(), **words, **values))
            tables.put((*key, sort, desc, q, words["lang"]), table)
        if request.headers.get("HX-Request"):
            return HTMLResponse(table)
        return page(
            "overview.html", request, user, session, snapshot=snapshot, table=table, **values
        )

    @app.get("/clients/{client_id}")
    def client_page(request: Request, client_id: str) -> Response:
        user, session = session_of(request)
        client_for(user, client_id)
        row = snapshots.get().clients[client_id]
        return page("client.html", request, user, session, row=row)

    @app.get("/clients/{client_id}/upload")
    def upload_form(request: Request, client_id: str) -> Response:
        user, session = session_of(request)
        client_for(user, client_id)
        editor(user)
        return page("upload.html", request, user, session, client_id=client_id, results=None)

    @app.post("/clients/{client_id}/upload")
    def upload(
        request: Request,
        client_id: str,
        files: Annotated[list[UploadFile], File()],
        csrf: str = Form(""),
    ) -> Response:
        user, session = session_of(request)
        client_for(user, client_id)
        editor(user)
        checked(session, csrf)
        folder = upload_folder(project, client_id)
        max_mb = int(project.get("limits.max_file_mb"))
        saved, refused = [], []
        for upload in files:
            name = upload.filename or "upload"
            try:
                path, _ = save_upload(folder, name, upload.file, max_mb)
                saved.append(path)
            except SocialMetricsError as exc:
                refused.append(str(exc))
        results = check_uploaded(project, saved) if saved else []
        template = "upload_results.html" if request.headers.get("HX-Request") else "upload.html"
        return page(
            template,
            request,
            user,
            session,
            client_id=client_id,
            results=results,
            refused=refused,
            folder=folder.relative_to(project.root),
        )

    @app.get("/clients/{client_id}/{month}")
    def month_page(request: Request, client_id: str, month: str, lang: str = "") -> Response:
        user, session = session_of(request)
        client_for(user, client_id)
        if not months.is_month(month):
            raise HTTPException(404, marked("no such month"))
        language = lang if lang in catalogs.languages() else None
        shown = month_pages.get(client_id, month, language)
        return page(
            "month.html",
            request,
            user,
            session,
            client_id=client_id,
            month=month,
            p=shown,
            spark=spark,
            interactive=interactive_spec,
            vega_locale=vega_locale(shown.f.d3),
            languages=catalogs.languages(),
        )

    @app.get("/clients/{client_id}/{month}/files/{name}")
    def report_file(request: Request, client_id: str, month: str, name: str) -> Response:
        user, _ = session_of(request)
        client_for(user, client_id)
        if not months.is_month(month):
            raise HTTPException(404, marked("no such report"))
        # looked up among the files of that folder, never joined from the URL
        found = next((p for p in report_files(project, client_id, month) if p.name == name), None)
        if found is None:
            raise HTTPException(404, marked("no such report"))
        media = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        inline = found.suffix.lower() in (".html", ".pdf")
        return FileResponse(
            found,
            media_type=media,
            filename=found.name,
            content_disposition_type="inline" if inline else "attachment",
            headers=REPORT_FILE_HEADERS if found.suffix.lower() == ".html" else None,
        )

    @app.get("/changes")
    def changes_page(request: Request, notice: str = "") -> Response:
        user, session = session_of(request)
        editor(user)
        return page(
            "changes.html", request, user, session, changes=pending_changes(), notice=notice
        )

    @app.post("/changes")
    def change_decision(
        request: Request,
        csrf: str = Form(""),
        header: str = Form(...),
        spec: str = Form(...),
        canonical: str = Form(""),
        decision: str = Form(...),
    ) -> Response:
        user, session = session_of(request)
        editor(user)
        checked(session, csrf)
        if decision not in ("accept", "reject"):
            raise HTTPException(400, marked("decision must be accept or reject"))
        try:
            with WAREHOUSE_TURNS:  # read-write, beside the portal's readers
                outcome = decide(
                    project, header, canonical or None, accept=decision == "accept", spec=spec
                )
        except SocialMetricsError as exc:
            return page(
                "changes.html", request, user, session, changes=pending_changes(), notice=str(exc)
            )
        snapshots.invalidate()
        alias = outcome.alias
        notice = (
            f"{decision}ed: {alias.header!r} -> {alias.canonical} ({alias.spec}), written to "
            f"{Path(outcome.alias_file).name}; {outcome.changes_updated} change(s) updated"
            + (
                f", {len(outcome.files_to_reread)} file(s) read again by the next ingest"
                if outcome.files_to_reread
                else ""
            )
        )
        return page(
            "changes.html", request, user, session, changes=pending_changes(), notice=notice
        )

    @app.post("/clients/{client_id}/runs")
    def start_run(
        request: Request,
        client_id: str,
        csrf: str = Form(""),
        kind: str = Form(...),
        month: str = Form(""),
    ) -> Response:
        user, session = session_of(request)
        client_for(user, client_id)
        editor(user)
        checked(session, csrf)
        if month and not months.is_month(month):
            raise HTTPException(400, marked("month must look like 2026-10"))
        job = jobs.start(client_id, kind, month or None)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/jobs/{job_id}")
    def job_page(request: Request, job_id: str) -> Response:
        user, session = session_of(request)
        editor(user)
        job = jobs.get(job_id)
        if job is None or not user.may_see(job.client_id):
            raise HTTPException(404, marked("no such run"))
        if job.exit_code is not None:
            snapshots.invalidate()
        name = "job_status.html" if request.headers.get("HX-Request") else "job.html"
        return page(name, request, user, session, job=job)

    @app.get("/runs")
    def runs_page(request: Request) -> Response:
        user, session = session_of(request)
        editor(user)
        cron = str(project.get("schedule.cron"))
        timezone = str(project.get("project.timezone"))
        now = dt.datetime.now(dt.UTC)
        next_run = trigger(cron, timezone).get_next_fire_time(None, now)
        return page(
            "runs.html",
            request,
            user,
            session,
            runs=snapshots.get().runs,
            cron=cron,
            timezone=timezone,
            next_run=next_run,
        )

    return app
