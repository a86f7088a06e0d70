"""`socialmetrics mapping accept|reject|list`: confirm or refuse what a header means."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialmetrics.cli.options import ProjectOption, WarehouseOption
from socialmetrics.cli.render import out, user_errors

mapping_app = typer.Typer(help="Confirm, refuse and list header mappings (aliases.toml).")

SpecOption = Annotated[
    str | None, typer.Option("--spec", help="The spec (export kind), when the header is ambiguous.")
]


def _decide(
    project: Path | None,
    header: str,
    canonical: str | None,
    spec: str | None,
    warehouse: str | None,
    accept: bool,
) -> None:
    from socialmetrics.config import load_project
    from socialmetrics.validate.review import decide

    with user_errors():
        proj = load_project(project, {"warehouse.url": warehouse})
        decision = decide(proj, header, canonical, accept=accept, spec=spec)
    a = decision.alias
    verb = "accepted" if accept else "rejected"
    out.print(
        f"{verb}: {escape(a.spec)}: {escape(repr(a.header))} -> {escape(a.canonical)} "
        f"(written to {escape(decision.alias_file)})"
    )
    if decision.files_to_reread:
        out.print(
            f"{len(decision.files_to_reread)} file(s) will be read again by the next "
            "`socialmetrics ingest`: " + escape(", ".join(decision.files_to_reread))
        )


@mapping_app.command("accept")
def mapping_accept(
    header: Annotated[str, typer.Argument(help="The header as exported.")],
    canonical: Annotated[
        str | None, typer.Argument(help="Canonical column (default: proposed).")
    ] = None,
    spec: SpecOption = None,
    project: ProjectOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Confirm that HEADER means CANONICAL: written to aliases.toml, used from now on."""
    _decide(project, header, canonical, spec, warehouse, accept=True)


@mapping_app.command("reject")
def mapping_reject(
    header: Annotated[str, typer.Argument(help="The header as exported.")],
    canonical: Annotated[str | None, typer.Argument(help="The column it must NOT map to.")] = None,
    spec: SpecOption = None,
    project: ProjectOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Refuse a proposed mapping: HEADER stays an unknown column (values kept in extra)."""
    _decide(project, header, canonical, spec, warehouse, accept=False)


@mapping_app.command("list")
def mapping_list(
    project: ProjectOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the project's confirmed and refused mappings."""
    from socialmetrics.config import load_project
    from socialmetrics.validate.review import list_mappings

    with user_errors():
        rows = list_mappings(load_project(project))
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title="aliases.toml")
    for col in ("spec", "header", "canonical", "status", "decided"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*(escape(r[k]) for k in ("spec", "header", "canonical", "status", "decided")))
    out.print(table)
    if not rows:
        out.print("No mappings yet: `socialmetrics drift --pending` lists what to confirm.")
