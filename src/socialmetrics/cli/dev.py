"""`socialmetrics dev ...`: for contributors (start a platform, list the registered ones)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from socialmetrics.cli.render import out, user_errors

dev_app = typer.Typer(help="For contributors: start a new platform, list the registered ones.")


@dev_app.command("new-platform")
def dev_new_platform(
    name: Annotated[str, typer.Argument(help="The platform's id: lower case, e.g. tiktok.")],
    title: Annotated[
        str | None, typer.Option(help="Display name (default: the name, capitalised).")
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option(help="Folder to create it in (default: the bundled platforms folder)."),
    ] = None,
    samples: Annotated[
        Path | None,
        typer.Option(help="Write its first test files into SAMPLES/<name>/ (e.g. tests/files)."),
    ] = None,
) -> None:
    """Start a platform from the template: folder, first spec, demo writer, README."""
    from socialmetrics.platforms.scaffold import new_platform

    with user_errors():
        created = new_platform(name, into=into, title=title, samples_dir=samples)
    for path in created:
        out.print(f"created {escape(str(path))}")
    out.print(
        "next: record the real export's header in the spec, make demo.py write the real format, "
        "fill README.md, add a section to docs/platforms.md, then `make test`."
    )


@dev_app.command("platforms")
def dev_platforms() -> None:
    """List the registered platforms, their specs and what they declare."""
    from socialmetrics.platforms import registry
    from socialmetrics.specs.registry import default_registry

    table = Table("platform", "name", "order", "rate by", "specs", "demo")
    specs = default_registry()
    for p in registry.platforms():
        own = [s.id for s in specs if s.platform == p.id]
        shared = [f.id for f in registry.families() if p.id in f.members]
        table.add_row(
            escape(p.id),
            escape(p.name("en")),
            str(p.report_order),
            escape(p.rate_denominator),
            escape(", ".join(own + [f"{f} (shared)" for f in shared])),
            "yes" if p.demo else "no",
        )
    out.print(table)
