"""Platform export specs: one TOML file per platform export kind, loaded into a registry.

Spec files live in each platform's folder (`platforms/<name>/specs/*.toml`). A spec declares
the layout versions seen in real files (their literal headers, and for charts and audience
blocks which shape of table each layout is), and for every column its canonical name, type,
unit, whether it is required, and its header aliases per language. The registry is built from
the platform folders, so a new layout is a data change; `tests/test_specs.py` runs over every
spec.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from socialmetrics.errors import SpecError
from socialmetrics.model import KINDS, Grain
from socialmetrics.specs.interned import reduce_interned

Style = Literal["table", "chart", "breakdown", "blocks"]
ColumnType = Literal[
    "id",
    "text",
    "url",
    "timestamp",
    "date",
    "date_yearless",
    "duration",
    "count",
    "rate",
    "number",
    "category",
    "period",
    "ignore",
]
COLUMN_TYPES = set(ColumnType.__args__)  # type: ignore[attr-defined]
LANGUAGES = ("en", "es", "pt", "it", "fr", "de")


@lru_cache(maxsize=1 << 16)  # bounded: the candidate header rows are data cells too
def normalise_header(text: str) -> str:
    """Compare headers the way a person would: case, accents, spacing and punctuation aside.

    >>> normalise_header("  Duración (segundos) ")
    'duracion segundos'
    """
    text = unicodedata.normalize("NFKD", text)
    # Combining accents go, and so do invisible format characters: the BOM, and the soft
    # hyphens YouTube puts inside German headers (`Auf\u00adru\u00adfe` is `Aufrufe`).
    text = "".join(
        ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    ).casefold()
    text = re.sub(r"[^\w%+]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class ColumnSpec:
    """How one exported column maps to the canonical model."""

    canonical: str
    type: ColumnType
    aliases: dict[str, tuple[str, ...]]
    required: bool = False
    unit: str = "auto"
    dash: str = "missing"
    note: str = ""
    timezone: str = ""
    """`UTC` when the platform exports this time in UTC: converted to the client's time zone."""
    relative_to: str = ""
    """For a `date_yearless` column: the canonical column of the same row it falls on or
    before (a video's post time, before the export day); else the file's days are taken as
    consecutive, anchored on the file (see transform.yearless)."""

    @property
    def all_aliases(self) -> tuple[str, ...]:
        return tuple(a for names in self.aliases.values() for a in names)


@dataclass(frozen=True)
class Layout:
    """A layout version as seen in real files: its literal header row."""

    version: str
    headers: tuple[str, ...]
    note: str = ""
    language: str = "en"
    value_column: str = ""
    """Charts: `primary` (a generic value header such as `Primary`) or `named` (the value
    column is named after the metric)."""
    shapes: tuple[str, ...] = ()
    """Audience blocks: the block shapes (matrix, wide, long, single) this layout writes."""


@dataclass(frozen=True)
class Series:
    """A chart metric (style `chart`), identified by the chart's title."""

    canonical: str
    titles: tuple[str, ...]
    unit: str = "count"


@dataclass(frozen=True)
class Dimension:
    """An audience breakdown (styles `breakdown`, `blocks`), identified by title or header."""

    name: str
    keywords: tuple[str, ...]
    audience: str = "followers"


@dataclass(frozen=True, eq=False)
class Spec:
    """One platform export kind, as declared in `specs/<id>.toml`."""

    id: str
    platform: str
    kind: Grain
    style: Style
    title: str
    columns: tuple[ColumnSpec, ...] = ()
    layouts: tuple[Layout, ...] = ()
    series: tuple[Series, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    value_headers: tuple[str, ...] = ()
    gender_headers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    platform_markers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sheets: tuple[str, ...] = ()
    descriptions_row: bool = False
    """The row under the header describes each column (legacy Facebook Insights): not data."""
    extra_headers: tuple[str, ...] = ()
    """Regular expressions of headers the spec knows and keeps in `extra` only (the thousands
    of rolling-window columns of a legacy Facebook Insights page export): not drift."""
    segments_in_columns: bool = False
    """An audience table laid out wide: one row per day, one column per segment (every
    column the spec keeps); the sheet's name says the breakdown (legacy Facebook Insights)."""
    only_in_sheets: bool = False
    """The layout is too plain to be told from others by its headers (LinkedIn creator
    `Date | Impressions | Engagements`): it is this export only in one of `sheets`."""
    audience: str = "followers"
    hook: str = ""
    notes: tuple[str, ...] = ()
    engagements: tuple[str, ...] = ()
    content_types: dict[str, str] = field(default_factory=dict)
    user_columns: bool = False
    """The user picks the columns (YouTube Studio's metric picker): any set of known headers,
    in any order and language, is a known layout; only unknown headers are drift."""
    summary_rows: tuple[str, ...] = ()
    """Labels of the export's own total rows (YouTube's first row `Total`): a check value
    reported in the notes, never a post, day or segment."""
    path: Path | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """By content: a spec arriving from another process is that process's own copy."""
        return reduce_interned(self)

    @property
    def alias_index(self) -> dict[str, ColumnSpec]:
        """Normalised alias -> column."""
        return _alias_index(self)

    def keeps(self, header: str) -> bool:
        """Whether a header is one the spec keeps in `extra` only."""
        return bool(header.strip()) and any(
            _extra_pattern(p).search(header.strip()) for p in self.extra_headers
        )

    def column(self, canonical: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.canonical == canonical), None)


@cache
def _extra_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def _alias_index(spec: Spec) -> dict[str, ColumnSpec]:
    """Explicit aliases first (a clash between two columns is a spec error); then each
    column's canonical name, where no explicit alias already claims it."""
    index: dict[str, ColumnSpec] = {}
    for col in spec.columns:
        for alias in col.all_aliases:
            key = normalise_header(alias)
            other = index.get(key)
            if other is not None and other is not col:
                raise SpecError(
                    f"spec {spec.id!r}: header {alias!r} is an alias of both "
                    f"{other.canonical!r} and {col.canonical!r}"
                )
            index[key] = col
    for col in spec.columns:
        index.setdefault(normalise_header(col.canonical), col)
    return index


def _tuple(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise SpecError(f"{where}: expected a string or a list of strings, got {value!r}")


def _patterns(value: Any, where: str) -> tuple[str, ...]:
    patterns = _tuple(value, where)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SpecError(f"{where}: extra_headers {pattern!r} is not a regex ({exc})") from exc
    return patterns


def _column(spec_id: str, canonical: str, body: dict[str, Any]) -> ColumnSpec:
    where = f"spec {spec_id!r}, column {canonical!r}"
    ctype = body.get("type", "count")
    if ctype not in COLUMN_TYPES:
        raise SpecError(f"{where}: unknown type {ctype!r}; use one of {sorted(COLUMN_TYPES)}")
    unknown = set(body) - {
        *("type", "required", "unit", "dash", "note", "timezone", "relative_to"),
        *LANGUAGES,
    }
    if unknown:
        raise SpecError(f"{where}: unknown keys {sorted(unknown)}")
    aliases = {lang: _tuple(body.get(lang), where) for lang in LANGUAGES if lang in body}
    return ColumnSpec(
        canonical=canonical,
        type=ctype,
        aliases=aliases,
        required=bool(body.get("required", False)),
        unit=str(body.get("unit", "auto")),
        dash=str(body.get("dash", "missing")),
        note=str(body.get("note", "")),
        timezone=str(body.get("timezone", "")),
        relative_to=str(body.get("relative_to", "")),
    )


SPEC_KEYS = {
    "id",
    "platform",
    "kind",
    "style",
    "title",
    "columns",
    "layouts",
    "series",
    "dimensions",
    "value_headers",
    "gender_headers",
    "platform_markers",
    "sheets",
    "only_in_sheets",
    "descriptions_row",
    "segments_in_columns",
    "extra_headers",
    "audience",
    "hook",
    "notes",
    "engagements",
    "content_types",
    "summary_rows",
    "user_columns",
}
CONTENT_TYPES = {
    "image",
    "video",
    "reel",
    "carousel",
    "story",
    "text",
    "link",
    "article",
    "document",
    "poll",
    "event",
    "other",
}


def _check_platform(where: str, platform_id: str, hook: str) -> None:
    """The spec's platform (or family) must be registered, and its hook one the platform has."""
    from socialmetrics.platforms import registry

    family = registry.family(platform_id)
    if family is None and platform_id not in registry.platform_ids():
        known = [*registry.platform_ids(), *(f.id for f in registry.families())]
        raise SpecError(f"{where}: platform {platform_id!r} is not one of {known}")
    if hook:
        hooks = {} if family else registry.get(platform_id).table_hooks
        if hook not in hooks:
            raise SpecError(
                f"{where}: hook {hook!r} is not declared by platform {platform_id!r} "
                f"(table_hooks: {sorted(hooks)})"
            )


def parse_spec(data: dict[str, Any], path: Path | None = None, spec_id: str = "") -> Spec:
    """Build a Spec from parsed TOML, checking every key so typos fail loudly."""
    sid = str(data.get("id") or spec_id)
    where = f"spec {sid!r}"
    unknown = set(data) - SPEC_KEYS
    if unknown:
        raise SpecError(f"{where}: unknown keys {sorted(unknown)}; known: {sorted(SPEC_KEYS)}")
    for label, kind in data.get("content_types", {}).items():
        if kind not in CONTENT_TYPES:
            known = sorted(CONTENT_TYPES)
            raise SpecError(f"{where}: content type {kind!r} for {label!r} is not one of {known}")
    for key in ("platform", "kind", "style", "title"):
        if key not in data:
            raise SpecError(f"{where}: missing key {key!r}")
    if data["kind"] not in KINDS:
        raise SpecError(f"{where}: kind {data['kind']!r} is not one of {KINDS}")
    _check_platform(where, data["platform"], str(data.get("hook", "")))
    columns = tuple(_column(sid, name, body) for name, body in data.get("columns", {}).items())
    layouts = tuple(
        Layout(
            version=str(lay["version"]),
            headers=_tuple(lay["headers"], f"{where} layout"),
            note=str(lay.get("note", "")),
            language=str(lay.get("language", "en")),
            value_column=str(lay.get("value_column", "")),
            shapes=_tuple(lay.get("shapes"), f"{where} layout"),
        )
        for lay in data.get("layouts", [])
    )
    series = tuple(
        Series(
            canonical=name,
            titles=tuple(t for lang in LANGUAGES for t in _tuple(body.get(lang), where)),
            unit=str(body.get("unit", "count")),
        )
        for name, body in data.get("series", {}).items()
    )
    dimensions = tuple(
        Dimension(
            name=name,
            keywords=tuple(
                normalise_header(k) for lang in LANGUAGES for k in _tuple(body.get(lang), where)
            ),
            audience=str(body.get("audience", data.get("audience", "followers"))),
        )
        for name, body in data.get("dimensions", {}).items()
    )
    if data["kind"] == "audience" and data["style"] == "table":
        columns = tuple(_segment_named_by_dimensions(c, data) for c in columns)
    return Spec(
        id=sid,
        platform=data["platform"],
        kind=data["kind"],
        style=data["style"],
        title=data["title"],
        columns=columns,
        layouts=layouts,
        series=series,
        dimensions=dimensions,
        value_headers=_tuple(data.get("value_headers"), where),
        gender_headers={
            g: tuple(normalise_header(v) for v in _tuple(vals, where))
            for g, vals in data.get("gender_headers", {}).items()
        },
        platform_markers={
            p: tuple(normalise_header(v) for v in _tuple(vals, where))
            for p, vals in data.get("platform_markers", {}).items()
        },
        sheets=_tuple(data.get("sheets"), where),
        only_in_sheets=bool(data.get("only_in_sheets", False)),
        descriptions_row=bool(data.get("descriptions_row", False)),
        segments_in_columns=bool(data.get("segments_in_columns", False)),
        extra_headers=_patterns(data.get("extra_headers"), where),
        audience=str(data.get("audience", "followers")),
        hook=str(data.get("hook", "")),
        notes=_tuple(data.get("notes"), where),
        engagements=_tuple(data.get("engagements"), where),
        content_types={
            normalise_header(label): _tuple(kind, f"{where} content_types")[0]
            for label, kind in data.get("content_types", {}).items()
        },
        user_columns=bool(data.get("user_columns", False)),
        summary_rows=tuple(
            normalise_header(label) for label in _tuple(data.get("summary_rows"), where)
        ),
        path=path,
    )


def _segment_named_by_dimensions(column: ColumnSpec, data: dict[str, Any]) -> ColumnSpec:
    """An audience table's `segment` column declared without names is headed by a dimension
    (YouTube: `Traffic source`, `Viewer age`...): its names are the dimensions' words, written
    once in `[dimensions]`."""
    if column.canonical != "segment" or column.aliases:
        return column
    aliases = {
        lang: tuple(w for body in data.get("dimensions", {}).values() for w in body.get(lang, ()))
        for lang in LANGUAGES
    }
    return replace(column, aliases={lang: words for lang, words in aliases.items() if words})


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: not valid TOML ({exc})") from exc


def _resolve_extends(data: dict[str, Any], raw: dict[str, dict[str, Any]], sid: str) -> None:
    """Inherit the columns of `extends`, minus `drop` and minus any column a child re-declares.

    A child column that claims one of a base column's headers replaces that base column, so a
    daily export can say that `follows` means new followers there.
    """
    base_id = data.pop("extends", None)
    drop = set(_tuple(data.pop("drop", None), f"spec {sid!r}"))
    if base_id is None:
        return
    if base_id not in raw:
        raise SpecError(f"spec {sid!r}: extends unknown spec {base_id!r}")
    base = dict(raw[base_id])
    _resolve_extends(base, raw, base_id)
    child_cols: dict[str, Any] = data.get("columns", {})
    claimed = {
        normalise_header(a)
        for body in child_cols.values()
        for lang in LANGUAGES
        for a in _tuple(body.get(lang), sid)
    }
    merged: dict[str, Any] = {}
    for name, body in base.get("columns", {}).items():
        aliases = {normalise_header(a) for lang in LANGUAGES for a in _tuple(body.get(lang), sid)}
        if name in drop or name in child_cols or aliases & claimed:
            continue
        merged[name] = body
    merged.update(child_cols)
    data["columns"] = merged


def load_specs(paths: list[Path]) -> tuple[Spec, ...]:
    """Parse spec files, resolving `extends` between them; ids must equal file names."""
    raw = {p.stem: _read_toml(p) for p in paths}
    specs = []
    for path in paths:
        data = dict(raw[path.stem])
        if data.get("id", path.stem) != path.stem:
            raise SpecError(f"{path}: id {data.get('id')!r} must equal the file name {path.stem!r}")
        _resolve_extends(data, raw, path.stem)
        spec = parse_spec(data, path, path.stem)
        _alias_index(spec)
        specs.append(spec)
    return tuple(specs)


@dataclass(frozen=True)
class Registry:
    """All specs, in a stable order (file name)."""

    specs: tuple[Spec, ...]

    def by_id(self, spec_id: str) -> Spec:
        for spec in self.specs:
            if spec.id == spec_id:
                return spec
        raise KeyError(spec_id)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.specs)


def load_registry(folder: Path | None = None) -> Registry:
    """Load every `*.toml` of the folder (the bundled specs by default)."""
    if folder is None:
        return default_registry()
    specs = load_specs(sorted(folder.glob("*.toml")))
    if not specs:
        raise SpecError(f"no spec files (*.toml) in {folder}")
    return Registry(specs)


@cache
def default_registry() -> Registry:
    """Every spec of every registered platform and family folder."""
    from socialmetrics.platforms import registry

    return Registry(load_specs(registry.spec_files()))
