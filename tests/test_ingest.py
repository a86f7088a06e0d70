"""Loading into the warehouse, on DuckDB and on a real PostgreSQL server: idempotency, month
replacement, newest-export-wins, quarantine, extra columns, one bad file or client never
stopping the rest, one transaction per client."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.ingest import load as ingest_module
from socialmetrics.warehouse.base import connect


def _query(url: str, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    wh = connect(url)
    try:
        return wh.query(sql, params or [])
    finally:
        wh.close()


COUNTS = (
    "SELECT (SELECT COUNT(*) FROM account_daily_facts), (SELECT COUNT(*) FROM post_snapshots), "
    "(SELECT COUNT(*) FROM quarantine)"
)


def _url(project: Path, override: str) -> str:
    return load_project(project, {"warehouse.url": override}).warehouse_url


@pytest.fixture
def twitter_project(make_project, files: Path, warehouse_url: str):  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {
                "2021-04/tweets.csv": files
                / "twitter/tweet_activity_metrics_acme_20210401_20210501_en.csv",
                "2021-03/daily.csv": files
                / "twitter/daily_tweet_activity_metrics_acme_20210301_20210401_en.csv",
                "overview.csv": files / "twitter/account_overview_analytics.csv",
                "notes/budget.xlsx": files / "other/budget_handmade.xlsx",
            },
            "beta": {"instagram/Reach.csv": files / "instagram/Reach.csv"},
        },
        warehouse_url,
    )
    return root, warehouse_url


def test_load_then_reload_changes_nothing(twitter_project) -> None:  # type: ignore[no-untyped-def]
    root, url = twitter_project
    project = load_project(root)
    first = ingest(project)
    assert first.exit_code == 1  # the hand-made spreadsheet
    assert [f.action for f in first.files if f.client_id == "acme"] == [
        "loaded",
        "loaded",
        "unrecognised",
        "loaded",
    ]
    counts = _query(
        url,
        "SELECT (SELECT COUNT(*) FROM account_daily_facts), (SELECT COUNT(*) FROM post_snapshots), "
        "(SELECT COUNT(*) FROM quarantine)",
    )
    second = ingest(project)
    assert {f.action for f in second.files} == {"unchanged", "unrecognised"}
    assert (
        _query(
            url,
            COUNTS,
        )
        == counts
    )
    runs = _query(url, "SELECT status, files_loaded, files_failed FROM load_runs ORDER BY load_id")
    assert runs == [("partial", 4, 1), ("partial", 0, 1)]


def test_canonical_tables_hold_the_values(twitter_project) -> None:  # type: ignore[no-untyped-def]
    root, url = twitter_project
    ingest(load_project(root))
    row = _query(
        url,
        "SELECT impressions, impressions_organic, impressions_paid, likes, engagements, clicks "
        "FROM posts WHERE post_id = '1387934728054001665'",
    )
    # organic 500 + promoted 100; likes 5 + 2;
    # clicks = url (6+1) + hashtag (1+0) + permalink (1+0) + detail (2+1)
    assert row == [(600, 500, 100, 7, 25, 12)]
    day = _query(
        url,
        "SELECT posts_published, impressions FROM account_daily "
        "WHERE client_id = 'acme' AND platform = 'twitter' AND date = DATE '2021-03-02'",
    )
    assert day == [(2, 1002)]
    reach = _query(
        url, "SELECT date, reach FROM account_daily WHERE client_id = 'beta' ORDER BY date"
    )
    assert [r[1] for r in reach] == [1200, 1350, 980, 1010]
    lineage = _query(
        url,
        "SELECT COUNT(*) FROM account_daily_facts f JOIN source_files s ON s.file_id = "
        "f.source_file_id JOIN load_runs r ON r.load_id = f.load_id",
    )
    total = _query(url, "SELECT COUNT(*) FROM account_daily_facts")
    assert lineage == total  # every row traceable to its file and its load


def test_pasted_overview_duplicates_are_quarantined(twitter_project) -> None:  # type: ignore[no-untyped-def]
    root, url = twitter_project
    ingest(load_project(root))
    rows = _query(
        url,
        "SELECT path, source_row, column_name, raw_value, reason FROM quarantine "
        "WHERE client_id = 'acme'",
    )
    assert rows == [
        (
            "overview.csv",
            6,
            "date",
            "2025-02-16",
            "duplicate date: row 4 has it with other values and is kept",
        )
    ]
    kept = _query(url, "SELECT impressions FROM account_daily WHERE date = DATE '2025-02-16'")
    assert kept == [(98,)]


def test_newest_export_wins_and_superseded_rows_stay(
    make_project, files: Path, warehouse_url: str
) -> None:  # type: ignore[no-untyped-def]
    src = files / "twitter/account_overview_analytics.csv"
    root = make_project({"acme": {"a/account_overview_analytics.csv": src}}, warehouse_url)
    newer = root / "clients/acme/b/account_overview_analytics.csv"
    newer.parent.mkdir()
    text = src.read_text().replace('"Tue, Feb 18, 2025",62,', '"Tue, Feb 18, 2025",70,')
    newer.write_text(text + '"Wed, Feb 19, 2025",5,0,0,0,0,0,0,0,0,0,0,0,0\n')
    summary = ingest(load_project(root))
    assert summary.totals()["rows_superseded"] == 4  # a/ covers 4 days that b/ (newer) covers too
    by_file = {f.path: f.superseded for f in summary.files}
    assert by_file == {"a/account_overview_analytics.csv": 4, "b/account_overview_analytics.csv": 0}
    assert _query(
        warehouse_url, "SELECT impressions FROM account_daily WHERE date = DATE '2025-02-18'"
    ) == [(70,)]
    versions = _query(
        warehouse_url,
        "SELECT COUNT(*) FROM account_daily_facts WHERE metric = 'impressions' "
        "AND date = DATE '2025-02-18'",
    )
    assert versions == [(2,)]


def test_file_replaced_at_same_path_replaces_its_rows(
    make_project, files: Path, warehouse_url: str
) -> None:  # type: ignore[no-untyped-def]
    src = files / "instagram/Reach.csv"
    root = make_project({"acme": {"instagram/Reach.csv": src}}, warehouse_url)
    project = load_project(root)
    ingest(project)
    target = root / "clients/acme/instagram/Reach.csv"
    target.write_bytes(
        target.read_bytes().replace("1200".encode("utf-16-le"), "1300".encode("utf-16-le"))
    )
    summary = ingest(project)
    assert [f.action for f in summary.files] == ["replaced"]
    assert _query(warehouse_url, "SELECT COUNT(*) FROM source_files") == [(1,)]
    assert _query(
        warehouse_url, "SELECT reach FROM account_daily WHERE date = DATE '2026-05-01'"
    ) == [(1300,)]


def test_month_reload_replaces_only_that_month(
    make_project, files: Path, warehouse_url: str
) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {
                "overview.csv": files / "twitter/account_overview_analytics.csv",
                "daily.csv": files
                / "twitter/daily_tweet_activity_metrics_acme_20210301_20210401_en.csv",
            }
        },
        warehouse_url,
    )
    project = load_project(root)
    ingest(project)
    (root / "clients/acme/overview.csv").unlink()  # the analyst removed February's export
    summary = ingest(project, month="2025-02")
    assert summary.month == "2025-02"
    assert _query(
        warehouse_url,
        "SELECT COUNT(*) FROM account_daily WHERE date BETWEEN DATE '2025-02-01' "
        "AND DATE '2025-02-28'",
    ) == [(0,)]
    assert _query(
        warehouse_url, "SELECT COUNT(*) FROM account_daily WHERE date < DATE '2021-04-01'"
    ) == [(3,)]
    ingest(project, month="2021-03")  # re-loading a month with the same files: same result
    assert _query(warehouse_url, "SELECT COUNT(*), SUM(impressions) FROM account_daily") == [
        (3, 3006)
    ]


def test_unknown_columns_kept_in_extra(make_project, files: Path, warehouse_url: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "shop": {
                "ig/Dec-01-2024_Dec-31-2024_17800000000000001.csv": files
                / "instagram/Dec-01-2024_Dec-31-2024_17800000000000001.csv"
            }
        },
        warehouse_url,
    )
    ingest(load_project(root))
    rows = _query(warehouse_url, "SELECT post_id, extra FROM posts ORDER BY post_id")
    extras = [json.loads(e) for _, e in rows]
    assert [e["Brand new metric"] for e in extras] == ["x1", "x2"]
    assert extras[0]["account_display_name"] == "Shop"  # known but not modelled: kept too
    unknown = _query(warehouse_url, "SELECT columns_unknown FROM source_tables")
    assert json.loads(unknown[0][0]) == ["Brand new metric"]


def test_bad_values_quarantined_good_rows_load(
    make_project, files: Path, warehouse_url: str
) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {"acme": {"ov.csv": files / "other/account_overview_bad_values.csv"}}, warehouse_url
    )
    summary = ingest(load_project(root))
    assert summary.exit_code == 0 and summary.files[0].status == "partial"
    rows = _query(
        warehouse_url,
        "SELECT source_row, column_name, raw_value, reason FROM quarantine ORDER BY source_row",
    )
    assert rows == [
        (2, "Likes", "lots", "value left empty: not a whole, non-negative number"),
        (3, "Impressions", "-5", "value left empty: not a whole, non-negative number"),
        (4, "Date", "not a date", "row not loaded: not a date in any known export format"),
    ]
    days = _query(warehouse_url, "SELECT date, impressions, likes FROM account_daily ORDER BY date")
    assert [(r[1], r[2]) for r in days] == [(100, 3), (None, 18), (62, None)]  # NULL, never 0


def test_a_broken_file_does_not_stop_the_others(
    make_project, files: Path, warehouse_url: str
) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {
                "a.xlsx": files / "other/broken.xlsx",
                "b.csv": files / "other/empty.csv",
                "c/Reach.csv": files / "instagram/Reach.csv",
            }
        },
        warehouse_url,
    )
    summary = ingest(load_project(root))
    assert summary.exit_code == 1
    assert [(f.path, f.action) for f in summary.files] == [
        ("a.xlsx", "failed"),
        ("b.csv", "failed"),
        ("c/Reach.csv", "loaded"),
    ]
    assert _query(warehouse_url, "SELECT COUNT(*) FROM account_daily") == [(4,)]
    assert _query(warehouse_url, "SELECT path, status FROM source_files ORDER BY path") == [
        ("a.xlsx", "error"),
        ("b.csv", "error"),
        ("c/Reach.csv", "ok"),
    ]


def test_a_failing_client_rolls_back_alone(
    make_project, files: Path, warehouse_url: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {
                "Reach.csv": files / "instagram/Reach.csv",
                "ov.csv": files / "twitter/account_overview_analytics.csv",
            },
            "beta": {"Reach.csv": files / "instagram/Reach.csv"},
        },
        warehouse_url,
    )
    real = ingest_module.source_tables_rows

    def explode(result, load_id):  # type: ignore[no-untyped-def]
        if result.source.client_id == "acme" and result.source.relative == "ov.csv":
            raise RuntimeError("disk full")
        return real(result, load_id)

    monkeypatch.setattr(ingest_module, "source_tables_rows", explode)
    summary = ingest(load_project(root))
    assert summary.exit_code == 1
    assert (
        "rolled back" in summary.client_errors["acme"]
        and "disk full" in summary.client_errors["acme"]
    )
    assert _query(warehouse_url, "SELECT DISTINCT client_id FROM account_daily_facts") == [
        ("beta",)
    ]
    assert _query(warehouse_url, "SELECT client_id FROM source_files") == [("beta",)]


def test_duplicate_content_in_two_places_loads_once(
    make_project, files: Path, warehouse_url: str
) -> None:  # type: ignore[no-untyped-def]
    src = files / "instagram/Reach.csv"
    root = make_project({"acme": {"a/Reach.csv": src, "b/Reach copy.csv": src}}, warehouse_url)
    summary = ingest(load_project(root))
    assert [f.action for f in summary.files] == ["loaded", "duplicate"]
    assert _query(warehouse_url, "SELECT COUNT(*) FROM account_daily_facts") == [(4,)]


def test_postgres_and_duckdb_agree(
    make_project, files: Path, postgres_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    mapping = {
        p.relative_to(files).as_posix(): p
        for p in files.rglob("*")
        if p.is_file() and p.suffix != ".py"
    }
    root = make_project({"acme": mapping})
    duck = f"duckdb:///{tmp_path / 'agree.duckdb'}"
    ingest(load_project(root, {"warehouse.url": duck}))
    wh = connect(postgres_url)
    wh.execute("CREATE SCHEMA agree")
    wh.commit()
    wh.close()
    pg = f"{postgres_url}?options=-csearch_path%3Dagree"
    ingest(load_project(root, {"warehouse.url": pg}))
    for sql in (
        "SELECT platform, COUNT(*), SUM(impressions), SUM(reach), SUM(engagements) "
        "FROM account_daily GROUP BY platform ORDER BY platform",
        "SELECT platform, COUNT(*), SUM(impressions), SUM(likes), COUNT(extra) "
        "FROM posts GROUP BY platform ORDER BY platform",
        "SELECT dimension, COUNT(*), SUM(value) "  # DuckDB NUMERIC keeps 3 decimals: no cast
        "FROM audience GROUP BY dimension ORDER BY dimension",
        "SELECT COUNT(*) FROM quarantine",
    ):
        assert _numbers(_query(duck, sql)) == _numbers(_query(pg, sql)), sql


def _numbers(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Compare across drivers: PostgreSQL's NUMERIC arrives as text through ADBC."""

    def norm(v: Any) -> Any:
        try:
            return round(float(v), 6) if v is not None and not isinstance(v, bool) else v
        except (TypeError, ValueError):
            return v

    return [tuple(norm(v) for v in row) for row in rows]


def test_follower_rate_uses_the_latest_known_audience_size(
    make_project, files: Path, warehouse_url: str
) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "cafe": {
                "2026-02/instagram/publico.csv": files / "instagram/publico.csv",
                "2026-03/instagram/contenido.csv": files / "instagram/contenido_es.csv",
            }
        },
        warehouse_url,
    )
    ingest(load_project(root))
    # the 2024-style audience export says 1234 followers; its folder dates it 2026-02-28
    assert _query(warehouse_url, "SELECT date, followers_total FROM account_daily") == [
        (datetime.date(2026, 2, 28), 1234)
    ]
    rows = _query(
        warehouse_url,
        "SELECT post_id, engagements, engagement_rate_followers FROM posts ORDER BY post_id",
    )
    # likes + comments + shares + saves: 80 + 12 + 5 + 7 and 150 + 25 + 20 + 30
    assert [(r[0], r[1]) for r in rows] == [("18000000000000001", 104), ("18000000000000002", 225)]
    assert [r[2] for r in rows] == pytest.approx([104 / 1234, 225 / 1234])


def test_utc_exports_are_shown_in_the_clients_time_zone(twitter_project) -> None:  # type: ignore[no-untyped-def]
    root, url = twitter_project
    (root / "clients/acme/client.toml").write_text('timezone = "America/Bogota"\n')
    ingest(load_project(root))
    rows = _query(
        url,
        "SELECT post_id, published_at, published_date, hour_of_day FROM posts ORDER BY post_id",
    )
    # exported as "2021-04-29 23:10 +0000" and "2021-04-30 09:32 +0000"; Bogotá is UTC-5
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (
            "1387934728054001665",
            datetime.datetime(2021, 4, 29, 18, 10),
            datetime.date(2021, 4, 29),
            18,
        ),
        (
            "1388063576737214466",
            datetime.datetime(2021, 4, 30, 4, 32),
            datetime.date(2021, 4, 30),
            4,
        ),
    ]
