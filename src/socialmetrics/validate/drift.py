"""Export-format drift: propose mappings for unknown headers, and say what changed since the
last accepted layout.

Two steps, around parsing:

1. `propose_and_map` (before parsing): each header no spec column claims is compared with the
   spec's columns this file lacks, by name (case, spacing, plural, similarity) AND by values
   (type, magnitude against the client's history, correlation where dates or posts overlap).
   A confident match is loaded under the canonical name, marked auto-mapped, and waits for an
   analyst's `mapping accept`; anything else stays in `extra` with its best proposal.
2. `compare` (after parsing): the table's layout against a reference — the previous accepted
   layout of the same client, platform and export, else the closest layout in the spec — as a
   list of classified changes: reordered, renamed, added, removed, unit/format/type changed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from socialmetrics.extract.recognise import UNKNOWN_CHART_PREFIX, ColumnMatch, Recognition
from socialmetrics.model.grains import GRAINS
from socialmetrics.specs.registry import ColumnSpec, Spec, normalise_header
from socialmetrics.transform import parse

AUTO_MAP_CONFIDENCE = 0.7
AUTO_MAP_NAME = 0.5
NUMERIC = {"count", "rate", "number"}
_NUMBER = re.compile(r"^[+-]?[\d.,\s\u00a0']*\d[\d.,\s\u00a0']*%?$")
_MISSING = set(parse.MISSING_TOKENS)

History = Callable[[str, str, str], dict[Any, float]]
"""(platform, kind, canonical) -> {date or post id: value} already in the warehouse."""


@dataclass
class Proposal:
    """A guess that an unknown header is a known canonical column, with its evidence."""

    header: str
    canonical: str
    confidence: float
    name_score: float
    value_score: float
    evidence: str
    applied: bool = False


@dataclass
class Change:
    """One difference between a table's layout and its reference."""

    change: str  # reordered, renamed, added, removed, unit_changed, format_changed, type_changed
    header_old: str | None
    header_new: str | None
    canonical: str | None
    detail: str
    status: str  # noted, confirmed, pending
    confidence: float | None = None
    reference: str = ""

    def describe(self) -> str:
        what = {
            "renamed": f"{self.header_old!r} -> {self.header_new!r}",
            "added": f"{self.header_new!r}",
            "removed": f"{self.header_old!r}",
            "reordered": "columns",
        }.get(self.change, f"{self.header_new or self.header_old!r}")
        return f"{self.change} {what}: {self.detail} [{self.status}]"


@dataclass
class LayoutSnapshot:
    """A table's layout as stored in the ledger: headers, mapping and value formats."""

    headers: list[str]
    mapping: dict[str, str]
    formats: dict[str, str] = field(default_factory=dict)
    source: str = ""
    exact_known: bool = False


# --------------------------------------------------------------------------------------------
# value signatures


def _non_missing(values: Sequence[str]) -> list[str]:
    return [v.strip() for v in values if v is not None and v.strip() not in _MISSING]


_LONGEST_DATE = 40
"""Longer than any date/time the known formats write (the longest, `%m/%d/%Y %I:%M:%S %p` or
an ISO time with microseconds and offset, is under 35 characters)."""


def signature(values: Sequence[str]) -> str:
    """How a column's values are written: `number`, `number%`, `date:<format>`, `text`, `empty`."""
    sample = _non_missing(values)[:200]
    if not sample:
        return "empty"
    numeric = sum(1 for v in sample if _NUMBER.match(v))
    if numeric >= 0.9 * len(sample):
        return "number%" if any(v.endswith("%") for v in sample) else "number"
    first = sample[0]
    if len(first) > _LONGEST_DATE or not any(ch.isdigit() for ch in first):
        return "text"  # no date format can match: a post's text need not try them all
    for fmt in (*parse.DATETIME_FORMATS, *parse.TZ_FORMATS, *parse.DATE_FORMATS):
        py = fmt.replace("%.f", ".%f")
        try:
            dt.datetime.strptime(first, py)
        except ValueError:
            continue
        return f"date:{fmt}"
    return "text"


def _numbers(values: Sequence[str]) -> list[float | None]:
    out: list[float | None] = []
    for v in values:
        text = (v or "").strip().rstrip("%").replace(",", "").replace(" ", "")
        try:
            out.append(float(text))
        except ValueError:
            out.append(None)
    return out


# --------------------------------------------------------------------------------------------
# proposals


def _singular(token: str) -> str:
    """A crude stem, enough for export headers: replies/reply, saves/saved/save, likes/liked."""
    if len(token) <= 3:
        return token
    if token.endswith("ies"):
        return token[:-3] + "y"
    if token.endswith("s") and not token.endswith("ss"):
        token = token[:-1]
    if token.endswith("ed"):
        token = token[:-1]
    return token


def _norm_tokens(text: str) -> list[str]:
    return [_singular(t) for t in normalise_header(text).replace("_", " ").split()]


def name_similarity(header: str, column: ColumnSpec) -> float:
    """0..1: how much a header reads like any of a column's names (case, spacing, plural,
    edits and shared words all count)."""
    mine = _norm_tokens(header)
    best = 0.0
    for alias in (column.canonical, *column.all_aliases):
        theirs = _norm_tokens(alias)
        if not theirs:
            continue
        if mine == theirs:
            return 1.0
        ratio = difflib.SequenceMatcher(None, " ".join(mine), " ".join(theirs)).ratio()
        jaccard = len(set(mine) & set(theirs)) / len(set(mine) | set(theirs))
        best = max(best, ratio, jaccard)
    return round(best, 3)


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 3:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return 1.0 if xs == ys else None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy)


def value_evidence(
    values: list[float | None], keys: list[Any], history: dict[Any, float]
) -> tuple[float, str]:
    """0..1 and a sentence: do these values behave like the metric's history?"""
    pairs = [
        (v, history[k]) for v, k in zip(values, keys, strict=True) if v is not None and k in history
    ]
    r = _pearson([p[0] for p in pairs], [p[1] for p in pairs])
    if r is not None:
        return max(0.0, r), f"correlation {r:.2f} over {len(pairs)} overlapping rows"
    present = [v for v in values if v is not None]
    if history and present:
        ours, theirs = statistics.median(present), statistics.median(history.values())
        if theirs == 0 and ours == 0:
            return 0.8, "same magnitude as its history (0)"
        ratio = (ours + 1) / (theirs + 1)
        if 1 / 3 <= ratio <= 3:
            return 0.8, f"median {ours:g} vs {theirs:g} in its history"
        return 0.1, f"median {ours:g} far from {theirs:g} in its history"
    return 0.5, "no history to compare the values with"


def propose_and_map(
    rec: Recognition,
    *,
    rejected: set[tuple[str, str, str]] | None = None,
    history: History | None = None,
) -> list[Proposal]:
    """Propose canonical columns for unknown headers; apply the confident ones to `rec`."""
    spec = rec.spec
    if spec is None or rec.shape != "table":
        return []
    rejected = rejected or set()
    unknown = [
        c
        for c in rec.columns
        if c.canonical is None and c.header.strip() and not c.duplicate and not c.kept
    ]
    taken = {c.canonical for c in rec.columns if c.canonical}
    candidates = [c for c in spec.columns if c.canonical not in taken and c.type != "ignore"]
    if not unknown or not candidates:
        return []
    rows = rec.data_rows
    entity = GRAINS[spec.kind].entity  # the day or the post the values belong to
    key_col = next((c for c in rec.columns if c.canonical == entity), None)
    keys: list[Any] = []
    if key_col is not None:
        raw_keys = [r[key_col.index] if key_col.index < len(r) else "" for r in rows]
        if key_col.canonical == "date":
            import polars as pl

            from socialmetrics.transform.parse import date, parse_series

            values, _ = parse_series(pl.Series("k", raw_keys), date("k"))
            keys = values.to_list()
        else:
            keys = [k.strip().removesuffix(".0") for k in raw_keys]
    proposals: list[Proposal] = []
    for match in unknown:
        column_values = [r[match.index] if match.index < len(r) else "" for r in rows]
        sig = signature(column_values)
        numbers = _numbers(column_values)
        for col in candidates:
            if (spec.id, normalise_header(match.header), col.canonical) in rejected:
                continue
            numeric_col = col.type in NUMERIC
            if numeric_col != sig.startswith("number") and sig != "empty":
                continue  # a number column cannot become text, nor the other way round
            name = name_similarity(match.header, col)
            value, evidence = 0.5, "no values"
            if numeric_col and key_col is not None and history is not None:
                past = history(rec.platform or "", spec.kind, col.canonical)
                value, evidence = value_evidence(numbers, keys, past)
            confidence = round(0.55 * name + 0.45 * value, 2)
            proposals.append(
                Proposal(match.header, col.canonical, confidence, name, value, evidence)
            )
    proposals.sort(key=lambda p: -p.confidence)
    used_headers: set[str] = set()
    used_columns: set[str] = set()
    best: list[Proposal] = []
    for p in proposals:
        if p.header in used_headers or p.canonical in used_columns:
            continue
        used_headers.add(p.header)
        used_columns.add(p.canonical)
        best.append(p)
        if p.confidence >= AUTO_MAP_CONFIDENCE and p.name_score >= AUTO_MAP_NAME:
            _apply(rec, spec, p)
    return best


def _apply(rec: Recognition, spec: Spec, proposal: Proposal) -> None:
    column = spec.column(proposal.canonical)
    for i, c in enumerate(rec.columns):
        if c.canonical is None and c.header == proposal.header:
            rec.columns[i] = ColumnMatch(c.index, c.header, proposal.canonical, column, "auto")
            break
    rec.missing = [m for m in rec.missing if m != proposal.canonical]
    proposal.applied = True


# --------------------------------------------------------------------------------------------
# comparison


def column_formats(rec: Recognition) -> dict[str, str]:
    """The value signature of each mapped column, computed once per mapping (where the file
    is inspected: a worker) and kept on the recognition for the comparison and the ledger."""
    key = tuple((c.canonical, c.index) for c in rec.columns if c.canonical)
    if rec.format_cache is None or rec.format_cache[0] != key:
        rows = rec.data_rows
        formats = {
            c.canonical: signature([r[c.index] if c.index < len(r) else "" for r in rows])
            for c in rec.columns
            if c.canonical
        }
        rec.format_cache = (key, formats)
    return dict(rec.format_cache[1])


def snapshot(rec: Recognition) -> LayoutSnapshot:
    """This table's layout, as the ledger stores it for next month's comparison."""
    header = rec.table.rows[rec.header_row] if rec.table.rows else []
    return LayoutSnapshot(
        headers=[h for h in header if h.strip()],
        mapping={c.header: c.canonical for c in rec.columns if c.canonical},
        formats=column_formats(rec),
        exact_known=rec.layout_exact,
    )


def spec_reference(rec: Recognition) -> LayoutSnapshot | None:
    """The closest layout version of the spec, when no earlier file of the client exists."""
    spec = rec.spec
    if spec is None or not rec.layout:
        return None
    layout = next((lay for lay in spec.layouts if lay.version == rec.layout), None)
    if layout is None:
        return None
    index = spec.alias_index
    mapping = {
        h: index[normalise_header(h)].canonical
        for h in layout.headers
        if normalise_header(h) in index
    }
    return LayoutSnapshot(list(layout.headers), mapping, {}, f"spec layout {layout.version}", True)


def _rename_detail(spec: Spec, old: str, new: str, match: ColumnMatch | None) -> tuple[str, str]:
    if match is not None and match.language == "auto":
        return (
            "auto-mapped by name and values; confirm with `socialmetrics mapping accept`",
            "pending",
        )
    if match is not None and match.language == "project":
        return "mapped by the project's aliases.toml", "confirmed"
    if normalise_header(old) == normalise_header(new):
        return "case, spacing or punctuation only", "noted"
    col = spec.alias_index.get(normalise_header(new))
    langs_old: set[str] = set()
    langs_new: set[str] = set()
    if col is not None:
        for lang, names in col.aliases.items():
            norm = {normalise_header(n) for n in names}
            if normalise_header(old) in norm:
                langs_old.add(lang)
            if normalise_header(new) in norm:
                langs_new.add(lang)
    if langs_old and langs_new and not langs_old & langs_new:
        pair = f"{'/'.join(sorted(langs_old))} -> {'/'.join(sorted(langs_new))}"
        return f"translation ({pair}), a known alias", "noted"
    return "known synonym in the spec", "noted"


def chart_changes(rec: Recognition) -> list[Change]:
    """A chart's only possible change: a title the spec does not know (its values kept)."""
    if rec.series is None or not rec.series.canonical.startswith(UNKNOWN_CHART_PREFIX):
        return []
    detail = f"unknown chart title, values kept as {rec.series.canonical}"
    return [Change("added", None, rec.table.title, rec.series.canonical, detail, "pending")]


def compare(
    rec: Recognition,
    reference: LayoutSnapshot | None,
    month: str = "",
    acknowledged: dict[tuple[str, str], str] | None = None,
) -> list[Change]:
    """Classify every difference between this table and its reference layout.

    `acknowledged` holds the project's decisions about unknown and removed columns
    (aliases.toml `extra` / `removed`): those changes are confirmed, not pending.
    """
    spec = rec.spec
    if spec is None or reference is None or rec.shape != "table":
        return []
    acknowledged = acknowledged or {}
    current = snapshot(rec)
    by_header = {c.header: c for c in rec.columns}
    changes: list[Change] = []
    old_by_canonical = {v: k for k, v in reference.mapping.items()}
    new_by_canonical = {v: k for k, v in current.mapping.items()}
    known_now = rec.layout_exact
    for canonical, new in new_by_canonical.items():
        old = old_by_canonical.get(canonical)
        match = by_header.get(new)
        if match is not None and match.spec_column and match.spec_column.type == "period":
            continue  # the export's dates in a header cell: a new period, not a rename
        if old is None:
            status = (
                "pending"
                if match is not None and match.language == "auto"
                else ("noted" if known_now else "pending")
            )
            changes.append(
                Change("added", None, new, canonical, f"new column read as {canonical}", status)
            )
        elif old != new:
            detail, status = _rename_detail(spec, old, new, match)
            changes.append(Change("renamed", old, new, canonical, detail, status))
    for canonical, old in old_by_canonical.items():
        if canonical not in new_by_canonical:
            since = f" from {month}" if month else ""
            status = "noted" if known_now else "pending"
            if acknowledged.get((spec.id, normalise_header(old))) == "removed":
                status = "confirmed"
            changes.append(
                Change(
                    "removed",
                    old,
                    None,
                    canonical,
                    f"no longer exported: {canonical} is NULL{since} (never 0)",
                    status,
                )
            )
    guesses = {p.header: p for p in rec.proposals if not p.applied}
    already = {normalise_header(h) for h in reference.headers}
    for c in rec.unknown:
        if normalise_header(c.header) in already:
            continue  # unknown last month too: not a change (still listed as unknown)
        detail = "unknown column, values kept in extra"
        guess = guesses.get(c.header)
        if guess is not None and guess.confidence > 0.3:
            detail += (
                f"; maybe {guess.canonical} (confidence {guess.confidence:.2f}: {guess.evidence})"
            )
        status = "pending"
        if acknowledged.get((spec.id, normalise_header(c.header))) == "extra":
            status, detail = "confirmed", "unknown column kept in extra, as aliases.toml says"
        changes.append(Change("added", None, c.header, None, detail, status))
    applied = {p.header: p for p in rec.proposals if p.applied}
    for change in changes:
        if change.header_new in applied and change.change in ("renamed", "added"):
            p = applied[change.header_new]
            change.confidence = p.confidence
            change.detail += f" (confidence {p.confidence:.2f}: {p.evidence})"
    common_old = [
        reference.mapping[h]
        for h in reference.headers
        if h in reference.mapping and reference.mapping[h] in new_by_canonical
    ]
    common_new = [
        current.mapping[h]
        for h in current.headers
        if h in current.mapping and current.mapping[h] in old_by_canonical
    ]
    if common_old != common_new:
        changes.append(
            Change("reordered", None, None, None, "same columns, another order", "noted")
        )
    for canonical, fmt in current.formats.items():
        before = reference.formats.get(canonical)
        if not before or before == fmt or "empty" in (before, fmt):
            continue
        header = new_by_canonical.get(canonical)
        if before.startswith("number") and fmt.startswith("number"):
            detail = "fraction -> percent" if fmt.endswith("%") else "percent -> fraction"
            changes.append(
                Change(
                    "unit_changed",
                    header,
                    header,
                    canonical,
                    f"{detail}; values normalised to fractions",
                    "noted",
                )
            )
        elif before.startswith("date:") and fmt.startswith("date:"):
            changes.append(
                Change(
                    "format_changed",
                    header,
                    header,
                    canonical,
                    f"dates {before[5:]} -> {fmt[5:]}; both parsed",
                    "noted",
                )
            )
        else:
            changes.append(
                Change(
                    "type_changed",
                    header,
                    header,
                    canonical,
                    f"values were {before}, now {fmt}",
                    "pending",
                )
            )
    if spec.user_columns:
        changes = [c for c in changes if not _a_users_choice(c)]
    return changes


def _a_users_choice(change: Change) -> bool:
    """Where the user picks the columns (YouTube Studio), a known column more or less, another
    order or another interface language is the user's choice that month, not the platform
    changing its export."""
    if change.change == "reordered":
        return True
    if change.change == "renamed" and change.detail.startswith("translation"):
        return change.status == "noted"
    return (
        change.change in ("added", "removed")
        and change.canonical is not None
        and (change.status == "noted")
    )
