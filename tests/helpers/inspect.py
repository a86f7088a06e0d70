"""Inspect a file as it would sit in a client's folder, for tests of one platform's files."""

from __future__ import annotations

import shutil
from pathlib import Path

from socialmetrics.extract.discover import SourceFile
from socialmetrics.ingest.inspect import inspect_file
from socialmetrics.ingest.results import FileResult


def in_month(source: Path, month: str, tmp_path: Path, platform: str) -> FileResult:
    """Inspect `source` copied to `acme/<month>/<platform>/`: the `YYYY-MM` folder is what
    anchors yearless days (TikTok) and dates undated breakdowns (YouTube)."""
    client = tmp_path / "acme"
    target = client / month / platform / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return inspect_file(SourceFile(target, "acme", client))


def at(root: Path, rel: str, client: str = "acme") -> FileResult:
    """Inspect the file at `root/rel` where it is, as a file of `client` under `root`."""
    return inspect_file(SourceFile(root / rel, client, root))
