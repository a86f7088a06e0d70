"""What an analyst does with layout changes: list them, and confirm or refuse mappings.

Confirming writes the project's `aliases.toml` (so next month's file maps exactly) and marks the
recorded changes confirmed. When a decision changes how already-loaded files should be read (an
unknown column now mapped, or an auto-mapping refused), those files are forgotten by the
warehouse so the next `ingest` reads them again: nothing is lost, nothing stays mis-mapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from socialmetrics.config import Project
from socialmetrics.errors import SpecError, UsageError
from socialmetrics.specs.aliases import ProjectAlias, load_aliases, overlay, save_alias
from socialmetrics.specs.registry import default_registry, normalise_header
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import Warehouse, connect

CHANGE_COLUMNS = ledger.CHANGE_COLUMNS


def list_changes(
    project: Project,
    *,
    client: str | None = None,
    month: str | None = None,
    pending_only: bool = False,
    warehouse: Warehouse | None = None,
) -> list[dict[str, Any]]:
    """Layout changes recorded by ingest, oldest month first."""
    wh = warehouse or connect(project.warehouse_url, project.root)
    try:
        wh.ensure_schema()
        return ledger.layout_changes(wh, client=client, month=month, pending_only=pending_only)
    finally:
        if warehouse is None:
            wh.close()


@dataclass
class Decision:
    """The outcome of `mapping accept|reject`."""

    alias: ProjectAlias
    changes_updated: int = 0
    files_to_reread: list[str] = field(default_factory=list)
    alias_file: str = ""


def decide(
    project: Project,
    header: str,
    canonical: str | None,
    *,
    accept: bool,
    spec: str | None = None,
    warehouse: Warehouse | None = None,
) -> Decision:
    """Confirm (`accept`) or refuse a mapping of `header` to `canonical` for a spec.

    - a renamed or unknown header: accept maps it to `canonical` (default: the proposal);
      reject refuses that mapping (or, without a proposal, keeps the column in `extra`);
    - a removed header: accept acknowledges the removal.

    Without `spec` or `canonical`, they are taken from the changes recorded for that header;
    an ambiguous call is refused with the candidates listed.
    """
    wh = warehouse or connect(project.warehouse_url, project.root)
    try:
        wh.ensure_schema()
        rows = ledger.changes_of_header(wh, header)
        if spec is not None:
            rows = [r for r in rows if r[0] == spec]
        specs = sorted({r[0] for r in rows})
        if spec is None:
            if len(specs) != 1:
                where = f"in specs {', '.join(specs)}" if specs else "in any recorded change"
                raise UsageError(
                    f"header {header!r} was seen {where}; name the spec with --spec"
                    + ("" if specs else " (see `socialmetrics drift`)")
                )
            spec = specs[0]
        registry = default_registry()
        if spec not in {s.id for s in registry}:
            raise UsageError(f"unknown spec {spec!r}; see docs/platforms.md")
        mine = [r for r in rows if r[0] == spec]
        removed = [r for r in mine if r[3] == "removed"]
        seen_new = [r for r in mine if r[6] == header]
        if removed and not seen_new:
            if not accept:
                raise UsageError(
                    f"{header!r} is a column the platform stopped exporting: it cannot be "
                    "refused; `mapping accept` acknowledges the removal"
                )
            alias = ProjectAlias(spec, header, str(removed[0][1]), "removed")
            return _record(wh, project, alias, removed, [], removed=True)
        if canonical is None:
            proposed = sorted({r[1] for r in seen_new if r[1]} | _guessed(wh, spec, header))
            if not accept and not proposed:
                alias = ProjectAlias(spec, header, "extra", "extra")
                return _record(wh, project, alias, seen_new, [])
            if len(proposed) != 1:
                raise UsageError(
                    f"say which column {header!r} is: socialmetrics mapping "
                    f"{'accept' if accept else 'reject'} {header!r} <canonical_name>"
                    + (f" (proposed: {', '.join(proposed)})" if proposed else "")
                )
            canonical = proposed[0]
        if not re.fullmatch(r"[a-z][a-z0-9_]*", canonical):
            raise UsageError(f"canonical name {canonical!r} must be snake_case, e.g. link_clicks")
        alias = ProjectAlias(spec, header, canonical, "accepted" if accept else "rejected")
        if accept:
            try:  # the header must not already mean another column of the spec
                _ = overlay(registry, [*load_aliases(project.root), alias]).by_id(spec).alias_index
            except SpecError as exc:
                raise UsageError(str(exc)) from exc
        auto = [r for r in seen_new if r[1] == canonical]  # loaded under the canonical already
        unknown = [r for r in seen_new if r[1] is None]  # loaded into extra
        return _record(wh, project, alias, seen_new, unknown if accept else auto)
    finally:
        if warehouse is None:
            wh.close()


def _record(
    wh: Warehouse,
    project: Project,
    alias: ProjectAlias,
    rows: list[tuple[Any, ...]],
    reread: list[tuple[Any, ...]],
    *,
    removed: bool = False,
) -> Decision:
    """Write the decision to aliases.toml and the ledger; forget files to be read again."""
    decision = Decision(alias=alias, changes_updated=len(rows))
    decision.alias_file = str(save_alias(project.root, alias))
    status = "rejected" if alias.status == "rejected" else "confirmed"
    with wh.transaction():
        ledger.decide_changes(wh, status, alias.spec, alias.header, removed=removed)
        for row in reread:
            ledger.forget_file(wh, row[4])  # the next ingest reads it again
            decision.files_to_reread.append(row[5])
    return decision


def _guessed(wh: Warehouse, spec: str, header: str) -> set[str]:
    """Canonical names proposed in the recorded details ("maybe saves (confidence ...)")."""
    details = ledger.change_details(wh, spec, header)
    return {m.group(1) for detail in details for m in [re.search(r"maybe (\w+) \(", detail)] if m}


def list_mappings(project: Project) -> list[dict[str, str]]:
    """The project's confirmed and refused mappings (aliases.toml)."""
    return [
        {
            "spec": a.spec,
            "header": a.header,
            "canonical": a.canonical,
            "status": a.status,
            "decided": a.decided,
            "normalised": normalise_header(a.header),
        }
        for a in load_aliases(project.root)
    ]
