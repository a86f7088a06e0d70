"""What every route of the portal shares: the project, its users and sessions, the snapshot
and page caches, the templates, and the checks each page makes (session, role, client, CSRF).

Routes live in `routes_access`, `routes_work` and `routes_clients`, each adding its routes to
the app with this one `Portal`."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from socialmetrics.config import Project
from socialmetrics.report import catalogs
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import connect
from socialmetrics.warehouse.registry import read_only_url
from socialmetrics.web import overview
from socialmetrics.web.i18n import ROLES, marked, negotiate
from socialmetrics.web.pages import MonthPages
from socialmetrics.web.readmodel import WAREHOUSE_TURNS, SnapshotCache
from socialmetrics.web.security import COOKIE, Session, Sessions, Throttle, csrf_ok, secret_key
from socialmetrics.web.uploads import Jobs, rows_of
from socialmetrics.web.users import User, UserStore

LOGIN_COOKIE = "sm_login"


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


class Portal:
    """One project's portal state, made once by `create_app`."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.env = templates()
        self.users = UserStore(project.root)
        hours = int(project.get("web.session_hours"))
        self.sessions = Sessions(secret_key(project.root), hours * 3600)
        self.throttle = Throttle()
        self.snapshots = SnapshotCache(project)
        self.month_pages = MonthPages(project)
        self.tables = overview.RenderedTables()
        self.jobs = Jobs(project)

    def texts(self, request: Request) -> dict[str, Any]:
        """The page's language (the browser's) and its translation functions."""
        lang = negotiate(request.headers.get("accept-language"))
        found = catalogs.translations(lang)
        return {"lang": lang, "_": found.gettext, "pgettext": found.pgettext}

    def render(self, name: str, request: Request, status: int = 200, **values: Any) -> HTMLResponse:
        template = self.env.get_template(name)
        html = template.render(request=request, **self.texts(request), **values)
        return HTMLResponse(html, status_code=status)

    def session_of(self, request: Request) -> tuple[User, Session]:
        session = self.sessions.read(request.cookies.get(COOKIE))
        user = self.users.get(session.user) if session else None
        if session is None or user is None or user.session_version != session.version:
            raise LoginRequired
        return user, session

    def page(
        self, name: str, request: Request, user: User, session: Session, **values: Any
    ) -> HTMLResponse:
        return self.render(name, request, user=user, csrf=session.csrf, **values)

    def client_for(self, user: User, client_id: str) -> str:
        """The client if it exists and the user may see it; the same 404 otherwise."""
        if not user.may_see(client_id) or client_id not in self.snapshots.get().clients:
            raise HTTPException(404, marked("no such client"))
        return client_id

    def pending_changes(self) -> list[dict[str, Any]]:
        url = read_only_url(self.project.warehouse_url)
        with WAREHOUSE_TURNS, connect(url, self.project.root) as wh:
            return overview.group_changes(ledger.layout_changes(wh, pending_only=True))

    def analyst(
        self, request: Request, client_id: str | None = None, csrf: str | None = None
    ) -> tuple[User, Session]:
        """The agency user behind a work page: a session, an admin's or analyst's role, the
        client (if the page names one) visible to them, and the form's token (if posted)."""
        user, session = self.session_of(request)
        if client_id is not None:
            self.client_for(user, client_id)
        self.editor(user)
        if csrf is not None:
            self.checked(session, csrf)
        return user, session

    @staticmethod
    def editor(user: User) -> None:
        if not user.may_edit():
            raise HTTPException(403, marked("this page is for the agency's analysts"))

    @staticmethod
    def checked(session: Session, token: str | None) -> None:
        if not csrf_ok(session, token):
            raise HTTPException(403, marked("the form has expired: reload the page and try again"))
