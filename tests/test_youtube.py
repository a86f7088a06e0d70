"""YouTube: values of real Studio downloads checked by hand against the files, the invented
files of each quirk (German soft hyphens, flagless zip names, Excel re-saves, footers), and a
month loaded end to end with YouTube's own engagement rate."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import polars as pl
import pytest

from socialmetrics.config import load_project
from socialmetrics.extract.readers import member_name, read_file
from socialmetrics.ingest import ingest
from socialmetrics.ingest.results import FileResult
from socialmetrics.marts.kpis import monthly_kpis
from socialmetrics.warehouse.base import connect
from tests.helpers.inspect import in_month

FILES = Path(__file__).resolve().parent / "files" / "youtube"


def _in_month(source: Path, month: str, tmp_path: Path) -> FileResult:
    return in_month(source, month, tmp_path, "youtube")


def _sample(samples: Path, name: str, month: str, tmp_path: Path) -> FileResult:
    return _in_month(samples / "youtube" / name, month, tmp_path)


def _row(frame: pl.DataFrame, **where: object) -> dict[str, object]:
    rows = frame.filter(pl.all_horizontal(pl.col(k) == v for k, v in where.items())).to_dicts()
    assert len(rows) == 1, where
    return rows[0]


def _values(frame: pl.DataFrame, segment: str) -> dict[str | None, tuple[float, str]]:
    """metric -> (value, unit) of one segment of an audience table."""
    rows = frame.filter(pl.col("segment") == segment).to_dicts()
    return {r["metric"]: (r["value"], r["unit"]) for r in rows}


# ---------------------------------------------------------------------------------------------
# real downloads (values read off the files by hand)


def test_portuguese_content_table_with_revenue(samples: Path, tmp_path: Path) -> None:
    result = _in_month(
        samples / "youtube" / "GianMartins__Dados da tabela.csv", "2023-12", tmp_path
    )
    (table,) = result.tables
    assert table.frame.height == 497  # 499 lines: the header and `Total` are not videos
    assert "Total" not in table.frame["post_id"].to_list()
    assert any("the export's total" in n and "32691244" in n for n in table.notes)
    video = _row(table.frame, post_id="MB8ilXEUvRs")
    assert video["post_text"].startswith("Pedro Cardoso implode debate na CNN")  # type: ignore[union-attr]
    assert video["published_date"] == dt.date(2023, 3, 25)
    assert video["hour_of_day"] is None
    assert video["video_views"] == 758264
    assert video["watch_time_hours"] == pytest.approx(56634.0561)
    assert video["followers_change"] == 6426
    assert video["estimated_revenue"] == pytest.approx(914.456)
    assert video["revenue_currency"] == "USD"
    assert video["impressions"] == 4925189
    assert video["impressions_ctr"] == pytest.approx(0.1004)
    assert video["post_url"] == "https://www.youtube.com/watch?v=MB8ilXEUvRs"
    assert video["content_type"] == "video"


def test_english_engagement_table(samples: Path, tmp_path: Path) -> None:
    result = _sample(samples, "ligardoisaghost__Table data.csv", "2025-11", tmp_path)
    (table,) = result.tables
    assert table.frame.height == 317
    video = _row(table.frame, post_id="1geIQxkXYGs")
    assert video["post_text"] == "March 27, 2021"  # a title that looks like a date stays text
    assert video["published_date"] == dt.date(2023, 9, 30)
    assert video["duration_seconds"] == 394
    assert video["video_views_engaged"] == 534
    assert video["video_views"] == 534
    assert video["followers_change"] == 2
    assert video["follows"] == 2 and video["followers_lost"] == 0
    assert video["average_percentage_viewed"] == pytest.approx(0.216)
    assert video["impressions"] == 1856
    assert video["impressions_ctr"] == pytest.approx(0.0436)
    assert video["likes"] == 5 and video["shares"] == 11 and video["comments"] == 0
    assert video["average_view_duration_seconds"] == 85  # 0:01:25
    assert video["dislikes"] == 7  # not in the model: merged into `extra` when loaded
    assert video["engagement_rate_video_views"] == pytest.approx(16 / 534)
    empty = _row(table.frame, post_id="VKld4xC93TY")  # a video with every metric blank
    assert empty["video_views"] is None and empty["engagements"] is None


def test_negative_net_likes_are_quarantined_not_zeroed(samples: Path, tmp_path: Path) -> None:
    result = _sample(samples, "journohindi__Table data.csv", "2026-04", tmp_path)
    (table,) = result.tables
    assert result.status == "partial"
    negative = [p for p in table.problems if p.column == "Likes"]
    assert len(negative) == 153 and all(p.raw.startswith("-") for p in negative)  # type: ignore[union-attr]
    assert table.frame.height == 484  # the videos themselves all load


def test_traffic_source_table_and_chart(samples: Path, tmp_path: Path) -> None:
    table_file = _in_month(
        samples / "youtube" / "RehanTharusha__Table data.csv", "2025-03", tmp_path
    )
    (table,) = table_file.tables
    assert set(table.frame["dimension"]) == {"traffic_source"}
    assert set(table.frame["audience"]) == {"viewers"}
    assert table.frame["as_of_date"].unique().to_list() == [dt.date(2025, 3, 31)]
    search = _values(table.frame, "YouTube search")
    assert search["video_views"] == (310588, "count")
    assert search["watch_time_hours"] == (pytest.approx(8153.1893), "number")
    assert search["average_view_duration_seconds"] == (94, "number")
    assert search["impressions"] == (2081278, "count")
    assert search["impressions_ctr"] == (pytest.approx(0.1167), "rate")
    assert "impressions" not in _values(table.frame, "Shorts feed")  # blank: no row, not 0
    assert "Total" not in table.frame["segment"].to_list()
    chart_file = _in_month(
        samples / "youtube" / "RehanTharusha__Chart data.csv", "2025-03", tmp_path
    )
    (chart,) = chart_file.tables
    day = chart.frame.filter(
        (pl.col("as_of_date") == dt.date(2025, 2, 28)) & (pl.col("segment") == "Direct or unknown")
    )
    assert day["value"].to_list() == [504] and day["metric"].to_list() == ["video_views"]


def test_shares_cities_and_subscription(samples: Path, tmp_path: Path) -> None:
    age = _sample(samples, "violetzq__viewer_age.csv", "2024-05", tmp_path)
    assert _values(age.tables[0].frame, "13–17 years")["video_views"] == (
        pytest.approx(0.0061),
        "share",
    )
    assert _values(age.tables[0].frame, "65+ years")["watch_time_hours"] == (
        pytest.approx(0.2198),
        "share",
    )
    pt = _sample(samples, "nataliaartilha__Dados da tabela.csv", "2024-05", tmp_path)
    assert set(pt.tables[0].frame["dimension"]) == {"age"}
    assert _values(pt.tables[0].frame, "25 a 34 anos")["video_views"] == (
        pytest.approx(0.4682),
        "share",
    )
    cities = _sample(samples, "violetzq__Viewer_Cities.csv", "2024-05", tmp_path)
    frame = cities.tables[0].frame
    assert frame.filter(pl.col("metric") == "video_views").height == 500  # the footer is not one
    new_york = frame.filter(
        (pl.col("segment") == "New York, NY, USA") & (pl.col("metric") == "video_views")
    ).to_dicts()[0]
    assert new_york["value"] == 2015694
    assert json.loads(new_york["extra"]) == {"Cities": "0x89c24fa5d33f083b:0xc80b8f06e177fe62"}
    subs = _sample(samples, "violetzq__Subscription_status.csv", "2024-05", tmp_path)
    assert _values(subs.tables[0].frame, "Subscribed")["video_views"] == (9692996, "count")


def test_studio_zip_is_read_inside(samples: Path, tmp_path: Path) -> None:
    name = (
        "mauriciodxavier__Conteúdo 2024-06-02_2025-06-02 UFSCar - Universidade Federal de "
        "São Carlos.zip"
    )
    result = _sample(samples, name, "2025-05", tmp_path)
    sheets = [t.sheet for t in result.tables]
    assert sheets == ["Dados da tabela.csv", "Dados do gráfico.csv", "Total.csv"]
    content, chart, totals = result.tables
    assert _row(content.frame, post_id="Zo7Ll82R0oQ")["video_views"] == 32749
    assert _row(totals.frame, date=dt.date(2024, 6, 2))["video_views"] == 259
    first = chart.frame.filter(
        (pl.col("as_of_date") == dt.date(2024, 6, 2)) & (pl.col("segment") == "Zo7Ll82R0oQ")
    ).to_dicts()
    assert [(r["metric"], r["value"]) for r in first] == [("video_views", 74)]
    assert json.loads(first[0]["extra"])["Título do vídeo"].startswith("Quero saber")
    # the breakdowns' day and the file's period come from the zip's name
    assert result.exported_through == dt.date(2025, 6, 2)


def test_revenue_chart_by_video_keeps_its_currency(samples: Path, tmp_path: Path) -> None:
    result = _in_month(
        samples / "youtube" / "GianMartins__Dados do gráfico.csv", "2023-06", tmp_path
    )
    frame = result.tables[0].frame
    assert set(frame["metric"]) == {"estimated_revenue"}
    last = frame.filter(
        (pl.col("as_of_date") == dt.date(2023, 6, 29)) & (pl.col("segment") == "oB1rpOQCr0Y")
    ).to_dicts()[0]
    assert last["value"] == pytest.approx(3.196)
    assert json.loads(last["extra"])["currency"] == "USD"


def test_daily_totals(samples: Path, tmp_path: Path) -> None:
    duration = _sample(samples, "prakashpathak111__Totals.csv", "2026-06", tmp_path)
    frame = duration.tables[0].frame
    assert _row(frame, date=dt.date(2026, 6, 24))["average_view_duration_seconds"] == 28
    assert _row(frame, date=dt.date(2023, 6, 24))["average_view_duration_seconds"] is None
    engaged = _sample(samples, "ligardoisaghost__Totals.csv", "2025-11", tmp_path)
    assert _row(engaged.tables[0].frame, date=dt.date(2025, 11, 12))["video_views_engaged"] == 189


# ---------------------------------------------------------------------------------------------
# invented files, one per quirk


def test_german_headers_with_soft_hyphens_and_gesamt(tmp_path: Path) -> None:
    result = _in_month(FILES / "Tabellendaten.csv", "2026-03", tmp_path)
    (table,) = result.tables
    assert result.status == "ok" and table.recognition.language == "de"
    assert table.frame["post_id"].to_list() == ["-AbCdEfGh12", "Zx9_YwVu8Ts"]  # space stripped
    video = _row(table.frame, post_id="-AbCdEfGh12")
    assert video["video_views"] == 1000 and video["watch_time_hours"] == 20.5
    assert video["average_view_duration_seconds"] == 74
    assert video["estimated_revenue"] == 2.5 and video["revenue_currency"] == "EUR"
    assert _row(table.frame, post_id="Zx9_YwVu8Ts")["followers_change"] == -1  # net: may be < 0
    assert any("Gesamt" not in n and "Aufrufe 1730" in n for n in table.notes)


def test_flagless_zip_member_names_are_repaired(tmp_path: Path) -> None:
    path = FILES / "Origem do tráfego 2026-03-01_2026-03-31 Acme.zip"
    with zipfile.ZipFile(path) as archive:
        raw = [info.filename for info in archive.infolist()]
        assert "Dados do gr├ífico.csv" in raw  # what zipfile makes of Studio's names
        assert [member_name(i) for i in archive.infolist()][1] == "Dados do gráfico.csv"
    result = _in_month(path, "2026-03", tmp_path)
    table, chart, totals = result.tables
    assert (table.sheet, chart.sheet, totals.sheet) == (
        "Dados da tabela.csv",
        "Dados do gráfico.csv",
        "Total.csv",
    )
    assert table.frame["as_of_date"].unique().to_list() == [dt.date(2026, 3, 31)]
    assert _values(table.frame, "Pesquisa do YouTube")["video_views"] == (600, "count")
    assert chart.frame.height == 3 and totals.frame["video_views"].to_list() == [31, 29]


def test_excel_resaved_chart_and_footer(tmp_path: Path) -> None:
    chart = _in_month(FILES / "Chart data.csv", "2026-03", tmp_path).tables[0].frame
    assert set(chart["dimension"]) == {"device_type"}
    assert chart.sort("as_of_date")["as_of_date"].to_list() == [
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 2),
    ]
    raw = read_file(FILES / "Viewer cities.csv")
    assert raw.notes == ["line 4: footer 'Showing top 500 results' is not data"]
    cities = _in_month(FILES / "Viewer cities.csv", "2026-03", tmp_path)
    assert cities.status == "ok"
    assert sorted(set(cities.tables[0].frame["segment"])) == ["London, UK", "New York, NY, USA"]


def test_a_one_word_last_line_is_still_data(tmp_path: Path) -> None:
    path = tmp_path / "Table data.csv"
    path.write_text("Traffic source,Views,Watch time (hours)\nTotal,5,1\nExternal,5,1\nOther\n")
    assert read_file(path).tables[0].rows[-1] == ["Other"]


# ---------------------------------------------------------------------------------------------
# a month end to end


def test_month_loads_with_video_views_rate(tmp_path: Path) -> None:
    from socialmetrics.demo.generator import DemoClient, generate_demo

    clients = (DemoClient("canal", "Canal Demo", "en", "Europe/Madrid", "#000000", ("youtube",)),)
    generate_demo(tmp_path, clients=1, months=1, seed=3, end_month="2026-03", roster=clients)
    summary = ingest(load_project(tmp_path))
    assert summary.exit_code == 0, summary.to_json()
    assert {f.status for f in summary.files} == {"ok"}
    project = load_project(tmp_path)
    with connect(project.warehouse_url, tmp_path) as wh:
        kpis = monthly_kpis(wh, "canal", "2026-03", "2026-03")[("youtube", "2026-03")]
        (views,) = wh.query(
            "SELECT SUM(video_views) FROM account_daily "  # both zips hold Totals.csv: one copy
            "WHERE date BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'"
        )[0]
        sources = wh.query(
            "SELECT COUNT(DISTINCT segment) FROM audience WHERE dimension = 'traffic_source' "
            "AND metric = 'video_views' AND as_of_date = DATE '2026-03-31'"
        )
    assert kpis.get("video_views") == views
    assert kpis.get("engagement_rate") is not None
    assert kpis.engagement_rate_basis == "video_views"
    assert sources == [(5,)]
