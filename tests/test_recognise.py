"""Recognition by contents: platform, kind and layout from headers, never from file names."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePath

import pytest

from socialmetrics.extract.discover import SourceFile
from socialmetrics.extract.readers import read_file
from socialmetrics.extract.recognise import Context, platform_from_path, recognise_table
from socialmetrics.ingest.inspect import inspect_file
from socialmetrics.specs.registry import default_registry

CASES = [
    ("instagram/Reach.csv", [("meta_daily_charts", "instagram", "2025-primary")]),
    ("instagram/Seguidores.csv", [("meta_daily_charts", "instagram", "2025-primary")]),
    (
        "instagram/two_sections.csv",
        [
            ("meta_daily_charts", "facebook", "2023-named"),
            ("meta_daily_charts", "instagram", "2023-named"),
        ],
    ),
    ("instagram/Audience.csv", [("meta_audience", "instagram", "2025-wide")] * 3),
    ("instagram/contenido_es.csv", [("instagram_posts", "instagram", "2025-views-es")]),
    (
        "instagram/Dec-01-2024_Dec-31-2024_17800000000000001.csv",
        [("instagram_posts", "instagram", "2024-impressions")],
    ),
    (
        "twitter/tweet_activity_metrics_acme_20210401_20210501_en.csv",
        [("twitter_classic_posts", "twitter", "2016")],
    ),
    (
        "twitter/daily_tweet_activity_metrics_acme_20210301_20210401_en.csv",
        [("twitter_classic_daily", "twitter", "2016")],
    ),
    (
        "twitter/account_overview_analytics.csv",
        [("twitter_account_overview", "twitter", "2025-02")],
    ),
    (
        "twitter/account_analytics_content_2026-06-01_2026-06-30.csv",
        [("twitter_posts", "twitter", "2025-06")],
    ),
    ("twitter/content_tabs.tsv.csv", [("twitter_posts", "twitter", "2025-02")]),
    (
        "linkedin/acme_content_1742193384396.xls",
        [
            ("linkedin_content_metrics", "linkedin", "2024"),
            ("linkedin_content_posts", "linkedin", "2022-update"),
        ],
    ),
    (
        "linkedin/acme_content_1790000000000.xlsx",
        [
            ("linkedin_content_metrics", "linkedin", "2024"),
            ("linkedin_content_posts", "linkedin", "2025-shares"),
        ],
    ),
    (
        "linkedin/acme_followers_1766385928211 1.xls",
        [
            ("linkedin_followers", "linkedin", "2022"),
            ("linkedin_demographics", "linkedin", "2024-followers"),
        ],
    ),
]


@pytest.mark.parametrize(("name", "expected"), CASES)
def test_fixture_recognised(files: Path, name: str, expected: list[tuple[str, str, str]]) -> None:
    result = inspect_file(SourceFile(files / name, "acme", files))
    got = [(t.recognition.spec.id, t.platform, t.recognition.layout) for t in result.tables]  # type: ignore[union-attr]
    assert got == expected


def test_recognition_ignores_the_file_name(files: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "whatever 1.txt.csv"
    shutil.copyfile(files / "twitter/account_overview_analytics.csv", renamed)
    result = inspect_file(SourceFile(renamed, None, None))
    assert result.tables[0].recognition.spec.id == "twitter_account_overview"  # type: ignore[union-attr]


def test_header_row_found_below_a_description(files: Path) -> None:
    raw = read_file(files / "linkedin/acme_content_1742193384396.xls")
    rec = recognise_table(raw.tables[0], default_registry(), Context())
    assert rec.header_row == 0 and raw.tables[0].title.startswith("Aggregated")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("clients/acme/2026-10/instagram/Reach.csv", "instagram"),
        ("clients/acme/2026-10/facebook/Reach.csv", "facebook"),
        ("clients/acme/2026-10/FB Reach.csv", "facebook"),
        ("clients/acme/ig/Reach.csv", "instagram"),
        (
            "instagram/oigetit__meta_fb_Audience.csv",
            "facebook",
        ),  # the file name is nearer than the folder
        ("clients/acme/2026-10/Reach.csv", None),
    ],
)
def test_platform_from_path(path: str, expected: str | None) -> None:
    from socialmetrics.platforms import registry

    meta = registry.family("meta")
    assert meta is not None
    found = platform_from_path(PurePath(path), meta)
    assert (found[0] if found else None) == expected


def test_unlabelled_meta_chart_rules(files: Path) -> None:
    raw = read_file(files / "instagram/Reach.csv")
    registry = default_registry()
    by_path = recognise_table(raw.tables[0], registry, Context(path=PurePath("facebook/Reach.csv")))
    assert (by_path.platform, by_path.platform_rule) == (
        "facebook",
        "path: 'facebook' names facebook",
    )
    by_setting = recognise_table(
        raw.tables[0], registry, Context(path=PurePath("Reach.csv"), meta_platform="facebook")
    )
    assert (by_setting.platform, by_setting.platform_rule) == (
        "facebook",
        "client setting meta_platform",
    )
    default = recognise_table(raw.tables[0], registry, Context(path=PurePath("Reach.csv")))
    assert default.platform == "instagram" and default.platform_rule == "default: assumed instagram"
    assert "assumed Instagram" in default.warnings[0]


def test_title_beats_path(files: Path) -> None:
    raw = read_file(files / "instagram/two_sections.csv")
    rec = recognise_table(
        raw.tables[0], default_registry(), Context(path=PurePath("instagram/x.csv"))
    )
    assert (rec.platform, rec.platform_rule) == ("facebook", "content: title names the platform")


def test_handmade_spreadsheet_is_unrecognised_with_reasons(files: Path) -> None:
    result = inspect_file(SourceFile(files / "other/budget_handmade.xlsx", "acme", files))
    assert result.status == "unrecognised" and not result.tables
    candidates = result.unrecognised[0].candidates
    assert len(candidates) == 3
    assert all(c.reason.startswith("missing required column") for c in candidates)
    assert "not a known platform export" in result.message


def test_unknown_columns_are_kept_and_reported(files: Path) -> None:
    result = inspect_file(
        SourceFile(files / "instagram/Dec-01-2024_Dec-31-2024_17800000000000001.csv", "a", files)
    )
    table = result.tables[0]
    assert [c.header for c in table.recognition.unknown] == ["Brand new metric"]
    assert table.recognition.layout_exact is False
    assert table.frame["extra"].to_list() == [
        '{"Brand new metric": "x1"}',
        '{"Brand new metric": "x2"}',
    ]
    assert table.frame["video_views"].to_list() == [None, 1800]  # Plays
