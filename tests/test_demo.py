"""The demo agency: real formats, realistic numbers, deterministic by seed, loads cleanly."""

from __future__ import annotations

import hashlib
import statistics
from pathlib import Path

import duckdb
import pytest

from socialmetrics.config import load_project
from socialmetrics.demo.generator import generate_demo
from socialmetrics.ingest import ingest


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".csv", ".toml")  # xlsx embed a creation time
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    written = generate_demo(out, clients=3, months=8, seed=11, end_month="2026-10")
    assert written == 3 * 8 * 14  # 14 files a client and month (LinkedIn: 4)
    summary = ingest(load_project(out))
    assert summary.exit_code == 0, summary.to_json()
    return out


def test_same_seed_same_files(tmp_path: Path) -> None:
    generate_demo(tmp_path / "a", clients=1, months=2, seed=3, end_month="2026-10")
    generate_demo(tmp_path / "b", clients=1, months=2, seed=3, end_month="2026-10")
    generate_demo(tmp_path / "c", clients=1, months=2, seed=4, end_month="2026-10")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_every_demo_file_loads_without_problems(demo: Path) -> None:
    con = duckdb.connect(str(demo / "warehouse.duckdb"), read_only=True)
    statuses = con.execute("SELECT status, COUNT(*) FROM source_files GROUP BY status").fetchall()
    assert statuses == [("ok", 3 * 8 * 14)]
    assert con.execute("SELECT COUNT(*) FROM quarantine").fetchone() == (0,)
    platforms = con.execute("SELECT DISTINCT platform FROM account_daily ORDER BY 1").fetchall()
    assert platforms == [("instagram",), ("linkedin",), ("twitter",)]


def test_demo_carries_the_real_quirks(demo: Path) -> None:
    con = duckdb.connect(str(demo / "warehouse.duckdb"), read_only=True)
    layouts = dict(
        con.execute(
            "SELECT spec || ' ' || layout, COUNT(*) FROM source_tables GROUP BY 1"
        ).fetchall()
    )
    assert layouts["instagram_posts 2025-views-es"] == 8  # the Spanish-interface client
    assert (
        layouts["twitter_posts 2025-02"] == 3 * 6 and layouts["twitter_posts 2025-06"] == 3 * 2
    )  # renamed
    assert layouts["linkedin_content_posts 2024"] == 3 * 8  # LinkedIn's rename comes in month 9
    # the overlapping X overview exports: 3 days a month are superseded by the newer export
    superseded = con.execute(
        "SELECT COUNT(*) FROM account_daily_ranked WHERE version_rank > 1 "
        "AND metric = 'impressions' AND platform = 'twitter'"
    ).fetchone()
    assert superseded == (3 * 7 * 3,)
    benchmarks = con.execute(
        "SELECT COUNT(*), COUNT(DISTINCT period_end), SUM(CASE WHEN page_role = 'client' "
        "THEN 1 END) FROM competitors"
    ).fetchone()
    assert benchmarks == (3 * 8 * 4, 8, 3 * 8)  # the client's page and 3 competitors a month
    boosted = con.execute(
        "SELECT COUNT(*), MIN(impressions - impressions_organic - impressions_paid) FROM posts "
        "WHERE platform = 'linkedin' AND impressions_paid > 0"
    ).fetchone()
    assert boosted == (3 * 2, 0)  # one boosted post in each sponsored month (2 of 8)
    encodings = {p.read_bytes()[:2] for p in demo.rglob("Reach.csv")} | {
        p.read_bytes()[:2] for p in demo.rglob("Alcance.csv")
    }
    assert encodings == {b"\xff\xfe"}


def test_demo_numbers_look_like_a_real_account(demo: Path) -> None:
    con = duckdb.connect(str(demo / "warehouse.duckdb"), read_only=True)
    weekday = con.execute(
        "SELECT isodow(date) >= 6 AS weekend, AVG(impressions) FROM account_daily "
        "WHERE platform = 'linkedin' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert weekday[0][1] > 1.6 * weekday[1][1]  # LinkedIn is quiet at weekends
    growth = con.execute(
        "SELECT client_id, strftime(date, '%Y-%m') AS m, SUM(impressions) FROM account_daily "
        "WHERE platform = 'instagram' GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    by_client: dict[str, list[int]] = {}
    for client, _, total in growth:
        by_client.setdefault(client, []).append(total)
    # accounts grow: the last three months beat the first three, for every client
    assert all(sum(series[-3:]) > sum(series[:3]) for series in by_client.values())
    impressions = [
        r[0]
        for r in con.execute("SELECT impressions FROM posts WHERE platform = 'twitter'").fetchall()
    ]
    assert max(impressions) > 5 * statistics.median(impressions)  # viral outliers exist
    values = [
        r[0]
        for r in con.execute(
            "SELECT impressions FROM account_daily WHERE platform = 'instagram'"
        ).fetchall()
    ]
    assert len(set(values)) > 0.9 * len(values)  # not constant, not uniform buckets
