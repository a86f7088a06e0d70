"""What real Meta and X content exports still did to socialmetrics (issue 9): rows Meta could
not compute, its `Total` row, X's ghost rows and month-without-posts files, Meta's 2025 chart
renames and chart titles it has never seen. Invented files per quirk, real samples by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from socialmetrics.config import load_project
from socialmetrics.extract.discover import SourceFile
from socialmetrics.ingest import ingest
from socialmetrics.ingest.inspect import inspect_file
from socialmetrics.warehouse.base import connect
from tests.helpers.inspect import at

FILES = Path(__file__).resolve().parent / "files"


def test_meta_rows_it_could_not_compute_are_posts_with_null_metrics() -> None:
    result = at(FILES, "instagram/Mar-01-2026_Mar-31-2026_17800000000000000_errors.csv")
    (table,) = result.tables
    assert result.status == "ok" and not table.problems
    assert sorted(table.frame["post_id"]) == ["17900000000000001", "17900000000000002"]
    failed = table.frame.filter(pl.col("post_id") == "17900000000000002").to_dicts()[0]
    assert failed["impressions"] is None and failed["reach"] is None  # never 0
    assert failed["likes"] is None and failed["engagements"] is None
    assert any("1 post(s) Meta could not compute" in n for n in table.notes)
    assert any("the export's total" in n and "Views 1200" in n for n in table.notes)


def test_real_meta_error_rows(samples: Path) -> None:
    facebook = at(samples, "facebook/marko7bub__Dec-12-2023_Mar-06-2024_1032418178499222.csv")
    (posts,) = facebook.tables
    assert facebook.status == "ok" and posts.frame.height == 44
    row = posts.frame.filter(pl.col("post_id") == "933528094972880").to_dicts()[0]
    assert row["reach"] is None and row["published_at"] is None
    stories = at(
        samples, "instagram/Sapinget__Jan-01-2026_Jun-29-2026_2054364552140076_IG_stories.csv"
    )
    assert stories.status == "ok" and stories.tables[0].frame.height == 2807
    assert any("3 post(s) Meta could not compute" in n for n in stories.tables[0].notes)


def test_x_ghost_rows_are_skipped_and_counted() -> None:
    result = at(FILES, "twitter/account_analytics_content_2026-03-01_2026-03-31.csv")
    (table,) = result.tables
    assert result.status == "ok" and not table.problems
    assert table.frame["post_id"].to_list() == ["2031000000000000001"]
    assert "1 ghost row(s) skipped (no post id, link `/status/undefined`)" in table.notes


def test_header_only_month_loads_zero_rows_with_a_note(make_project, warehouse_url: str) -> None:  # type: ignore[no-untyped-def]
    rel = "twitter/account_analytics_content_2026-04-01_2026-04-30.csv"
    result = at(FILES, rel)
    assert result.status == "ok" and result.tables[0].frame.height == 0
    assert result.tables[0].notes == ["no data rows: nothing to load for this export's period"]
    root = make_project({"acme": {"2026-04/x/empty.csv": FILES / rel}}, warehouse_url)
    summary = ingest(load_project(root))
    assert summary.exit_code == 0
    assert [(f.status, f.action, f.rows_loaded) for f in summary.files] == [("ok", "loaded", 0)]


def test_viewers_chart_is_reach_and_unknown_titles_are_drift(tmp_path: Path) -> None:
    client = tmp_path / "acme" / "2026-03" / "instagram"
    client.mkdir(parents=True)
    rows = '"Date","Primary"\n"2026-03-01T00:00:00","120"\n"2026-03-02T00:00:00","95"\n'
    (client / "Viewers.csv").write_text(f'sep=,\n"Viewers"\n{rows}', encoding="utf-8")
    (client / "Replays.csv").write_text(f'sep=,\n"Reel replays"\n{rows}', encoding="utf-8")
    viewers = inspect_file(SourceFile(client / "Viewers.csv", "acme", tmp_path / "acme"))
    assert viewers.tables[0].frame["reach"].to_list() == [120, 95]
    replays = inspect_file(SourceFile(client / "Replays.csv", "acme", tmp_path / "acme"))
    assert replays.status == "ok"  # recognised by its layout, never "unrecognised"
    (table,) = replays.tables
    assert table.frame["chart_reel_replays"].to_list() == [120, 95]
    assert table.frame["date"].to_list() == [dt.date(2026, 3, 1), dt.date(2026, 3, 2)]
    assert any("'Reel replays' is not one the spec knows" in w for w in replays.warnings)


def test_unknown_chart_is_loaded_and_listed_as_a_pending_change(
    make_project, warehouse_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "Replays.csv"
    source.write_text(
        'sep=,\n"Reel replays"\n"Date","Primary"\n"2026-03-01T00:00:00","120"\n', encoding="utf-8"
    )
    root = make_project({"acme": {"2026-03/instagram/Replays.csv": source}}, warehouse_url)
    summary = ingest(load_project(root))
    assert summary.exit_code == 0
    with connect(warehouse_url, root) as wh:
        facts = wh.query("SELECT metric, value FROM account_daily_facts")
        changes = wh.query("SELECT change, header_new, canonical, status FROM layout_changes")
    assert facts == [("chart_reel_replays", 120.0)]
    assert changes == [("added", "Reel replays", "chart_reel_replays", "pending")]
