"""Facebook page demo exports, as Meta Business Suite writes them: UTF-16 overview charts whose
titles name Facebook, and the page content CSV in the 2025 layout (Views, no impressions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from socialmetrics.demo.common import CAPTIONS, ClientMonth, Rows, _csv_text, meta_chart

CHARTS = {
    "Reach.csv": ("Facebook reach", "reach"),
    "Views.csv": ("Facebook views", "views"),
    "Follows.csv": ("Facebook follows", "follows"),
}
POST_HEADERS = [
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (secs)",
    "Publish time",
    "Permalink",
    "Post type",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Reactions, comments and shares",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
]
POST_TYPES = ("Photos", "Videos", "Links", "Text")


def write(folder: Path, ctx: ClientMonth) -> int:
    """The month's three charts and its content export; returns the number of files."""
    folder.mkdir(parents=True, exist_ok=True)
    acc = ctx.accounts["facebook"]
    rng = acc.rng
    series: dict[str, list[tuple[dt.date, int]]] = {key: [] for _, key in CHARTS.values()}
    for day in ctx.days:
        views = int(acc.level(ctx.month_index, day))
        series["views"].append((day, views))
        series["reach"].append((day, int(views * rng.uniform(0.5, 0.7))))
        series["follows"].append((day, max(0, int(rng.gauss(acc.followers * 0.0008, 2)))))
    for name, (title, key) in CHARTS.items():
        rows: Rows = [["Date", "Primary"]]
        rows += [[f"{day.isoformat()}T00:00:00", str(value)] for day, value in series[key]]
        (folder / name).write_bytes(meta_chart(title, rows))
    acc.followers += sum(v for _, v in series["follows"])
    first, last = ctx.days[0], ctx.days[-1]
    posts: Rows = [POST_HEADERS]
    captions = CAPTIONS.get(ctx.language, CAPTIONS["en"])
    for n, day in enumerate(ctx.days[::3]):
        views = int(acc.level(ctx.month_index, day) * rng.uniform(0.3, 0.9))
        reactions, comments, shares = (int(views * rng.uniform(a, b)) for a, b in _RATES)
        post_id = f"{ctx.seed_digits}{ctx.month_index:02d}{n:03d}"
        posts.append(
            [
                post_id,
                f"10{ctx.seed_digits}",
                ctx.display_name,
                "",
                captions[(ctx.month_index + n) % len(captions)],
                "",
                f"{day:%m/%d/%Y} {rng.randint(8, 20):02d}:{rng.choice(('00', '30'))}",
                f"https://www.facebook.com/{ctx.client_id}/posts/{post_id}",
                POST_TYPES[n % len(POST_TYPES)],
                "",
                "Lifetime",
                views,
                int(views * rng.uniform(0.6, 0.8)),
                reactions + comments + shares,
                reactions,
                comments,
                shares,
                int(views * rng.uniform(0.01, 0.03)),
            ]
        )
    name = f"{first:%b-%d-%Y}_{last:%b-%d-%Y}_{ctx.seed_digits}.csv"
    (folder / name).write_text("\ufeff" + _csv_text(posts), encoding="utf-8")
    return len(CHARTS) + 1


_RATES = ((0.02, 0.05), (0.002, 0.008), (0.001, 0.005))
