"""The materialised tables (`account_daily`, `posts`, `monthly_kpis`) always hold what their
live views compute: after a first load, a new file, a replaced file, a retired file and a month
re-load, on DuckDB and on PostgreSQL; and a warehouse made when they were views is upgraded."""

from __future__ import annotations

from pathlib import Path

from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.warehouse.base import connect
from socialmetrics.warehouse.schema import MATERIALISED, live
from tests.helpers.crash import MONTH, make_agency


def _differences(url: str) -> dict[str, int]:
    """Per materialised table: rows in it and not in its live view, plus the reverse."""
    out = {}
    with connect(url) as wh:
        for name in MATERIALISED:
            cols = ", ".join(wh.columns_of(live(name)))
            a = f"SELECT {cols} FROM {name}"
            b = f"SELECT {cols} FROM {live(name)}"
            (one,) = wh.query(f"SELECT COUNT(*) FROM ({a} EXCEPT {b}) x")[0]
            (two,) = wh.query(f"SELECT COUNT(*) FROM ({b} EXCEPT {a}) x")[0]
            (rows,) = wh.query(f"SELECT COUNT(*) FROM {name}")[0]
            assert rows > 0, f"{name} is empty"
            out[name] = int(one) + int(two)
    return out


def test_tables_follow_their_views_through_every_kind_of_load(
    tmp_path: Path, warehouse_url: str
) -> None:
    root = make_agency(tmp_path / "agency", warehouse_url)
    clean = dict.fromkeys(MATERIALISED, 0)
    ingest(load_project(root), jobs=1)
    assert _differences(warehouse_url) == clean

    acme = root / "clients" / "acme"
    edited = next((acme / "instagram").glob("*.csv"))
    edited.write_bytes(edited.read_bytes().replace(b"1", b"2", 3))  # replaced
    gone = sorted((root / "clients" / "beta" / "twitter").glob("*.csv"))[0]
    gone.unlink()  # retired
    summary = ingest(load_project(root), jobs=1)
    actions = {f.action for f in summary.files}
    assert {"replaced", "retired"} <= actions, actions
    assert _differences(warehouse_url) == clean

    ingest(load_project(root), jobs=1, month=MONTH)
    assert _differences(warehouse_url) == clean


def test_a_warehouse_made_with_views_gets_the_tables(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'old.duckdb'}"
    root = make_agency(tmp_path / "agency", url)
    ingest(load_project(root), jobs=1)
    with connect(url) as wh:  # as a warehouse of the previous version had them
        for name in MATERIALISED:
            wh.execute(f"DROP TABLE {name}")
            wh.execute(f"CREATE VIEW {name} AS SELECT * FROM {live(name)}")
    with connect(url) as wh:
        wh.ensure_schema()
        kinds = {
            name: wh.query(
                "SELECT table_type FROM information_schema.tables WHERE table_name = $1", [name]
            )[0][0]
            for name in MATERIALISED
        }
    assert kinds == dict.fromkeys(MATERIALISED, "BASE TABLE")
    assert _differences(url) == dict.fromkeys(MATERIALISED, 0)
