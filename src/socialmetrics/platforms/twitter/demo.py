"""X demo exports (the new analytics CSVs): two date styles, thousands separators after the
rename, `Video views` dropped later, overlapping exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from socialmetrics.demo.common import (
    CAPTIONS,
    ClientMonth,
    Rows,
    _csv_text,
    _drop_column,
)

X_RENAME_MONTH = 6
X_DROP_VIDEO_MONTH = 10
"""Demo month index where X renames columns and its date style (6) and drops `Video views` (10)."""

# --------------------------------------------------------------------------------------------
# X (new analytics exports)


def _x_date(day: dt.date, renamed: bool) -> str:
    if renamed:
        return f"{day:%a}, {day:%b} {day.day}, {day.year}"
    return f"{day:%a %b %d %Y}"


def _x_number(value: int, renamed: bool) -> str:
    return f"{value:,}" if renamed else str(value)


def write(folder: Path, ctx: ClientMonth) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    acc, rng = ctx.accounts["twitter"], ctx.accounts["twitter"].rng
    renamed = ctx.changed(X_RENAME_MONTH)
    lang = "es" if ctx.language == "es" else "en"
    posts: Rows = []
    for n in range(rng.randint(20, 40)):
        day = rng.choice(ctx.days)
        viral = rng.random() < 0.04
        if viral:
            ctx.viral_factor[("x", day)] = rng.uniform(2, 6)
        imp = int(
            acc.level(ctx.month_index, day)
            * rng.uniform(0.3, 1.2)
            * (rng.uniform(8, 30) if viral else 1)
        )
        likes = int(imp * rng.uniform(0.005, 0.03))
        replies, reposts = int(likes * rng.uniform(0.05, 0.3)), int(likes * rng.uniform(0.05, 0.25))
        bookmarks, share = int(likes * rng.uniform(0, 0.1)), int(likes * rng.uniform(0, 0.05))
        url_clicks, detail = int(imp * rng.uniform(0, 0.01)), int(imp * rng.uniform(0.002, 0.02))
        hashtag, permalink, profile = (
            int(imp * 0.001),
            int(imp * 0.0005),
            int(imp * rng.uniform(0.001, 0.005)),
        )
        follows = int(profile * rng.uniform(0, 0.2))
        engagements = (
            likes
            + replies
            + reposts
            + bookmarks
            + share
            + url_clicks
            + detail
            + hashtag
            + permalink
            + profile
            + follows
        )
        post_id = f"18{ctx.seed_digits}{ctx.month_index:02d}{n:03d}{rng.randint(10000, 99999)}"
        text = rng.choice(CAPTIONS[lang]) + (
            " https://t.co/" + post_id[-6:] if rng.random() < 0.4 else ""
        )
        posts.append(
            [
                post_id,
                day,
                text,
                f"https://x.com/{ctx.client_id.replace('-', '_')}/status/{post_id}",
                imp,
                likes,
                engagements,
                bookmarks,
                share,
                follows,
                replies,
                reposts,
                profile,
                detail,
                url_clicks,
                hashtag,
                permalink,
            ]
        )
    posts.sort(key=lambda r: (r[1], r[0]), reverse=True)
    header = [
        "Post id",
        "Date",
        "Post text",
        "Post Link" if renamed else "Link",
        "Impressions",
        "Likes",
        "Engagements",
        "Bookmarks",
        "Shares" if renamed else "Share",
        "New follows",
        "Replies",
        "Reposts",
        "Profile visits",
        "Detail Expands" if renamed else "Detail expands",
        "URL Clicks" if renamed else "Url clicks",
        "Hashtag Clicks" if renamed else "Hashtag clicks",
        "Permalink Clicks" if renamed else "Permalink clicks",
    ]
    rows: Rows = [header]
    for p in posts:
        numbers = [_x_number(int(v), renamed) for v in p[4:]]
        rows.append([p[0], _x_date(p[1], renamed), *p[2:4], *numbers])
    first, last = ctx.days[0], ctx.days[-1]
    body = _csv_text(rows, line="\r\n")
    data = (b"\xef\xbb\xbf" if renamed else b"") + body.encode("utf-8")
    (folder / f"account_analytics_content_{first:%Y-%m-%d}_{last:%Y-%m-%d}.csv").write_bytes(data)
    # The overview export covers the month plus the last days of the previous one: the overlap
    # with last month's file is what ingest must de-duplicate (newest export wins).
    overview: Rows = [
        [
            "Date",
            "Impressions",
            "Likes",
            "Engagements",
            "Bookmarks",
            "Shares",
            "New follows",
            "Unfollows",
            "Replies",
            "Reposts",
            "Profile visits",
            "Create Post",
            "Video views",
            "Media views",
        ]
    ]
    span = (
        [first - dt.timedelta(days=k) for k in range(3, 0, -1)] + ctx.days
        if ctx.month_index
        else ctx.days
    )
    for day in reversed(span):
        imp = int(acc.level(ctx.month_index, day) * 3 * ctx.viral_factor.get(("x", day), 1.0))
        likes = int(imp * rng.uniform(0.005, 0.02))
        new, lost = max(0, int(rng.gauss(acc.followers * 0.001, 2))), max(0, int(rng.gauss(1, 1)))
        if day in ctx.days:
            acc.followers += new - lost
        created = sum(1 for p in posts if p[1] == day)
        overview.append(
            [
                f"{day:%a}, {day:%b} {day.day}, {day.year}",
                imp,
                likes,
                int(likes * 2.5),
                int(likes * 0.05),
                int(likes * 0.02),
                new,
                lost,
                int(likes * 0.2),
                int(likes * 0.15),
                int(imp * 0.003),
                created,
                int(imp * 0.05),
                int(imp * 0.08),
            ]
        )
    if ctx.changed(X_DROP_VIDEO_MONTH):
        overview = _drop_column(overview, "Video views")
    (folder / "account_overview_analytics.csv").write_text(_csv_text(overview), encoding="utf-8")
    return 2
