"""Recognise what a raw table is — platform, export kind, layout version — from its contents.

Every spec is tried against every table; the header row is searched among the first rows, so a
description row above it does not matter. File names are never used to decide the export kind;
they (or the client's settings) only break the Instagram/Facebook tie of Meta charts whose title
names no platform. When nothing matches, the closest specs are returned with why they failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath
from typing import Any

from socialmetrics.extract.raw import RawTable
from socialmetrics.platforms import registry as platforms
from socialmetrics.platforms.base import Family
from socialmetrics.specs.registry import (
    ColumnSpec,
    Dimension,
    Registry,
    Series,
    Spec,
    normalise_header,
)

HEADER_SEARCH_ROWS = 5


@dataclass(frozen=True)
class Context:
    """What besides the contents may break a platform tie: the path and the client's setting."""

    path: PurePath = field(default_factory=PurePath)
    meta_platform: str | None = None
    """The client's setting for a family (`meta_platform`): which member an unlabelled Meta
    chart means."""


@dataclass
class ColumnMatch:
    """One column of the file and what it maps to (`canonical` None: unknown, kept in extra)."""

    index: int
    header: str
    canonical: str | None
    spec_column: ColumnSpec | None = None
    language: str | None = None
    """The alias language that matched; `project` for aliases.toml, `auto` when auto-mapped."""
    duplicate: bool = False
    currency: str | None = None
    """The ISO currency a money header names (`Estimated revenue (USD)` -> USD)."""
    kept: bool = False
    """The spec knows this column and keeps it in `extra` only (its `extra_headers`): not
    drift, and not counted against the fit."""


CURRENCY_HEADER = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Z]{3})\)\s*$")
"""A money column's header ends with its currency code in parentheses."""


def _lookup(index: dict[str, ColumnSpec], cell: str) -> tuple[ColumnSpec | None, str | None]:
    """The spec column a header names, and the currency it carries (a `unit = "currency"`
    column matches its name followed by any ISO code)."""
    if not cell.strip():
        return None, None
    col = index.get(normalise_header(cell))
    if col is not None:
        return col, None
    money = CURRENCY_HEADER.match(cell.strip())
    if money:
        col = index.get(normalise_header(money["name"]))
        if col is not None and col.unit == "currency":
            return col, money["code"]
    return None, None


@dataclass
class Candidate:
    """A spec that was tried, how close it came, and why it was not chosen."""

    spec_id: str
    score: float
    reason: str


@dataclass
class Recognition:
    """The verdict on one raw table."""

    table: RawTable
    spec: Spec | None = None
    platform: str | None = None
    platform_rule: str = ""
    layout: str | None = None
    layout_exact: bool = False
    header_row: int = 0
    columns: list[ColumnMatch] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    series: Series | None = None
    dimension: Dimension | None = None
    shape: str = ""
    score: float = 0.0
    language: str = "en"
    warnings: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    proposals: list[Any] = field(default_factory=list)
    format_cache: tuple[tuple[Any, ...], dict[str, str]] | None = field(default=None, repr=False)
    """The value signatures of the mapped columns (`validate.drift.column_formats`)."""
    """Drift proposals for unknown headers (see validate.drift)."""

    @property
    def recognised(self) -> bool:
        return self.spec is not None

    @property
    def kind(self) -> str | None:
        return self.spec.kind if self.spec else None

    @property
    def mapped(self) -> list[ColumnMatch]:
        return [c for c in self.columns if c.canonical is not None]

    @property
    def unknown(self) -> list[ColumnMatch]:
        return [c for c in self.columns if c.canonical is None and c.header.strip() and not c.kept]

    @property
    def first_data_row(self) -> int:
        """The header's next row, or the one after when it describes the columns (legacy
        Facebook Insights: `Lifetime: The total number of people who...`)."""
        skip = 1 if self.spec is not None and self.spec.descriptions_row else 0
        return self.header_row + 1 + skip

    @property
    def data_rows(self) -> list[list[str]]:
        return self.table.rows[self.first_data_row :]

    @property
    def data_row_numbers(self) -> list[int]:
        return self.table.row_numbers[self.first_data_row :]


class _Miss(Exception):
    """A spec does not fit a table; the message says why (shown for the closest candidates)."""

    def __init__(self, reason: str, score: float = 0.0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.score = score


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[^0-9a-z]+", text.lower()) if t}


def platform_from_path(path: PurePath, family: Family) -> tuple[str, str] | None:
    """The family member (Instagram or Facebook) named by the file name, else the nearest
    folder name, by the members' declared path tokens."""
    words = {m: set(platforms.get(m).path_tokens) for m in family.members}
    parts = [path.name, *(p.name for p in path.parents if p.name)][:4]
    for part in parts:
        tokens = _tokens(part)
        found = [p for p, names in words.items() if tokens & names]
        if len(found) == 1:
            return found[0], f"path: {part!r} names {found[0]}"
    return None


def _platform_from_text(spec: Spec, *texts: str | None) -> str | None:
    for text in texts:
        if not text:
            continue
        norm = f" {normalise_header(text).replace('_', ' ')} "
        hits = [
            p for p, marks in spec.platform_markers.items() if any(f" {m} " in norm for m in marks)
        ]
        if len(hits) == 1:
            return hits[0]
    return None


def decide_platform(spec: Spec, context: Context, *texts: str | None) -> tuple[str, str, str]:
    """(platform, rule, warning) for a spec; only a family's shared specs (Meta's) need deciding:
    the title, then the path, then the client's setting, then the family's default."""
    family = platforms.family(spec.platform)
    if family is None:
        return spec.platform, "content: spec", ""
    found = _platform_from_text(spec, *texts)
    if found:
        return found, "content: title names the platform", ""
    by_path = platform_from_path(context.path, family)
    if by_path:
        return by_path[0], by_path[1], ""
    if context.meta_platform in family.members:
        return context.meta_platform, f"client setting {family.setting}", ""
    names = [platforms.display_name(m, "en") for m in family.members]
    default = platforms.display_name(family.default, "en")
    return (
        family.default,
        f"default: assumed {family.default}",
        f"the contents do not say whether this is {' or '.join(names)}; assumed {default}. "
        f"Put it in a folder named {' or '.join(family.members)}, or set {family.setting} in "
        "client.toml",
    )


def _layout_where(spec: Spec, field_name: str, value: str) -> tuple[str | None, bool]:
    """The spec's layout that declares `value` for a shape field (charts, audience blocks)."""
    for layout in spec.layouts:
        declared = getattr(layout, field_name)
        if value == declared or (isinstance(declared, tuple) and value in declared):
            return layout.version, True
    return (spec.layouts[0].version if spec.layouts else None), False


# --------------------------------------------------------------------------------------------
# table style


PERIOD_CELL = re.compile(
    r"^\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s+-\s+\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s*$"
)
"""A header cell that is the export's period (`2/11/2025 - 3/17/2026`), not a column name."""
PERIOD_HEADER = "{period}"
"""How a layout writes that cell."""


def _header_key(cell: str) -> str:
    return normalise_header(PERIOD_HEADER if PERIOD_CELL.match(cell) else cell)


def map_header(spec: Spec, header: list[str]) -> list[ColumnMatch]:
    """Map header cells to the spec's columns; a second cell claiming a taken column is extra.
    A period-shaped cell is the spec's `period` column, whatever its dates."""
    index = spec.alias_index
    period = next((c for c in spec.columns if c.type == "period"), None)
    taken: set[str] = set()
    matches = []
    for i, cell in enumerate(header):
        col, currency = _lookup(index, cell)
        if col is None and period is not None and PERIOD_CELL.match(cell):
            col = period
        if col is None:
            matches.append(ColumnMatch(i, cell, None, kept=spec.keeps(cell)))
            continue
        if col.canonical in taken:
            matches.append(ColumnMatch(i, cell, None, duplicate=True))
            continue
        taken.add(col.canonical)
        named = CURRENCY_HEADER.sub(r"\g<name>", cell.strip()) if currency else cell
        lang = next(
            (
                lg
                for lg, names in col.aliases.items()
                if normalise_header(named) in {normalise_header(n) for n in names}
            ),
            None,
        )
        matches.append(ColumnMatch(i, cell, col.canonical, col, lang, currency=currency))
    return matches


def best_layout(spec: Spec, header: list[str]) -> tuple[str | None, bool]:
    """The layout version whose literal headers are closest (Jaccard) to this header."""
    index = spec.alias_index
    cells = {
        _header_key(h)
        for h in header
        if h.strip() and (normalise_header(h) in index or not spec.keeps(h))
    }
    best: tuple[float, str | None] = (-1.0, None)
    for layout in spec.layouts:
        known = {normalise_header(h) for h in layout.headers if h.strip()}
        score = len(cells & known) / max(1, len(cells | known))
        if score > best[0]:
            best = (score, layout.version)
    return best[1], best[0] == 1.0


def _first_alias(spec: Spec, canonical: str) -> str:
    col = spec.column(canonical)
    return col.all_aliases[0] if col is not None and col.all_aliases else canonical


def _try_table(spec: Spec, table: RawTable) -> Recognition:
    best: Recognition | None = None
    last_miss = _Miss("no header row found")
    for h in range(min(HEADER_SEARCH_ROWS, len(table.rows))):
        header = table.rows[h]
        nonempty = [c for c in header if c.strip()]
        if len(nonempty) < 2:
            continue
        matches = map_header(spec, header)
        mapped = {m.canonical for m in matches if m.canonical}
        score = len(mapped) / max(1, len(nonempty) - sum(1 for m in matches if m.kept))
        required = [c.canonical for c in spec.columns if c.required]
        lacking = [c for c in required if c not in mapped]
        if lacking:
            names = ", ".join(repr(_first_alias(spec, c)) for c in lacking)
            miss = _Miss(f"missing required column(s) {names}", score * 0.5)
            if miss.score >= last_miss.score:
                last_miss = miss
            continue
        if score < 0.3:
            last_miss = _Miss(f"only {len(mapped)} of {len(nonempty)} headers are known", score)
            continue
        dimension = _table_dimension(spec, matches, table.sheet)
        if spec.kind == "audience" and dimension is None:
            last_miss = _Miss("the first column names no dimension the spec knows", score * 0.5)
            continue
        if best is None or score > best.score:
            layout, exact = best_layout(spec, header)
            if spec.user_columns and len(mapped) == len(nonempty):
                exact = True  # a choice of known columns is a known layout
            langs = [m.language for m in matches if m.language]
            best = Recognition(
                table=table,
                spec=spec,
                header_row=h,
                columns=matches,
                missing=[
                    c.canonical
                    for c in spec.columns
                    if c.canonical not in mapped and c.type != "ignore"
                ],
                score=score + (0.05 if table.sheet in spec.sheets else 0.0),
                layout=layout,
                layout_exact=exact,
                language=max(set(langs), key=langs.count) if langs else "en",
                shape="table",
                dimension=dimension,
            )
    if best is None:
        raise last_miss
    return best


PER_ROW = Dimension("per_row", ())
"""An audience table whose rows each name their dimension (LinkedIn creator DEMOGRAPHICS:
`Job titles | Data Analyst | 0.06`): the spec's `[dimensions]` name them row by row."""


def _table_dimension(
    spec: Spec, matches: list[ColumnMatch], sheet: str | None = None
) -> Dimension | None:
    """An audience table's dimension: the one its segment column is headed by (YouTube's
    `Traffic source`), or the spec's only one (TikTok's follower activity)."""
    if spec.kind != "audience" or not spec.dimensions:
        return None
    if any(m.canonical == "dimension" for m in matches):
        return PER_ROW
    if spec.segments_in_columns:  # the sheet names the breakdown (legacy Facebook Insights)
        return _dimension_for(spec, sheet)
    segment = next((m for m in matches if m.canonical == "segment"), None)
    found = _dimension_for(spec, segment.header) if segment is not None else None
    if found is None and len(spec.dimensions) == 1:
        return spec.dimensions[0]
    return found


# --------------------------------------------------------------------------------------------
# chart style (Meta overview charts)


def _series_for(spec: Spec, text: str | None) -> Series | None:
    if not text:
        return None
    norm = normalise_header(text)
    for series in spec.series:
        if norm in {normalise_header(t) for t in series.titles}:
            return series
    return None


def _try_chart(spec: Spec, table: RawTable) -> Recognition:
    if not table.rows or len([c for c in table.rows[0] if c.strip()]) != 2:
        raise _Miss("a chart has a two-column header (date, value)")
    header = table.rows[0]
    date_col = spec.alias_index.get(normalise_header(header[0]))
    if date_col is None or date_col.canonical != "date":
        raise _Miss(f"first column {header[0]!r} is not a date header", 0.1)
    value_header = header[1]
    named = _series_for(spec, value_header)
    is_primary = normalise_header(value_header) in {normalise_header(v) for v in spec.value_headers}
    series = _series_for(spec, table.title) or named
    unknown = series is None and is_primary and bool(table.title)
    if unknown:
        series = _unknown_series(table)
    if series is None:
        title = table.title or value_header
        raise _Miss(f"chart title {title!r} is not a metric the spec knows", 0.4)
    rec = Recognition(
        table=table,
        spec=spec,
        header_row=0,
        columns=[
            ColumnMatch(0, header[0], "date", date_col),
            ColumnMatch(1, value_header, series.canonical),
        ],
        series=series,
        # A title naming the metric is the surest sign of a chart: it beats a bare table of
        # the same two columns (YouTube's `Date,Views`); an unknown title, the weakest.
        score=0.6 if unknown else 1.1 if _series_for(spec, table.title) else 0.9,
        layout=_layout_where(spec, "value_column", "primary" if is_primary else "named")[0],
        layout_exact=not unknown,
        shape="chart",
    )
    if unknown:
        rec.warnings.append(
            f"chart title {table.title!r} is not one the spec knows: read by its layout, values "
            f"kept as {series.canonical}; add the title to the spec's series to map it"
        )
    elif named is not None and named.canonical != series.canonical:
        rec.warnings.append(
            f"value column {value_header!r} disagrees with the title {table.title!r}; "
            f"the title wins ({series.canonical})"
        )
    elif not is_primary and named is None:
        rec.warnings.append(f"unexpected value column {value_header!r}; read as {series.canonical}")
        rec.layout_exact = False
    return rec


UNKNOWN_CHART_PREFIX = "chart_"
"""The metric name an unknown chart's values are kept under: `chart_` + its title."""


def _unknown_series(table: RawTable) -> Series:
    """A chart in a known layout (`Date,Primary` under a title) whose title the spec does not
    know: the platform renamed or added a chart. It is still this export: its values are kept
    under `chart_<title>` and the change is reported as drift, never "unrecognised"."""
    assert table.title is not None
    slug = "_".join(normalise_header(table.title).split()) or "untitled"
    return Series(canonical=f"{UNKNOWN_CHART_PREFIX}{slug}", titles=(table.title,))


# --------------------------------------------------------------------------------------------
# breakdown style (LinkedIn demographic sheets) and blocks style (Meta audience)


def _dimension_for(spec: Spec, *texts: str | None) -> Dimension | None:
    for text in texts:
        if not text:
            continue
        norm = f" {normalise_header(text)} "
        for dim in spec.dimensions:
            if any(f" {k} " in norm for k in dim.keywords):
                return dim
    return None


def _try_breakdown(spec: Spec, table: RawTable) -> Recognition:
    if not table.rows:
        raise _Miss("empty")
    header = table.rows[0]
    if len([c for c in header if c.strip()]) != 2:
        raise _Miss("a demographic sheet has two columns (dimension, total)")
    dim = _dimension_for(spec, header[0]) or _dimension_for(spec, table.sheet)
    value = spec.alias_index.get(normalise_header(header[1]))
    if value is None:
        raise _Miss(f"value column {header[1]!r} is not a known total", 0.3)
    if dim is None:
        raise _Miss(f"dimension {header[0]!r} is not known", 0.4)
    return Recognition(
        table=table,
        spec=spec,
        header_row=0,
        columns=[
            ColumnMatch(0, header[0], "segment"),
            ColumnMatch(1, header[1], value.canonical, value),
        ],
        dimension=dim,
        score=0.9,
        layout=best_layout(spec, header)[0],
        layout_exact=True,
        shape="long",
    )


def _block_shape(spec: Spec, table: RawTable) -> str:
    rows = table.rows
    genders = {g for names in spec.gender_headers.values() for g in names}
    header = [normalise_header(c) for c in rows[0]]
    if len(header) >= 2 and all(h in genders for h in header[1:] if h):
        return "matrix"
    if len(rows) == 2 and len(rows[0]) == len(rows[1]) and len(rows[0]) >= 1:
        return "single" if len(rows[0]) == 1 else "wide"
    values = {normalise_header(v) for v in spec.value_headers}
    if len(rows[0]) == 2 and header[1] in values:
        return "long"
    raise _Miss("block is neither an age x gender table nor a list of values", 0.2)


def _try_blocks(spec: Spec, table: RawTable) -> Recognition:
    if not table.rows or table.title is None:
        raise _Miss("an audience block starts with a title row")
    dim = _dimension_for(spec, table.title)
    if dim is None:
        raise _Miss(f"block title {table.title!r} is not a known breakdown", 0.2)
    shape = _block_shape(spec, table)
    if dim.name == "age_gender" and shape != "matrix":
        raise _Miss(f"block {table.title!r} should be an age x gender table", 0.4)
    return Recognition(
        table=table,
        spec=spec,
        header_row=0,
        dimension=dim,
        score=0.85,
        shape=shape,
        layout=_layout_where(spec, "shapes", "single" if dim.name == "total" else shape)[0],
        layout_exact=True,
    )


STYLES = {
    "table": _try_table,
    "chart": _try_chart,
    "breakdown": _try_breakdown,
    "blocks": _try_blocks,
}


@cache
def _required_keys(spec: Spec) -> tuple[tuple[frozenset[str], bool], ...]:
    """Per required column of a table spec: its normalised aliases, and whether a
    period-shaped cell also names it."""
    return tuple(
        (frozenset(normalise_header(a) for a in c.all_aliases), c.type == "period")
        for c in spec.columns
        if c.required
    )


def _header_keys(table: RawTable) -> list[tuple[set[str], bool]]:
    """Per row where a header may be: the normalised cells (money headers also without their
    currency), and whether a cell is period-shaped. Computed once for all specs."""
    rows = []
    for header in table.rows[:HEADER_SEARCH_ROWS]:
        keys: set[str] = set()
        period = False
        for cell in header:
            if not cell.strip():
                continue
            keys.add(normalise_header(cell))
            money = CURRENCY_HEADER.match(cell.strip())
            if money:
                keys.add(normalise_header(money["name"]))
            period = period or bool(PERIOD_CELL.match(cell))
        rows.append((keys, period))
    return rows


def _may_fit(spec: Spec, header_keys: list[tuple[set[str], bool]]) -> bool:
    """False when no row of the table names every required column of a table spec: such a
    spec cannot fit, and is not tried unless nothing fits (to report the closest misses)."""
    if spec.style != "table":
        return True
    required = _required_keys(spec)
    return any(
        all(
            not aliases.isdisjoint(keys) or (is_period and period)
            for aliases, is_period in required
        )
        for keys, period in header_keys
    )


def recognise_table(table: RawTable, registry: Registry, context: Context) -> Recognition:
    """Try every spec; keep the best fit, or the closest misses when nothing fits.

    Table specs whose required columns no header row names are tried only when nothing fits:
    they cannot fit, and trying each costs more than the whole rest of reading a small file.
    """
    fits: list[Recognition] = []
    misses: list[tuple[int, Candidate]] = []
    header_keys = _header_keys(table)
    later: list[tuple[int, Spec]] = []
    for order, spec in enumerate(registry):
        if spec.only_in_sheets and table.sheet not in spec.sheets:
            continue
        if not _may_fit(spec, header_keys):
            later.append((order, spec))
            continue
        try:
            fits.append(STYLES[spec.style](spec, table))
        except _Miss as miss:
            misses.append((order, Candidate(spec.id, miss.score, miss.reason)))
    if not fits:
        for order, spec in later:
            try:
                fits.append(STYLES[spec.style](spec, table))
            except _Miss as miss:
                misses.append((order, Candidate(spec.id, miss.score, miss.reason)))
    if not fits:
        misses.sort(key=lambda m: (-m[1].score, m[0]))  # ties: in the registry's order
        return Recognition(table=table, candidates=[c for _, c in misses[:3]])
    fits.sort(key=lambda r: -r.score)
    best = fits[0]
    assert best.spec is not None
    platform, rule, warning = decide_platform(best.spec, context, table.title, table.sheet)
    best.platform, best.platform_rule = platform, rule
    if warning:
        best.warnings.append(warning)
    best.candidates = [Candidate(r.spec.id, r.score, "fits less well") for r in fits[1:3] if r.spec]
    return best
