"""E-mail each client's report files, and alert the agency when a run needs attention.

SMTP comes from `SOCIALMETRICS_SMTP_URL` only (never a committed file). Every message sent is a
row of `deliveries`: re-running a month never e-mails a client's report twice (PDF and Excel
files carry their creation time, so the files' hash is recorded but not the key); `resend`
sends again on purpose. With `delivery.dry_run_dir`, messages are written as .eml
files instead of being sent.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import unquote, urlparse

from socialmetrics import months
from socialmetrics.config import ClientSettings, Project, load_client
from socialmetrics.errors import ConfigError
from socialmetrics.extract.discover import client_folders
from socialmetrics.report.i18n import Formatter
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import connect

SMTP_ENV = "SOCIALMETRICS_SMTP_URL"


@dataclass
class DeliveryResult:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    """Clients not e-mailed because their client.toml is broken (the others still are)."""


class Mailer:
    """Sends through SMTP, or writes .eml files (dry run)."""

    def __init__(self, project: Project) -> None:
        dry = str(project.get("delivery.dry_run_dir"))
        self.dry_run = project.root / dry if dry else None
        self.url = os.environ.get(SMTP_ENV, "")
        if self.dry_run is None and not self.url:
            raise ConfigError(
                f"no SMTP server: set {SMTP_ENV}=smtp://user:password@host:587 in the environment, "
                "or delivery.dry_run_dir to write the e-mails to a folder"
            )

    @property
    def mode(self) -> str:
        return "dry-run" if self.dry_run is not None else "smtp"

    def send(self, message: EmailMessage) -> None:
        if self.dry_run is not None:
            self.dry_run.mkdir(parents=True, exist_ok=True)
            name = message["Message-ID"].strip("<>").split("@")[0]
            (self.dry_run / f"{name}.eml").write_bytes(bytes(message))
            return
        url = urlparse(self.url)
        port = url.port or (465 if url.scheme == "smtps" else 25)
        client: smtplib.SMTP
        if url.scheme == "smtps":
            client = smtplib.SMTP_SSL(
                url.hostname or "localhost", port, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(url.hostname or "localhost", port, timeout=60)
        with client:
            client.ehlo()
            if url.scheme == "smtp" and client.has_extn("starttls"):
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if url.username:
                client.login(unquote(url.username), unquote(url.password or ""))
            client.send_message(message)


def _attach(message: EmailMessage, path: Path) -> None:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    main, sub = kind.split("/", 1)
    if main == "text":  # our text files are UTF-8: say so, so that they arrive intact
        message.add_attachment(path.read_text(encoding="utf-8"), subtype=sub, filename=path.name)
    else:
        message.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)


def report_message(
    client: ClientSettings, month: str, files: list[Path], sender: str, agency: str
) -> EmailMessage:
    """The client's e-mail, in the client's language, with the report files attached."""
    f = Formatter(client.language)
    label = f.month(months.start(month))
    message = EmailMessage()
    message["Subject"] = f.t(
        "Social media report · %(name)s · %(month)s", name=client.display_name, month=label
    )
    message["From"] = sender
    message["To"] = ", ".join(client.recipients)
    message["Message-ID"] = make_msgid(domain=sender.split("@")[-1] or "socialmetrics")
    message.set_content(
        f.t(
            "Hello,\n\nPlease find attached the social media report of %(name)s for "
            "%(month)s.\n\nBest regards,\n%(agency)s\n",
            name=client.display_name,
            month=label,
            agency=agency,
        )
    )
    for path in files:
        _attach(message, path)
    return message


def deliver_reports(
    project: Project,
    month: str,
    *,
    client: str | None = None,
    run_id: str | None = None,
    resend: bool = False,
) -> DeliveryResult:
    """E-mail each client's report files for the month, once (the ledger remembers)."""
    sender = str(project.get("delivery.sender"))
    result = DeliveryResult()
    if not sender:
        result.skipped.append("delivery.sender is not set: reports are not e-mailed")
        return result
    mailer = Mailer(project)
    agency = str(project.get("project.name"))
    with connect(project.warehouse_url, project.root) as wh:
        wh.ensure_schema()
        for folder in client_folders(project.clients_dir):
            if client is not None and folder.name != client:
                continue
            try:
                settings = load_client(folder, project)
            except ConfigError as exc:  # that client only: the others still get their e-mail
                result.broken.append(f"{folder.name}: {exc}")
                continue
            report_dir = project.reports_dir / settings.client_id / month
            files = sorted(
                p for p in report_dir.glob("*") if p.suffix in (".pdf", ".xlsx", ".html")
            )
            if not settings.recipients or not files:
                why = (
                    "no recipients in client.toml" if not settings.recipients else "no report files"
                )
                result.skipped.append(f"{settings.client_id}: {why}")
                continue
            digest = hashlib.sha256()
            for path in files:
                digest.update(
                    path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest()
                )
            key = digest.hexdigest()
            already = ledger.last_delivery(wh, settings.client_id, month, mailer.mode)
            if already is not None and not resend:
                result.skipped.append(f"{settings.client_id}: already sent on {already}")
                continue
            message = report_message(settings, month, files, sender, agency)
            mailer.send(message)
            ledger.record_delivery(
                wh,
                [
                    settings.client_id,
                    month,
                    key,
                    ", ".join(settings.recipients),
                    str(message["Subject"]),
                    str(message["Message-ID"]),
                    mailer.mode,
                    ledger.now(),
                    run_id,
                ],
            )
            result.sent.append(f"{settings.client_id}: {', '.join(settings.recipients)}")
    return result


def alert_agency(project: Project, subject: str, body: str) -> bool:
    """The internal e-mail when a run fails or finds layout changes (False when not configured)."""
    sender = str(project.get("delivery.sender"))
    recipients = [
        r.strip() for r in str(project.get("delivery.agency_recipients")).split(",") if r.strip()
    ]
    if not sender or not recipients:
        return False
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Message-ID"] = make_msgid(domain=sender.split("@")[-1])
    message.set_content(body)
    Mailer(project).send(message)
    return True
