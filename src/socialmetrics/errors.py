"""One exception hierarchy; the CLI turns each into a one-line message and an exit code.

Messages name the file (sheet, row, column) and the bad value with `!r`, and say what to do.
"""

from __future__ import annotations

from pathlib import Path


class SocialMetricsError(Exception):
    """Base class: anything socialmetrics raises on purpose."""

    exit_code = 1


class ConfigError(SocialMetricsError):
    """The project or a client is configured wrongly; the run cannot start (exit 2)."""

    exit_code = 2


class UsageError(SocialMetricsError):
    """The command was called with arguments that cannot work (exit 2)."""

    exit_code = 2


class SpecError(SocialMetricsError):
    """A platform spec file is malformed: a packaging or contribution mistake."""

    exit_code = 2


class FileReadError(SocialMetricsError):
    """A file could not be read at all (corrupt, not a spreadsheet, unknown encoding)."""

    def __init__(self, path: Path | str, reason: str, hint: str = "") -> None:
        self.path = Path(path)
        self.reason = reason
        self.hint = hint
        text = f"{self.path}: {reason}"
        if hint:
            text += f". {hint}"
        super().__init__(text)

    def __reduce__(self) -> tuple[type[FileReadError], tuple[Path, str, str]]:
        """Picklable with its parts: it travels back from the reading worker process."""
        return (type(self), (self.path, self.reason, self.hint))


class WarehouseError(SocialMetricsError):
    """The warehouse could not be reached or written; nothing of the failed client was kept."""

    exit_code = 1


class RunInProgress(SocialMetricsError):
    """Another live process holds the project's lock (a monthly run, an ingest)."""

    exit_code = 1


class PdfUnavailable(SocialMetricsError):
    """WeasyPrint cannot load Pango: the PDF cannot be made on this machine."""

    exit_code = 2


class PluginError(SocialMetricsError):
    """A plugin (platform, warehouse or report format entry point) is malformed."""

    exit_code = 2


class OutputError(SocialMetricsError):
    """A report or another output file could not be written (full disk, no permission)."""

    exit_code = 1
