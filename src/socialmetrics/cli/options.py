"""Options several commands share (project folder, warehouse URL, silence)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project",
        "-p",
        help="Project folder (holding socialmetrics.toml). Default: $SOCIALMETRICS_PROJECT or .",
        show_default=False,
    ),
]
WarehouseOption = Annotated[
    str | None,
    typer.Option(
        "--warehouse",
        help="Warehouse URL, overriding config and $SOCIALMETRICS_WAREHOUSE_URL.",
        show_default=False,
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        help="Worker processes inspecting files and rendering reports at once; 0: one per core "
        "(default: compute.jobs).",
        show_default=False,
        min=0,
    ),
]
SilentOption = Annotated[bool, typer.Option("--silent", "-s", help="No progress bar.")]
WaitOption = Annotated[
    bool,
    typer.Option(
        "--wait",
        help="If another command is writing to the project, wait for it instead of exiting.",
    ),
]
