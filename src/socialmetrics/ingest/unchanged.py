"""Files already loaded cost nothing: decided from the ledger before a file is read.

A monthly run meets the whole history of every client folder, and nearly all of it is loaded
already. A file whose path, size and modification time are those the ledger recorded when it
was loaded is not opened at all; one whose size matches but whose time changed (copied,
touched, restored from a backup) is hashed, and is unchanged when its bytes are. Everything
else is read and inspected as usual. So a run costs the new month's files, not the history.
"""

from __future__ import annotations

import datetime as dt
import os

from socialmetrics.extract.discover import SourceFile, content_hash
from socialmetrics.ingest.results import FileResult

Loaded = dict[str, tuple[str, int | None, dt.datetime | None]]
"""path -> (content hash, size, modification time) of a client's loaded files (the ledger)."""


def modified_time(stat: os.stat_result) -> dt.datetime:
    """A file's modification time as the ledger stores it: naive UTC, in microseconds."""
    return dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).replace(tzinfo=None)


def already_loaded(source: SourceFile, loaded: Loaded) -> FileResult | None:
    """The result of a file known to be loaded with these very bytes, without reading it; None
    when it must be inspected (new, changed, failed before, or a link out of the project)."""
    known = loaded.get(source.relative)
    if known is None:
        return None
    digest, size, modified = known
    try:
        stat = source.path.stat()
        if stat.st_size != size or source.outside() is not None:
            return None
        mtime = modified_time(stat)
        if mtime != modified and content_hash(source.path) != digest:
            return None
    except OSError:
        return None  # inspection will say what is wrong with it
    return FileResult(
        source=source,
        status="ok",
        message="already loaded (same contents); nothing to do",
        content_hash=digest,
        size=stat.st_size,
        modified=mtime,
        already_loaded=True,
    )
