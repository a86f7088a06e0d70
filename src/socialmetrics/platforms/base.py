"""What a platform is: the declaration each `platforms/<name>/__init__.py` exports as PLATFORM.

Everything the rest of the code needs to know about a platform and cannot read from its spec
files lives here, as data where it can be (names, report order, rate denominator, path tokens)
and as small named functions where it must be code (the few quirks of an export). Nothing else
in socialmetrics lists platforms: the registry finds the folders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

if TYPE_CHECKING:
    from socialmetrics.transform.canonical import CanonicalTable

RateDenominator = Literal["impressions", "reach", "video_views"]
FrameHook = Callable[[pl.DataFrame], pl.DataFrame]
"""A frame in canonical names in, the same frame with derived columns out."""
TableHook = Callable[["CanonicalTable"], None]
"""Changes a canonical table in place; named by a spec's `hook` key."""
DemoWrite = Callable[[Path, Any], int]
"""(month folder for this platform, the demo client-month) -> number of files written."""


@dataclass(frozen=True)
class DemoWriter:
    """How the demo agency writes this platform's exports, in the platform's real formats."""

    write: DemoWrite
    folder: str
    """Sub-folder of each demo month the files go to (`x`, `instagram`...)."""
    seed_key: str
    """Names the account's random stream: changing it changes every demo number."""
    level: tuple[float, float]
    """Range of the account's daily base level (impressions or views)."""
    weekend: float
    """Weekend activity relative to weekdays."""
    followers: tuple[int, int]
    """Range of the account's starting audience."""


@dataclass(frozen=True)
class Platform:
    """One platform: the declaration a platform folder exports as `PLATFORM`."""

    id: str
    names: Mapping[str, str]
    """Display name per report language (`en` required; others fall back to it)."""
    report_order: int
    """Position of the platform's section in reports (lower first)."""
    rate_denominator: RateDenominator
    """The engagement-rate denominator the platform uses itself (metrics.md)."""
    color: str = "#6e7781"
    """The platform's colour in cross-platform charts (its brand colour, readable on white)."""
    daily_reach: Literal["sum", "average"] = "sum"
    """How a month's report shows daily reach: `sum` (labelled "sum of daily reach", as Meta
    and LinkedIn users expect) or `average` (TikTok's viewers: never summed)."""
    path_tokens: tuple[str, ...] = ()
    """Words in a file or folder name that name this platform (to break Meta's ties)."""
    table_hooks: Mapping[str, TableHook] = field(default_factory=dict)
    """Hooks a spec of this platform may name with `hook = "..."`."""
    derive: FrameHook | None = None
    """Platform-specific derived metrics, run before the generic ones (engagements, rates)."""
    content_type: FrameHook | None = None
    """Content type for exports with no type column (e.g. from the text of an X post)."""
    demo: DemoWriter | None = None
    folder: Path | None = None
    """The platform's folder (set by the registry): specs/, README.md, demo.py."""

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


@dataclass(frozen=True)
class Family:
    """Layouts several platforms share (Meta's charts and audience: Instagram and Facebook).

    A family folder exports `FAMILY`; its specs say `platform = "<family id>"`, and which member
    a table belongs to is decided per table: the title, then the path, then the client's
    setting, then `default` with a warning.
    """

    id: str
    members: tuple[str, ...]
    default: str
    setting: str = ""
    """The client setting that names the member for this client (e.g. `meta_platform`)."""
    folder: Path | None = None


def all_videos(frame: pl.DataFrame) -> pl.DataFrame:
    """A content-type hook for video platforms (TikTok, YouTube): every post is a video."""
    return frame.with_columns(pl.lit("video").alias("content_type"))
