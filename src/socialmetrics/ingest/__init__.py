"""Ingest: client folders in, warehouse rows out.

`inspect` (one file -> FileResult, shared with `check`), `passes` (cross-file: superseded rows,
layout changes), `tables` (Arrow shapes), `load` (one transaction per client), `history`
(drift history from the warehouse), `run` (the whole run), `results` (JSON contracts).
"""

from socialmetrics.ingest.results import FileOutcome, FileResult, IngestSummary
from socialmetrics.ingest.run import ingest

__all__ = ["FileOutcome", "FileResult", "IngestSummary", "ingest"]
