"""How the command line shows things: consoles, progress bars, the check and ingest tables,
and library errors as one-line messages. Everything from data or paths is escaped for Rich."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from socialmetrics.errors import SocialMetricsError

out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
"""No emoji codes (`:x:` in a post stays `:x:`), no highlighting; markup only in our own text:
everything from data or paths goes through `escape`."""


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn library errors into `Error: ...` and the error's exit code."""
    try:
        yield
    except SocialMetricsError as exc:
        err.print(f"[bold red]Error:[/] {escape(str(exc))}")
        raise typer.Exit(exc.exit_code) from None


def progress_bar(silent: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.fields[current]}"),
        console=err,
        disable=silent or not err.is_terminal,
        transient=True,
    )


STATUS_STYLE = {
    "ok": "green",
    "partial": "yellow",
    "unrecognised": "red",
    "error": "bold red",
    "skipped": "dim",
}


def print_details(r: Any, verbose: bool) -> None:
    notes: list[str] = []
    if r.status in ("error", "skipped") or (r.status == "unrecognised" and not r.unrecognised):
        notes.append(r.message)
    for t in r.tables:
        rec = t.recognition
        label = f"{t.sheet}: " if t.sheet else ""
        if rec.unknown:
            names = ", ".join(c.header for c in rec.unknown)
            notes.append(f"{label}kept in extra (unknown columns): {names}")
        if not rec.layout_exact:
            notes.append(f"{label}layout differs from every known version (closest {rec.layout})")
        if t.duplicates:
            notes.append(f"{label}{t.duplicates} duplicate row(s) in the file; the first is kept")
        if t.superseded:
            notes.append(f"{label}{t.superseded} row(s) superseded by a newer export checked here")
        limit = None if verbose else 3
        for p in t.problems[:limit]:
            notes.append(p.describe())
        if limit is not None and len(t.problems) > limit:
            notes.append(f"... and {len(t.problems) - limit} more problem(s) (use --verbose)")
    for u in r.unrecognised:
        where = f" ({u.table.label})" if u.table.label else ""
        notes.append(f"not a known platform export{where}: nothing loaded from it")
        for c in u.candidates:
            notes.append(f"  closest {c.spec_id}: {c.reason}")
    notes.extend(r.warnings)
    if notes:
        out.print(f"[bold]{escape(str(r.path))}[/]")
        for n in notes:
            out.print(f"  - {escape(n)}")


def progress_hook(progress: Progress, task: Any) -> Callable[[str, str, Any], None]:
    def hook(event: str, label: str, result: Any) -> None:
        if event == "total":
            progress.update(task, total=int(label))
        elif event == "client":
            progress.update(task, description=f"client {escape(label)}")
        elif event == "file":
            progress.update(task, current=escape(label))
        else:
            progress.advance(task)

    return hook


def print_ingest_summary(summary: Any, verbose: bool = False) -> None:
    """A table per client (per file with --verbose), then every failure on its own line."""
    title = f"ingest {summary.load_id}" + (f" — month {summary.month}" if summary.month else "")
    table = Table(title=title)
    first = "file" if verbose else "client"
    for col in (first, "loaded", "unchanged", "failed", "rows", "quarantined", "superseded"):
        table.add_column(col, overflow="fold")
    groups: dict[str, list[Any]] = {}
    for f in summary.files:
        key = f"{f.client_id}/{f.path}" if verbose else f.client_id
        groups.setdefault(key, []).append(f)
    for key, files in groups.items():
        files = [f for f in files if f.action not in ("retired", "skipped")]
        if not files:
            continue
        failed = sum(1 for f in files if f.action in ("failed", "unrecognised"))
        table.add_row(
            escape(key),
            str(sum(1 for f in files if f.action in ("loaded", "replaced"))),
            str(sum(1 for f in files if f.action in ("unchanged", "duplicate"))),
            f"[red]{failed}[/]" if failed else "0",
            str(sum(f.rows_loaded for f in files)),
            str(sum(f.rows_quarantined for f in files)),
            str(sum(f.superseded for f in files)),
        )
    out.print(table)
    for f in summary.files:
        for sheet, headers in f.columns_unknown.items():
            where = f" ({sheet})" if sheet else ""
            out.print(
                f"[yellow]{escape(f.client_id)}/{escape(f.path)}{escape(where)}[/]: unknown "
                f"columns kept in extra: {escape(', '.join(headers))}"
            )
    for f in summary.files:
        for c in f.changes:
            if c["status"] != "noted":
                out.print(
                    f"[magenta]{escape(f.client_id)}/{escape(f.path)}[/]: layout {c['change']} "
                    f"{escape(repr(c['header_old'] or c['header_new']))}"
                    + (f" -> {escape(repr(c['header_new']))}" if c["change"] == "renamed" else "")
                    + f": {escape(c['detail'])} {escape('[' + c['status'] + ']')}"
                )
    noted = sum(1 for f in summary.files for c in f.changes if c["status"] == "noted")
    if noted:
        out.print(f"{noted} safe layout change(s) noted (reorders, known aliases); see `drift`.")
    for line in summary.strict_refusal:
        err.print(f"[red]strict: unconfirmed layout change[/]: {escape(line)}")
    if summary.strict_refusal:
        err.print(
            "[bold red]Nothing was loaded[/] (--strict). Confirm or refuse each change with "
            "`socialmetrics mapping accept|reject HEADER [CANONICAL]`, or run without --strict."
        )
    for f in summary.failed:
        err.print(
            f"[red]{escape(f.client_id)}/{escape(f.path)}[/]: {f.action}: {escape(f.message)}"
        )
    for f in summary.files:
        if f.action == "retired":
            out.print(
                f"[yellow]{escape(f.client_id)}/{escape(f.path)}[/]: retired: {escape(f.message)}"
            )
    for client_id, message in summary.client_errors.items():
        err.print(f"[bold red]client {escape(client_id)}[/]: {escape(message)}")
    if summary.interrupted_loads:
        err.print(
            f"[yellow]{summary.interrupted_loads} earlier load(s) had died while running[/]: "
            "marked interrupted in load_runs (what they committed stays; this load completes it)."
        )
    if summary.warehouse_error:
        err.print(f"[bold red]warehouse[/]: {escape(summary.warehouse_error)}")
    t = summary.totals()
    extra = f", {t['clients_failed']} client(s) not loaded" if t["clients_failed"] else ""
    if t["files_retired"]:
        extra += f", {t['files_retired']} retired ({t['rows_retired']} rows)"
    out.print(
        f"{t['clients']} client(s): {t['files_loaded']} file(s) loaded, {t['files_unchanged']} "
        f"unchanged, {t['files_failed']} failed{extra}; {t['rows_loaded']} rows "
        f"loaded, {t['rows_quarantined']} quarantined, {t['rows_superseded']} superseded by "
        "newer exports."
    )
