"""What agency users and client viewers read: the overview, a client's page, a month's page and
its report files. A viewer asking for another client's page or file gets the same 404 as for a
client that does not exist."""

from __future__ import annotations

import mimetypes

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import FileResponse, HTMLResponse
from markupsafe import Markup

from socialmetrics import months
from socialmetrics.report import catalogs
from socialmetrics.web import overview
from socialmetrics.web.context import Portal
from socialmetrics.web.i18n import marked
from socialmetrics.web.pages import interactive_spec, report_files, spark, vega_locale

REPORT_FILE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src data:; "
    "style-src 'unsafe-inline'"
}


def add_routes(app: FastAPI, portal: Portal) -> None:
    @app.get("/")
    def agency_overview(
        request: Request, sort: str = "client", q: str = "", desc: bool = False
    ) -> Response:
        user, session = portal.session_of(request)
        snapshot = portal.snapshots.get()
        rows = overview.visible_rows(snapshot, user, q, sort, desc)
        values = {"sort": sort, "desc": desc, "q": q, "columns": overview.COLUMNS}
        words = portal.texts(request)
        shown = tuple(r.client_id for r in rows)
        key = (id(snapshot), snapshot.read_at, user.may_edit(), shown, sort, desc, q, words["lang"])
        table = portal.tables.get(key)
        if table is None:
            template = portal.env.get_template("overview_table.html")
            table = Markup(template.render(rows=rows, may_edit=user.may_edit(), **words, **values))
            portal.tables.put(key, table)
        if request.headers.get("HX-Request"):
            return HTMLResponse(table)
        return portal.page(
            "overview.html", request, user, session, snapshot=snapshot, table=table, **values
        )

    @app.get("/clients/{client_id}")
    def client_page(request: Request, client_id: str) -> Response:
        user, session = portal.session_of(request)
        portal.client_for(user, client_id)
        row = portal.snapshots.get().clients[client_id]
        return portal.page("client.html", request, user, session, row=row)

    @app.get("/clients/{client_id}/{month}")
    def month_page(request: Request, client_id: str, month: str, lang: str = "") -> Response:
        user, session = portal.session_of(request)
        portal.client_for(user, client_id)
        if not months.is_month(month):
            raise HTTPException(404, marked("no such month"))
        language = lang if lang in catalogs.languages() else None
        shown = portal.month_pages.get(client_id, month, language)
        return portal.page(
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
        user, _ = portal.session_of(request)
        portal.client_for(user, client_id)
        if not months.is_month(month):
            raise HTTPException(404, marked("no such report"))
        # looked up among the files of that folder, never joined from the URL
        found = next(
            (p for p in report_files(portal.project, client_id, month) if p.name == name), None
        )
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
