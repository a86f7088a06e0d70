"""TikTok: yearless, localised days made whole; values of real exports checked by hand; the
invented files of each quirk; a month loaded end to end with TikTok's own engagement rate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePath

import polars as pl
import pytest
from babel.dates import format_date
from hypothesis import given, settings
from hypothesis import strategies as st

from socialmetrics.config import load_project
from socialmetrics.extract.discover import SourceFile
from socialmetrics.ingest import ingest
from socialmetrics.ingest.inspect import inspect_file
from socialmetrics.ingest.results import FileResult
from socialmetrics.marts.kpis import monthly_kpis
from socialmetrics.transform.canonical import FileContext
from socialmetrics.transform.yearless import anchor, assign_years, month_day
from socialmetrics.warehouse.base import connect
from tests.helpers.inspect import in_month

FILES = Path(__file__).resolve().parent / "files" / "tiktok"


def _in_month(source: Path, month: str, tmp_path: Path) -> FileResult:
    return in_month(source, month, tmp_path, "tiktok")


def _row(frame: pl.DataFrame, **where: object) -> dict[str, object]:
    rows = frame.filter(pl.all_horizontal(pl.col(k) == v for k, v in where.items())).to_dicts()
    assert len(rows) == 1, where
    return rows[0]


# ---------------------------------------------------------------------------------------------
# yearless days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 14", (4, 14)),
        ("10 February", (2, 10)),
        ("4 de noviembre", (11, 4)),
        ("30 de abril", (4, 30)),
        ("1 de maio", (5, 1)),
        ("May 1", (5, 1)),
        ("14 أبريل", (4, 14)),
        ("٣١ ديسمبر", (12, 31)),
        ("4月14日", (4, 14)),
        ("29 February", (2, 29)),
        ("undefined", None),
        ("February 30", None),
        ("Lifetime", None),
        ("", None),
    ],
)
def test_month_day_in_every_language(text: str, expected: tuple[int, int] | None) -> None:
    assert month_day(text) == expected


PATTERNS = {
    "en": "MMMM d",
    "en_GB": "d MMMM",
    "es": "d 'de' MMMM",
    "pt": "d 'de' MMMM",
    "ar": "d MMMM",
    "ja": "M月d日",
}


@settings(max_examples=60, deadline=None)
@given(
    first=st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2030, 12, 31)),
    length=st.integers(min_value=1, max_value=400),
    slack=st.integers(min_value=0, max_value=300),
    language=st.sampled_from(sorted(PATTERNS)),
    newest_first=st.booleans(),
)
def test_yearless_days_land_on_consecutive_days(
    first: dt.date, length: int, slack: int, language: str, newest_first: bool
) -> None:
    """Any run of days, in any of these languages and in either order, written without a year
    and anchored anywhere up to 300 days after its last day, comes back exactly (New Year and
    29 February included)."""
    days = [first + dt.timedelta(days=i) for i in range(length)]
    if newest_first:
        days.reverse()
    texts = [format_date(d, PATTERNS[language], locale=language) for d in days]
    parsed = [month_day(t) for t in texts]
    assert None not in parsed, texts
    assert assign_years(parsed, max(days) + dt.timedelta(days=slack)) == days


def test_anchor_order_and_what_check_says(tmp_path: Path) -> None:
    modified = dt.datetime(2026, 5, 3, 10)
    period = FileContext(PurePath("2026-02/Overview_2026-01-01_2026-01-31.csv"), modified)
    assert anchor(period)[0] == dt.date(2026, 1, 31)
    epoch = FileContext(PurePath("x/temp_data_1777023477746.csv"), modified)
    assert anchor(epoch) == (dt.date(2026, 4, 24), "the export time in the file name (2026-04-24)")
    month = FileContext(PurePath("2026-02/tiktok/Overview.csv"), modified)
    assert anchor(month) == (dt.date(2026, 2, 28), "the month folder (2026-02)")
    named_year = FileContext(PurePath("Overview_April-Des2025.csv"), modified)
    assert anchor(named_year)[0] == dt.date(2025, 12, 31)
    mtime = FileContext(PurePath("Overview.csv"), modified)
    assert anchor(mtime) == (dt.date(2026, 5, 3), "the file's modification time (2026-05-03)")
    result = _in_month(FILES / "Overview.csv", "2026-01", tmp_path)
    assert result.to_json()["tables"][0]["notes"] == [
        "date: exported without a year; years from the month folder (2026-01)"
    ]


# ---------------------------------------------------------------------------------------------
# invented files, one per quirk


def test_spanish_days_across_new_year(tmp_path: Path) -> None:
    frame = _in_month(FILES / "Overview.csv", "2026-01", tmp_path).tables[0].frame
    assert frame["date"].to_list() == [
        dt.date(2025, 12, 30),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 2),
    ]
    new_year = _row(frame, date=dt.date(2026, 1, 1))
    assert (new_year["video_views"], new_year["profile_visits"], new_year["likes"]) == (980, 6, 51)
    assert new_year["comments"] is None  # "-2": quarantined, never a negative count
    assert _row(frame, date=dt.date(2025, 12, 31))["engagements"] == 95 + 7 + 4


def test_arabic_and_japanese_days(tmp_path: Path) -> None:
    arabic = _in_month(FILES / "Overview_ar.csv", "2026-01", tmp_path).tables[0].frame
    assert arabic["date"].to_list() == [
        dt.date(2025, 12, 30),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 1),
    ]
    xlsx = _in_month(FILES / "Overview_ja.xlsx", "2026-06", tmp_path)
    assert xlsx.tables[0].sheet == "SheetJS"
    assert _row(xlsx.tables[0].frame, date=dt.date(2026, 6, 25))["video_views"] == 3  # text cell


def test_undefined_is_missing_and_net_change_may_be_negative(tmp_path: Path) -> None:
    viewers = _in_month(FILES / "Viewers.csv", "2026-04", tmp_path)
    assert viewers.status == "ok" and viewers.problems == 0
    assert _row(viewers.tables[0].frame, date=dt.date(2026, 4, 15))["reach"] is None
    history = _in_month(FILES / "FollowerHistory.csv", "2026-02", tmp_path)
    day = _row(history.tables[0].frame, date=dt.date(2026, 2, 11))
    assert (day["followers_total"], day["followers_change"]) == (5008, -2)


def test_content_post_time_falls_before_the_export_day(tmp_path: Path) -> None:
    result = _in_month(FILES / "Content.csv", "2026-01", tmp_path)
    frame = result.tables[0].frame
    video = _row(frame, post_id="7450000000000000001")
    assert video["published_at"] == dt.datetime(2025, 12, 28)
    assert video["hour_of_day"] is None  # TikTok gives the day only: no hour, not midnight
    assert (video["likes"], video["video_views"], video["content_type"]) == (530, 19126, "video")
    assert video["engagement_rate_video_views"] == pytest.approx((530 + 32 + 16) / 19126)
    assert _row(frame, post_id="7450000000000000002")["published_at"] == dt.datetime(2026, 1, 2)


def test_demographics_are_fractions(tmp_path: Path) -> None:
    gender = _in_month(FILES / "FollowerGender.csv", "2026-06", tmp_path).tables[0]
    assert _row(gender.frame, segment="Female")["value"] == pytest.approx(0.59)
    assert set(gender.frame["unit"]) == {"share"}
    places = _in_month(FILES / "FollowerTopTerritories.csv", "2026-06", tmp_path).tables[0]
    assert set(places.frame["dimension"]) == {"country"}
    assert _row(places.frame, segment="US")["value"] == pytest.approx(0.462)
    activity = _in_month(FILES / "FollowerActivity.csv", "2026-06", tmp_path).tables[0]
    assert _row(activity.frame, segment="2")["value"] == 120
    assert set(activity.frame["as_of_date"]) == {dt.date(2026, 6, 2)}


# ---------------------------------------------------------------------------------------------
# real exports (values read off the files by hand)


def test_real_overview_and_viewers(samples: Path, tmp_path: Path) -> None:
    tiktok = samples / "tiktok"
    boss = _in_month(tiktok / "BossZY27__Overview.csv", "2026-04", tmp_path).tables[0].frame
    day = _row(boss, date=dt.date(2026, 4, 14))
    assert (day["video_views"], day["profile_visits"], day["likes"], day["shares"]) == (
        1737,
        6,
        4,
        3,
    )
    spanish = _in_month(tiktok / "francovelardez44__Overview.csv", "2026-03", tmp_path)
    assert _row(spanish.tables[0].frame, date=dt.date(2026, 3, 14))["video_views"] == 7
    # 365 days ending 27 February: the first one is 28 February of the year before
    year = _in_month(tiktok / "htupycollabs-spec__Overview.csv", "2026-02", tmp_path).tables[0]
    assert (year.period_start, year.period_end) == (dt.date(2025, 2, 28), dt.date(2026, 2, 27))
    assert year.frame["date"].diff().drop_nulls().unique().to_list() == [dt.timedelta(days=1)]
    assert _row(year.frame, date=dt.date(2026, 2, 26))["video_views"] == 18327
    viewers = _in_month(tiktok / "htupycollabs-spec__Viewers.csv", "2026-02", tmp_path).tables[0]
    first = _row(viewers.frame, date=dt.date(2025, 2, 28))
    assert first["reach"] is None  # "undefined"
    last = _row(viewers.frame, date=dt.date(2026, 2, 27))
    assert (last["reach"], last["viewers_new"], last["viewers_returning"]) == (15752, 9979, 5773)


def test_real_follower_history_and_content(samples: Path, tmp_path: Path) -> None:
    tiktok = samples / "tiktok"
    history = _in_month(
        tiktok / "htupycollabs-spec__FollowerHistory.csv", "2026-02", tmp_path
    ).tables[0]
    day = _row(history.frame, date=dt.date(2026, 2, 26))
    assert (day["followers_total"], day["followers_change"]) == (5010, -1)
    content = _in_month(tiktok / "htupycollabs-spec__Content.csv", "2026-02", tmp_path).tables[0]
    video = _row(content.frame, post_id="7527623000473079054")
    assert video["published_at"] == dt.datetime(2025, 7, 16)  # before the export (28 February)
    assert (video["likes"], video["comments"], video["shares"], video["video_views"]) == (
        533,
        32,
        16,
        191265,
    )


def test_real_export_time_in_the_name(samples: Path) -> None:
    path = samples / "tiktok" / "BossZY27__temp_data_1777023477746.csv"
    table = inspect_file(SourceFile(path, None, None)).tables[0]
    assert (table.period_start, table.period_end) == (dt.date(2026, 4, 16), dt.date(2026, 4, 22))
    assert "export time in the file name (2026-04-24)" in table.notes[0]


# ---------------------------------------------------------------------------------------------
# end to end


def test_a_tiktok_month_loads_with_its_own_rate(make_project, warehouse_url: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {
                f"2026-01/tiktok/{name}": FILES / name
                for name in ("Overview.csv", "Viewers.csv", "Content.csv")
            }
        },
        warehouse_url,
    )
    summary = ingest(load_project(root))
    assert summary.exit_code == 0, summary.to_json()
    with connect(warehouse_url) as wh:
        k = monthly_kpis(wh, "acme", "2026-01", "2026-01")[("tiktok", "2026-01")]
        posts = wh.query("SELECT COUNT(*) FROM posts WHERE platform = 'tiktok'")[0][0]
    assert k.values["video_views"] == 980 + 1100
    # January 1's comments were quarantined ("-2"): its engagements are unknown, not 52
    assert k.values["engagements"] == 60 + 3 + 0
    assert k.engagement_rate_basis == "video_views"
    assert k.values["engagement_rate"] == pytest.approx(63 / 2080)
    assert posts == 2


def test_viewers_are_averaged_never_summed(
    make_project, warehouse_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    viewers = tmp_path / "Viewers.csv"
    viewers.write_text(
        '"Date","Total Viewers","New Viewers","Returning Viewers"\n'
        '"January 1","700","600","100"\n"January 2","750","640","110"\n'
        '"January 3","undefined","0","0"',
        encoding="utf-8-sig",
    )
    root = make_project({"acme": {"2026-01/tiktok/Viewers.csv": viewers}}, warehouse_url)
    assert ingest(load_project(root)).exit_code == 0
    with connect(warehouse_url) as wh:
        k = monthly_kpis(wh, "acme", "2026-01", "2026-01")[("tiktok", "2026-01")]
    # unique people per day: the month shows their daily average, never a sum
    assert k.values["reach_daily_sum"] is None
    assert k.values["reach_daily_avg"] == 725
