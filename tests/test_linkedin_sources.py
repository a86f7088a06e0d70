"""LinkedIn beyond the page exports (issue 9): boosted posts listed several times, competitor
analytics and creator (personal profile) exports. Invented files per quirk, real samples by
hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from socialmetrics.config import load_project
from socialmetrics.extract.discover import SourceFile
from socialmetrics.ingest import ingest
from socialmetrics.ingest.inspect import inspect_file
from socialmetrics.ingest.results import FileResult
from socialmetrics.warehouse.base import connect
from tests.helpers.inspect import at

FILES = Path(__file__).resolve().parent / "files"
BOOSTED = "linkedin/acme_content_1774000000000.xlsx"


def test_boosted_post_rows_are_one_post_with_organic_and_paid_parts() -> None:
    result = at(FILES, BOOSTED)
    (table,) = result.tables
    assert result.status == "ok" and not table.problems and table.duplicates == 0
    posts = {r["post_id"]: r for r in table.frame.to_dicts()}
    boosted = posts["urn:li:activity:7300000000000000001"]
    assert boosted["source_row"] == 6  # the Total row is the post
    assert (boosted["impressions"], boosted["impressions_organic"]) == (5000, 800)
    assert boosted["impressions_paid"] == 3000 + 1200
    assert (boosted["clicks_paid"], boosted["likes_paid"], boosted["follows_paid"]) == (75, 35, 8)
    assert boosted["engagements"] == 95 + 65 + 4 + 3 + 8  # LinkedIn's parts, from the Total row
    campaigns = json.loads(boosted["extra"])["campaigns"]
    assert [(c["campaign_name"], c["impressions"], c["source_row"]) for c in campaigns] == [
        ("Spring launch - awareness", 3000, 4),
        ("Spring launch - retargeting", 1200, 5),
    ]
    assert campaigns[0]["campaign_start_date"] == "2026-03-05"
    organic_only = posts["urn:li:activity:7300000000000000002"]
    assert (organic_only["impressions_organic"], organic_only["impressions_paid"]) == (400, 0)
    assert any("1 boosted post(s)" in n for n in table.notes)


def test_boosted_post_loads_once_and_keeps_its_campaigns(  # type: ignore[no-untyped-def]
    make_project, warehouse_url: str
) -> None:
    root = make_project({"acme": {"2026-03/linkedin/content.xlsx": FILES / BOOSTED}}, warehouse_url)
    summary = ingest(load_project(root))
    assert summary.exit_code == 0
    with connect(warehouse_url, root) as wh:
        rows = wh.query(
            "SELECT post_id, impressions, impressions_organic, impressions_paid, extra "
            "FROM posts ORDER BY post_id"
        )
        quarantined = wh.query("SELECT count(*) FROM quarantine")
    assert quarantined == [(0,)]
    assert [r[:4] for r in rows] == [
        ("urn:li:activity:7300000000000000001", 5000, 800, 4200),
        ("urn:li:activity:7300000000000000002", 400, 400, 0),
    ]
    extra = json.loads(rows[0][4])
    assert len(extra["campaigns"]) == 2 and extra["paid_status"] == "Total"


def test_real_content_exports_fill_the_organic_part(samples: Path) -> None:
    result = at(samples, "linkedin/ethioware__Linkedin_1_year_stat_content.xls")
    posts = next(t for t in result.tables if t.kind == "posts").frame
    assert posts.height == 53
    assert posts["impressions"].equals(posts["impressions_organic"], check_names=False)
    assert posts["impressions_paid"].sum() == 0
    assert posts.filter(pl.col("impressions_organic").is_null()).height == 0


COMPETITORS = "linkedin/Acme Foods_competitor_analytics_1774000000001.xlsx"


def test_competitor_analytics_are_pages_over_the_period_above_the_table(
    make_project,  # type: ignore[no-untyped-def]
    warehouse_url: str,
) -> None:
    root = make_project(
        {"acme": {f"2026-03/linkedin/{Path(COMPETITORS).name}": FILES / COMPETITORS}},
        warehouse_url,
    )
    summary = ingest(load_project(root))
    assert summary.exit_code == 0
    with connect(warehouse_url, root) as wh:
        rows = wh.query(
            "SELECT page, page_role, period_start, period_end, followers_total, followers_gained, "
            "engagements, posts_published FROM competitors ORDER BY followers_total DESC"
        )
    assert [(r[0], r[1], str(r[2]), str(r[3])) for r in rows] == [
        ("Verde Organics", "competitor", "2026-03-01", "2026-03-31"),
        ("Acme Foods", "client", "2026-03-01", "2026-03-31"),
        ("Panadería <Sol> & Co", "competitor", "2026-03-01", "2026-03-31"),
    ]
    assert rows[1][4:] == (2400, 95, 610, 9)


def test_competitor_file_without_a_period_loads_nothing_and_says_why(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "Acme_competitor_analytics_1.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("COMPETITORS")
    sheet.write_row(0, 0, ["Page", "Total Followers", "New Followers"])
    sheet.write_row(1, 0, ["Acme", 10, 1])
    book.close()
    result = inspect_file(SourceFile(path, "acme", tmp_path))
    (table,) = result.tables
    assert table.frame.height == 0
    assert [p.describe() for p in table.problems] == [
        "sheet 'COMPETITORS', row 2, column 'period': row not loaded: the export names no "
        "period (two dates above the header)"
    ]


def test_real_competitor_analytics(samples: Path) -> None:
    rel = (
        "linkedin/polly-r__Business Schools 4 Climate Leadership Africa_competitor_analytics_"
        "1739343948666.xlsx"
    )
    (table,) = at(samples, rel).tables
    frame = table.frame
    assert frame.height == 10 and not table.problems
    assert set(frame["period_start"]) == {dt.date(2024, 2, 12)}
    assert set(frame["period_end"]) == {dt.date(2025, 2, 10)}
    own = frame.filter(pl.col("page_role") == "client").to_dicts()
    assert [(r["page"], r["followers_total"], r["posts_published"]) for r in own] == [
        ("Business Schools 4 Climate Leadership Africa", 153, 14)
    ]
    un = frame.filter(pl.col("page") == "UN Climate Change").to_dicts()[0]
    assert (un["followers_total"], un["followers_gained"], un["engagements"]) == (
        551593,
        76732,
        146421,
    )


CREATOR = "linkedin/Content_2026-03-31.xlsx"


def _by_sheet(result: FileResult) -> dict[str | None, pl.DataFrame]:
    return {t.sheet: t.frame for t in result.tables}


def test_creator_export_is_read_whole_despite_its_one_cell_dimension() -> None:
    result = at(FILES, CREATOR)
    assert result.status == "ok" and not result.unrecognised
    sheets = _by_sheet(result)
    assert [t.recognition.spec.id for t in result.tables] == [  # type: ignore[union-attr]
        "linkedin_creator_discovery",
        "linkedin_creator_engagement",
        "linkedin_creator_top_posts",
        "linkedin_creator_followers",
        "linkedin_creator_demographics",
    ]
    engagement = sheets["ENGAGEMENT"]
    assert engagement.height == 31  # the sheet declares <dimension ref="A1"/>
    assert engagement.row(-1, named=True) | {"extra": None} == {
        "source_row": 32,
        "date": dt.date(2026, 3, 31),
        "impressions": 102.0,
        "engagements": 3.0,
        "extra": None,
    }


def test_creator_followers_total_is_the_line_above_the_table() -> None:
    followers = _by_sheet(at(FILES, CREATOR))["FOLLOWERS"]
    assert followers.height == 31
    last = followers.filter(pl.col("date") == dt.date(2026, 3, 31)).to_dicts()[0]
    assert (last["followers_total"], last["followers_gained"]) == (1204, 3)
    assert followers["followers_total"].drop_nulls().to_list() == [1204]


def test_creator_top_posts_side_by_side_are_joined_by_post() -> None:
    posts = _by_sheet(at(FILES, CREATOR))["TOP POSTS"]
    got = {
        r["post_id"][-2:]: (r["published_at"].date(), r["engagements"], r["impressions"])
        for r in posts.to_dicts()
    }
    assert got == {
        "01": (dt.date(2026, 3, 3), 41, 610),
        "02": (dt.date(2026, 3, 10), 17, 950),
        "03": (dt.date(2026, 3, 24), 5, None),  # only in the top by engagements
        "04": (dt.date(2026, 3, 28), None, 120),  # only in the top by impressions
    }
    assert posts["hour_of_day"].is_null().all()  # a day, not midnight


def test_creator_demographics_rows_name_their_dimension_and_keep_below_one_percent() -> None:
    demographics = _by_sheet(at(FILES, CREATOR))["DEMOGRAPHICS"]
    rows = [
        (r["dimension"], r["segment"], r["value"], r["extra"], str(r["as_of_date"]))
        for r in demographics.to_dicts()
    ]
    assert rows == [
        ("job_title", "Data Analyst", 0.21, None, "2026-03-31"),
        ("job_title", "Chef", None, '{"Percentage": "< 1%"}', "2026-03-31"),
        ("location", "Madrid", 0.4, None, "2026-03-31"),
        ("seniority", "Senior", 0.3, None, "2026-03-31"),
        ("company_size", "11-50 employees", 0.12, None, "2026-03-31"),
        ("company", "Acme Foods", 0.05, None, "2026-03-31"),
    ]
    assert set(demographics["audience"]) == {"reached"}


def test_creator_discovery_is_the_period_reach_never_a_sum_of_days(  # type: ignore[no-untyped-def]
    make_project, warehouse_url: str
) -> None:
    discovery = _by_sheet(at(FILES, CREATOR))["DISCOVERY"]
    assert [(r["metric"], r["value"], r["dimension"]) for r in discovery.to_dicts()] == [
        ("impressions", 1830, "total"),
        ("reach", 905, "total"),
    ]
    assert set(discovery["as_of_date"]) == {dt.date(2026, 3, 31)}
    root = make_project({"ana": {"2026-03/linkedin/Content_2026-03-31.xlsx": FILES / CREATOR}})
    summary = ingest(load_project(root))
    assert summary.exit_code == 0
    with connect(f"duckdb:///{root.parent / 'warehouse.duckdb'}", root) as wh:
        changes = wh.query("SELECT spec, change, header_new FROM layout_changes")
        reach = wh.query(
            "SELECT value, extra FROM audience WHERE dimension = 'total' AND metric = 'reach'"
        )
        daily = wh.query("SELECT COUNT(*), SUM(impressions) FROM account_daily")
    assert changes == []  # the period in the header is not a column, nor a rename
    assert reach == [(905.0, '{"period_start": "2026-03-01", "period_end": "2026-03-31"}')]
    assert daily == [(31, sum(40 + d * 2 for d in range(1, 32)))]


def test_real_creator_export(samples: Path) -> None:
    result = at(samples, "linkedin/amradel18__Content_2026-03-17.xlsx")
    assert result.status == "ok" and not result.unrecognised
    assert {t.platform for t in result.tables} == {"linkedin"}
    sheets = _by_sheet(result)
    discovery = {r["metric"]: r["value"] for r in sheets["DISCOVERY"].to_dicts()}
    assert discovery == {"impressions": 22026, "reach": 8209}
    engagement = sheets["ENGAGEMENT"]
    assert engagement["date"].min() == dt.date(2025, 2, 11)
    assert engagement["date"].max() == dt.date(2026, 3, 17)
    followers = sheets["FOLLOWERS"]
    assert followers.filter(pl.col("date") == dt.date(2025, 3, 3))["followers_gained"][0] == 36
    assert followers["followers_total"].drop_nulls().to_list() == [2996]
    top = {r["post_id"]: r for r in sheets["TOP POSTS"].to_dicts()}
    first = top["urn:li:activity:7438811255978700800"]
    assert (first["engagements"], first["impressions"]) == (115, 2722)
    assert top["urn:li:activity:7418295543111749632"]["impressions"] == 5246
    demographics = sheets["DEMOGRAPHICS"]
    assert demographics.height == 30
    cairo = demographics.filter(pl.col("segment") == "Cairo").to_dicts()[0]
    assert (cairo["dimension"], round(cairo["value"], 4)) == ("location", 0.2043)
    assert demographics.filter(pl.col("value").is_null()).height == 4  # the `< 1%` rows


def test_report_shows_the_benchmark_and_the_paid_share(  # type: ignore[no-untyped-def]
    make_project, warehouse_url: str, tmp_path: Path
) -> None:
    import fastexcel

    from socialmetrics.config import load_client
    from socialmetrics.ops.report import write_reports
    from socialmetrics.report.data import build_report

    root = make_project(
        {
            "acme": {
                "2026-03/linkedin/acme_content_1774000000000.xlsx": FILES / BOOSTED,
                f"2026-03/linkedin/{Path(COMPETITORS).name}": FILES / COMPETITORS,
            }
        },
        warehouse_url,
    )
    assert ingest(load_project(root)).exit_code == 0
    project = load_project(root)
    with connect(warehouse_url, root) as wh:
        data = build_report(wh, load_client(project.clients_dir / "acme", project), "2026-03")
    (section,) = data.sections
    cards = {c.kpi: c.value for c in section.cards}
    assert cards["impressions_paid"] == 4200  # the boosted post's campaigns
    assert cards["impressions_paid_share"] == pytest.approx(4200 / 5400)
    assert [(c["page"], c["page_role"]) for c in section.competitors] == [
        ("Verde Organics", "competitor"),
        ("Acme Foods", "client"),
        ("Panadería <Sol> & Co", "competitor"),
    ]
    written = write_reports(project, month="2026-03", language="en", formats=("html", "xlsx"))
    html = next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8")
    assert "Competitor benchmark (Mar 1, 2026 – Mar 31, 2026)" in html
    assert '<tr class="own"><td>Acme Foods</td>' in html
    assert "Panadería &lt;Sol&gt; &amp; Co" in html and "<Sol>" not in html
    assert "Paid share of impressions" in html
    book = fastexcel.read_excel(next(p for p in written if p.suffix == ".xlsx"))
    benchmark = book.load_sheet("Competitors").to_polars()
    assert benchmark["page"].to_list()[1] == "Acme Foods"
    assert benchmark["followers_total"].to_list() == [5210, 2400, 880]
