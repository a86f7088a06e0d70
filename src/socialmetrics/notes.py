"""The analyst's notes on a client's calendar (campaign launched, budget changed...), kept in
`notes.toml` in the client's folder and shown in the report on the charts' dates.

    [[note]]
    date = 2026-11-12
    text = "Black Friday campaign launched"
    platform = "<platform id>"   # optional: without it the note belongs to every platform

The file is the analyst's own: `socialmetrics note add` only appends to it (comments and order
stay as written), and a note that cannot be read is an error naming the file and the note.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from socialmetrics.config import read_toml
from socialmetrics.errors import ConfigError
from socialmetrics.platforms import registry

NOTES_FILE = "notes.toml"


@dataclass(frozen=True)
class Note:
    day: dt.date
    text: str
    platform: str | None = None

    def shown_on(self, platform: str | None) -> bool:
        """Whether the note belongs on this platform's charts (None: the overview)."""
        return self.platform is None or platform is None or self.platform == platform


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def read_notes(folder: Path) -> list[Note]:
    """Every note of the client, in date order (none when there is no notes.toml)."""
    path = folder / NOTES_FILE
    if not path.is_file():
        return []
    data = read_toml(path)
    raw = data.get("note", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: notes are [[note]] tables with a date and a text")
    notes, problems = [], []
    for n, item in enumerate(raw, start=1):
        day = _day(item.get("date")) if isinstance(item, dict) else None
        text = item.get("text") if isinstance(item, dict) else None
        platform = item.get("platform") if isinstance(item, dict) else None
        if day is None:
            given = item.get("date") if isinstance(item, dict) else item
            problems.append(f"note {n}: date {given!r} must be YYYY-MM-DD")
        elif not isinstance(text, str) or not text.strip():
            problems.append(f"note {n} ({day}): text is missing")
        elif platform is not None and platform not in registry.platform_ids():
            known = ", ".join(registry.platform_ids())
            problems.append(f"note {n} ({day}): platform {platform!r} is not one of {known}")
        else:
            notes.append(Note(day, text.strip(), platform))
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    return sorted(notes, key=lambda note: note.day)


def notes_of_month(folder: Path, first: dt.date, last: dt.date) -> list[Note]:
    return [n for n in read_notes(folder) if first <= n.day <= last]


def add_note(folder: Path, day: dt.date, text: str, platform: str | None = None) -> Path:
    """Append a note to the client's notes.toml (created if missing); returns the file.

    Strings are written as JSON strings, which are valid TOML basic strings (quotes,
    backslashes and control characters escaped)."""
    if not text.strip():
        raise ConfigError("a note needs a text")
    path = folder / NOTES_FILE
    read_notes(folder)  # a broken file is said before anything is added to it
    lines = ["", "[[note]]", f"date = {day.isoformat()}"]
    lines.append(f"text = {json.dumps(text.strip(), ensure_ascii=False)}")
    if platform:
        lines.append(f"platform = {json.dumps(platform, ensure_ascii=False)}")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path
