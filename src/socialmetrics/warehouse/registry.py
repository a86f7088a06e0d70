"""Warehouses by URL scheme: `duckdb:` and `postgresql:` built in, more through entry points.

A backend is a module with a `Warehouse` subclass; registering it under its URL schemes is all
socialmetrics needs. A plugin package adds one with an entry point in the group
`socialmetrics.warehouses` that names a `Backend` (a cloud warehouse is one module):

    [project.entry-points."socialmetrics.warehouses"]
    snowflake = "socialmetrics_snowflake:BACKEND"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from socialmetrics import plugins
from socialmetrics.errors import ConfigError

if TYPE_CHECKING:
    from socialmetrics.warehouse.base import Warehouse

ENTRY_POINT_GROUP = "socialmetrics.warehouses"


@dataclass(frozen=True)
class Backend:
    """How to open a warehouse of some URL schemes: `open(url, project_root)`."""

    name: str
    schemes: tuple[str, ...]
    open: Callable[[str, Path | None], Warehouse]
    example: str
    """A URL shown in error messages (`duckdb:///warehouse.duckdb`)."""


def _duckdb(url: str, project_root: Path | None) -> Warehouse:
    from socialmetrics.warehouse.duckdb import DuckDBWarehouse

    target = url.split(":", 1)[1].removeprefix("//")
    target, _, query = target.partition("?")
    read_only = query == READ_ONLY
    if target in ("", "/:memory:", ":memory:"):
        return DuckDBWarehouse(":memory:")
    path = Path(target.removeprefix("/")) if not target.startswith("//") else Path(target[1:])
    if not path.is_absolute() and project_root is not None:
        path = project_root / path
    return DuckDBWarehouse(str(path), read_only=read_only)


READ_ONLY = "access_mode=read_only"


def read_only_url(url: str) -> str:
    """The URL to open a warehouse only to read it: several processes may then read one
    DuckDB file at once (PostgreSQL needs no such thing)."""
    if url.split(":", 1)[0].lower() == "duckdb" and ":memory:" not in url and "?" not in url:
        return f"{url}?{READ_ONLY}"
    return url


def _postgres(url: str, project_root: Path | None) -> Warehouse:
    from socialmetrics.warehouse.postgres import PostgresWarehouse

    return PostgresWarehouse(url)


BUILTIN = (
    Backend("duckdb", ("duckdb",), _duckdb, "duckdb:///warehouse.duckdb"),
    Backend("postgres", ("postgresql", "postgres"), _postgres, "postgresql://user@host:5432/db"),
)
_registered: list[Backend] = []


def register(backend: Backend) -> None:
    """Add a backend (what an entry point does; tests and embedding applications may call it)."""
    _registered.append(backend)
    backends.cache_clear()


@cache
def backends() -> dict[str, Backend]:
    """Scheme -> backend: built-ins, then entry points, then `register` calls (later wins)."""
    found = [*BUILTIN, *plugins.load(ENTRY_POINT_GROUP, Backend), *_registered]
    return {scheme: b for b in found for scheme in b.schemes}


def connect(url: str, project_root: Path | None = None) -> Warehouse:
    """Open the warehouse a URL names: `duckdb:///file` (relative to the project),
    `duckdb://:memory:`, `postgresql://user@host/db`, or any registered scheme."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    backend = backends().get(scheme)
    if backend is None:
        examples = " or ".join(dict.fromkeys(b.example for b in backends().values()))
        raise ConfigError(f"warehouse URL {url!r} is not supported; use {examples}")
    return backend.open(url, project_root)
