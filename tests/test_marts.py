"""KPI arithmetic against hand-computed values, on DuckDB and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.marts import breakdowns
from socialmetrics.marts.kpis import monthly_kpis
from socialmetrics.months import shift
from socialmetrics.warehouse.base import connect
from socialmetrics.warehouse.marts import MARTS, expectation_failures


@pytest.fixture
def loaded(make_project, files: Path, warehouse_url: str):  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {
                "x/account_overview_analytics.csv": files
                / "twitter/account_overview_analytics.csv",
                "instagram/Reach.csv": files / "instagram/Reach.csv",
                "2026-02/instagram/publico.csv": files / "instagram/publico.csv",
                "2026-03/instagram/contenido.csv": files / "instagram/contenido_es.csv",
                "li/acme_content.xlsx": files / "linkedin/acme_content_1790000000000.xlsx",
                "li/boosted_content_1774000000000.xlsx": files
                / "linkedin/acme_content_1774000000000.xlsx",
                "li/Acme Foods_competitor_analytics_1774000000001.xlsx": files
                / "linkedin/Acme Foods_competitor_analytics_1774000000001.xlsx",
            }
        },
        warehouse_url,
    )
    ingest(load_project(root))
    wh = connect(warehouse_url)
    yield wh
    wh.close()


def test_twitter_month_by_hand(loaded) -> None:  # type: ignore[no-untyped-def]
    k = monthly_kpis(loaded, "acme", "2025-02", "2025-02")[("twitter", "2025-02")]
    v = k.values
    # days 9, 16 (98: the first of the pasted duplicates), 17, 18
    assert v["impressions"] == 50 + 98 + 426 + 62
    assert v["engagements"] == 2 + 8 + 49 + 3
    assert v["followers_net"] == (0 + 2 + 2 + 1) - (1 + 0 + 0 + 0)
    assert v["followers_end"] is None and v["followers_growth"] is None  # unknown, not 0
    assert v["saves_shares"] == (0 + 0 + 1 + 0) + (0 + 0 + 2 + 0)  # bookmarks + reposts
    assert v["profile_visits"] == 0 + 1 + 4 + 1
    assert v["posts_published"] == 1 + 0 + 2 + 0
    assert v["engagement_rate"] == pytest.approx(62 / 636)
    assert k.engagement_rate_basis == "impressions"
    assert v["reach_daily_sum"] is None


def test_instagram_reach_is_labelled_a_sum_of_daily_reach(loaded) -> None:  # type: ignore[no-untyped-def]
    kpis = monthly_kpis(loaded, "acme", "2026-02", "2026-05")
    may = kpis[("instagram", "2026-05")].values
    assert may["reach_daily_sum"] == 1200 + 1350 + 980 + 1010
    assert may["engagements"] is None and may["engagement_rate"] is None
    march = kpis[("instagram", "2026-03")]
    assert march.values["posts_published"] == 2
    assert march.values["engagements"] == 104 + 225  # from the posts: no daily figure that month
    assert march.sources["engagements"] == "posts"
    assert march.values["followers_end"] == 1234  # the audience export dated 2026-02-28
    assert march.engagement_rate_basis == "reach (sum of daily reach)"
    followers_rate = monthly_kpis(loaded, "acme", "2026-03", "2026-03", basis="followers")
    assert followers_rate[("instagram", "2026-03")].values["engagement_rate"] == pytest.approx(
        329 / 1234
    )


def test_linkedin_native_rate(loaded) -> None:  # type: ignore[no-untyped-def]
    k = monthly_kpis(loaded, "acme", "2024-07", "2024-08")
    july = k[("linkedin", "2024-07")].values
    # Jul 30: 34 impressions; Jul 31: 169.
    # Engagements derived: clicks + reactions + comments + shares
    assert july["impressions"] == 34 + 169
    assert july["engagements"] == (2 + 0 + 0 + 0) + (7 + 17 + 0 + 0)
    assert july["engagement_rate"] == pytest.approx(26 / 203)


def test_deltas_percent_for_counts_points_for_rates(loaded) -> None:  # type: ignore[no-untyped-def]
    """The mart's month-over-month deltas: relative change for counts, points for rates; NULL
    without a previous month (never 0)."""
    k = monthly_kpis(loaded, "acme", "2024-07", "2024-08")
    july, august = k[("linkedin", "2024-07")], k[("linkedin", "2024-08")]
    jul_imp, aug_imp = july.values["impressions"], august.values["impressions"]
    assert jul_imp and aug_imp is not None
    assert august.mom["impressions"] == pytest.approx((aug_imp - jul_imp) / jul_imp)
    jul_rate, aug_rate = july.values["engagement_rate"], august.values["engagement_rate"]
    assert jul_rate is not None and aug_rate is not None
    assert august.mom["engagement_rate"] == pytest.approx((aug_rate - jul_rate) * 100)
    assert july.mom["impressions"] is None and july.yoy["impressions"] is None
    assert shift("2026-01", -1) == "2025-12" and shift("2026-10", -12) == "2025-10"


@pytest.mark.parametrize("mart", MARTS, ids=lambda m: m.name)
def test_mart_columns_and_expectations(loaded, mart) -> None:  # type: ignore[no-untyped-def]
    """Every mart has exactly its declared columns, a unique key and its not-null columns,
    on both warehouses (over data that has rows for it)."""
    assert expectation_failures(loaded, mart) == []
    assert loaded.query(f"SELECT COUNT(*) FROM {mart.name}")[0][0] > 0


def test_marts_answer_any_sql_client(loaded) -> None:  # type: ignore[no-untyped-def]
    rows = loaded.query(
        "SELECT platform, month, impressions, engagements, engagement_rate_basis "
        "FROM monthly_kpis WHERE client_id = 'acme' AND platform = 'linkedin' ORDER BY month"
    )
    assert rows[0][2:] == (203.0, 26.0, "impressions")


def test_only_additive_metrics_are_summed() -> None:
    from socialmetrics.model import METRIC_BY_NAME
    from socialmetrics.warehouse.kpis import DAILY_SUMS, POST_SUMS

    assert all(METRIC_BY_NAME[m].additive for m in (*DAILY_SUMS, *POST_SUMS))
    assert "reach" not in DAILY_SUMS and "followers_total" not in DAILY_SUMS


def test_breakdowns(loaded) -> None:  # type: ignore[no-untyped-def]
    def instagram(rows: list[dict[str, object]]) -> list[dict[str, object]]:
        return [r for r in rows if r["platform"] == "instagram"]

    top = instagram(breakdowns.top_posts(loaded, "acme", "2026-03"))
    assert [(p["platform"], p["post_id"], p["engagements"]) for p in top] == [
        ("instagram", "18000000000000002", 225),
        ("instagram", "18000000000000001", 104),
    ]
    types = instagram(breakdowns.content_types(loaded, "acme", "2026-03"))
    assert {(t["content_type"], t["posts"]) for t in types} == {("image", 1), ("reel", 1)}
    times = instagram(breakdowns.best_times(loaded, "acme", "2026-03"))
    assert {(t["day_of_week"], t["hour_of_day"]) for t in times} == {(3, 9), (5, 19)}
    aud = instagram(breakdowns.audience(loaded, "acme", "2026-03"))
    assert {a["dimension"] for a in aud} == {"total", "age_gender", "city"}
    benchmark = breakdowns.competitors(loaded, "acme", "2026-03")
    assert [(c["platform"], c["page"], c["followers_total"]) for c in benchmark] == [
        ("linkedin", "Verde Organics", 5210),
        ("linkedin", "Acme Foods", 2400),
        ("linkedin", "Panadería <Sol> & Co", 880),
    ]


def test_follower_growth_by_hand(make_project, files: Path, warehouse_url: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {
                "2026-05/instagram/publico.csv": files / "instagram/publico.csv",  # 1,234 on May 31
                "2026-05/instagram/Seguidores.csv": files / "instagram/Seguidores.csv",  # 3 + 1 new
            }
        },
        warehouse_url,
    )
    ingest(load_project(root))
    wh = connect(warehouse_url)
    try:
        may = monthly_kpis(wh, "acme", "2026-05", "2026-05")[("instagram", "2026-05")].values
    finally:
        wh.close()
    assert (may["followers_end"], may["followers_net"]) == (1234, 4)
    assert may["followers_growth"] == pytest.approx(4 / (1234 - 4))


def test_marts_hold_their_keys_over_every_platform(tmp_path: Path) -> None:
    """The test files of all six platforms (YouTube's breakdowns carry several measures per
    segment): every mart keeps its unique key and not-null columns."""
    from tests.helpers.crash import make_agency

    url = f"duckdb:///{tmp_path / 'all.duckdb'}"
    ingest(load_project(make_agency(tmp_path / "agency", url)))
    with connect(url) as wh:
        failures = {m.name: expectation_failures(wh, m) for m in MARTS}
        measures = wh.query(
            "SELECT DISTINCT metric, unit FROM audience_latest WHERE platform = 'youtube' "
            "AND dimension = 'age' ORDER BY metric NULLS FIRST, unit"
        )
    assert failures == {m.name: [] for m in MARTS}
    assert ("video_views", "share") in measures and ("watch_time_hours", "share") in measures
