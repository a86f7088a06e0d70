"""Find clients and the export files in their folders (any nesting, any file names)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from socialmetrics.config import CLIENT_FILE
from socialmetrics.errors import UsageError

SKIP_SUFFIXES = {
    ".toml",
    ".md",
    ".json",
    ".yaml",
    ".yml",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".svg",
    ".webp",
    ".pdf",
    ".html",
    ".htm",
    ".docx",
    ".pptx",
    ".py",
    ".log",
    ".duckdb",
    ".wal",
}
"""Files that are never platform exports: settings, logos, reports, documents."""

NOTE_SUFFIXES = {".txt"}
"""Read like any file (an export saved as .txt loads, in `check` and `ingest` alike), but one
that is not an export is a note (a README), skipped rather than failed."""


@dataclass(frozen=True)
class SourceFile:
    """A file found in a client's folder."""

    path: Path
    client_id: str | None
    client_root: Path | None
    within: Path | None = None
    """The folder the file must resolve inside, links followed (the project); None: anywhere
    (`check` on a loose path)."""

    def outside(self) -> Path | None:
        """Where the file really is, when a link takes it outside `within`; else None."""
        if self.within is None:
            return None
        real = self.path.resolve()
        return None if real.is_relative_to(self.within.resolve()) else real

    @functools.cached_property
    def relative(self) -> str:
        """The path within the client's folder (asked for often: worked out once)."""
        if self.client_root is None:
            return self.path.name
        return self.path.relative_to(self.client_root).as_posix()


def is_candidate(path: Path) -> bool:
    """Worth reading: not hidden, not an Office lock file (`~$x.xlsx`), not a known non-export."""
    name = path.name
    if name.startswith((".", "~$")) or name == CLIENT_FILE:
        return False
    return path.suffix.lower() not in SKIP_SUFFIXES


def client_folders(clients_dir: Path) -> list[Path]:
    """One client per sub-folder, sorted by name; hidden folders are ignored."""
    if not clients_dir.is_dir():
        return []
    return sorted(p for p in clients_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def selected_clients(clients_dir: Path, client: str | None = None) -> list[Path]:
    """Every client folder, or only `client`'s: a UsageError naming the clients there are
    when it has none (what every command given `--client` says)."""
    folders = client_folders(clients_dir)
    if client is None:
        return folders
    chosen = [f for f in folders if f.name == client]
    if not chosen:
        names = ", ".join(f.name for f in folders) or "none"
        raise UsageError(f"no client folder {client!r} in {clients_dir}; clients: {names}")
    return chosen


def files_in(
    folder: Path, client_id: str | None = None, within: Path | None = None
) -> Iterator[SourceFile]:
    """Every candidate file below a client's folder, in a stable order; `within`: the folder
    they must resolve inside (a link out of it is listed, and refused when read)."""
    for path in sorted(folder.rglob("*")):
        if (
            path.is_file()
            and is_candidate(path)
            and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        ):
            yield SourceFile(path, client_id, folder, within)


def content_hash(path: Path) -> str:
    """SHA-256 of the bytes: the same export loaded twice is recognised as the same."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
