"""Top posts, content types, best times to post, audience, competitor benchmarks and daily
series, read from the marts (`warehouse/marts.py`) for one client and month."""

from __future__ import annotations

from typing import Any

from socialmetrics import months
from socialmetrics.warehouse import marts
from socialmetrics.warehouse.base import Warehouse

TOP_POST_COLUMNS = ("platform", *marts.TOP_POST_COLUMNS)


def _month(wh: Warehouse, mart: str, client_id: str, month: str, **kw: Any) -> list[dict[str, Any]]:
    first = months.start(month)
    return marts.read(wh, mart, client_id, first, first, **kw)


def top_posts(wh: Warehouse, client_id: str, month: str, limit: int = 5) -> list[dict[str, Any]]:
    """The month's best posts per platform by engagements (then impressions)."""
    return _month(wh, "top_posts", client_id, month, max_position=limit)


def content_types(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    """Posts, engagements and average engagement rate per platform and content type."""
    return _month(wh, "content_types", client_id, month)


def best_times(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    """Average engagements by weekday x hour over the month and the two before it."""
    return _month(wh, "best_times", client_id, month)


def audience(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    """The latest audience breakdowns known at the month's end."""
    return _month(wh, "audience_latest", client_id, month)


def competitors(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    """The latest competitor benchmark known at the month's end, biggest page first."""
    return _month(wh, "competitors_latest", client_id, month)


def daily_series(wh: Warehouse, client_id: str, month: str) -> list[dict[str, Any]]:
    """The month's days per platform, for the report's daily charts."""
    return marts.daily_series(wh, client_id, *months.bounds(month))
