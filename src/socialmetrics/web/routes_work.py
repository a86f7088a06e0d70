"""The agency's work (admins and analysts only): uploading exports, accepting or rejecting
layout changes, starting ingest and report runs and following them, the run ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, File, Form, HTTPException, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from socialmetrics import months
from socialmetrics.errors import SocialMetricsError
from socialmetrics.ops.schedule import trigger
from socialmetrics.validate.review import decide
from socialmetrics.web.context import Portal
from socialmetrics.web.i18n import marked
from socialmetrics.web.readmodel import WAREHOUSE_TURNS
from socialmetrics.web.uploads import check_uploaded, save_upload, upload_folder


def add_routes(app: FastAPI, portal: Portal) -> None:
    @app.get("/clients/{client_id}/upload")
    def upload_form(request: Request, client_id: str) -> Response:
        user, session = portal.analyst(request, client_id)
        return portal.page("upload.html", request, user, session, client_id=client_id, results=None)

    @app.post("/clients/{client_id}/upload")
    def upload(
        request: Request,
        client_id: str,
        files: Annotated[list[UploadFile | str], File()],
        csrf: str = Form(""),
    ) -> Response:
        user, session = portal.analyst(request, client_id, csrf)
        folder = upload_folder(portal.project, client_id)
        max_mb = int(portal.project.get("limits.max_file_mb"))
        saved, refused = [], []
        for upload in files:
            if isinstance(upload, str) or not upload.filename:  # the other picker, left empty
                continue
            try:
                path, _ = save_upload(folder, upload.filename, upload.file, max_mb)
                saved.append(path)
            except SocialMetricsError as exc:
                refused.append(str(exc))
        if not saved and not refused:
            refused.append(marked("Choose at least one file or a folder."))
        results = check_uploaded(portal.project, saved) if saved else []
        template = "upload_results.html" if request.headers.get("HX-Request") else "upload.html"
        return portal.page(
            template,
            request,
            user,
            session,
            client_id=client_id,
            results=results,
            refused=refused,
            folder=folder.relative_to(portal.project.root),
        )

    @app.get("/changes")
    def changes_page(request: Request, notice: str = "") -> Response:
        user, session = portal.analyst(request)
        return portal.page(
            "changes.html", request, user, session, changes=portal.pending_changes(), notice=notice
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
        user, session = portal.analyst(request, csrf=csrf)
        if decision not in ("accept", "reject"):
            raise HTTPException(400, marked("decision must be accept or reject"))
        try:
            with WAREHOUSE_TURNS:  # read-write, beside the portal's readers
                outcome = decide(
                    portal.project,
                    header,
                    canonical or None,
                    accept=decision == "accept",
                    spec=spec,
                )
        except SocialMetricsError as exc:
            return portal.page(
                "changes.html",
                request,
                user,
                session,
                changes=portal.pending_changes(),
                notice=str(exc),
            )
        portal.snapshots.invalidate()
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
        return portal.page(
            "changes.html", request, user, session, changes=portal.pending_changes(), notice=notice
        )

    @app.post("/clients/{client_id}/runs")
    def start_run(
        request: Request,
        client_id: str,
        csrf: str = Form(""),
        kind: str = Form(...),
        month: str = Form(""),
    ) -> Response:
        portal.analyst(request, client_id, csrf)
        if month and not months.is_month(month):
            raise HTTPException(400, marked("month must look like 2026-10"))
        job = portal.jobs.start(client_id, kind, month or None)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/jobs/{job_id}")
    def job_page(request: Request, job_id: str) -> Response:
        user, session = portal.analyst(request)
        job = portal.jobs.get(job_id)
        if job is None or not user.may_see(job.client_id):
            raise HTTPException(404, marked("no such run"))
        if job.exit_code is not None:
            portal.snapshots.invalidate()
        name = "job_status.html" if request.headers.get("HX-Request") else "job.html"
        return portal.page(name, request, user, session, job=job)

    @app.get("/runs")
    def runs_page(request: Request) -> Response:
        user, session = portal.analyst(request)
        cron = str(portal.project.get("schedule.cron"))
        timezone = str(portal.project.get("project.timezone"))
        now = dt.datetime.now(dt.UTC)
        next_run = trigger(cron, timezone).get_next_fire_time(None, now)
        return portal.page(
            "runs.html",
            request,
            user,
            session,
            runs=portal.snapshots.get().runs,
            cron=cron,
            timezone=timezone,
            next_run=next_run,
        )
