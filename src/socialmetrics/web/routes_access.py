"""Logging in and out, and the health check: the only routes without a session."""

from __future__ import annotations

from fastapi import FastAPI, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from socialmetrics.web.context import LOGIN_COOKIE, Portal
from socialmetrics.web.i18n import marked
from socialmetrics.web.security import COOKIE


def add_routes(app: FastAPI, portal: Portal) -> None:
    def login_again(request: Request, status: int, error: str, minutes: int = 0) -> Response:
        """The login form with a fresh signed, expiring form token (and, shown again, why)."""
        token = portal.sessions.issue("", 0)
        response = portal.render(
            "login.html", request, status, token=token, error=error, minutes=minutes
        )
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict")
        return response

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/login")
    def login_form(request: Request) -> Response:
        return login_again(request, 200, "")

    @app.post("/login")
    def login(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        token: str = Form(""),
    ) -> Response:
        pre = portal.sessions.read(request.cookies.get(LOGIN_COOKIE))
        if pre is None or token != request.cookies.get(LOGIN_COOKIE):
            raise HTTPException(403, marked("the login form has expired: reload it and try again"))
        name = username.strip().lower()
        address = request.client.host if request.client else "?"
        keys = (f"user:{name}", f"addr:{address}")
        wait = portal.throttle.wait_seconds(*keys)
        if wait > 0:
            error = marked("Too many failed logins: try again in %(minutes)s minutes.")
            return login_again(request, 429, error, int(wait // 60) + 1)
        user = portal.users.authenticate(name, password)
        if user is None:
            portal.throttle.failed(*keys)
            return login_again(request, 401, marked("Wrong user name or password."))
        portal.throttle.succeeded(keys[0])
        done = RedirectResponse("/", status_code=303)
        done.set_cookie(
            COOKIE,
            portal.sessions.issue(user.name, user.session_version),
            max_age=portal.sessions.max_age,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        done.delete_cookie(LOGIN_COOKIE)
        return done

    @app.post("/logout")
    def logout(request: Request, csrf: str = Form("")) -> Response:
        _, session = portal.session_of(request)
        portal.checked(session, csrf)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response
