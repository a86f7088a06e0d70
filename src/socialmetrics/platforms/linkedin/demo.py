"""LinkedIn page demo exports (.xlsx copies of content, followers and visitors, with a
description row, and the competitor analytics), `Reposts` renamed `Shares` and the engagement
rate written as percent later; in sponsored months one post is boosted (Organic, Sponsored and
Total rows)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from socialmetrics.demo.common import (
    CAPTIONS,
    CITIES,
    ClientMonth,
    Rows,
    _as_percent,
    _shares,
    _xlsx,
)

LINKEDIN_RENAME_MONTH = 8
LINKEDIN_PERCENT_MONTH = 10
"""Demo month index where LinkedIn renames `Reposts` (8) and writes rates as percent (10)."""

# --------------------------------------------------------------------------------------------
# LinkedIn (.xlsx copies of the page exports)


def write(folder: Path, ctx: ClientMonth) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    acc, rng = ctx.accounts["linkedin"], ctx.accounts["linkedin"].rng
    page = ctx.client_id
    stamp = int(
        dt.datetime.combine(ctx.days[-1] + dt.timedelta(days=1), dt.time(9)).timestamp() * 1000
    )
    renamed = ctx.changed(LINKEDIN_RENAME_MONTH)
    share_word = "Shares" if renamed else "Reposts"
    posts: Rows = [
        [
            "Post title",
            "Post link",
            "Post type",
            "Campaign name",
            "Posted by",
            "Created date",
            "Campaign start date",
            "Campaign end date",
            "Audience",
            "Impressions",
            "Views (excluding off-site video views)" if renamed else "Views",
            "Offsite Views",
            "Clicks",
            "Click through rate (CTR)",
            "Likes",
            "Comments",
            share_word,
            "Follows",
            "Engagement rate",
            "Content Type",
        ]
    ]
    lang = "es" if ctx.language == "es" else "en"
    for n in range(rng.randint(6, 12)):
        day = rng.choice(ctx.days)
        viral = rng.random() < 0.05
        if viral:
            ctx.viral_factor[("li", day)] = rng.uniform(2, 4)
        imp = int(
            acc.level(ctx.month_index, day)
            * rng.uniform(0.8, 2.5)
            * (rng.uniform(5, 12) if viral else 1)
        )
        clicks, likes = int(imp * rng.uniform(0.01, 0.04)), int(imp * rng.uniform(0.01, 0.03))
        comments, shares = int(likes * rng.uniform(0.05, 0.2)), int(likes * rng.uniform(0.02, 0.1))
        ctype = rng.choices(
            ["Image", "Video", "Text", "Document", "Article"], weights=[5, 2, 2, 1, 1]
        )[0]
        serial = f"{ctx.month_index:02d}{n:02d}{rng.randint(100000, 999999)}"
        urn = f"urn:li:activity:7{ctx.seed_digits}{serial}"
        posts.append(
            [
                rng.choice(CAPTIONS[lang]),
                f"https://www.linkedin.com/feed/update/{urn}",
                "Organic",
                "",
                "Community Team",
                day.strftime("%m/%d/%Y"),
                "",
                "",
                "All followers",
                imp,
                int(imp * 0.4) if ctype == "Video" else "",
                "",
                clicks,
                clicks / imp if imp else 0,
                likes,
                comments,
                shares,
                "",
                (clicks + likes + comments + shares) / imp if imp else 0,
                ctype,
            ]
        )
    if ctx.month_index % 4 == 1 and len(posts) > 1:  # a sponsored month: one post boosted
        _boost(posts, posts[1])
    metrics: Rows = [
        [
            "Date",
            "Impressions (organic)",
            "Impressions (sponsored)",
            "Impressions (total)",
            "Unique impressions (organic)",
            "Clicks (organic)",
            "Clicks (sponsored)",
            "Clicks (total)",
            "Reactions (organic)",
            "Reactions (sponsored)",
            "Reactions (total)",
            "Comments (organic)",
            "Comments (sponsored)",
            "Comments (total)",
            f"{share_word} (organic)",
            f"{share_word} (sponsored)",
            f"{share_word} (total)",
            "Engagement rate (organic)",
            "Engagement rate (sponsored)",
            "Engagement rate (total)",
        ]
    ]
    for day in ctx.days:
        imp = int(acc.level(ctx.month_index, day) * ctx.viral_factor.get(("li", day), 1.0))
        paid = int(imp * 0.3) if ctx.month_index % 4 == 1 else 0
        clicks, reactions = int(imp * rng.uniform(0.01, 0.03)), int(imp * rng.uniform(0.01, 0.025))
        comments, reposts = (
            int(reactions * rng.uniform(0.05, 0.2)),
            int(reactions * rng.uniform(0.02, 0.1)),
        )
        eng = clicks + reactions + comments + reposts
        p_clicks = int(paid * 0.01)
        total = imp + paid
        metrics.append(
            [
                day.strftime("%m/%d/%Y"),
                imp,
                paid,
                total,
                int(imp * rng.uniform(0.35, 0.5)),
                clicks,
                p_clicks,
                clicks + p_clicks,
                reactions,
                0,
                reactions,
                comments,
                0,
                comments,
                reposts,
                0,
                reposts,
                eng / imp if imp else 0,
                p_clicks / paid if paid else 0,
                (eng + p_clicks) / total if total else 0,
            ]
        )
    description = (
        "Aggregated engagement metrics for your organic and sponsored content. All dates "
        "and times are in UTC."
    )
    _xlsx(
        folder / f"{page}_content_{stamp}.xlsx",
        [
            (
                "Metrics",
                description,
                _as_percent(metrics, "Engagement rate (total)")
                if ctx.changed(LINKEDIN_PERCENT_MONTH)
                else metrics,
            ),
            (
                "All posts",
                "Engagement metrics for individual posts. All dates and times are in UTC.",
                [posts[0], *sorted(posts[1:], key=lambda r: str(r[5]), reverse=True)],
            ),
        ],
    )
    followers: Rows = [
        [
            "Date",
            "Sponsored followers",
            "Organic followers",
            "Auto-invited followers",
            "Total followers",
        ]
    ]
    for day in ctx.days:
        organic = max(0, int(rng.gauss(acc.followers * 0.0015, 2)))
        sponsored = max(0, int(rng.gauss(2, 1))) if ctx.month_index % 4 == 1 else 0
        followers.append([day.strftime("%m/%d/%Y"), sponsored, organic, 0, sponsored + organic])
        acc.followers += sponsored + organic
    demo_sheets = [
        (
            "Location",
            [["Location", "Total followers"]]
            + [
                [c, int(acc.followers * s / 100)]
                for c, s in zip(CITIES[lang], _shares(rng, 8), strict=True)
            ],
        ),
        (
            "Job function",
            [["Job function", "Total followers"]]
            + [
                [j, int(acc.followers * s / 100)]
                for j, s in zip(
                    ["Marketing", "Sales", "Engineering", "Operations", "Business Development"],
                    _shares(rng, 5),
                    strict=True,
                )
            ],
        ),
        (
            "Seniority",
            [["Seniority", "Total followers"]]
            + [
                [j, int(acc.followers * s / 100)]
                for j, s in zip(
                    ["Entry", "Senior", "Manager", "Director", "VP"], _shares(rng, 5), strict=True
                )
            ],
        ),
        (
            "Industry",
            [["Industry", "Total followers"]]
            + [
                [j, int(acc.followers * s / 100)]
                for j, s in zip(
                    ["Retail", "Food and Beverage Services", "Health Care", "Software Development"],
                    _shares(rng, 4),
                    strict=True,
                )
            ],
        ),
        (
            "Company size",
            [["Company size", "Total followers"]]
            + [
                [j, int(acc.followers * s / 100)]
                for j, s in zip(
                    ["1", "2-10", "11-50", "51-200", "201-500"], _shares(rng, 5), strict=True
                )
            ],
        ),
    ]
    _xlsx(
        folder / f"{page}_followers_{stamp}.xlsx",
        [("New followers", None, followers), *((n, None, r) for n, r in demo_sheets)],
    )
    visitors_header = ["Date"] + [
        f"{part} {metric} ({device})"
        for part in ("Overview", "Life", "Jobs", "Total")
        for metric in ("page views", "unique visitors")
        for device in ("desktop", "mobile", "total")
    ]
    visitors: Rows = [visitors_header]
    for day in ctx.days:
        row: list[Any] = [day.strftime("%m/%d/%Y")]
        totals = [0] * 6
        for part in range(3):
            desk = int(acc.level(ctx.month_index, day) * 0.02 * rng.uniform(0.5, 1.5) / (part + 1))
            mob = int(desk * rng.uniform(0.8, 1.6))
            ud, um = int(desk * 0.6), int(mob * 0.6)
            vals = [desk, mob, desk + mob, ud, um, ud + um]
            totals = [a + b for a, b in zip(totals, vals, strict=True)]
            row.extend(vals)
        row.extend(totals)
        visitors.append(row)
    _xlsx(folder / f"{page}_visitors_{stamp}.xlsx", [("Visitor metrics", None, visitors)])
    _competitors(folder, ctx, acc.followers, stamp + 1)
    return 4


COMPETITORS = ("Northwind Digital", "Blue Harbor Studio", "Café Lumière & Co")


def _boost(posts: Rows, organic: list[Any]) -> None:
    """Add a boosted post's Sponsored campaign row and its Total row after its Organic row."""
    imp, clicks, likes, comments, shares = (int(organic[i]) for i in (9, 12, 14, 15, 16))
    paid = [imp * 2, clicks * 2, likes, comments // 2, shares // 2]
    day = dt.datetime.strptime(str(organic[5]), "%m/%d/%Y").date()
    campaign = [
        *organic[:2],
        "Sponsored",
        "Boost - " + str(organic[0])[:30],
        *organic[4:6],
        day.strftime("%m/%d/%Y"),
        (day + dt.timedelta(days=7)).strftime("%m/%d/%Y"),
        "Lookalike audience",
        paid[0],
        "",
        "",
        paid[1],
        paid[1] / paid[0] if paid[0] else 0,
        *paid[2:],
        max(1, paid[2] // 10),
        sum(paid[1:]) / paid[0] if paid[0] else 0,
        organic[19],
    ]
    total_values = [imp + paid[0], clicks + paid[1], likes + paid[2], comments + paid[3]]
    total = [
        *organic[:2],
        "Total",
        "",
        *organic[4:6],
        "",
        "",
        "",
        total_values[0],
        organic[10],
        "",
        total_values[1],
        total_values[1] / total_values[0] if total_values[0] else 0,
        total_values[2],
        total_values[3],
        shares + paid[4],
        max(1, paid[2] // 10),
        (sum(total_values[1:]) + shares + paid[4]) / total_values[0] if total_values[0] else 0,
        organic[19],
    ]
    at = posts.index(organic)
    posts[at + 1 : at + 1] = [campaign, total]


def _competitors(folder: Path, ctx: ClientMonth, followers: int, stamp: int) -> None:
    """The month's competitor analytics: the client's page and three invented competitors."""
    rng = random.Random(f"{ctx.client_id}-competitors-{ctx.month_index}")  # own stream
    first, last = ctx.days[0], ctx.days[-1]
    rows: Rows = [
        [f"{first.month}/{first.day}/{first.year}", f"{last.month}/{last.day}/{last.year}"],
        ["Page", "Total Followers", "New Followers", "Total post engagements", "Total posts"],
        [ctx.display_name, followers, rng.randint(20, 120), rng.randint(300, 1500), 9],
    ]
    for i, name in enumerate(COMPETITORS):
        base = (i + 1) * 2500 + ctx.month_index * 40 * (i + 1)
        rows.append([name, base, rng.randint(10, 200), rng.randint(100, 3000), rng.randint(4, 20)])
    _xlsx(
        folder / f"{ctx.display_name}_competitor_analytics_{stamp}.xlsx",
        [("COMPETITORS", None, rows)],
    )
