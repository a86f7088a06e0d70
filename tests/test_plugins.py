"""Extension points used as a third-party package would: entry points that add a warehouse (by
URL scheme), a report format and a platform, with no change to socialmetrics itself."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

from socialmetrics import plugins as plugin_loader
from socialmetrics.config import load_project
from socialmetrics.errors import ConfigError, PluginError
from socialmetrics.ingest import ingest
from socialmetrics.ops.report import write_reports
from socialmetrics.platforms import registry as platforms
from socialmetrics.platforms.scaffold import new_platform
from socialmetrics.report import formats
from socialmetrics.warehouse import registry as warehouses
from socialmetrics.warehouse.base import Warehouse, connect
from socialmetrics.warehouse.duckdb import DuckDBWarehouse
from socialmetrics.warehouse.registry import Backend

FILES = Path(__file__).resolve().parent / "files"


class CountingWarehouse(DuckDBWarehouse):
    """A third party's backend: DuckDB underneath, counting bulk inserts."""

    inserts = 0

    def insert_arrow(self, table: str, data: Any) -> None:
        type(self).inserts += 1
        super().insert_arrow(table, data)


def _open_counting(url: str, root: Path | None) -> Warehouse:
    return CountingWarehouse(url.split("://", 1)[1])


BACKEND = Backend("counting", ("countingduck",), _open_counting, "countingduck:///path.db")
TEXT_FORMAT = formats.ReportFormat(
    "txt",
    ".txt",
    lambda r, path: (path.write_text(f"{r.data.client.display_name} {r.data.month}\n"), path)[1],
    "a one-line summary (test plugin)",
)


def _entry_points(group_items: dict[str, list[EntryPoint]]) -> Any:
    def fake(*, group: str) -> list[EntryPoint]:
        return group_items.get(group, [])

    return fake


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The entry points a plugin package would declare in its pyproject.toml."""
    items = {
        warehouses.ENTRY_POINT_GROUP: [
            EntryPoint("counting", f"{__name__}:BACKEND", warehouses.ENTRY_POINT_GROUP)
        ],
        formats.ENTRY_POINT_GROUP: [
            EntryPoint("txt", f"{__name__}:TEXT_FORMAT", formats.ENTRY_POINT_GROUP)
        ],
    }
    monkeypatch.setattr(plugin_loader, "entry_points", _entry_points(items))
    warehouses.backends.cache_clear()
    formats.formats.cache_clear()
    yield
    monkeypatch.undo()
    warehouses.backends.cache_clear()
    formats.formats.cache_clear()


def test_a_warehouse_and_a_report_format_from_entry_points(
    plugins: None, make_project, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url = f"countingduck://{tmp_path / 'plugin.duckdb'}"
    root = make_project(
        {"acme": {"x/overview.csv": FILES / "twitter/account_overview_analytics.csv"}}, url
    )
    project = load_project(root)
    summary = ingest(project)
    assert summary.exit_code == 0 and CountingWarehouse.inserts > 0
    with connect(url) as wh:
        assert isinstance(wh, CountingWarehouse)
        assert wh.query("SELECT COUNT(*) FROM monthly_kpis WHERE client_id = 'acme'")[0][0] > 0
    written = write_reports(project, month="2025-02", formats=("html", "txt"))
    assert sorted(p.suffix for p in written) == [".html", ".txt"]
    assert next(p for p in written if p.suffix == ".txt").read_text() == "Acme 2025-02\n"
    assert "txt" in formats.formats()  # and a default run writes it too


def test_unknown_scheme_and_bad_plugins_are_clear_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigError, match="'mysql://x' is not supported; use duckdb:///"):
        connect("mysql://x")
    bad = {warehouses.ENTRY_POINT_GROUP: [EntryPoint("bad", "os:sep", "g")]}
    monkeypatch.setattr(plugin_loader, "entry_points", _entry_points(bad))
    warehouses.backends.cache_clear()
    try:
        with pytest.raises(PluginError, match="entry point 'bad' \\(os:sep\\) is not a Backend"):
            connect("duckdb://:memory:")
    finally:
        monkeypatch.undo()
        warehouses.backends.cache_clear()


def test_a_platform_from_an_entry_point(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A plugin package holding a platform folder (here made from the template)."""
    new_platform("pluginplat", into=tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    items = {platforms.ENTRY_POINT_GROUP: [EntryPoint("p", "pluginplat", "g")]}
    monkeypatch.setattr(plugin_loader, "entry_points", _entry_points(items))
    platforms.refresh()
    try:
        assert "pluginplat" in platforms.platform_ids()
        from socialmetrics.specs.registry import default_registry

        assert "pluginplat_posts" in {s.id for s in default_registry()}
    finally:
        monkeypatch.undo()
        sys.modules.pop("pluginplat", None)
        platforms.refresh()
    assert "pluginplat" not in platforms.platform_ids()
