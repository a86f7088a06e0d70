"""The portal's ASGI application: `create_app(project)`, served by uvicorn (`socialmetrics serve`).

Every page checks the session and the user's role (`context.Portal`); every client page and
report file checks that the user may see that client; every POST checks the session's CSRF
token. Responses carry a strict Content-Security-Policy: the pages load only the portal's own
files (htmx and Vega are vendored, no CDN).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from socialmetrics.config import Project
from socialmetrics.errors import SocialMetricsError
from socialmetrics.warehouse.base import connect
from socialmetrics.web import routes_access, routes_clients, routes_work
from socialmetrics.web.context import LoginRequired, Portal
from socialmetrics.web.readmodel import WAREHOUSE_TURNS

STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(project: Project) -> FastAPI:
    """The portal of one project (its warehouse, client folders, reports and users)."""
    with WAREHOUSE_TURNS, connect(project.warehouse_url, project.root) as wh:
        wh.ensure_schema()  # once, read-write: the pages then only read
    app = FastAPI(title="socialmetrics", docs_url=None, redoc_url=None, openapi_url=None)
    portal = Portal(project)
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

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return portal.render("message.html", request, exc.status_code, title=str(exc.detail))

    @app.exception_handler(SocialMetricsError)
    async def app_error(request: Request, exc: SocialMetricsError) -> Response:
        return portal.render("message.html", request, 503, title=str(exc))

    routes_access.add_routes(app, portal)
    # before the client routes: /clients/<c>/upload is not a month
    routes_work.add_routes(app, portal)
    routes_clients.add_routes(app, portal)
    return app
