"""The materialised tables (`account_daily`, `posts`, `monthly_kpis`) always hold what their
live views compute: after a first load, a new file, a replaced file, a retired file and a month
re-load, on DuckDB and on PostgreSQL; and a warehouse made when they were views is upgraded."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.warehouse.base import connect
from socialmetrics.warehouse.materialise import refresh_client
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


def _carried(days: list[tuple[object, float | None]], when: object) -> float | None:
    """The latest follower count known on or before `when` (None if none, or if it is 0)."""
    known = [count for day, count in days if count is not None and day <= when]  # type: ignore[operator]
    return known[-1] or None if known else None


def test_follower_rates_divide_by_the_latest_count_known(
    tmp_path: Path, warehouse_url: str
) -> None:
    """Days without a follower count use the latest one before them (a count of 0 gives no
    rate, and so does no count yet), in `account_daily` and in `posts`."""
    root = make_agency(tmp_path / "agency", warehouse_url)
    ingest(load_project(root), jobs=1)
    with connect(warehouse_url) as wh:
        client, platform = wh.query(
            "SELECT client_id, platform FROM account_daily WHERE followers_total IS NOT NULL "
            "GROUP BY client_id, platform ORDER BY COUNT(*) DESC, client_id, platform"
        )[0]
        engaged = [
            d
            for (d,) in wh.query(
                "SELECT date FROM account_daily WHERE client_id = $1 AND platform = $2 "
                "AND engagements IS NOT NULL ORDER BY date",
                [client, platform],
            )
        ]
        assert len(engaged) >= 3, engaged
        kept = engaged[1]  # one count, on the second day with engagements
        cols = wh.columns_of("account_daily_facts")
        moved = ", ".join("$3" if c == "date" else c for c in cols)
        for zero in (False, True):  # one count kept, on a day of its own; then it is 0
            with wh.transaction():
                if zero:
                    wh.execute(
                        "UPDATE account_daily_facts SET value = 0 WHERE client_id = $1 AND "
                        "platform = $2 AND metric = 'followers_total'",
                        [client, platform],
                    )
                else:
                    wh.execute(
                        f"INSERT INTO account_daily_facts ({', '.join(cols)}) SELECT {moved} "
                        "FROM account_daily_facts WHERE client_id = $1 AND platform = $2 AND "
                        "metric = 'followers_total' ORDER BY date LIMIT 1",
                        [client, platform, kept],
                    )
                    wh.execute(
                        "DELETE FROM account_daily_facts WHERE client_id = $1 AND "
                        "platform = $2 AND metric = 'followers_total' AND date <> $3",
                        [client, platform, kept],
                    )
                refresh_client(wh, client)
            days = wh.query(
                "SELECT date, followers_total, engagements, engagement_rate_followers "
                "FROM account_daily WHERE client_id = $1 AND platform = $2 ORDER BY date",
                [client, platform],
            )
            series = [(day, followers) for day, followers, _, _ in days]
            expected = []
            for day, _, engagements, _ in days:
                count = _carried(series, day)
                expected.append(engagements / count if count and engagements is not None else None)
            assert [rate for *_, rate in days] == pytest.approx(expected)
            carried = [r for _, f, _, r in days if f is None and r is not None]
            later = [e for day, _, e, _ in days if day > kept and e is not None]
            assert later, days
            assert len(carried) == (0 if zero else len(later)), days
            assert days[0][3] is None  # no count known yet
            posts = wh.query(
                "SELECT published_date, engagements, engagement_rate_followers FROM posts "
                "WHERE client_id = $1 AND platform = $2 AND published_date IS NOT NULL",
                [client, platform],
            )
            assert posts
            for published, engagements, rate in posts:
                count = _carried(series, published)
                want = engagements / count if count and engagements is not None else None
                assert rate == pytest.approx(want), (published, engagements)
            assert _differences(warehouse_url) == dict.fromkeys(MATERIALISED, 0)
