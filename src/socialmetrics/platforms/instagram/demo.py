"""Instagram demo exports, as Meta Business Suite writes them: UTF-16 overview charts with
`sep=` lines and T01:00 artefacts, the content CSV, the audience blocks; a Spanish-interface
client; `Saves` renamed `Saved` and the columns reordered partway through the year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from socialmetrics.demo.common import (
    AGES,
    CAPTIONS,
    CITIES,
    COUNTRIES,
    SPANISH_UI_CLIENT,
    ClientMonth,
    Rows,
    _csv_text,
    _move_to_end,
    _shares,
    _utf16,
    meta_chart,
)

IG_SAVED_MONTH = 9
IG_REORDER_MONTH = 11
"""Demo month index where Instagram renames `Saves` (9) and reorders its columns (11)."""

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


def write(folder: Path, ctx: ClientMonth) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    spanish = ctx.index == SPANISH_UI_CLIENT
    charts = IG_CHARTS_ES if spanish else IG_CHARTS_EN
    acc, rng = ctx.accounts["instagram"], ctx.accounts["instagram"].rng
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
        (folder / name).write_bytes(meta_chart(title, rows))
    acc.followers += sum(v for _, v in series["follows"])
    _write_ig_audience(folder, ctx, spanish)
    return len(charts) + 2


def _write_ig_posts(folder: Path, ctx: ClientMonth, spanish: bool) -> None:
    rng = ctx.accounts["instagram"].rng
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
            ctx.accounts["instagram"].level(ctx.month_index, day)
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


def _write_ig_audience(folder: Path, ctx: ClientMonth, spanish: bool) -> None:
    rng = ctx.accounts["instagram"].rng
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
