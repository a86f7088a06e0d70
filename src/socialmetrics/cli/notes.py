"""`socialmetrics note add|list`: the analyst's dated notes on a client (notes.toml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialmetrics.cli.options import ProjectOption
from socialmetrics.cli.render import out, user_errors
from socialmetrics.errors import UsageError

note_app = typer.Typer(help="Add and list the dated notes a client's report shows (notes.toml).")


def _client_folder(project: Path | None, client: str) -> Path:
    from socialmetrics.config import load_project
    from socialmetrics.extract.discover import selected_clients

    return selected_clients(load_project(project).clients_dir, client)[0]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"date {value!r} must be YYYY-MM-DD") from None


@note_app.command("add")
def note_add(
    client: Annotated[str, typer.Argument(help="The client (its folder name).")],
    day: Annotated[str, typer.Argument(metavar="DATE", help="The day, YYYY-MM-DD.")],
    text: Annotated[str, typer.Argument(help="What happened (campaign launched...).")],
    platform: Annotated[
        str | None, typer.Option("--platform", help="Only this platform's charts.")
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Add a note: shown in the month's report and on its charts' date."""
    from socialmetrics.notes import add_note
    from socialmetrics.platforms import registry

    with user_errors():
        if platform is not None and platform not in registry.platform_ids():
            choices = ", ".join(registry.platform_ids())
            raise UsageError(f"--platform {platform!r} is not one of {choices}")
        path = add_note(_client_folder(project, client), _date(day), text, platform)
    out.print(f"note added to {escape(str(path))}")


@note_app.command("list")
def note_list(
    client: Annotated[str, typer.Argument(help="The client (its folder name).")],
    month: Annotated[str | None, typer.Option("--month", "-m", help="Only YYYY-MM.")] = None,
    project: ProjectOption = None,
) -> None:
    """List a client's notes, oldest first."""
    from socialmetrics import months
    from socialmetrics.notes import read_notes

    with user_errors():
        notes = read_notes(_client_folder(project, client))
        if month is not None:
            first, last = months.bounds(month)
            notes = [n for n in notes if first <= n.day <= last]
    for note in notes:
        scope = escape(f" [{note.platform}]") if note.platform else ""
        out.print(f"{note.day.isoformat()}{scope} {escape(note.text)}")
