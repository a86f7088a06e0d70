"""YouTube demo exports, as YouTube Studio's Advanced mode downloads them: a `.zip` per report
holding `Table data.csv` (first row `Total`, a check value), `Chart data.csv` (long: day,
dimension, metric) and `Totals.csv` (day, metric), written without the zip's UTF-8 flag like
Studio's own; average view durations as `H:MM:SS`, publish days as `Sep 30, 2023`, a video id
starting with `-` written with a leading space, and revenue headed by its currency."""

from __future__ import annotations

import zipfile
from pathlib import Path

from socialmetrics.demo.common import CAPTIONS, ClientMonth, Rows, _csv_text, _shares

ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
SOURCES = ("YouTube search", "Browse features", "Suggested videos", "External", "Shorts feed")


def _video_id(seed: str, n: int) -> str:
    value = int(seed or "0") * 7919 + n * 104729
    chars = [ID_CHARS[(value >> (5 * i)) % len(ID_CHARS)] for i in range(11)]
    chars[0] = "-" if n % 7 == 3 else chars[0]  # ids may start with `-`: Studio pads them
    return "".join(chars)


def _duration(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _zip(path: Path, members: dict[str, Rows]) -> None:
    """Studio's zips carry UTF-8 names without the UTF-8 flag; CSVs are plain UTF-8."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 6, 26, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _csv_text(rows).encode())


def write(folder: Path, ctx: ClientMonth) -> int:
    """The month's three Studio downloads (by video, by traffic source, by subscription status
    with the daily net subscribers); returns 3."""
    folder.mkdir(parents=True, exist_ok=True)
    acc = ctx.accounts["youtube"]
    rng = acc.rng
    first, last = ctx.days[0], ctx.days[-1]
    period = f"{first.isoformat()}_{last.isoformat()}"
    daily_views = [int(acc.level(ctx.month_index, day)) for day in ctx.days]
    totals: Rows = [["Date", "Views"]] + [
        [day.isoformat(), str(v)] for day, v in zip(ctx.days, daily_views, strict=True)
    ]
    captions = CAPTIONS.get(ctx.language, CAPTIONS["en"])
    videos: Rows = []
    chart: Rows = [["Date", "Content", "Video title", "Video publish time", "Views"]]
    month_views = sum(daily_views)
    shares = _shares(rng, len(ctx.days[::4]))
    for n, (day, share) in enumerate(zip(ctx.days[::4], shares, strict=True)):
        video = _video_id(ctx.seed_digits, ctx.month_index * 100 + n)
        title = captions[(n + ctx.month_index) % len(captions)]
        views = int(month_views * share / 100)
        seconds = rng.uniform(30, 900)
        watched = seconds * rng.uniform(0.25, 0.6)
        impressions = int(views * rng.uniform(6, 14))
        likes = int(views * rng.uniform(0.02, 0.06))
        published = f"{day:%b} {day.day}, {day.year}"
        videos.append(
            [
                f" {video}" if video.startswith("-") else video,
                title,
                published,
                str(int(seconds)),
                str(views),
                f"{views * watched / 3600:.4f}",
                str(int(views * rng.uniform(0.001, 0.01))),
                _duration(watched),
                str(likes),
                str(int(likes * rng.uniform(0.05, 0.2))),
                str(int(likes * rng.uniform(0.05, 0.3))),
                str(impressions),
                f"{100 * views / max(impressions, 1):.2f}",
                f"{views * rng.uniform(0.0005, 0.002):.3f}",
            ]
        )
        for later in ctx.days:
            if later >= day:
                chart.append([later.isoformat(), video, title, published, str(views // 10)])
    header = [
        "Content",
        "Video title",
        "Video publish time",
        "Duration",
        "Views",
        "Watch time (hours)",
        "Subscribers",
        "Average view duration",
        "Likes",
        "Comments added",
        "Shares",
        "Impressions",
        "Impressions click-through rate (%)",
        "Estimated revenue (USD)",
    ]

    def column_total(i: int) -> str:
        if i == 7:  # an average duration: the mean, as Studio writes it
            return _duration(sum(float(v[3]) for v in videos) / max(len(videos), 1) * 0.4)
        if i == 12:  # a rate: left blank here
            return ""
        return f"{sum(float(v[i]) for v in videos):.4f}".rstrip("0").rstrip(".")

    total = ["Total", "", "", "", *(column_total(i) for i in range(4, len(header)))]
    _zip(
        folder / f"Content {period} {ctx.display_name}.zip",
        {"Table data.csv": [header, total, *videos], "Chart data.csv": chart, "Totals.csv": totals},
    )
    source_shares = _shares(rng, len(SOURCES))
    by_source: Rows = [["Traffic source", "Views", "Watch time (hours)", "Average view duration"]]
    by_source.append(["Total", str(month_views), f"{month_views * 0.05:.4f}", "0:03:00"])
    source_chart: Rows = [["Date", "Traffic source", "Views"]]
    for source, share in zip(SOURCES, source_shares, strict=True):
        views = int(month_views * share / 100)
        by_source.append(
            [source, str(views), f"{views * 0.05:.4f}", _duration(rng.uniform(60, 300))]
        )
        for day, day_views in zip(ctx.days, daily_views, strict=True):
            source_chart.append([day.isoformat(), source, str(int(day_views * share / 100))])
    _zip(
        folder / f"Traffic source {period} {ctx.display_name}.zip",
        {"Table data.csv": by_source, "Chart data.csv": source_chart, "Totals.csv": totals},
    )
    subscribed = rng.uniform(0.08, 0.2)
    by_status: Rows = [["Subscription status", "Views", "Watch time (hours)"]]
    by_status.append(["Total", str(month_views), f"{month_views * 0.05:.4f}"])
    for status, share in (("Not subscribed", 1 - subscribed), ("Subscribed", subscribed)):
        views = int(month_views * share)
        by_status.append([status, str(views), f"{views * 0.05:.4f}"])
    subscribers: Rows = [["Date", "Subscribers"]]
    for day in ctx.days:  # net: unsubscribes can outnumber new subscribers on a quiet day
        change = int(rng.gauss(acc.followers * 0.001, acc.followers * 0.0015))
        acc.followers = max(0, acc.followers + change)
        subscribers.append([day.isoformat(), str(change)])
    _zip(
        folder / f"Subscription status {period} {ctx.display_name}.zip",
        {"Table data.csv": by_status, "Totals.csv": subscribers},
    )
    return 3
