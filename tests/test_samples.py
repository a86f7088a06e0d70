"""Every real export in ../shared/samples is recognised correctly and loads, with values checked
by hand against the files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from socialmetrics.extract.discover import SourceFile
from socialmetrics.ingest.inspect import inspect_file
from socialmetrics.ingest.results import FileResult

# file -> [(sheet or block title, spec, platform, rows after de-duplication)]
EXPECTED: dict[str, list[tuple[str | None, str, str, int]]] = {
    "facebook/johankitti__Facebook Insights Data Export (Post Level) - Visualization Studio VIC"
    " - 2015-08-19 - 2016-02-15.csv": [
        (None, "facebook_insights_posts", "facebook", 170),
    ],
    "facebook/johankitti__Facebook Insights Data Export - Visualization Studio VIC - 2015-08-19"
    " - 2016-02-15.csv": [
        (None, "facebook_insights_page", "facebook", 180),
    ],
    "facebook/viethngn__Facebook Insights Data Export - LOK - 2017-07-05.xls": [
        ("Key Metrics", "facebook_insights_page", "facebook", 28),
        ("Daily Like Source", "facebook_insights_breakdown", "facebook", 248),
        ("Daily Total Frequency Distri...", "facebook_insights_breakdown", "facebook", 208),
        ("Daily Page Posts Frequency D...", "facebook_insights_breakdown", "facebook", 208),
        ("Daily Page Stories By Story...", "facebook_insights_breakdown", "facebook", 252),
        ("Daily Page Consumptions By Type", "facebook_insights_breakdown", "facebook", 140),
        ("Daily Reach Demographics", "facebook_insights_breakdown", "facebook", 499),
        ("Daily Demographics People Ta...", "facebook_insights_breakdown", "facebook", 311),
        ("Daily City People Talking Ab...", "facebook_insights_breakdown", "facebook", 914),
        ("Daily Language People Talkin...", "facebook_insights_breakdown", "facebook", 214),
        ("Daily Country People Talking...", "facebook_insights_breakdown", "facebook", 439),
        ("Daily Logged-in Tab Views", "facebook_insights_breakdown", "facebook", 244),
        ("Daily External Referrers", "facebook_insights_breakdown", "facebook", 48),
        ("Daily Negative Feedback by Type", "facebook_insights_breakdown", "facebook", 140),
        ("Daily Negative Feedback From...", "facebook_insights_breakdown", "facebook", 140),
        ("Daily Check-Ins by Gender an...", "facebook_insights_breakdown", "facebook", 0),
        ("Daily Check-Ins by Locale", "facebook_insights_breakdown", "facebook", 0),
        ("Daily Check-Ins by Country", "facebook_insights_breakdown", "facebook", 0),
        ("Daily Positive Feedback From...", "facebook_insights_breakdown", "facebook", 168),
        ("Daily Positive Feedback F...001", "facebook_insights_breakdown", "facebook", 168),
        ("Daily Liked and Online", "facebook_insights_breakdown", "facebook", 600),
        ("Lifetime Likes by Gender and...", "facebook_insights_breakdown", "facebook", 520),
        ("Lifetime Likes by City", "facebook_insights_breakdown", "facebook", 1170),
        ("Lifetime Likes By Country", "facebook_insights_breakdown", "facebook", 1170),
        ("Lifetime Likes by Language", "facebook_insights_breakdown", "facebook", 913),
        ("28 Days Total Frequency Dist...", "facebook_insights_breakdown", "facebook", 208),
        ("28 Days Page Stories By Stor...", "facebook_insights_breakdown", "facebook", 252),
        ("28 Days Reach Demographics", "facebook_insights_breakdown", "facebook", 546),
        ("28 Days Demographics People...", "facebook_insights_breakdown", "facebook", 478),
        ("28 Days City People Talking...", "facebook_insights_breakdown", "facebook", 1125),
        ("28 Days Country People Talki...", "facebook_insights_breakdown", "facebook", 1051),
        ("28 Days Language People Talk...", "facebook_insights_breakdown", "facebook", 604),
        ("28 Days Negative Feedback by...", "facebook_insights_breakdown", "facebook", 140),
        ("28 Days Negative Feedback...001", "facebook_insights_breakdown", "facebook", 140),
        ("28 Days Positive Feedback Fr...", "facebook_insights_breakdown", "facebook", 168),
        ("28 Days Positive Feedback...001", "facebook_insights_breakdown", "facebook", 168),
        ("28 Days Page Consumptions By...", "facebook_insights_breakdown", "facebook", 140),
        ("28 Days Page Posts Frequency...", "facebook_insights_breakdown", "facebook", 208),
    ],
    "facebook/nataliaartilha__Reach (1).csv": [
        ("Facebook Page reach", "meta_daily_charts", "facebook", 1070),
        ("Instagram reach", "meta_daily_charts", "instagram", 1070),
    ],
    "facebook/nate-barri__Apr-02-2024_Jul-02-2024_665360019788100.csv": [
        (None, "facebook_posts", "facebook", 59)
    ],
    "instagram/CtrlJason__publico.csv": [
        ("Seguidores de Instagram", "meta_audience", "instagram", 1),
        ("Seguidores de Instagram por sexo y edad", "meta_audience", "instagram", 12),
        ("Seguidores de Instagram por principales ciudades", "meta_audience", "instagram", 10),
        ("Seguidores de Instagram por principales países", "meta_audience", "instagram", 10),
    ],
    "instagram/SGC140__Mar-26-2025_Mar-26-2026_949104527769166.csv": [
        (None, "instagram_posts", "instagram", 53)
    ],
    "instagram/arthurto__data_14_09_24_a_14_09_25__Alcance.csv": [
        ("Alcance", "meta_daily_charts", "instagram", 366)
    ],
    "instagram/arthurto__data_14_09_24_a_14_09_25__Cliques no link.csv": [
        ("Cliques no link do Instagram", "meta_daily_charts", "instagram", 366)
    ],
    "instagram/arthurto__data_14_09_24_a_14_09_25__Interações.csv": [
        ("Interações com o conteúdo", "meta_daily_charts", "instagram", 366)
    ],
    "instagram/arthurto__data_14_09_24_a_14_09_25__Público.csv": [
        ("Faixa etária e gênero", "meta_audience", "instagram", 12),
        ("Principais cidades", "meta_audience", "instagram", 10),
        ("Principais países", "meta_audience", "instagram", 10),
    ],
    "instagram/arthurto__data_14_09_24_a_14_09_25__Seguidores.csv": [
        ("Seguidores no Instagram", "meta_daily_charts", "instagram", 161)
    ],
    "instagram/arthurto__data_14_09_24_a_14_09_25__Visitas.csv": [
        ("Visitas ao perfil do Instagram", "meta_daily_charts", "instagram", 366)
    ],
    "instagram/arthurto__data_14_09_24_a_14_09_25__Visualizações.csv": [
        ("Visualizações", "meta_daily_charts", "instagram", 366)
    ],
    "instagram/arthurto__data_2024__Formatos do conteúdo mais relevante.csv": [
        ("Conteúdo publicado", "meta_audience", "instagram", 2)
    ],
    "instagram/arthurto__data_2024__Público.csv": [
        ("Seguidores do Instagram", "meta_audience", "instagram", 1),
        ("Seguidores do Instagram por gênero e idade", "meta_audience", "instagram", 12),
        ("Seguidores do Instagram pelas principais cidades", "meta_audience", "instagram", 10),
        ("Seguidores do Instagram pelos principais países", "meta_audience", "instagram", 7),
    ],
    "instagram/fts__Audience.csv": [
        ("Top cities", "meta_audience", "instagram", 10),
        ("Age & gender", "meta_audience", "instagram", 12),
        ("Top countries", "meta_audience", "instagram", 10),
    ],
    "instagram/fts__Follows.csv": [("Instagram follows", "meta_daily_charts", "instagram", 20)],
    "instagram/fts__Interactions.csv": [
        ("Content interactions", "meta_daily_charts", "instagram", 28)
    ],
    "instagram/fts__Link_clicks.csv": [
        ("Instagram link clicks", "meta_daily_charts", "instagram", 28)
    ],
    "instagram/fts__Reach.csv": [("Reach", "meta_daily_charts", "instagram", 28)],
    "instagram/fts__Views.csv": [("Views", "meta_daily_charts", "instagram", 28)],
    "instagram/fts__Visits.csv": [
        ("Instagram profile visits", "meta_daily_charts", "instagram", 28)
    ],
    "instagram/oigetit__Mar-18-2025_Apr-14-2025_1019826952924933_IG_content.csv": [
        (None, "instagram_posts", "instagram", 78)
    ],
    # Filed under instagram/, but the title says Facebook: contents win over folders.
    "instagram/oigetit__meta_fb_Reach.csv": [
        ("Facebook reach", "meta_daily_charts", "facebook", 105)
    ],
    # Titles name no platform; the file name says fb: path beats the instagram/ folder.
    "instagram/oigetit__meta_fb_Audience.csv": [
        ("Age & gender", "meta_audience", "facebook", 12),
        ("Top countries", "meta_audience", "facebook", 10),
        ("Top cities", "meta_audience", "facebook", 10),
    ],
    "instagram/proefficient__meta_fb_Feb-01-2025_Mar-15-2025_613168031534769.csv": [
        (None, "facebook_posts", "facebook", 20)
    ],
    "linkedin/DERIVED_wai__women_in_ai_usa_followers.csv": [
        (None, "linkedin_followers", "linkedin", 365)
    ],
    "linkedin/VarunRustagi__shorthills-ai_followers_1766385928211 1.xls": [
        ("New followers", "linkedin_followers", "linkedin", 365),
        ("Location", "linkedin_demographics", "linkedin", 100),
        ("Job function", "linkedin_demographics", "linkedin", 26),
        ("Seniority", "linkedin_demographics", "linkedin", 10),
        ("Industry", "linkedin_demographics", "linkedin", 100),
        ("Company size", "linkedin_demographics", "linkedin", 9),
    ],
    "linkedin/VarunRustagi__shorthills-ai_visitors_1766385917155 1.xls": [
        ("Visitor metrics", "linkedin_visitors", "linkedin", 365),
        ("Location", "linkedin_demographics", "linkedin", 104),
        ("Job function", "linkedin_demographics", "linkedin", 26),
        ("Seniority", "linkedin_demographics", "linkedin", 10),
        ("Industry", "linkedin_demographics", "linkedin", 104),
        ("Company size", "linkedin_demographics", "linkedin", 9),
    ],
    "linkedin/amradel18__Content_2026-03-17.xlsx": [
        ("DISCOVERY", "linkedin_creator_discovery", "linkedin", 2),
        ("ENGAGEMENT", "linkedin_creator_engagement", "linkedin", 400),
        ("TOP POSTS", "linkedin_creator_top_posts", "linkedin", 54),
        ("FOLLOWERS", "linkedin_creator_followers", "linkedin", 400),
        ("DEMOGRAPHICS", "linkedin_creator_demographics", "linkedin", 30),
    ],
    "linkedin/polly-r__Business Schools 4 Climate Leadership Africa_competitor_analytics_"
    "1739343948666.xlsx": [("COMPETITORS", "linkedin_competitors", "linkedin", 10)],
    "linkedin/ethioware__Linkedin_1_year_stat_content.xls": [
        ("Metrics", "linkedin_content_metrics", "linkedin", 365),
        ("All posts", "linkedin_content_posts", "linkedin", 53),
    ],
    "linkedin/proefficient__pro-efficient-data-entry_content_1742193384396.xlsx": [
        ("Metrics", "linkedin_content_metrics", "linkedin", 30),
        ("All posts", "linkedin_content_posts", "linkedin", 8),
    ],
    "twitter/adho__daily_tweet_activity_metrics_ADHOrg_20210301_20210401_en.csv": [
        (None, "twitter_classic_daily", "twitter", 31)
    ],
    "twitter/adho__tweet_activity_metrics_ADHOrg_20210401_20210501_en.csv": [
        (None, "twitter_classic_posts", "twitter", 31)
    ],
    "twitter/ropensci__tweet_activity_metrics_rOpenSci_20161201_20170101_en.csv": [
        (None, "twitter_classic_posts", "twitter", 37)
    ],
    "twitter/ropensci__tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv": [
        (None, "twitter_classic_posts", "twitter", 31)
    ],
    "twitter/wormhole__account_analytics_content_2024-11-21_2025-02-19.csv": [
        (None, "twitter_posts", "twitter", 141)
    ],
    "tiktok/BossZY27__Overview.csv": [(None, "tiktok_overview", "tiktok", 7)],
    "tiktok/BossZY27__temp_data_1777023477746.csv": [(None, "tiktok_overview", "tiktok", 7)],
    "tiktok/DrSuavidade__Overview.csv": [(None, "tiktok_overview", "tiktok", 28)],
    "tiktok/ayukartikaa0301__Overview_April-Des2025.csv": [
        (None, "tiktok_overview", "tiktok", 262)
    ],
    "tiktok/crispee107161__FollowerGender.csv": [
        (None, "tiktok_follower_demographics", "tiktok", 3)
    ],
    "tiktok/crispee107161__FollowerHistory.csv": [(None, "tiktok_follower_history", "tiktok", 60)],
    "tiktok/crispee107161__FollowerTopTerritories.csv": [
        (None, "tiktok_follower_demographics", "tiktok", 11)
    ],
    "tiktok/crispee107161__Viewers.csv": [(None, "tiktok_viewers", "tiktok", 60)],
    "tiktok/francovelardez44__Overview.csv": [(None, "tiktok_overview", "tiktok", 7)],
    "tiktok/hendevdata__Overview.xlsx": [("SheetJS", "tiktok_overview", "tiktok", 60)],
    "tiktok/htupycollabs-spec__Content.csv": [(None, "tiktok_content", "tiktok", 13)],
    "tiktok/htupycollabs-spec__FollowerActivity.csv": [
        (None, "tiktok_follower_activity", "tiktok", 168)
    ],
    "tiktok/htupycollabs-spec__FollowerGender.csv": [
        (None, "tiktok_follower_demographics", "tiktok", 3)
    ],
    "tiktok/htupycollabs-spec__FollowerHistory.csv": [
        (None, "tiktok_follower_history", "tiktok", 365)
    ],
    "tiktok/htupycollabs-spec__FollowerTopTerritories.csv": [
        (None, "tiktok_follower_demographics", "tiktok", 11)
    ],
    "tiktok/htupycollabs-spec__Overview.csv": [(None, "tiktok_overview", "tiktok", 365)],
    "tiktok/htupycollabs-spec__Viewers.csv": [(None, "tiktok_viewers", "tiktok", 365)],
    "facebook/crispee107161__Follows.csv": [
        ("Facebook follows", "meta_daily_charts", "facebook", 28)
    ],
    "facebook/crispee107161__Views.csv": [("Views", "meta_daily_charts", "facebook", 28)],
    "facebook/marko7bub__Dec-12-2023_Mar-06-2024_1032418178499222.csv": [
        (None, "facebook_posts", "facebook", 44)
    ],
    "facebook/marko7bub__Follows.csv": [
        ("Follows", "meta_daily_charts", "facebook", 242),
        ("Instagram follows", "meta_daily_charts", "instagram", 229),
    ],
    "instagram/Sapinget__Jan-01-2026_Jun-29-2026_2054364552140076_IG_stories.csv": [
        (None, "instagram_posts", "instagram", 2807)
    ],
    "instagram/campoanaliticoestudos__Seguidores.csv": [
        ("Seguidores no Instagram", "meta_daily_charts", "instagram", 25)
    ],
    "linkedin/polly-r__business-schools-4-climate-leadership-africa_followers_1739343974503.xlsx": [
        ("New followers", "linkedin_followers", "linkedin", 365),
        ("Location", "linkedin_demographics", "linkedin", 43),
        ("Job function", "linkedin_demographics", "linkedin", 24),
        ("Seniority", "linkedin_demographics", "linkedin", 10),
        ("Industry", "linkedin_demographics", "linkedin", 40),
        ("Company size", "linkedin_demographics", "linkedin", 9),
    ],
    "linkedin/polly-r__business-schools-4-climate-leadership-africa_visitors_1739343988681.xlsx": [
        ("Visitor metrics", "linkedin_visitors", "linkedin", 365),
        ("Location", "linkedin_demographics", "linkedin", 28),
        ("Job function", "linkedin_demographics", "linkedin", 18),
        ("Seniority", "linkedin_demographics", "linkedin", 9),
        ("Industry", "linkedin_demographics", "linkedin", 28),
        ("Company size", "linkedin_demographics", "linkedin", 9),
    ],
    "twitter/hestey-star__account_analytics_content_2026-07-06_2026-08-02.csv": [
        (None, "twitter_posts", "twitter", 201)
    ],
    "twitter/pmaier1971__tweet_activity_metrics_EconomicsShiny_20220201_20220301_en.csv": [
        (None, "twitter_classic_posts", "twitter", 160)
    ],
    "youtube/GianMartins__Dados da tabela.csv": [(None, "youtube_content", "youtube", 497)],
    "youtube/GianMartins__Dados do gráfico.csv": [(None, "youtube_video_daily", "youtube", 900)],
    "youtube/RehanTharusha__Chart data.csv": [(None, "youtube_breakdown", "youtube", 420)],
    "youtube/RehanTharusha__Table data.csv": [(None, "youtube_breakdown", "youtube", 55)],
    "youtube/journohindi__Table data.csv": [(None, "youtube_content", "youtube", 484)],
    "youtube/ligardoisaghost__Table data.csv": [(None, "youtube_content", "youtube", 317)],
    "youtube/ligardoisaghost__Totals.csv": [(None, "youtube_totals", "youtube", 6802)],
    "youtube/mauriciodxavier__Conteúdo 2024-06-02_2025-06-02 UFSCar - Universidade Federal de "
    "São Carlos.zip": [
        ("Dados da tabela.csv", "youtube_content", "youtube", 499),
        ("Dados do gráfico.csv", "youtube_video_daily", "youtube", 1825),
        ("Total.csv", "youtube_totals", "youtube", 365),
    ],
    "youtube/mauriciodxavier__Dados da tabela youtube 30-06.csv": [
        (None, "youtube_content", "youtube", 499)
    ],
    "youtube/nataliaartilha__Dados da tabela.csv": [(None, "youtube_breakdown", "youtube", 5)],
    "youtube/prakashpathak111__Table data.csv": [(None, "youtube_content", "youtube", 498)],
    "youtube/prakashpathak111__Totals.csv": [(None, "youtube_totals", "youtube", 1097)],
    "youtube/violetzq__Subscription_status.csv": [(None, "youtube_breakdown", "youtube", 6)],
    "youtube/violetzq__Viewer_Cities.csv": [(None, "youtube_breakdown", "youtube", 1500)],
    "youtube/violetzq__viewer_age.csv": [(None, "youtube_breakdown", "youtube", 28)],
    "twitter/wormhole__account_overview_analytics.csv": [
        (None, "twitter_account_overview", "twitter", 50)
    ],
}
UNRECOGNISED = {
    # A hand-compiled monthly summary (commit_date, followers, "NA"...), not a platform export.
    "twitter/ropensci__twitter_metrics_monthly_rOpenSci.csv",
}


def _inspect(samples: Path, rel: str) -> FileResult:
    return inspect_file(SourceFile(samples / rel, "sample", samples))


def test_every_sample_is_listed(samples: Path) -> None:
    present = {
        p.relative_to(samples).as_posix()
        for p in samples.rglob("*")
        if p.is_file() and p.suffix.lower() in (".csv", ".xls", ".xlsx", ".zip")
    }
    assert present == set(EXPECTED) | UNRECOGNISED


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_sample_recognised_and_counted(samples: Path, rel: str) -> None:
    result = _inspect(samples, rel)
    got = [(t.sheet, t.recognition.spec.id, t.platform, t.frame.height) for t in result.tables]  # type: ignore[union-attr]
    assert got == EXPECTED[rel]
    assert result.status in ("ok", "partial")
    assert not result.unrecognised


@pytest.mark.parametrize("rel", sorted(UNRECOGNISED))
def test_handmade_sample_is_refused_with_candidates(samples: Path, rel: str) -> None:
    result = _inspect(samples, rel)
    assert result.status == "unrecognised"
    assert result.tables == []
    candidates = result.unrecognised[0].candidates
    assert candidates
    assert any(why in candidates[0].reason for why in ("missing required column", "are known"))


def _row(frame: pl.DataFrame, **where: Any) -> dict[str, Any]:
    expr = pl.lit(True)
    for key, value in where.items():
        expr = expr & (pl.col(key) == value)
    rows = frame.filter(expr).to_dicts()
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}"
    return rows[0]


def _table(samples: Path, rel: str, index: int = 0) -> pl.DataFrame:
    return _inspect(samples, rel).tables[index].frame


def test_twitter_classic_values(samples: Path) -> None:
    daily = _table(
        samples, "twitter/adho__daily_tweet_activity_metrics_ADHOrg_20210301_20210401_en.csv"
    )
    day = _row(daily, date=dt.date(2021, 3, 1))
    assert (day["posts_published"], day["impressions"], day["engagements"]) == (5, 1183, 16)
    assert day["engagement_rate_organic"] == pytest.approx(0.013524936601859678)
    assert (day["comments"], day["likes"], day["link_clicks"], day["detail_expands"]) == (
        3,
        1,
        3,
        6,
    )
    assert day["impressions_paid"] == 0  # "-" in promoted columns means none
    posts = _table(
        samples, "twitter/ropensci__tweet_activity_metrics_rOpenSci_20161201_20170101_en.csv"
    )
    post = _row(posts, post_id="812369747765362688")  # 18 digits kept as text
    assert post["published_at"] == dt.datetime(2016, 12, 23, 18, 50)
    assert (post["impressions"], post["engagements"], post["link_clicks"], post["likes"]) == (
        1938,
        18,
        15,
        1,
    )
    text = _row(posts, post_id="812341199767863296")["post_text"]
    assert "&amp;" in text  # kept exactly as exported


def test_twitter_new_values(samples: Path) -> None:
    overview = _table(samples, "twitter/wormhole__account_overview_analytics.csv")
    assert _row(overview, date=dt.date(2025, 2, 18))["impressions"] == 62
    feb17 = _row(overview, date=dt.date(2025, 2, 17))
    assert (
        feb17["impressions"],
        feb17["likes"],
        feb17["engagements"],
        feb17["followers_gained"],
    ) == (426, 18, 49, 2)
    content = _table(
        samples, "twitter/wormhole__account_analytics_content_2024-11-21_2025-02-19.csv"
    )
    post = _row(content, post_id="1891472667636797659")
    assert post["published_date"] == dt.date(2025, 2, 17)
    assert (post["impressions"], post["likes"], post["engagements"]) == (197, 10, 29)
    assert (post["comments"], post["profile_visits"], post["detail_expands"], post["clicks"]) == (
        1,
        5,
        13,
        13,
    )
    assert post["post_url"] == "https://x.com/Wormhole_BR/status/1891472667636797659"


def test_instagram_values(samples: Path) -> None:
    reach = _table(samples, "instagram/fts__Reach.csv")
    assert _row(reach, date=dt.date(2026, 5, 25))["reach"] == 14551
    assert _row(reach, date=dt.date(2026, 6, 21))["reach"] == 48955
    content = _table(
        samples, "instagram/oigetit__Mar-18-2025_Apr-14-2025_1019826952924933_IG_content.csv"
    )
    post = _row(content, post_id="18355151116178767")
    assert post["published_at"] == dt.datetime(2025, 3, 18, 9, 48)
    assert (post["content_type"], post["impressions"], post["reach"], post["likes"]) == (
        "reel",
        52,
        37,
        3,
    )
    assert post["follows"] is None  # blank is missing, never 0
    assert post["engagements"] == 3 + 0 + 0 + 0  # likes + comments + shares + saves
    spanish = _table(samples, "instagram/SGC140__Mar-26-2025_Mar-26-2026_949104527769166.csv")
    es = _row(spanish, post_id="18148559188481340")
    assert es["published_at"] == dt.datetime(2026, 3, 26, 15, 38)
    assert es["content_type"] == "carousel"
    assert (
        es["impressions"],
        es["reach"],
        es["likes"],
        es["shares"],
        es["follows"],
        es["comments"],
        es["saves"],
    ) == (
        543,
        227,
        28,
        3,
        0,
        1,
        3,
    )
    assert "\n" in es["post_text"]  # multi-line caption kept whole


def test_meta_two_section_file_splits_platforms(samples: Path) -> None:
    result = _inspect(samples, "facebook/nataliaartilha__Reach (1).csv")
    fb, ig = result.tables
    assert _row(fb.frame, date=dt.date(2023, 3, 1))["reach"] == 9
    assert ig.frame["date"].min() == dt.date(2020, 3, 29)
    assert fb.recognition.layout == "2023-named"


def test_audience_values(samples: Path) -> None:
    fts = _inspect(samples, "instagram/fts__Audience.csv")
    cities, ages = fts.tables[0].frame, fts.tables[1].frame
    assert _row(cities, segment="New York, NY")["value"] == pytest.approx(0.017)
    assert _row(ages, segment="18-24", gender="male")["value"] == pytest.approx(0.051)
    es = _inspect(samples, "instagram/CtrlJason__publico.csv")
    assert _row(es.tables[0].frame, dimension="total")["value"] == 102
    assert _row(es.tables[1].frame, segment="18-24", gender="female")["value"] == pytest.approx(
        0.111
    )
    assert _row(es.tables[2].frame, segment="Bogotá, Colombia")["value"] == pytest.approx(0.402)
    formats = _table(
        samples, "instagram/arthurto__data_2024__Formatos do conteúdo mais relevante.csv"
    )
    assert _row(formats, segment="Stories")["value"] == 287
    assert formats["unit"].to_list() == ["count", "count"]
    dated = _inspect(samples, "instagram/arthurto__data_14_09_24_a_14_09_25__Público.csv")
    assert dated.tables[0].frame["as_of_date"][0] == dt.date(
        2025, 9, 14
    )  # from the folder's period


def test_facebook_values(samples: Path) -> None:
    posts = _table(samples, "facebook/nate-barri__Apr-02-2024_Jul-02-2024_665360019788100.csv")
    post = _row(posts, post_id="980197593467253")
    assert (
        post["reach"],
        post["engagements"],
        post["likes"],
        post["comments"],
        post["shares"],
        post["clicks"],
    ) == (
        11581,
        995,
        845,
        61,
        89,
        577,
    )
    assert post["content_type"] == "video"
    extra = json.loads(
        _row(
            _table(
                samples,
                "instagram/proefficient__meta_fb_Feb-01-2025_Mar-15-2025_613168031534769.csv",
            ),
            post_id="122121474620644102",
        )["extra"]
    )
    assert "Views (column 25)" in extra  # the duplicated "Views" header is kept, not dropped


def test_linkedin_values(samples: Path) -> None:
    content = _inspect(samples, "linkedin/ethioware__Linkedin_1_year_stat_content.xls")
    metrics, posts = content.tables[0].frame, content.tables[1].frame
    day = _row(metrics, date=dt.date(2024, 7, 30))
    assert (day["impressions"], day["reach"], day["clicks"]) == (34, 12, 2)
    assert day["engagement_rate_reported"] == pytest.approx(0.058823529, rel=1e-6)
    post = _row(posts, post_id="urn:li:activity:7355562008013860867")
    assert (post["impressions"], post["clicks"], post["likes"], post["shares"]) == (532, 27, 5, 1)
    assert (
        post["engagements"] == 27 + 5 + 0 + 1
    )  # clicks + likes + comments + shares (+ blank follows)
    assert post["published_date"] == dt.date(2025, 7, 28)
    # LinkedIn writes negative daily corrections; they go to quarantine, the day still loads.
    reasons = {p.reason for p in content.tables[0].problems}
    assert reasons == {"value left empty: not a whole, non-negative number"}
    followers = _inspect(
        samples, "linkedin/VarunRustagi__shorthills-ai_followers_1766385928211 1.xls"
    )
    assert _row(followers.tables[0].frame, date=dt.date(2024, 12, 21))["followers_gained"] == 5
    assert _row(followers.tables[1].frame, segment="Greater Delhi Area, India")["value"] == 11707
    visitors = _inspect(
        samples, "linkedin/VarunRustagi__shorthills-ai_visitors_1766385917155 1.xls"
    )
    v = _row(visitors.tables[0].frame, date=dt.date(2024, 12, 21))
    assert (v["page_views"], v["unique_visitors"]) == (167, 46)
    assert visitors.tables[1].frame["audience"][0] == "visitors"
    derived = _inspect(samples, "linkedin/DERIVED_wai__women_in_ai_usa_followers.csv")
    assert [c.header for c in derived.tables[0].recognition.unknown] == [
        "Cumulative Followers",
        "Followers 7d Avg",
    ]
    feb17 = _row(derived.tables[0].frame, date=dt.date(2025, 2, 17))
    assert feb17["followers_gained"] == 16
    assert json.loads(feb17["extra"]) == {"Cumulative Followers": "65", "Followers 7d Avg": "7.43"}


def test_every_sample_loads(samples: Path, make_project, warehouse_url: str) -> None:  # type: ignore[no-untyped-def]
    from socialmetrics.config import load_project
    from socialmetrics.ingest import ingest
    from socialmetrics.warehouse.base import connect

    # one client per platform folder, files at the same relative paths as in samples/
    mapping: dict[str, dict[str, Path]] = {}
    for rel in [*EXPECTED, *UNRECOGNISED]:
        folder, name = rel.split("/", 1)
        mapping.setdefault(folder, {})[f"{folder}/{name}"] = samples / rel
    root = make_project(mapping, warehouse_url)
    summary = ingest(load_project(root))
    assert summary.client_errors == {}
    actions = {f"{f.path}": f.action for f in summary.files}
    assert actions == {rel: "unrecognised" if rel in UNRECOGNISED else "loaded" for rel in actions}
    assert len(actions) == len(EXPECTED) + len(UNRECOGNISED)
    expected_rows = sum(rows for tables in EXPECTED.values() for *_, rows in tables)
    assert summary.totals()["rows_loaded"] == expected_rows
    wh = connect(warehouse_url)
    try:
        (posts,) = wh.query("SELECT COUNT(*) FROM post_snapshots")[0]
        platforms = wh.query("SELECT DISTINCT platform FROM account_daily ORDER BY platform")
    finally:
        wh.close()
    youtube_posts = 497 + 484 + 317 + 499 + 499 + 498
    issue_9_posts = 44 + 2807 + 201 + 160  # marko7bub, Sapinget, hestey-star, pmaier1971
    issue_9_posts += 54 + 170  # amradel18 LinkedIn creator top posts, johankitti legacy FB
    assert posts == (
        59 + 53 + 78 + 20 + 53 + 8 + 31 + 37 + 31 + 141 + 13 + youtube_posts + issue_9_posts
    )
    assert [p for (p,) in platforms] == [
        "facebook",
        "instagram",
        "linkedin",
        "tiktok",
        "twitter",
        "youtube",
    ]
