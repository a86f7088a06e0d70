"""Delivery through a real SMTP server started on 127.0.0.1, and the dry-run folder."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.ops.report import write_reports
from socialmetrics.ops.run import run_month
from tests.test_cli import run


class Inbox(Message):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(email.message.EmailMessage)
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    def handle_message(self, message: email.message.Message) -> None:  # pragma: no cover - glue
        raw = message.as_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        self.messages.append((message["X-RcptTo"].split(", "), parsed))  # type: ignore[arg-type]


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SOCIALMETRICS_SMTP_URL", f"smtp://127.0.0.1:{port}")
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def agency(make_project, files: Path) -> Path:  # type: ignore[no-untyped-def]
    root = make_project(
        {"cafe": {"2026-03/instagram/contenido.csv": files / "instagram/contenido_es.csv"}}
    )
    (root / "clients/cafe/client.toml").write_text(
        'display_name = "Café Aurora"\nlanguage = "es"\n'
        'recipients = ["ana@cafe.example", "luis@cafe.example"]\n'
    )
    config = root / "socialmetrics.toml"
    config.write_text(
        config.read_text()
        + '\n[delivery]\nsender = "informes@agencia.example"\n'
        + 'agency_recipients = "ops@agencia.example"\n'
    )
    return root


def test_reports_are_emailed_once_with_attachments_intact(agency: Path, smtp: Inbox) -> None:
    project = load_project(agency)
    ingest(project)
    files = write_reports(project, month="2026-03", formats=("html", "xlsx"))
    result = run("deliver", "--project", str(agency), "--month", "2026-03")
    assert (
        result.exit_code == 0 and "sent: cafe: ana@cafe.example, luis@cafe.example" in result.output
    )
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert sorted(recipients) == ["ana@cafe.example", "luis@cafe.example"]
    assert message["Subject"] == "Informe de redes sociales · Café Aurora · marzo de 2026"
    assert message["From"] == "informes@agencia.example"
    assert "Adjuntamos el informe" in message.get_body(preferencelist=("plain",)).get_content()
    attached = {a.get_filename(): a.get_content() for a in message.iter_attachments()}
    assert set(attached) == {p.name for p in files}
    for path in files:
        content = attached[path.name]
        assert (content if isinstance(content, bytes) else content.encode()) == path.read_bytes()
    again = run("deliver", "--project", str(agency), "--month", "2026-03")
    assert "already sent on" in again.output
    assert len(smtp.messages) == 1  # no duplicate e-mail


def test_run_delivers_and_alerts_the_agency_on_layout_changes(
    agency: Path, smtp: Inbox, files: Path
) -> None:
    (agency / "clients/cafe/2026-03/x").mkdir(parents=True)
    src = files / "instagram/Dec-01-2024_Dec-31-2024_17800000000000001.csv"  # has an unknown column
    (agency / "clients/cafe/2026-03/x/content.csv").write_bytes(src.read_bytes())
    summary = run_month(load_project(agency), month="2026-03")
    assert summary.deliveries == ["cafe: ana@cafe.example, luis@cafe.example"]
    subjects = sorted(m["Subject"] for _, m in smtp.messages)
    assert subjects[0].startswith("Informe de redes sociales")
    assert subjects[1] == "socialmetrics 2026-03: ok, 1 layout change(s) to confirm"
    alert = next(m for r, m in smtp.messages if r == ["ops@agencia.example"])
    assert "layout changes to confirm: 1" in alert.get_content()
    rerun = run_month(load_project(agency), month="2026-03")
    assert rerun.deliveries == []  # the same reports are not e-mailed twice


def test_dry_run_writes_eml_files(agency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOCIALMETRICS_SMTP_URL", raising=False)
    config = agency / "socialmetrics.toml"
    config.write_text(config.read_text() + 'dry_run_dir = "outbox"\n')
    project = load_project(agency)
    ingest(project)
    write_reports(project, month="2026-03", formats=("html",))
    run("deliver", "--project", str(agency), "--month", "2026-03")
    (eml,) = (agency / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == "ana@cafe.example, luis@cafe.example"
    assert [a.get_filename() for a in message.iter_attachments()] == ["cafe-2026-03.html"]


def test_no_smtp_configured_says_how_to_fix(agency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOCIALMETRICS_SMTP_URL", raising=False)
    project = load_project(agency)
    ingest(project)
    write_reports(project, month="2026-03", formats=("html",))
    result = run("deliver", "--project", str(agency), "--month", "2026-03")
    assert result.exit_code == 2
    assert (
        "no SMTP server: set SOCIALMETRICS_SMTP_URL=smtp://user:password@host:587" in result.output
    )


def test_a_client_with_broken_settings_is_not_emailed_the_others_are(
    agency: Path, smtp: Inbox, files: Path
) -> None:
    project = load_project(agency)
    ingest(project)
    write_reports(project, month="2026-03", formats=("html",))
    broken = agency / "clients/zulu"
    broken.mkdir()
    (broken / "client.toml").write_text('recipients = ["not-an-address"]\n')
    result = run("deliver", "--project", str(agency), "--month", "2026-03")
    assert result.exit_code == 2
    assert "sent: cafe: ana@cafe.example, luis@cafe.example" in result.output
    assert "not sent, broken settings: zulu: " in result.output
    assert "recipients ['not-an-address'] are not e-mail addresses" in result.output
    assert len(smtp.messages) == 1
