"""The `socialmetrics` command: parse options, call one library function, print.

No logic lives here. Library exceptions become one-line messages (no tracebacks for user
mistakes) with exit code 2 for usage/configuration errors and 1 for failed loads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialmetrics import __version__
from socialmetrics.cli.dev import dev_app
from socialmetrics.cli.mapping import mapping_app
from socialmetrics.cli.notes import note_app
from socialmetrics.cli.options import (
    JobsOption,
    ProjectOption,
    SilentOption,
    WaitOption,
    WarehouseOption,
)
from socialmetrics.cli.render import (
    STATUS_STYLE,
    err,
    out,
    print_details,
    print_ingest_summary,
    progress_bar,
    progress_hook,
    user_errors,
)
from socialmetrics.cli.web import serve, users_app
from socialmetrics.ops.lock import project_lock

app = typer.Typer(
    name="socialmetrics",
    help="Monthly social-media metrics for agencies: exports in, warehouse and reports out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        out.print(f"socialmetrics {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """socialmetrics: Instagram, LinkedIn and X exports -> warehouse -> client reports."""


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new project.")] = Path(),
    name: Annotated[str, typer.Option(help="Agency name.")] = "Big Data Marketing",
) -> None:
    """Create a project: socialmetrics.toml, a clients/ folder and an example client."""
    from socialmetrics.config import init_project

    with user_errors():
        created = init_project(directory, name=name)
    for path in created:
        out.print(f"created {escape(str(path))}")
    if not created:
        out.print(f"{escape(str(directory))} is already a project; nothing changed.")
    out.print("Next: drop exports into clients/<client>/ and run `socialmetrics ingest`.")


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to inspect.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per file.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every problem.")] = False,
    project: ProjectOption = None,
) -> None:
    """Say what each file is, its period, its columns and row problems. Loads nothing.

    Inside a project (or with --project) the project's aliases.toml applies.

    Exit 0 when every file was recognised, 1 when some were not (or could not be read).
    """
    from socialmetrics.ingest.inspect import check_paths

    missing = [p for p in paths if not p.exists()]
    if missing:
        err.print(f"[bold red]Error:[/] no such file or folder: {escape(str(missing[0]))}")
        raise typer.Exit(2)
    from socialmetrics.config import load_project

    with user_errors():
        proj = load_project(project, require=False)
        in_project = (proj.root / "socialmetrics.toml").exists()
        results = check_paths(paths, proj if in_project else None)
    if as_json:
        out.print_json(json.dumps([r.to_json() for r in results], ensure_ascii=False, default=str))
    else:
        table = Table(title="socialmetrics check", show_lines=False)
        for col in ("file", "status", "what", "rows", "period"):
            table.add_column(col, overflow="fold")
        for r in results:
            start, end = r.period
            what = "; ".join(
                dict.fromkeys(f"{t.platform} {t.kind} ({t.recognition.layout})" for t in r.tables)
            )
            table.add_row(
                escape(str(r.path)),
                f"[{STATUS_STYLE[r.status]}]{r.status}[/]",
                escape(what or r.message),
                str(r.rows_loadable),
                f"{start} → {end}" if start else "",
            )
        out.print(table)
        for r in results:
            print_details(r, verbose)
    failed = sum(1 for r in results if r.status in ("unrecognised", "error"))
    raise typer.Exit(1 if failed else 0)


@app.command()
def ingest(
    project: ProjectOption = None,
    client: Annotated[str | None, typer.Option("--client", "-c", help="Only this client.")] = None,
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="Re-load only this month (YYYY-MM).")
    ] = None,
    warehouse: WarehouseOption = None,
    silent: SilentOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="One line per file.")] = False,
    strict: Annotated[
        bool | None,
        typer.Option(
            "--strict/--no-strict",
            help="Refuse files with any quarantined value or unrecognised sheet "
            "(default: ingest.strict).",
            show_default=False,
        ),
    ] = None,
    keep_missing: Annotated[
        bool | None,
        typer.Option(
            "--keep-missing/--retire-missing",
            help="Keep the rows of files no longer in their client's folder, or retire them "
            "(default: ingest.keep_missing, off: retire).",
            show_default=False,
        ),
    ] = None,
    wait: WaitOption = False,
    jobs: JobsOption = None,
) -> None:
    """Load every client's exports into the warehouse (idempotent). One writing command at a
    time per project: a second one exits (or waits, with --wait).

    Exit 0 when all files loaded, 1 when some failed (the rest loaded), 2 for usage or
    configuration errors.
    """
    from socialmetrics.config import load_project
    from socialmetrics.ingest import ingest as run_ingest

    with user_errors():
        proj = load_project(project, {"warehouse.url": warehouse, "compute.jobs": jobs})
        with project_lock(proj.root, "ingest", wait=wait), progress_bar(silent) as progress:
            task = progress.add_task("reading", total=None, current="")
            summary = run_ingest(
                proj,
                client=client,
                month=month,
                progress=progress_hook(progress, task),
                strict=strict,
                wait=wait,
                keep_missing=keep_missing,
            )
    if as_json:
        out.print_json(json.dumps(summary.to_json(), ensure_ascii=False, default=str))
    else:
        print_ingest_summary(summary, verbose)
    raise typer.Exit(summary.exit_code)


@app.command()
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the demo project.")
    ] = Path("socialmetrics-demo"),
    clients: Annotated[int, typer.Option(help="Number of clients.", min=1)] = 5,
    months: Annotated[int, typer.Option(help="Months of history.", min=1, max=60)] = 13,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same files).")] = 7,
    end_month: Annotated[
        str | None,
        typer.Option("--end-month", help="Last month generated (YYYY-MM). Default: last month."),
    ] = None,
    warehouse: WarehouseOption = None,
    silent: SilentOption = False,
) -> None:
    """Create a complete demo agency (exports in the platforms' real formats) and ingest it."""
    from socialmetrics.config import load_project
    from socialmetrics.demo.generator import generate_demo
    from socialmetrics.demo.generator import months_between as generate_months
    from socialmetrics.ingest import ingest as run_ingest

    with user_errors():
        written = generate_demo(
            out_dir, clients=clients, months=months, seed=seed, end_month=end_month
        )
        out.print(
            f"wrote {written} export files for {clients} clients x {months} months "
            f"in {escape(str(out_dir))}"
        )
        proj = load_project(out_dir, {"warehouse.url": warehouse})
        with progress_bar(silent) as progress:
            task = progress.add_task("reading", total=written, current="")
            summary = run_ingest(proj, progress=progress_hook(progress, task))
    print_ingest_summary(summary)
    out.print(f"warehouse: {escape(proj.warehouse_url)} (in {escape(str(proj.root))})")
    from socialmetrics.errors import PdfUnavailable
    from socialmetrics.ops.report import write_reports

    last = generate_months(end_month, months)[-1]
    with user_errors():
        try:
            paths = write_reports(proj, month=last)
        except PdfUnavailable as exc:
            err.print(f"[yellow]No PDF reports:[/] {escape(str(exc))}")
            paths = write_reports(proj, month=last, formats=("html", "xlsx"))
    out.print(f"reports for {last}: {len(paths)} file(s) in {escape(str(proj.reports_dir))}")
    raise typer.Exit(summary.exit_code)


@app.command()
def drift(
    project: ProjectOption = None,
    client: Annotated[str | None, typer.Option("--client", "-c", help="Only this client.")] = None,
    month: Annotated[str | None, typer.Option("--month", "-m", help="Only this month.")] = None,
    pending: Annotated[bool, typer.Option("--pending", help="Only changes to confirm.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    warehouse: WarehouseOption = None,
) -> None:
    """Show the export-layout changes seen, per client, platform and export, by month."""
    from socialmetrics.config import load_project
    from socialmetrics.validate.review import list_changes

    with user_errors():
        proj = load_project(project, {"warehouse.url": warehouse})
        rows = list_changes(proj, client=client, month=month, pending_only=pending)
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False, default=str))
        return
    table = Table(title="layout changes")
    for col in (
        "month",
        "client",
        "platform",
        "export",
        "change",
        "old",
        "new",
        "detail",
        "status",
    ):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            *(
                escape(str(r[k] or ""))
                for k in (
                    "month",
                    "client_id",
                    "platform",
                    "spec",
                    "change",
                    "header_old",
                    "header_new",
                    "detail",
                )
            ),
            f"[{'yellow' if r['status'] == 'pending' else 'green'}]{r['status']}[/]",
        )
    out.print(table)
    waiting = sum(1 for r in rows if r["status"] == "pending")
    out.print(
        f"{len(rows)} change(s), {waiting} to confirm with `socialmetrics mapping accept|reject`."
    )


@app.command()
def report(
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="YYYY-MM (default: the previous month).")
    ] = None,
    client: Annotated[str | None, typer.Option("--client", "-c", help="Only this client.")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="es, en or pt-BR (default: the client's language).")
    ] = None,
    formats: Annotated[
        str, typer.Option("--format", help="Comma-separated: html, pdf, xlsx.")
    ] = "html,pdf,xlsx",
    project: ProjectOption = None,
    warehouse: WarehouseOption = None,
    wait: WaitOption = False,
    jobs: JobsOption = None,
) -> None:
    """Write each client's monthly report to reports/<client>/<YYYY-MM>/."""
    from socialmetrics.config import load_project
    from socialmetrics.ops.report import write_reports

    with user_errors():
        proj = load_project(project, {"warehouse.url": warehouse, "compute.jobs": jobs})
        with project_lock(proj.root, "report", wait=wait):
            paths = write_reports(
                proj,
                month=month,
                client=client,
                language=lang,
                formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
            )
    for path in paths:
        out.print(f"wrote {escape(str(path))}")


@app.command("run")
def run_command(
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="YYYY-MM (default: the previous month).")
    ] = None,
    client: Annotated[str | None, typer.Option("--client", "-c", help="Only this client.")] = None,
    wait: WaitOption = False,
    project: ProjectOption = None,
    warehouse: WarehouseOption = None,
    silent: SilentOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
    jobs: JobsOption = None,
) -> None:
    """The monthly job: ingest every client's exports, then write the month's reports.

    One run at a time per project; safe to re-run after a failure (nothing is loaded twice).
    Exit codes as for `ingest`.
    """
    from socialmetrics.config import load_project
    from socialmetrics.ops.run import run_month

    with user_errors():
        proj = load_project(project, {"warehouse.url": warehouse, "compute.jobs": jobs})
        with progress_bar(silent) as progress:
            task = progress.add_task("reading", total=None, current="")
            summary = run_month(
                proj, month=month, client=client, wait=wait, progress=progress_hook(progress, task)
            )
    if as_json:
        out.print_json(json.dumps(summary.to_json(), ensure_ascii=False, default=str))
    else:
        print_ingest_summary(summary.ingest)
        out.print(escape(summary.text().splitlines()[0]))
        out.print(
            f"{len(summary.reports)} report file(s) written; log: {escape(str(summary.log_file))}"
        )
        for note in summary.notes:
            err.print(f"[yellow]{escape(note)}[/]")
    raise typer.Exit(summary.exit_code)


@app.command()
def status(
    project: ProjectOption = None,
    warehouse: WarehouseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Per client: months loaded and layout changes to confirm; and the last runs."""
    from socialmetrics.config import load_project
    from socialmetrics.ops.status import project_status

    with user_errors():
        data = project_status(load_project(project, {"warehouse.url": warehouse}))
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False, default=str))
        return
    table = Table(title="clients")
    for col in ("client", "months loaded", "first", "last", "to confirm", "not delivered"):
        table.add_column(col)
    for c in data["clients"]:
        table.add_row(
            escape(c["client"]),
            str(len(c["months_loaded"])),
            escape(c["first_month"] or "—"),
            escape(c["last_month"] or "—"),
            str(c["pending_layout_changes"]),
            escape(", ".join(c["reports_not_delivered"]) or "—"),
        )
    out.print(table)
    runs = Table(title="last runs")
    for col in ("run", "month", "started (UTC)", "status", "files loaded", "failed", "reports"):
        runs.add_column(col)
    for r in data["runs"]:
        runs.add_row(
            escape(r["run_id"]),
            escape(r["month"]),
            str(r["started_at"]),
            escape(r["status"]),
            str(r["files_loaded"] or 0),
            str(r["files_failed"] or 0),
            str(r["reports_written"] or 0),
        )
    out.print(runs)


@app.command()
def schedule(
    once: Annotated[
        bool, typer.Option("--once", help="Run whatever is due now, then exit.")
    ] = False,
    print_cron: Annotated[
        bool, typer.Option("--print-cron", help="Print a crontab line for this installation.")
    ] = False,
    print_systemd: Annotated[
        bool, typer.Option("--print-systemd", help="Print a systemd service and timer.")
    ] = False,
    project: ProjectOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Run the monthly job by itself (schedule.cron, default the 1st at 06:00), catching up
    on months whose run is missing or failed. Stops cleanly on SIGTERM/SIGINT."""
    from socialmetrics.config import load_project
    from socialmetrics.ops import schedule as sched

    with user_errors():
        proj = load_project(project, {"warehouse.url": warehouse})
        sched.trigger(str(proj.get("schedule.cron")), str(proj.get("project.timezone")))
        if print_cron:
            out.print(sched.cron_line(proj), markup=False)
            return
        if print_systemd:
            out.print(sched.systemd_units(proj), markup=False)
            return
        if once:
            summaries = sched.run_due(proj)
            for s in summaries:
                out.print(escape(s.text().splitlines()[0]))
            if not summaries:
                out.print("nothing due")
            raise typer.Exit(max((s.exit_code for s in summaries), default=0))
        sched.serve(proj, log=lambda text: out.print(escape(text)))


@app.command()
def deliver(
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="YYYY-MM (default: the previous month).")
    ] = None,
    client: Annotated[str | None, typer.Option("--client", "-c", help="Only this client.")] = None,
    resend: Annotated[
        bool, typer.Option("--resend", help="Send again even if already sent for the month.")
    ] = False,
    project: ProjectOption = None,
    warehouse: WarehouseOption = None,
    wait: WaitOption = False,
) -> None:
    """E-mail each client's report files for the month to its recipients (once)."""
    from socialmetrics.config import load_project
    from socialmetrics.months import previous as previous_month
    from socialmetrics.ops.deliver import deliver_reports

    with user_errors():
        proj = load_project(project, {"warehouse.url": warehouse})
        with project_lock(proj.root, "deliver", wait=wait):
            result = deliver_reports(
                proj,
                month or previous_month(str(proj.get("project.timezone"))),
                client=client,
                resend=resend,
            )
    for line in result.sent:
        out.print(f"sent: {escape(line)}")
    for line in result.skipped:
        out.print(f"[dim]not sent: {escape(line)}[/]")
    for line in result.broken:
        err.print(f"[red]not sent, broken settings[/]: {escape(line)}")
    if result.broken:
        raise typer.Exit(2)


app.add_typer(mapping_app, name="mapping")
app.add_typer(note_app, name="note")
app.add_typer(dev_app, name="dev")
app.add_typer(users_app, name="users")
app.command("serve")(serve)


def main() -> None:
    """Console entry point."""
    app(prog_name="socialmetrics")
