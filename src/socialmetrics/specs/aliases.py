"""The project's own header aliases: mappings an analyst confirmed or refused (`aliases.toml`).

The file lives in the project folder and is meant to be versioned by the agency. Accepted
aliases are laid over the bundled specs, so next month's file with the same header is
recognised exactly; refused ones are never proposed again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from socialmetrics.errors import ConfigError
from socialmetrics.model import METRIC_BY_NAME
from socialmetrics.specs.registry import ColumnSpec, Registry, normalise_header

ALIAS_FILE = "aliases.toml"
HEADER = """\
# Header mappings confirmed or refused with `socialmetrics mapping accept|reject`.
# Version this file with the project: it teaches socialmetrics your clients' export layouts.
# status = "accepted": the header is read as the canonical column from now on.
# status = "rejected": the header is never mapped to that column (its values stay in `extra`).
# status = "extra":    an unknown column, acknowledged: its values stay in `extra`.
# status = "removed":  a column the platform stopped exporting, acknowledged.
"""
STATUSES = ("accepted", "rejected", "extra", "removed")


@dataclass(frozen=True)
class ProjectAlias:
    """One decision about a header of one spec."""

    spec: str
    header: str
    canonical: str
    status: str  # accepted | rejected
    decided: str = ""
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.spec, normalise_header(self.header))


def load_aliases(root: Path) -> list[ProjectAlias]:
    """Read `aliases.toml` (none is fine)."""
    path = root / ALIAS_FILE
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    out = []
    for i, entry in enumerate(data.get("alias", []), start=1):
        missing = {"spec", "header", "canonical", "status"} - set(entry)
        if missing:
            raise ConfigError(f"{path}: alias #{i} lacks {sorted(missing)}")
        if entry["status"] not in STATUSES:
            raise ConfigError(
                f"{path}: alias #{i} status {entry['status']!r} must be one of {STATUSES}"
            )
        out.append(ProjectAlias(**{k: str(v) for k, v in entry.items()}))
    return out


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def save_alias(root: Path, alias: ProjectAlias) -> Path:
    """Record a decision; a later decision about the same spec and header replaces it."""
    decided = alias.decided or dt.date.today().isoformat()
    alias = dataclasses.replace(alias, decided=decided)
    entries = [a for a in load_aliases(root) if a.key != alias.key] + [alias]
    entries.sort(key=lambda a: (a.spec, normalise_header(a.header)))
    lines = [HEADER]
    for a in entries:
        lines.append("[[alias]]")
        for name in ("spec", "header", "canonical", "status", "decided", "note"):
            value = getattr(a, name)
            if value:
                lines.append(f"{name} = {_quote(value)}")
        lines.append("")
    path = root / ALIAS_FILE
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def rejected_keys(aliases: list[ProjectAlias]) -> set[tuple[str, str, str]]:
    """(spec, normalised header, canonical) pairs an analyst refused."""
    return {
        (a.spec, normalise_header(a.header), a.canonical) for a in aliases if a.status == "rejected"
    }


def acknowledged(aliases: list[ProjectAlias]) -> dict[tuple[str, str], str]:
    """(spec, normalised header) -> "extra" or "removed": layout changes already confirmed."""
    return {a.key: a.status for a in aliases if a.status in ("extra", "removed")}


def overlay(registry: Registry, aliases: list[ProjectAlias]) -> Registry:
    """The bundled specs plus the accepted aliases (language `project`); a new canonical name
    becomes a new column of the spec (typed from the model when it names a known metric)."""
    accepted = [a for a in aliases if a.status == "accepted"]
    if not accepted:
        return registry
    specs = []
    for spec in registry:
        mine = [a for a in accepted if a.spec == spec.id]
        if not mine:
            specs.append(spec)
            continue
        columns = list(spec.columns)
        for a in mine:
            at = next((i for i, c in enumerate(columns) if c.canonical == a.canonical), None)
            if at is None:
                metric = METRIC_BY_NAME.get(a.canonical)
                ctype = (
                    metric.type
                    if metric and metric.type in ("count", "rate", "number")
                    else "number"
                )
                columns.append(ColumnSpec(a.canonical, ctype, {"project": (a.header,)}))
                continue
            col = columns[at]
            known = col.aliases.get("project", ())
            columns[at] = dataclasses.replace(
                col, aliases={**col.aliases, "project": (*known, a.header)}
            )
        specs.append(dataclasses.replace(spec, columns=tuple(columns)))
    return Registry(tuple(specs))
