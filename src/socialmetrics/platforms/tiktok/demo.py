"""TikTok demo exports, as TikTok Studio writes them: quoted UTF-8 CSVs with a BOM and days
without a year in the interface's language (`4 de noviembre` for a Spanish-interface client),
the last day's viewers `undefined`, a follower history whose daily difference can be negative,
per-video lifetime totals, and the follower gender, territories and activity files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.dates import format_date

from socialmetrics.demo.common import CAPTIONS, ClientMonth, Rows, _csv_text, _shares

TERRITORIES = {"es": ["ES", "MX", "CO", "AR", "US"], "en": ["US", "GB", "SE", "CA", "DE"]}


def _day(day: dt.date, language: str) -> str:
    """`April 14` (en), `14 de abril` (es): TikTok's yearless, localised day."""
    pattern = "MMMM d" if language == "en" else "d 'de' MMMM"
    return format_date(day, pattern, locale=language)


def _write(path: Path, rows: Rows) -> None:
    path.write_bytes(("\ufeff" + _csv_text(rows, quote_all=True)).rstrip("\n").encode())


def write(folder: Path, ctx: ClientMonth) -> int:
    """The month's seven TikTok files; returns the number of files."""
    folder.mkdir(parents=True, exist_ok=True)
    acc = ctx.accounts["tiktok"]
    rng = acc.rng
    lang = "es" if ctx.language == "es" else "en"
    overview: Rows = [["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]]
    viewers: Rows = [["Date", "Total Viewers", "New Viewers", "Returning Viewers"]]
    history: Rows = [["Date", "Followers", "Difference in followers from previous day"]]
    for i, day in enumerate(ctx.days):
        views = int(acc.level(ctx.month_index, day))
        likes = int(views * rng.uniform(0.04, 0.09))
        overview.append(
            [
                _day(day, lang),
                str(views),
                str(int(views * rng.uniform(0.004, 0.012))),
                str(likes),
                str(int(likes * rng.uniform(0.02, 0.06))),
                str(int(likes * rng.uniform(0.01, 0.05))),
            ]
        )
        total = int(views * rng.uniform(0.45, 0.7))
        new = int(total * rng.uniform(0.6, 0.9))
        last = i == len(ctx.days) - 1
        viewers.append(
            [_day(day, lang), "undefined" if last else str(total), str(new), str(total - new)]
        )
        change = int(rng.gauss(acc.followers * 0.002, acc.followers * 0.002))
        acc.followers = max(0, acc.followers + change)
        history.append([_day(day, lang), str(acc.followers), str(change)])
    _write(folder / "Overview.csv", overview)
    _write(folder / "Viewers.csv", viewers)
    _write(folder / "FollowerHistory.csv", history)
    export_day = ctx.days[-1]
    content: Rows = [
        [
            "Time",
            "Video title",
            "Video link",
            "Post time",
            "Total likes",
            "Total comments",
            "Total shares",
            "Total views",
        ]
    ]
    captions = CAPTIONS.get(ctx.language, CAPTIONS["en"])
    for n, day in enumerate(ctx.days[::3]):
        views = int(acc.level(ctx.month_index, day) * rng.uniform(0.5, 3.0))
        likes = int(views * rng.uniform(0.03, 0.1))
        video = f"7{ctx.seed_digits}{ctx.month_index:02d}{n:03d}"
        content.append(
            [
                _day(export_day, lang),
                captions[(n + ctx.month_index) % len(captions)] + " #fyp",
                f"https://www.tiktok.com/@{ctx.client_id}/video/{video}",
                _day(day, lang),
                str(likes),
                str(int(likes * rng.uniform(0.02, 0.08))),
                str(int(likes * rng.uniform(0.01, 0.06))),
                str(views),
            ]
        )
    _write(folder / "Content.csv", content)
    genders = _shares(rng, 3)
    _write(
        folder / "FollowerGender.csv",
        [["Gender", "Distribution"]]
        + [
            [g, f"{s / 100:.2f}"] for g, s in zip(("Female", "Male", "Other"), genders, strict=True)
        ],
    )
    codes = TERRITORIES[lang]
    shares = _shares(rng, len(codes) + 1)
    _write(
        folder / "FollowerTopTerritories.csv",
        [["Top territories", "Distribution"]]
        + [[c, f"{s / 100:.3f}"] for c, s in zip([*codes, "Others"], shares, strict=True)],
    )
    activity: Rows = [["Date", "Hour", "Active followers"]]
    for day in ctx.days[-7:]:
        for hour in range(24):
            online = 0.2 + 0.8 * max(0.0, 1 - abs(hour - 20) / 10)
            activity.append([_day(day, lang), str(hour), str(int(acc.followers * 0.1 * online))])
    _write(folder / "FollowerActivity.csv", activity)
    return 7
