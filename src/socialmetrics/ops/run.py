"""The monthly job: ingest, then reports, under the project lock, with a ledger and a log file.

Re-running is safe: ingest only loads what changed (nothing twice), reports are rewritten from
the warehouse. Every run is a row of `job_runs` (written when it starts and when it ends) and a
log file under `logs/`.
"""

from __future__ import annotations

import datetime as dt
import secrets
import smtplib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialmetrics import months
from socialmetrics.config import Project
from socialmetrics.errors import PdfUnavailable, SocialMetricsError
from socialmetrics.ingest.results import IngestSummary
from socialmetrics.ingest.run import ProgressHook, ingest
from socialmetrics.ops.lock import project_lock
from socialmetrics.ops.report import write_reports
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import connect


@dataclass
class RunSummary:
    """What one monthly run did."""

    run_id: str
    month: str
    ingest: IngestSummary
    reports: list[Path] = field(default_factory=list)
    deliveries: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    log_file: Path | None = None

    @property
    def pending_changes(self) -> int:
        return sum(1 for f in self.ingest.files for c in f.changes if c["status"] == "pending")

    @property
    def status(self) -> str:
        failed_mail = any(n.startswith("delivery failed") for n in self.notes)
        return "ok" if self.ingest.exit_code == 0 and not failed_mail else "partial"

    @property
    def exit_code(self) -> int:
        return self.ingest.exit_code

    def to_json(self) -> dict[str, Any]:
        totals = self.ingest.totals()
        return {
            "run_id": self.run_id,
            "month": self.month,
            "status": self.status,
            **totals,
            "layout_changes_pending": self.pending_changes,
            "reports_written": [str(p) for p in self.reports],
            "deliveries_sent": self.deliveries,
            "notes": self.notes,
            "client_errors": self.ingest.client_errors,
        }

    def text(self) -> str:
        t = self.ingest.totals()
        lines = [
            f"socialmetrics run {self.run_id} for {self.month}: {self.status}",
            f"files: {t['files_loaded']} loaded, {t['files_unchanged']} unchanged, "
            f"{t['files_failed']} failed; rows: {t['rows_loaded']} loaded, "
            f"{t['rows_quarantined']} quarantined",
            f"layout changes to confirm: {self.pending_changes}",
            f"reports written: {len(self.reports)}",
            f"deliveries sent: {len(self.deliveries)}",
        ]
        lines += [f"failed: {f.client_id}/{f.path}: {f.message}" for f in self.ingest.failed]
        lines += [f"client {c}: {m}" for c, m in self.ingest.client_errors.items()]
        lines += self.notes
        return "\n".join(lines)


def _deliver(project: Project, summary: RunSummary, client: str | None) -> None:
    """E-mail the reports (once) and alert the agency; a mail failure is a note, not a crash:
    the next run sends what is missing."""
    from socialmetrics.ops.deliver import alert_agency, deliver_reports

    try:
        result = deliver_reports(project, summary.month, client=client, run_id=summary.run_id)
        summary.deliveries = result.sent
        summary.notes += [f"not e-mailed: {s}" for s in result.skipped if "already sent" not in s]
        summary.notes += [f"not e-mailed, broken settings: {s}" for s in result.broken]
        if summary.status != "ok" or summary.pending_changes:
            alert_agency(
                project,
                f"socialmetrics {summary.month}: {summary.status}, "
                f"{summary.pending_changes} layout change(s) to confirm",
                summary.text(),
            )
    except (OSError, smtplib.SMTPException, SocialMetricsError) as exc:
        summary.notes.append(f"delivery failed ({type(exc).__name__}: {exc}); the next run retries")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def run_month(
    project: Project,
    *,
    month: str | None = None,
    client: str | None = None,
    wait: bool = False,
    progress: ProgressHook | None = None,
) -> RunSummary:
    """Ingest every client's folder, then write the month's reports; one run at a time."""
    month = month or months.previous(str(project.get("project.timezone")))
    months.bounds(month)
    run_id = _now().strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    with project_lock(project.root, "monthly run", wait=wait):
        with connect(project.warehouse_url, project.root) as wh:
            wh.ensure_schema()
            ledger.mark_interrupted(wh, "job_runs")
            ledger.start_job_run(wh, run_id, month, client)
        try:
            loaded = ingest(project, client=client, progress=progress, wait=wait)
            summary = RunSummary(run_id, month, loaded)
            try:
                summary.reports = write_reports(project, month=month, client=client)
            except PdfUnavailable as exc:
                summary.notes.append(f"no PDF reports: {exc}")
                summary.reports = write_reports(
                    project, month=month, client=client, formats=("html", "xlsx")
                )
            _deliver(project, summary, client)
        except BaseException as exc:  # the ledger must not say "running" for a dead run
            with connect(project.warehouse_url, project.root) as wh:
                ledger.fail_job_run(wh, run_id, f"{type(exc).__name__}: {exc}")
            raise
        logs = project.root / "logs"
        logs.mkdir(exist_ok=True)
        summary.log_file = logs / f"run-{month}-{run_id}.log"
        summary.log_file.write_text(summary.text() + "\n", encoding="utf-8")
        with connect(project.warehouse_url, project.root) as wh:
            totals = summary.ingest.totals()
            ledger.finish_job_run(
                wh,
                run_id,
                {
                    "status": summary.status,
                    "load_id": summary.ingest.load_id,
                    "files_loaded": totals["files_loaded"],
                    "files_failed": totals["files_failed"],
                    "layout_changes": summary.pending_changes,
                    "rows_quarantined": totals["rows_quarantined"],
                    "reports_written": len(summary.reports),
                    "log_file": str(summary.log_file.relative_to(project.root)),
                    "summary": summary.to_json(),
                },
            )
    return summary
