"""A realistic demo agency, written in the platforms' REAL export formats with their quirks.

Numbers follow a model of a real account: a level that grows month over month, weekly
seasonality (LinkedIn quiet at weekends, Instagram busier), log-normal noise, and the occasional
viral post that lifts its day. Files carry the quirks ingest must survive: UTF-16 Meta charts
with `sep=` lines and T01:00 time-zone artefacts, a Spanish-interface client, LinkedIn `.xlsx`
with a description row, two X date styles, a column renamed partway through the year
(X `Link` -> `Post Link`, LinkedIn `Reposts` -> `Shares`) and overlapping X exports.
Deterministic: the same seed writes the same bytes.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialmetrics.config import CLIENT_TEMPLATE, PROJECT_TEMPLATE

DEMO_CLIENTS = (
    ("cafe-aurora", "Café Aurora", "es", "Europe/Madrid", "#c2410c"),
    ("nordic-outfitters", "Nordic Outfitters", "en", "Europe/Stockholm", "#0f766e"),
    ("clinica-sonrisa", "Clínica Dental Sonrisa", "es", "America/Bogota", "#7c3aed"),
    ("technova-labs", "TechNova Labs", "en", "America/New_York", "#1d4ed8"),
    ("verde-organics", "Verde Organics", "es", "America/Mexico_City", "#15803d"),
)
SPANISH_UI_CLIENT = 2
"""Index of the client whose team uses the Spanish Meta interface (Spanish headers)."""

X_RENAME_MONTH = 6
LINKEDIN_RENAME_MONTH = 8
IG_SAVED_MONTH = 9
LINKEDIN_PERCENT_MONTH = 10
X_DROP_VIDEO_MONTH = 10
IG_REORDER_MONTH = 11
"""Month index (from the first demo month) where each platform changes its export layout:
X renames columns and its date style (6), LinkedIn `Reposts` -> `Shares` (8), Instagram
`Saves` -> `Saved`, a name no spec knows (9), LinkedIn's total engagement rate switches to
percent and X stops exporting `Video views` (10), Instagram reorders its columns (11)."""

CAPTIONS = {
    "es": [
        "¡Nuevo en la carta! Ven a probarlo este fin de semana ☕",
        "Detrás de cámaras: así preparamos cada pedido",
        "5 consejos para empezar el mes con energía",
        "Gracias por ser parte de esta comunidad 💚",
        "Sorteo: comenta y etiqueta a dos amigos",
        "Nuestro equipo te cuenta cómo trabajamos",
        "Así fue el evento del sábado, ¡gracias por venir!",
        "Pregunta del día: ¿cuál es tu favorito?",
    ],
    "en": [
        "New arrivals are here — which one is your pick?",
        "Behind the scenes: how we build every order",
        "5 tips to start the month strong",
        "Thank you for being part of this community 💚",
        "Giveaway: comment and tag two friends",
        "Meet the team: a day in our studio",
        "Recap of Saturday's event, thanks for coming!",
        "Question of the day: what's your favourite?",
    ],
}
CITIES = {
    "es": [
        "Madrid",
        "Barcelona",
        "Valencia",
        "Sevilla",
        "Bogotá",
        "Ciudad de México",
        "Lima",
        "Buenos Aires",
    ],
    "en": [
        "London",
        "New York, NY",
        "Stockholm",
        "Oslo",
        "Toronto, ON",
        "Berlin",
        "Austin, TX",
        "Dublin",
    ],
}
COUNTRIES = {
    "es": [
        "España",
        "México",
        "Colombia",
        "Argentina",
        "Perú",
        "Chile",
        "Estados Unidos",
        "Ecuador",
    ],
    "en": [
        "United States",
        "United Kingdom",
        "Sweden",
        "Norway",
        "Canada",
        "Germany",
        "Ireland",
        "India",
    ],
}
Rows = list[list[Any]]
"""Rows of cells as written to a file: text and numbers."""

AGES = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]


@dataclass
class Account:
    """The hidden 'truth' of one client on one platform: level, growth, rhythm."""

    base: float
    growth: float
    weekend: float
    followers: int
    rng: random.Random

    def level(self, month_index: int, day: dt.date) -> float:
        trend = self.base * (1 + self.growth) ** month_index
        weekday = self.weekend if day.weekday() >= 5 else 1.0
        # a mild yearly cycle peaking in December (campaign season)
        season = 1 + 0.05 * math.cos(2 * math.pi * ((day.timetuple().tm_yday - 350) / 365.0))
        return trend * weekday * season * self.rng.lognormvariate(0, 0.18)


def _months(end_month: str | None, count: int) -> list[tuple[int, int]]:
    if end_month:
        year, month = (int(x) for x in end_month.split("-"))
    else:
        today = dt.date.today().replace(day=1) - dt.timedelta(days=1)
        year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


def months_between(end_month: str | None, count: int) -> list[str]:
    """The demo's months as YYYY-MM, oldest first (ending last month by default)."""
    return [f"{y:04d}-{m:02d}" for y, m in _months(end_month, count)]


def _days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def _csv_text(rows: Sequence[Sequence[Any]], *, quote_all: bool = False, line: str = "\n") -> str:
    buf = io.StringIO()
    writer = csv.writer(
        buf, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator=line
    )
    writer.writerows(rows)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Instagram (Meta Business Suite)


IG_CHARTS_EN = {
    "Reach.csv": ("Reach", "reach"),
    "Views.csv": ("Views", "views"),
    "Follows.csv": ("Instagram follows", "follows"),
    "Interactions.csv": ("Content interactions", "interactions"),
    "Link clicks.csv": ("Instagram link clicks", "link_clicks"),
    "Visits.csv": ("Instagram profile visits", "visits"),
}
IG_CHARTS_ES = {
    "Alcance.csv": ("Alcance", "reach"),
    "Visualizaciones.csv": ("Visualizaciones", "views"),
    "Seguidores.csv": ("Seguimientos de Instagram", "follows"),
    "Interacciones.csv": ("Interacciones con el contenido", "interactions"),
    "Clics en el enlace.csv": ("Clics en el enlace de Instagram", "link_clicks"),
    "Visitas.csv": ("Visitas al perfil de Instagram", "visits"),
}
IG_POST_HEADERS_EN = [
    "Post ID",
    "Account ID",
    "Account username",
    "Account name",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Permalink",
    "Post type",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Likes",
    "Shares",
    "Comments",
    "Saves",
    "Follows",
]
IG_POST_HEADERS_ES = [
    "Identificador de la publicación",
    "Identificador de la cuenta",
    "Nombre de usuario de la cuenta",
    "Nombre de la cuenta",
    "Descripción",
    "Duración (segundos)",
    "Hora de publicación",
    "Enlace permanente",
    "Tipo de publicación",
    "Comentario sobre los datos",
    "Fecha",
    "Visualizaciones",
    "Alcance",
    "Me gusta",
    "Veces que se compartió",
    "Seguimientos",
    "Comentarios",
    "Veces que se guardó",
]


def _utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")


def _write_ig(folder: Path, ctx: _ClientMonth) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    spanish = ctx.index == SPANISH_UI_CLIENT
    charts = IG_CHARTS_ES if spanish else IG_CHARTS_EN
    acc, rng = ctx.ig, ctx.ig.rng
    _write_ig_posts(folder, ctx, spanish)  # first: viral posts lift their day's numbers
    series: dict[str, list[tuple[dt.date, int]]] = {k: [] for _, k in charts.values()}
    for day in ctx.days:
        lvl = acc.level(ctx.month_index, day) * ctx.viral_factor.get(("ig", day), 1.0)
        views = int(lvl)
        reach = int(views * rng.uniform(0.55, 0.72))
        series["views"].append((day, views))
        series["reach"].append((day, reach))
        series["interactions"].append((day, int(reach * rng.uniform(0.03, 0.06))))
        series["link_clicks"].append((day, int(reach * rng.uniform(0.002, 0.006))))
        series["visits"].append((day, int(reach * rng.uniform(0.01, 0.025))))
        series["follows"].append((day, max(0, int(rng.gauss(acc.followers * 0.0012, 3)))))
    for name, (title, key) in charts.items():
        rows: Rows = [["Date" if not spanish else "Fecha", "Primary"]]
        for day, value in series[key]:
            if key == "follows" and value == 0:
                continue  # Meta omits days without follows
            hour = "01" if rng.random() < 0.1 else "00"  # the time-zone artefact of real files
            rows.append([f"{day.isoformat()}T{hour}:00:00", str(value)])
        text = (
            "sep=,\n"
            + _csv_text([[title]], quote_all=True)
            + _csv_text(rows, quote_all=True)
            + "\n"
        )
        (folder / name).write_bytes(_utf16(text))
    acc.followers += sum(v for _, v in series["follows"])
    _write_ig_audience(folder, ctx, spanish)
    return len(charts) + 2


def _write_ig_posts(folder: Path, ctx: _ClientMonth, spanish: bool) -> None:
    rng = ctx.ig.rng
    lang = "es" if ctx.language == "es" else "en"
    headers = IG_POST_HEADERS_ES if spanish else IG_POST_HEADERS_EN
    types = (
        ["Reel de Instagram", "Imagen de Instagram", "Secuencia de Instagram"]
        if spanish
        else ["IG reel", "IG image", "IG carousel"]
    )
    rows: Rows = [headers]
    for n in range(rng.randint(10, 18)):
        day = rng.choice(ctx.days)
        when = dt.datetime.combine(
            day, dt.time(rng.choice([8, 9, 12, 13, 18, 19, 20, 21]), rng.randint(0, 59))
        )
        ptype = rng.choices(types, weights=[5, 3, 3])[0]
        viral = rng.random() < 0.06
        if viral:
            ctx.viral_factor[("ig", day)] = rng.uniform(2.5, 5.0)
        views = int(
            ctx.ig.level(ctx.month_index, day)
            * rng.uniform(0.6, 1.8)
            * (rng.uniform(6, 15) if viral else 1)
        )
        reach = int(views * rng.uniform(0.6, 0.8))
        likes = int(reach * rng.uniform(0.03, 0.08))
        post_id = f"18{ctx.seed_digits}{ctx.month_index:02d}{n:03d}{rng.randint(1000, 9999)}"
        caption = rng.choice(CAPTIONS[lang])
        if rng.random() < 0.3:
            caption += (
                "\n\n#"
                + ctx.client_id.replace("-", "")
                + " #"
                + ("novedades" if lang == "es" else "news")
            )
        rows.append(
            [
                post_id,
                f"178414{ctx.seed_digits}",
                ctx.client_id.replace("-", "_"),
                ctx.display_name,
                caption,
                rng.randint(8, 60) if "eel" in ptype else 0,
                when.strftime("%m/%d/%Y %H:%M"),
                f"https://www.instagram.com/{'reel' if 'eel' in ptype else 'p'}/D{post_id[-8:]}/",
                ptype,
                "",
                "Total" if spanish else "Lifetime",
                views,
                reach,
                likes,
                int(likes * rng.uniform(0.05, 0.2)),
                *(
                    [
                        rng.choice(["", "1", "2", "0"]),
                        int(likes * rng.uniform(0.02, 0.1)),
                        int(likes * rng.uniform(0.05, 0.3)),
                    ]
                    if spanish
                    else [
                        int(likes * rng.uniform(0.02, 0.1)),
                        int(likes * rng.uniform(0.05, 0.3)),
                        rng.choice(["", "1", "2", "0"]),
                    ]
                ),
            ]
        )
    first, last = ctx.days[0], ctx.days[-1]
    name = f"{first:%b-%d-%Y}_{last:%b-%d-%Y}_{ctx.seed_digits}{ctx.month_index:02d}.csv"
    if not spanish and ctx.changed(IG_SAVED_MONTH):
        rows[0] = ["Saved" if h == "Saves" else h for h in rows[0]]
    if ctx.changed(IG_REORDER_MONTH):
        rows = _move_to_end(rows, rows[0][12])  # Reach / Alcance
    (folder / name).write_bytes(b"\xef\xbb\xbf" + _csv_text(rows).encode("utf-8"))


def _shares(rng: random.Random, n: int) -> list[float]:
    weights = sorted((rng.random() ** 2 for _ in range(n)), reverse=True)
    total = sum(weights)
    return [round(100 * w / total, 1) for w in weights]


def _write_ig_audience(folder: Path, ctx: _ClientMonth, spanish: bool) -> None:
    rng = ctx.ig.rng
    lang = "es" if ctx.language == "es" else "en"
    women, men = ("Mujeres", "Hombres") if spanish else ("Women", "Men")
    ages = _shares(rng, len(AGES) * 2)
    rng.shuffle(ages)
    blocks: Rows = [
        [["Edad y sexo" if spanish else "Age & gender"], ["", women, men]]
        + [[age, str(ages[2 * i]), str(ages[2 * i + 1])] for i, age in enumerate(AGES)],
        [
            ["Principales ciudades" if spanish else "Top cities"],
            CITIES[lang],
            [str(v) for v in _shares(rng, 8)],
        ],
        [
            ["Principales países" if spanish else "Top countries"],
            COUNTRIES[lang],
            [str(v) for v in _shares(rng, 8)],
        ],
    ]
    text = "sep=,\n" + "\n".join(_csv_text(b, quote_all=True) for b in blocks) + "\n"
    (folder / ("Público.csv" if spanish else "Audience.csv")).write_bytes(_utf16(text))


# --------------------------------------------------------------------------------------------
# LinkedIn (.xlsx copies of the page exports)


def _xlsx(path: Path, sheets: Sequence[tuple[str, str | None, Rows]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    for name, description, rows in sheets:
        sheet = book.add_worksheet(name)
        r = 0
        if description:
            sheet.write_string(0, 0, description)
            r = 1
        for row in rows:
            for c, value in enumerate(row):
                if isinstance(value, (int, float)):
                    sheet.write_number(r, c, float(value))
                else:
                    sheet.write_string(r, c, str(value))
            r += 1
    book.close()


def _write_linkedin(folder: Path, ctx: _ClientMonth) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    acc, rng = ctx.li, ctx.li.rng
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
    return 3


# --------------------------------------------------------------------------------------------
# X (new analytics exports)


def _x_date(day: dt.date, renamed: bool) -> str:
    if renamed:
        return f"{day:%a}, {day:%b} {day.day}, {day.year}"
    return f"{day:%a %b %d %Y}"


def _x_number(value: int, renamed: bool) -> str:
    return f"{value:,}" if renamed else str(value)


def _write_x(folder: Path, ctx: _ClientMonth) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    acc, rng = ctx.x, ctx.x.rng
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


# --------------------------------------------------------------------------------------------


def _as_percent(rows: Rows, header: str) -> Rows:
    """A rate column written as text percentages ("3.2512%"), as some exports do."""
    at = rows[0].index(header)
    return [rows[0]] + [[*r[:at], f"{100 * r[at]:.12g}%", *r[at + 1 :]] for r in rows[1:]]


def _drop_column(rows: Rows, header: str) -> Rows:
    at = rows[0].index(header)
    return [r[:at] + r[at + 1 :] for r in rows]


def _move_to_end(rows: Rows, header: str) -> Rows:
    at = rows[0].index(header)
    return [r[:at] + r[at + 1 :] + [r[at]] for r in rows]


@dataclass
class _ClientMonth:
    index: int
    client_id: str
    display_name: str
    language: str
    seed_digits: str
    month_index: int
    days: list[dt.date]
    ig: Account
    li: Account
    x: Account
    viral_factor: dict[tuple[str, dt.date], float]
    drift: bool = True

    def changed(self, month_index: int) -> bool:
        """Has the platform changed this layout by this month (when the demo drifts)?"""
        return self.drift and self.month_index >= month_index


def _account(
    rng: random.Random, key: str, lo: float, hi: float, weekend: float, followers: tuple[int, int]
) -> Account:
    return Account(
        base=rng.uniform(lo, hi),
        growth=rng.uniform(0.025, 0.06),
        weekend=weekend,
        followers=rng.randint(*followers),
        rng=random.Random(key),
    )


def generate_demo(
    out: Path,
    *,
    clients: int = 5,
    months: int = 13,
    seed: int = 7,
    end_month: str | None = None,
    drift: bool = True,
) -> int:
    """Write a demo project into `out`; returns the number of export files written.

    With `drift=False` every month keeps the first layout: the same numbers in unchanging
    files, the ground truth to check drift handling against.
    """
    out.mkdir(parents=True, exist_ok=True)
    config = out / "socialmetrics.toml"
    if not config.exists():
        config.write_text(
            PROJECT_TEMPLATE.format(
                name="Big Data Marketing (demo)", language="es", timezone="Europe/Madrid"
            ),
            encoding="utf-8",
        )
    written = 0
    month_list = _months(end_month, months)
    for i in range(clients):
        base = DEMO_CLIENTS[i % len(DEMO_CLIENTS)]
        client_id = base[0] if i < len(DEMO_CLIENTS) else f"{base[0]}-{i // len(DEMO_CLIENTS) + 1}"
        name = base[1] if i < len(DEMO_CLIENTS) else f"{base[1]} {i // len(DEMO_CLIENTS) + 1}"
        rng = random.Random(f"{seed}-{client_id}")
        folder = out / "clients" / client_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "client.toml").write_text(
            CLIENT_TEMPLATE.format(
                display_name=name, language=base[2], timezone=base[3], brand_color=base[4]
            ),
            encoding="utf-8",
        )

        ig = _account(rng, f"{seed}-{client_id}-ig", 1500, 12000, 1.15, (3000, 40000))
        li = _account(rng, f"{seed}-{client_id}-li", 200, 1500, 0.45, (800, 9000))
        x = _account(rng, f"{seed}-{client_id}-x", 300, 3000, 0.85, (1000, 15000))
        digits = f"{rng.randint(1000000, 9999999)}"
        viral: dict[tuple[str, dt.date], float] = {}
        for m, (year, month) in enumerate(month_list):
            ctx = _ClientMonth(
                i, client_id, name, base[2], digits, m, _days(year, month), ig, li, x, viral, drift
            )
            month_folder = folder / f"{year:04d}-{month:02d}"
            written += _write_x(month_folder / "x", ctx)
            written += _write_ig(month_folder / "instagram", ctx)
            written += _write_linkedin(month_folder / "linkedin", ctx)
    return written
