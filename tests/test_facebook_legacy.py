"""Legacy "Facebook Insights Data Export" files (issue 9): page and post level CSVs whose second
row describes the columns, and the `.xls` that is really XML Spreadsheet 2003. Invented files
per quirk, the real samples by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from socialmetrics.config import load_project
from socialmetrics.errors import FileReadError
from socialmetrics.extract.readers import read_file
from socialmetrics.ingest import ingest
from socialmetrics.warehouse.base import connect
from tests.helpers.inspect import at

FILES = Path(__file__).resolve().parent / "files"
PAGE = "facebook/Facebook Insights Data Export - Acme - 2026-03-01 - 2026-03-02.csv"
POSTS = "facebook/Facebook Insights Data Export (Post Level) - Acme - 2026-03-01 - 2026-03-02.csv"
WORKBOOK = "facebook/Facebook Insights Data Export - Acme - 2026-03-02.xls"


def test_page_export_skips_its_description_row_and_keeps_every_other_column() -> None:
    result = at(FILES, PAGE)
    (table,) = result.tables
    assert result.status == "ok" and not table.problems
    assert table.recognition.layout_exact  # thousands of rolling windows are no drift
    first = table.frame.row(0, named=True)
    assert first["date"] == dt.date(2026, 3, 1)
    assert (first["followers_total"], first["followers_gained"], first["followers_lost"]) == (
        1200,
        4,
        1,
    )
    assert (first["reach"], first["reach_paid"], first["impressions"], first["page_views"]) == (
        310,
        60,
        700,
        12,
    )
    assert json.loads(first["extra"]) == {
        "Weekly Total Reach": "2100",
        "Daily Logged-in Page Views (column 13)": "12",
    }
    second = table.frame.row(1, named=True)
    assert second["video_views"] is None  # blank is missing, never 0


def test_post_export_is_one_post_per_row_with_lifetime_figures() -> None:
    (table,) = at(FILES, POSTS).tables
    assert table.kind == "posts" and not table.problems
    posts = {r["post_id"]: r for r in table.frame.to_dicts()}
    photo = posts["100200300_400500600"]
    assert photo["published_at"] == dt.datetime(2026, 3, 1, 19, 40, 16)  # 07:40:16 PM
    assert (photo["reach"], photo["reach_paid"], photo["impressions_paid"]) == (300, 50, 90)
    assert (photo["likes"], photo["comments"], photo["shares"]) == (12, None, 3)
    assert photo["engagements"] == 15  # a blank action type is none
    assert photo["content_type"] == "image"
    assert json.loads(photo["extra"])["Lifetime Engaged Users"] == "41"
    video = posts["100200300_400500601"]
    assert (video["video_views_organic"], video["video_views"]) == (310, 310)
    assert video["content_type"] == "video"


def test_xml_spreadsheet_xls_is_read_sheet_by_sheet() -> None:
    raw = read_file(FILES / WORKBOOK)
    assert raw.format == "xml_spreadsheet"
    assert [t.sheet for t in raw.tables] == [
        "Key Metrics",
        "Daily Like Source",
        "Lifetime Likes by Gender and...",
        "Lifetime Likes by City",
    ]
    key = raw.tables[0]
    assert key.rows[3][:6] == ["2026-03-02", "5018", "18", "0", "", "800"]  # ss:Index="6"
    assert raw.tables[3].rows[0][3] == "Hu\ufffd?e"  # a byte that is not UTF-8: replaced


def test_xml_spreadsheet_loads_key_metrics_and_breakdowns() -> None:
    result = at(FILES, WORKBOOK)
    assert result.status == "ok" and not result.unrecognised
    tables = {t.sheet: t for t in result.tables}
    key = tables["Key Metrics"].frame
    assert key["date"].to_list() == [dt.date(2026, 3, 1), dt.date(2026, 3, 2)]
    assert key["followers_total"].to_list() == [5000, 5018]
    assert key["reach"].to_list() == [900, 800]
    assert key["video_views_paid"].to_list() == [100, 0]
    ages = tables["Lifetime Likes by Gender and..."].frame
    assert set(ages["dimension"]) == {"age_gender"} and set(ages["audience"]) == {"followers"}
    day2 = ages.filter(pl.col("as_of_date") == dt.date(2026, 3, 2))
    assert sorted(zip(day2["segment"], day2["gender"], day2["value"], strict=True)) == [
        ("18-24", "female", 2110),
        ("18-24", "male", 1806),
        ("25-34", "other", 40),
    ]
    sources = tables["Daily Like Source"].frame
    assert sources.select("dimension", "segment", "value").rows() == [
        ("daily_like_source", "feed_story", 5.0)  # a blank cell is no row
    ]
    assert json.loads(sources["extra"][0]) == {"description": "Daily: where people liked the page."}


def test_broken_xml_spreadsheet_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "Facebook Insights Data Export - Acme.xls"
    bad.write_text(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "<Worksheet><Table><Row>",
        encoding="utf-8",
    )
    with pytest.raises(FileReadError, match="XML Spreadsheet 2003"):
        read_file(bad)
    bomb = tmp_path / "entities.xls"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">&a;</Workbook>',
        encoding="utf-8",
    )
    with pytest.raises(FileReadError, match="XML Spreadsheet 2003"):
        read_file(bomb)  # entities are refused, never expanded


def test_legacy_exports_load_into_the_warehouse(make_project, warehouse_url: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {f"2026-03/facebook/{Path(r).name}": FILES / r for r in (PAGE, POSTS)},
            "lok": {f"2026-03/facebook/{Path(WORKBOOK).name}": FILES / WORKBOOK},
        },
        warehouse_url,
    )
    summary = ingest(load_project(root))
    assert summary.exit_code == 0
    with connect(warehouse_url, root) as wh:
        daily = wh.query(
            "SELECT client_id, date, followers_total, reach FROM account_daily "
            "WHERE platform = 'facebook' ORDER BY client_id, date"
        )
        posts = wh.query("SELECT COUNT(*) FROM posts WHERE platform = 'facebook'")
        ages = wh.query(
            "SELECT segment, gender, value FROM audience WHERE client_id = 'lok' "
            "AND dimension = 'age_gender' AND as_of_date = DATE '2026-03-02' ORDER BY value"
        )
        changes = wh.query("SELECT COUNT(*) FROM layout_changes WHERE status = 'pending'")
    assert daily == [
        ("acme", dt.date(2026, 3, 1), 1200, 310),
        ("acme", dt.date(2026, 3, 2), 1203, 280),
        ("lok", dt.date(2026, 3, 1), 5000, 900),
        ("lok", dt.date(2026, 3, 2), 5018, 800),
    ]
    assert posts == [(2,)]
    assert ages == [
        ("25-34", "other", 40.0),
        ("18-24", "male", 1806.0),
        ("18-24", "female", 2110.0),
    ]
    assert changes == [(0,)]


def test_real_legacy_exports(samples: Path) -> None:
    page = at(
        samples,
        "facebook/johankitti__Facebook Insights Data Export - Visualization Studio VIC - "
        "2015-08-19 - 2016-02-15.csv",
    ).tables[0]
    assert page.frame.height == 180 and not page.problems
    first = page.frame.row(0, named=True)
    assert (first["date"], first["followers_total"], first["reach"], first["impressions"]) == (
        dt.date(2015, 8, 19),
        771,
        213,
        590,
    )
    posts = at(
        samples,
        "facebook/johankitti__Facebook Insights Data Export (Post Level) - Visualization Studio "
        "VIC - 2015-08-19 - 2016-02-15.csv",
    ).tables[0]
    post = posts.frame.filter(pl.col("post_id") == "518995791497187_1107861962610564").to_dicts()
    assert (post[0]["reach"], post[0]["impressions"], post[0]["video_views"]) == (1115, 4882, 485)
    assert post[0]["published_at"] == dt.datetime(2016, 2, 10, 0, 56, 3)
    workbook = at(
        samples, "facebook/viethngn__Facebook Insights Data Export - LOK - 2017-07-05.xls"
    )
    assert len(workbook.tables) == 38 and not workbook.unrecognised
    key = workbook.tables[0].frame
    assert key.height == 28
    june9 = key.filter(pl.col("date") == dt.date(2017, 6, 9)).to_dicts()[0]
    assert (june9["followers_total"], june9["followers_gained"], june9["reach"]) == (
        41883,
        195,
        135833,
    )
    cities = next(t for t in workbook.tables if t.sheet == "Lifetime Likes by City").frame
    assert set(cities["dimension"]) == {"city"}
