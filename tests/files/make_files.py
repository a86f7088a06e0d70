"""Write the small test files: one per reader quirk, same layouts as the platforms, invented values.

Run `python tests/files/make_files.py` to regenerate (needs the dev dependencies: xlsxwriter,
xlwt). The outputs are committed so the tests never depend on this script.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).parent


def write(rel: str, data: bytes) -> None:
    path = HERE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")


def instagram() -> None:
    # Meta overview chart: UTF-16 LE BOM, sep= line, title, T01:00 artefact, a missing day.
    write(
        "instagram/Reach.csv",
        utf16(
            'sep=,\n"Reach"\n"Date","Primary"\n'
            '"2026-05-01T00:00:00","1200"\n"2026-05-02T01:00:00","1350"\n'
            '"2026-05-04T00:00:00","980"\n"2026-05-05T00:00:00","1010"\n\n'
        ),
    )
    # Portuguese chart title, platform named in the title.
    write(
        "instagram/Seguidores.csv",
        utf16(
            'sep=,\n"Seguidores no Instagram"\n"Data","Primary"\n"2026-05-01T00:00:00","3"\n'
            '"2026-05-03T00:00:00","1"\n\n'
        ),
    )
    # Two sections in one chart file: Facebook then Instagram (2023 metric-named columns).
    write(
        "instagram/two_sections.csv",
        utf16(
            'sep=,\n"Facebook Page reach"\n"Date","Facebook Page reach"\n'
            '"2023-03-01T00:00:00","40"\n"2023-03-02T00:00:00","55"\n\n'
            '"Instagram reach"\n"Date","Instagram reach"\n'
            '"2023-03-01T00:00:00","400"\n"2023-03-02T00:00:00","550"\n\n'
        ),
    )
    # Audience, 2025 generation: blocks, wide cities/countries, dot decimals without %.
    write(
        "instagram/Audience.csv",
        utf16(
            'sep=,\n"Age & gender"\n"","Women","Men"\n"18-24","10.5","6"\n"25-34","30","20.5"\n'
            '"35-44","20","13"\n\n"Top cities"\n"Madrid","Bogotá, Colombia","Lima"\n"40.2","10.1","5"\n\n'
            '"Top countries"\n"España","Colombia"\n"60","25.5"\n\n'
        ),
    )
    # Audience, 2024 generation in Spanish: total followers, "23,9%" decimal-comma shares.
    write(
        "instagram/publico.csv",
        utf16(
            'sep=,\n"Seguidores de Instagram"\n"IG_ACCOUNT,FOLLOW,UNIQUE_USERS"\n"1234"\n\n'
            '"Seguidores de Instagram por sexo y edad"\n"Edad","Mujeres","Hombres"\n'
            '"18-24","23,9%","12,5%"\n"25-34","40%","23,6%"\n\n'
            '"Seguidores de Instagram por principales ciudades"\n"Principales ciudades","Valor"\n'
            '"Medellín, Colombia","50,5%"\n"Cali, Colombia","10%"\n\n'
        ),
    )
    # Content export, Spanish interface: BOM, quoted multi-line description with a blank line.
    es_header = (
        '"Identificador de la publicación","Identificador de la cuenta","Nombre de usuario de la cuenta",'
        '"Nombre de la cuenta",Descripción,"Duración (segundos)","Hora de publicación","Enlace permanente",'
        '"Tipo de publicación","Comentario sobre los datos",Fecha,Visualizaciones,Alcance,"Me gusta",'
        '"Veces que se compartió",Seguimientos,Comentarios,"Veces que se guardó"'
    )
    rows = [
        '18000000000000001,17800000000000009,cafe_demo,"Café Demo","Primera línea\n\nSegunda línea '
        '#café",0,"03/18/2026 09:48",https://www.instagram.com/p/AAA1/,"Imagen de Instagram",,Total,'
        "1500,900,80,5,,12,7",
        '18000000000000002,17800000000000009,cafe_demo,"Café Demo","Reel ""nuevo""",31,"03/20/2026 19:05",'
        'https://www.instagram.com/reel/AAA2/,"Reel de Instagram",,Total,"2.500",1800,150,20,3,25,30',
    ]
    write(
        "instagram/contenido_es.csv",
        b"\xef\xbb\xbf" + (es_header + "\n" + "\n".join(rows) + "\n").encode(),
    )
    # Older English content export: Impressions and Plays, another column order, an extra column.
    header = (
        '"Post ID","Account ID","Account username","Account name",Description,"Duration (sec)",'
        '"Publish time",Permalink,"Post type","Data comment",Date,Impressions,Reach,Likes,Shares,'
        'Follows,Comments,Saves,Plays,"Brand new metric"'
    )
    body = (
        '17900000000000001,17800000000000001,shop,"Shop",Hello,0,"12/01/2024 10:00",'
        "https://www.instagram.com/p/B1/,IG image,,Lifetime,900,700,50,2,1,4,3,,x1\n"
        '17900000000000002,17800000000000001,shop,"Shop",Reel time,20,"12/02/2024 18:30",'
        "https://www.instagram.com/reel/B2/,IG reel,,Lifetime,2000,1500,120,10,,9,8,1800,x2\n"
    )
    write(
        "instagram/Dec-01-2024_Dec-31-2024_17800000000000001.csv",
        b"\xef\xbb\xbf" + (header + "\n" + body).encode(),
    )
    # Re-saved by Excel: no sep= line, ';' separator, cp1252, decimal comma, whole rows quoted.
    write(
        "instagram/Interacoes_resaved.csv",
        '"Interações com o conteúdo"\nData;Primary\n2026-05-01T00:00:00;1.204\n'
        "2026-05-02T00:00:00;987\n".encode("cp1252"),
    )


def twitter() -> None:
    promoted = ",".join(['"-"'] * 18)
    header = (
        '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements","engagement rate",'
        '"retweets","replies","likes","user profile clicks","url clicks","hashtag clicks","detail expands",'
        '"permalink clicks","app opens","app installs","follows","email tweet","dial phone","media views",'
        '"media engagements","promoted impressions","promoted engagements","promoted engagement rate",'
        '"promoted retweets","promoted replies","promoted likes","promoted user profile clicks",'
        '"promoted url clicks","promoted hashtag clicks","promoted detail expands","promoted permalink clicks",'
        '"promoted app opens","promoted app installs","promoted follows","promoted email tweet",'
        '"promoted dial phone","promoted media views","promoted media engagements"'
    )
    r1 = (
        '"1388063576737214466","https://twitter.com/acme/status/1388063576737214466",'
        '"Tools &amp; tips\nsecond line","2021-04-30 09:32 +0000","1938.0","18.0","0.009287925696594427",'
        '"2.0","1.0","6.0","1.0","4.0","0.0","3.0","1.0","0","0","0","0","0","0","0",' + promoted
    )
    paid = ",".join(
        [
            '"100"',
            '"5"',
            '"0.05"',
            '"1"',
            '"0"',
            '"2"',
            '"0"',
            '"1"',
            '"0"',
            '"1"',
            '"0"',
            '"0"',
            '"0"',
            '"0"',
            '"0"',
            '"0"',
            '"0"',
            '"0"',
        ]
    )
    r2 = (
        '"1387934728054001665","https://twitter.com/acme/status/1387934728054001665","Promoted one",'
        '"2021-04-29 23:10 +0000","500.0","20.0","0.04","3.0","0.0","5.0","2.0","6.0","1.0","2.0","1.0",'
        '"0","0","1","0","0","0","0",' + paid
    )
    write(
        "twitter/tweet_activity_metrics_acme_20210401_20210501_en.csv",
        (header + "\n" + r1 + "\n" + r2 + "\n").encode(),
    )
    daily_header = '"Date","Tweets published",' + header.split('"time",', 1)[1]
    days = []
    for d in range(1, 4):
        days.append(
            f'"2021-03-0{d}","{d}","{1000 + d}","{10 + d}","0.01","1","0","2","1","3","0","1","0",'
            '"0","0","1","0","0","0","0",' + promoted
        )
    write(
        "twitter/daily_tweet_activity_metrics_acme_20210301_20210401_en.csv",
        (daily_header + "\n" + "\n".join(days) + "\n").encode(),
    )
    # Overview pasted from two exports: Feb 17 twice identical, Feb 16 twice with other values.
    ov = (
        "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,"
        "Profile visits,Create Post,Video views,Media views\n"
        '"Tue, Feb 18, 2025",62,0,3,0,0,1,0,0,0,1,0,0,0\n'
        '"Mon, Feb 17, 2025",426,18,49,1,0,2,0,1,2,4,2,0,0\n'
        '"Sun, Feb 16, 2025",98,3,8,0,0,2,0,0,0,1,0,0,0\n'
        '"Mon, Feb 17, 2025",426,18,49,1,0,2,0,1,2,4,2,0,0\n'
        '"Sun, Feb 16, 2025",99,3,8,0,0,2,0,0,0,1,0,0,0\n'
        '"Sun, Feb 9, 2025",50,1,2,0,0,0,1,0,0,0,1,0,0\n'
    )
    write("twitter/account_overview_analytics.csv", ov.encode())
    # New X content, later layout: BOM, Post Link, Shares, thousands separators, "Fri, Jun 5, 2026".
    content = (
        "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,"
        "Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,Permalink Clicks\r\n"
        '2030000000000000001,"Fri, Jun 5, 2026","Big news, read it",https://x.com/acme/status/2030000000000000001,'
        '"12,345",120,"1,002",5,2,3,10,15,20,300,40,1,2\r\n'
        '2030000000000000002,"Thu, Jun 4, 2026",Small one,https://x.com/acme/status/2030000000000000002,'
        "800,8,30,0,0,0,1,1,2,10,3,0,0\r\n"
    )
    write(
        "twitter/account_analytics_content_2026-06-01_2026-06-30.csv",
        b"\xef\xbb\xbf" + content.encode(),
    )
    # Early-2025 content layout, tab-separated after a re-save.
    tab = (
        "Post id\tDate\tPost text\tLink\tImpressions\tLikes\tEngagements\tBookmarks\tShare\tNew follows\t"
        "Replies\tReposts\tProfile visits\tDetail expands\tUrl clicks\tHashtag clicks\tPermalink clicks\n"
        "1891564128784855141\tMon Feb 17 2025\tOla\thttps://x.com/a/status/1891564128784855141\t70\t3\t3\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"
    )
    write("twitter/content_tabs.tsv.csv", tab.encode())


def linkedin() -> None:
    import xlsxwriter
    import xlwt

    metrics_header = [
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
        "Reposts (organic)",
        "Reposts (sponsored)",
        "Reposts (total)",
        "Engagement rate (organic)",
        "Engagement rate (sponsored)",
        "Engagement rate (total)",
    ]
    metrics = [
        [
            "07/30/2024",
            34,
            0,
            34,
            12,
            2,
            0,
            2,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0.058823529,
            0,
            0.058823529,
        ],
        [
            "07/31/2024",
            159,
            10,
            169,
            11,
            6,
            1,
            7,
            17,
            0,
            17,
            0,
            0,
            0,
            0,
            0,
            0,
            0.144654088,
            0.1,
            0.14201183,
        ],
        ["08/01/2024", 20, 0, 20, 9, 0, 0, 0, -2, 0, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]
    posts_header = [
        "Update title",
        "Update link",
        "Update type",
        "Campaign name",
        "Posted by",
        "Created date",
        "Campaign start date",
        "Campaign end date",
        "Audience",
        "Impressions",
        "Views",
        "Offsite Views",
        "Clicks",
        "Click through rate (CTR)",
        "Likes",
        "Comments",
        "Reposts",
        "Follows",
        "Engagement rate",
        "Content Type",
    ]
    posts = [
        [
            "Call for creatives:\n\nDesigners 🎨",
            "https://www.linkedin.com/feed/update/urn:li:activity:7355562008013860867",
            "Organic",
            "",
            "Ana",
            "07/31/2024",
            "",
            "",
            "All followers",
            532,
            "",
            "",
            27,
            0.05075188,
            5,
            0,
            1,
            "",
            0.062030077,
            "Image",
        ],
    ]
    book = xlwt.Workbook(encoding="utf-8")
    for name, description, header, rows in (
        (
            "Metrics",
            "Aggregated engagement metrics for your organic and sponsored content. All dates and times are in UTC.",
            metrics_header,
            metrics,
        ),
        (
            "All posts",
            "Engagement metrics for individual posts. All dates and times are in UTC.",
            posts_header,
            posts,
        ),
    ):
        sheet = book.add_sheet(name)
        sheet.write(0, 0, description)
        for c, h in enumerate(header):
            sheet.write(1, c, h)
        for r, row in enumerate(rows, start=2):
            for c, v in enumerate(row):
                sheet.write(r, c, float(v) if isinstance(v, (int, float)) else v)
    (HERE / "linkedin").mkdir(parents=True, exist_ok=True)
    book.save(str(HERE / "linkedin" / "acme_content_1742193384396.xls"))

    followers = xlwt.Workbook(encoding="utf-8")
    s = followers.add_sheet("New followers")
    for c, h in enumerate(["Date", "Sponsored followers", "Organic followers", "Total followers"]):
        s.write(0, c, h)
    for r, row in enumerate([["12/21/2024", 0, 5, 5], ["12/22/2024", 1, 3, 4]], start=1):
        for c, v in enumerate(row):
            s.write(r, c, float(v) if isinstance(v, int) else v)
    loc = followers.add_sheet("Location")
    for r, row in enumerate(
        [
            ["Location", "Total followers"],
            ["Greater Madrid Metropolitan Area", 120.0],
            ["Bogotá D.C. Metropolitan Area", 45.0],
        ]
    ):
        for c, v in enumerate(row):
            loc.write(r, c, v)
    followers.save(str(HERE / "linkedin" / "acme_followers_1766385928211 1.xls"))

    book2 = xlsxwriter.Workbook(str(HERE / "linkedin" / "acme_content_1790000000000.xlsx"))
    date_fmt = book2.add_format({"num_format": "mm/dd/yyyy"})
    m = book2.add_worksheet("Metrics")
    m.write_row(0, 0, [h.replace("Reposts", "Shares") for h in metrics_header])
    for r, row in enumerate(metrics[:2], start=1):
        m.write_datetime(r, 0, dt.datetime.strptime(str(row[0]), "%m/%d/%Y"), date_fmt)
        for c, v in enumerate(row[1:], start=1):
            m.write_number(r, c, float(v))
    p = book2.add_worksheet("All posts")
    p.write_row(
        0,
        0,
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
            "Views (excluding off-site video views)",
            "Offsite Views",
            "Clicks",
            "Click through rate (CTR)",
            "Likes",
            "Comments",
            "Shares",
            "Follows",
            "Engagement rate",
            "Content Type",
        ],
    )
    p.write_row(
        1,
        0,
        [
            "=SUM(A1:A2) looks like a formula",
            "https://www.linkedin.com/feed/update/urn:li:share:7100000000000000001",
            "Sponsored",
            "Q3",
            "Ana",
            "08/02/2024",
            "08/01/2024",
            "08/31/2024",
            "All followers",
            1000,
            400,
            "",
            30,
            0.03,
            20,
            2,
            1,
            4,
            0.057,
            "Video",
        ],
    )
    book2.close()


def other() -> None:
    import xlsxwriter

    (HERE / "other").mkdir(exist_ok=True)
    book = xlsxwriter.Workbook(str(HERE / "other" / "budget_handmade.xlsx"))
    s = book.add_worksheet("Budget")
    s.write_row(0, 0, ["Month", "Spend", "Owner"])
    s.write_row(1, 0, ["2026-01", 1200, "Ana"])
    book.close()
    write("other/broken.xlsx", b"PK\x03\x04 this is not really a zip file")
    write("other/empty.csv", b"")
    # An X overview with bad values: text in a count, a negative count, an unparseable date.
    bad = (
        "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,"
        "Profile visits,Create Post,Video views,Media views\n"
        '"Tue, Feb 18, 2025",62,lots,3,0,0,1,0,0,0,1,0,0,0\n'
        '"Mon, Feb 17, 2025",-5,18,49,1,0,2,0,1,2,4,2,0,0\n'
        '"not a date",98,3,8,0,0,2,0,0,0,1,0,0,0\n'
        '"Sat, Feb 15, 2025",100,3,8,0,0,2,0,0,0,1,0,0,0\n'
    )
    write("other/account_overview_bad_values.csv", bad.encode())
    # UTF-16 without BOM (some tools strip it).
    write(
        "other/Views_nobom.csv",
        'sep=,\n"Views"\n"Date","Primary"\n"2026-05-01T00:00:00","77"\n'.encode("utf-16-le"),
    )


def tiktok() -> None:
    """TikTok Studio downloads: quoted UTF-8 with a BOM and no final newline, days without a
    year in the account's language, `undefined` for a missing figure."""

    def quoted(rows: list[list[str]]) -> bytes:
        text = "\n".join(",".join(f'"{v}"' for v in row) for row in rows)
        return ("\ufeff" + text).encode()

    # Spanish interface, across New Year: 30 de diciembre .. 2 de enero.
    write(
        "tiktok/Overview.csv",
        quoted(
            [
                ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"],
                ["30 de diciembre", "1200", "14", "80", "5", "2"],
                ["31 de diciembre", "1510", "9", "95", "7", "4"],
                ["1 de enero", "980", "6", "51", "-2", "1"],
                ["2 de enero", "1100", "11", "60", "3", "0"],
            ]
        ),
    )
    # Arabic month names (and Arabic-Indic digits on one row).
    write(
        "tiktok/Overview_ar.csv",
        quoted(
            [
                ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"],
                ["30 ديسمبر", "300", "3", "20", "1", "0"],
                ["٣١ ديسمبر", "310", "2", "22", "0", "1"],
                ["1 يناير", "290", "4", "19", "2", "0"],
            ]
        ),
    )
    write(
        "tiktok/Viewers.csv",
        quoted(
            [
                ["Date", "Total Viewers", "New Viewers", "Returning Viewers"],
                ["April 13", "700", "600", "100"],
                ["April 14", "750", "640", "110"],
                ["April 15", "undefined", "0", "0"],
            ]
        ),
    )
    write(
        "tiktok/FollowerHistory.csv",
        quoted(
            [
                ["Date", "Followers", "Difference in followers from previous day"],
                ["10 February", "5010", "4"],
                ["11 February", "5008", "-2"],
                ["12 February", "5013", "5"],
            ]
        ),
    )
    # A video posted before New Year, exported on 3 January.
    write(
        "tiktok/Content.csv",
        quoted(
            [
                [
                    "Time",
                    "Video title",
                    "Video link",
                    "Post time",
                    "Total likes",
                    "Total comments",
                    "Total shares",
                    "Total views",
                ],
                [
                    "January 3",
                    "Year in review #fyp",
                    "https://www.tiktok.com/@acme/video/7450000000000000001",
                    "December 28",
                    "530",
                    "32",
                    "16",
                    "19126",
                ],
                [
                    "January 3",
                    "",
                    "https://www.tiktok.com/@acme/video/7450000000000000002",
                    "January 2",
                    "109",
                    "7",
                    "31",
                    "15441",
                ],
            ]
        ),
    )
    write(
        "tiktok/FollowerGender.csv",
        quoted([["Gender", "Distribution"], ["Female", "0.59"], ["Male", "0.41"], ["Other", "0"]]),
    )
    write(
        "tiktok/FollowerTopTerritories.csv",
        quoted(
            [
                ["Top territories", "Distribution"],
                ["US", "0.462"],
                ["MX", "0.219"],
                ["Others", "0.319"],
            ]
        ),
    )
    write(
        "tiktok/FollowerActivity.csv",
        quoted(
            [["Date", "Hour", "Active followers"]]
            + [["June 2", str(h), str(100 + 10 * h)] for h in range(3)]
        ),
    )
    # The .xlsx download: one `SheetJS` sheet, numbers stored as text, Japanese days.
    import xlsxwriter

    book = xlsxwriter.Workbook(str(HERE / "tiktok/Overview_ja.xlsx"), {"strings_to_numbers": False})
    sheet = book.add_worksheet("SheetJS")
    rows = [
        ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"],
        ["6月24日", "0", "0", "0", "0", "0"],
        ["6月25日", "3", "1", "0", "0", "0"],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()


FIXTURE_VALUES = {
    "id": "10000000000000000{row}",
    "url": "https://www.example.com/posts/urn:li:activity:73555620080138608{row}",
    "timestamp": "2025-03-0{row} 10:30:00",
    "date": "2025-03-0{row}",
    "count": "{row}5",
    "rate": "0.0{row}",
    "number": "1{row}.5",
    "text": "Invented text number {row}",
    "category": "Photo",
    "ignore": "Lifetime",
    "duration": "0:0{row}:1{row}",
}


def layouts() -> None:
    """One small file per spec layout that no quirk file above covers: the layout's literal
    header row (as the spec records it from real files) and two rows of invented values, in the
    platform's file format (LinkedIn: .xlsx with a description row and its sheet name)."""
    import xlsxwriter

    from socialmetrics.specs.registry import default_registry, normalise_header

    missing = {
        ("facebook_posts", "2024"),
        ("facebook_posts", "2025-views"),
        ("instagram_posts", "2025-views"),
        ("instagram_posts", "2025-views-pt"),
        ("instagram_posts", "2024-impressions"),
        ("linkedin_content_posts", "2024"),
        ("linkedin_demographics", "2024-visitors"),
        ("linkedin_followers", "2024"),
        ("linkedin_visitors", "2024"),
        ("twitter_classic_posts", "2014"),
        *(("youtube_content", v) for v in ("2024-en", "2025-en-engagement", "2024-pt")),
        ("youtube_content", "2024-pt-revenue"),
        *(("youtube_breakdown", v) for v in ("2024-en-table", "2024-en-chart", "2024-en-shares")),
        ("youtube_breakdown", "2024-pt-shares"),
        ("youtube_video_daily", "2024-pt"),
        ("youtube_video_daily", "2024-pt-revenue"),
        ("youtube_totals", "2024-en"),
        ("youtube_totals", "2024-pt"),
    }
    for spec in default_registry():
        for layout in spec.layouts:
            if (spec.id, layout.version) not in missing:
                continue
            index = spec.alias_index
            rows = [list(layout.headers)]
            for row in (1, 2):
                values = []
                for header in layout.headers:
                    named = re.sub(r"\s*\([A-Z]{3}\)$", "", header)  # `Revenue (USD)`
                    col = index.get(normalise_header(header)) or index.get(normalise_header(named))
                    kind = col.type if col is not None else "text"
                    values.append(FIXTURE_VALUES[kind].format(row=row))
                rows.append(values)
            stem = f"{spec.platform}/layout_{spec.id}_{layout.version}"
            if spec.platform == "linkedin":
                path = HERE / f"{stem}.xlsx"
                book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
                sheet = book.add_worksheet(spec.sheets[0] if spec.sheets else "Sheet1")
                offset = 0
                if len(layout.headers) > 2:  # the description row above a daily or post table
                    sheet.write_string(0, 0, "Invented export for the layout " + layout.version)
                    offset = 1
                for r, values in enumerate(rows):
                    for c, value in enumerate(values):
                        sheet.write_string(r + offset, c, value)
                book.close()
            else:
                text = "\n".join(
                    ",".join(f'"{v}"' if "," in v else v for v in values) for values in rows
                )
                write(f"{stem}.csv", (text + "\n").encode())


class _StudioZipInfo(zipfile.ZipInfo):
    """A member named in UTF-8 without the UTF-8 flag, as YouTube Studio writes its zips (so
    `zipfile` reads the name back as cp437 mojibake)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("utf-8"), self.flag_bits


def youtube() -> None:
    """YouTube Studio downloads: German headers with soft hyphens and a `Gesamt` row, a
    Portuguese zip with flagless UTF-8 member names, an Excel-resaved chart (CRLF, DD-MM-YYYY),
    and a cities table ending in its one-sentence footer."""
    shy = "\u00ad"
    german = [
        f"Inhalt,Video{shy}titel,Veröffentlichungszeitpunkt des Videos,Dauer,Auf{shy}ru{shy}fe,"
        f"Wieder{shy}gabe{shy}zeit (Stunden),Abon{shy}nenten,Durch{shy}schnitt{shy}liche "
        f"Wieder{shy}gabe{shy}dauer,Geschätzter Umsatz (EUR)",
        "Gesamt,,,,1730,41.2500,4,0:01:26,3.75",
        ' -AbCdEfGh12,Frühlingsrezepte mit Spargel,"Mar 4, 2026",125,1000,20.5000,3,0:01:14,2.5',
        'Zx9_YwVu8Ts,Unser Team stellt sich vor,"Feb 27, 2026",640,730,20.7500,-1,0:01:42,1.25',
    ]
    write("youtube/Tabellendaten.csv", ("\n".join(german) + "\n").encode())
    members = {
        "Dados da tabela.csv": [
            "Origem do tráfego,Visualizações,Tempo de exibição (horas),Duração média da "
            "visualização",
            "Total,900,30.0000,0:02:00",
            "Pesquisa do YouTube,600,21.0000,0:02:06",
            "Recursos de navegação,300,9.0000,0:01:48",
        ],
        "Dados do gráfico.csv": [
            "Data,Origem do tráfego,Visualizações",
            "2026-03-01,Pesquisa do YouTube,20",
            "2026-03-01,Recursos de navegação,11",
            "2026-03-02,Pesquisa do YouTube,18",
        ],
        "Total.csv": ["Data,Visualizações", "2026-03-01,31", "2026-03-02,29"],
    }
    path = HERE / "youtube" / "Origem do tráfego 2026-03-01_2026-03-31 Acme.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, lines in members.items():
            info = _StudioZipInfo(name, date_time=(2026, 4, 1, 6, 26, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, ("\n".join(lines) + "\n").encode())
    resaved = ["Date,Device type,Views", "01-03-2026,Mobile phone,40", "02-03-2026,Computer,12"]
    write("youtube/Chart data.csv", ("\r\n".join(resaved) + "\r\n").encode())
    cities = [
        "Cities,City name,Views,Watch time (hours),Average view duration",
        '0x47d8a00baf21de75:0x52963a5addd52a99,"London, UK",120,5.5000,0:02:45',
        '0x89c24fa5d33f083b:0xc80b8f06e177fe62,"New York, NY, USA",80,2.0000,0:01:30',
        "Showing top 500 results,,,,",
    ]
    write("youtube/Viewer cities.csv", ("\n".join(cities) + "\n").encode())


def content_quirks() -> None:
    """Meta content rows Meta could not compute and its `Total` row; X ghost rows and a month
    without posts (a header alone)."""
    meta = [
        "Post ID,Account ID,Account username,Account name,Description,Duration (sec),"
        "Publish time,Permalink,Post type,Data comment,Date,Views,Reach,Likes,Shares,Comments,"
        "Saves,Follows",
        "17900000000000001,17800000000000000,acme,Acme,Spring menu,0,03/02/2026 10:30,"
        "https://www.instagram.com/p/AAA/,IG image,,Lifetime,1200,800,60,4,5,7,1",
        ',,,,,,,,,"An error occurred while computing metadata for content with ID '
        '17900000000000002. An error occurred while computing metrics.",-,,,,,,,',
        ",,,,,,,,,,Total,1200,800,60,4,5,7,1",
    ]
    write(
        "instagram/Mar-01-2026_Mar-31-2026_17800000000000000_errors.csv",
        ("\n".join(meta) + "\n").encode(),
    )
    header = (
        "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
        "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
        "Permalink Clicks"
    )
    x_rows = [
        header,
        '2031000000000000001,"Mon, Mar 2, 2026",Our spring menu is here,'
        "https://x.com/acme/status/2031000000000000001,500,10,25,1,2,0,3,4,2,5,1,0,0",
        ',"Mon, Mar 2, 2026",,https://x.com/acme/status/undefined,0,0,0,0,0,0,0,0,0,0,0,0,0',
    ]
    write(
        "twitter/account_analytics_content_2026-03-01_2026-03-31.csv",
        ("\n".join(x_rows) + "\n").encode(),
    )
    write("twitter/account_analytics_content_2026-04-01_2026-04-30.csv", (header + "\n").encode())


def _one_cell_dimension(path: Path) -> None:
    """Rewrite every sheet's `<dimension>` as `A1`, as LinkedIn's own xlsx writer does."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            out.writestr(info, data)


def linkedin_more() -> None:
    """A boosted post (Organic, two Sponsored campaigns, Total), a competitor analytics export
    and a creator (personal profile) export, the last two with LinkedIn's one-cell dimension."""
    import xlsxwriter

    header = [
        "Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
        "Campaign start date", "Campaign end date", "Audience", "Impressions", "Views",
        "Offsite Views", "Clicks", "Click through rate (CTR)", "Likes", "Comments", "Reposts",
        "Follows", "Engagement rate", "Content Type",
    ]  # fmt: skip
    link_a = "https://www.linkedin.com/feed/update/urn:li:activity:7300000000000000001"
    link_b = "https://www.linkedin.com/feed/update/urn:li:activity:7300000000000000002"
    rows = [
        ["Spring launch", link_a, "Organic", "", "Ana", "03/04/2026", "", "", "All followers",
         800, "", "", 20, 0.025, 30, 3, 2, "", 0.069, "Image"],
        ["Spring launch", link_a, "Sponsored", "Spring launch - awareness", "Ana", "03/04/2026",
         "03/05/2026", "03/12/2026", "Madrid, 25-44", 3000, "", "", 45, 0.015, 25, 1, 0, 6,
         0.026, "Image"],
        ["Spring launch", link_a, "Sponsored", "Spring launch - retargeting", "Ana",
         "03/04/2026", "03/10/2026", "03/20/2026", "Site visitors", 1200, "", "", 30, 0.025, 10,
         0, 1, 2, 0.036, "Image"],
        ["Spring launch", link_a, "Total", "", "Ana", "03/04/2026", "", "", "", 5000, "", "", 95,
         0.019, 65, 4, 3, 8, 0.035, "Image"],
        ["Menu of the week", link_b, "Organic", "", "Ana", "03/02/2026", "", "", "All followers",
         400, "", "", 8, 0.02, 12, 1, 0, "", 0.0525, "Text"],
    ]  # fmt: skip
    book = xlsxwriter.Workbook(str(HERE / "linkedin" / "acme_content_1774000000000.xlsx"))
    sheet = book.add_worksheet("All posts")
    sheet.write_row(
        0, 0, ["Engagement metrics for individual posts. All dates and times are in UTC."]
    )
    sheet.write_row(1, 0, header)
    for r, row in enumerate(rows, start=2):
        sheet.write_row(r, 0, row)
    book.close()

    path = HERE / "linkedin" / "Acme Foods_competitor_analytics_1774000000001.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("COMPETITORS")
    sheet.write_row(0, 0, ["3/1/2026", "3/31/2026"])
    sheet.write_row(
        1,
        0,
        ["Page", "Total Followers", "New Followers", "Total post engagements", "Total posts"],
    )
    pages = [
        ["Verde Organics", 5210, 140, 980, 12],
        ["Acme Foods", 2400, 95, 610, 9],
        ["Panadería <Sol> & Co", 880, 12, 75, 4],
    ]
    for r, row in enumerate(pages, start=2):
        sheet.write_row(r, 0, row)
    book.close()
    _one_cell_dimension(path)

    path = HERE / "linkedin" / "Content_2026-03-31.xlsx"
    book = xlsxwriter.Workbook(str(path))
    discovery = book.add_worksheet("DISCOVERY")
    discovery.write_row(0, 0, ["Overall Performance", "3/1/2026 - 3/31/2026"])
    discovery.write_row(1, 0, ["Impressions", 1830])
    discovery.write_row(2, 0, ["Members reached", 905])
    engagement = book.add_worksheet("ENGAGEMENT")
    engagement.write_row(0, 0, ["Date", "Impressions", "Engagements"])
    for day in range(1, 32):
        engagement.write_row(day, 0, [f"3/{day}/2026", 40 + day * 2, day % 7])
    top = book.add_worksheet("TOP POSTS")
    top.write_row(0, 0, ["Maximum of 50 posts available to include in this list"])
    top.write_row(
        2,
        0,
        ["Post URL", "Post publish date", "Engagements", "", "Post URL", "Post publish date",
         "Impressions"],
    )  # fmt: skip
    urn = "https://www.linkedin.com/feed/update/urn:li:activity:74000000000000000{:02d}"
    by_engagements = [(1, "3/3/2026", 41), (2, "3/10/2026", 17), (3, "3/24/2026", 5)]
    by_impressions = [(2, "3/10/2026", 950), (1, "3/3/2026", 610), (4, "3/28/2026", 120)]
    for r, (left, right) in enumerate(zip(by_engagements, by_impressions, strict=True), start=3):
        top.write_row(r, 0, [urn.format(left[0]), left[1], left[2], ""])
        top.write_row(r, 4, [urn.format(right[0]), right[1], right[2]])
    followers = book.add_worksheet("FOLLOWERS")
    followers.write_row(0, 0, ["Total followers on 3/31/2026:", 1204])
    followers.write_row(2, 0, ["Date", "New followers"])
    for day in range(1, 32):
        followers.write_row(day + 2, 0, [f"3/{day}/2026", day % 4])
    demographics = book.add_worksheet("DEMOGRAPHICS")
    demographics.write_row(0, 0, ["Top Demographics", "Value", "Percentage"])
    for r, row in enumerate(
        [
            ["Job titles", "Data Analyst", 0.21],
            ["Job titles", "Chef", "< 1%"],
            ["Locations", "Madrid", 0.4],
            ["Seniority", "Senior", 0.3],
            ["Company size", "11-50 employees", 0.12],
            ["Companies", "Acme Foods", 0.05],
        ],
        start=1,
    ):
        demographics.write_row(r, 0, row)
    book.close()
    _one_cell_dimension(path)


def facebook_insights() -> None:
    """Legacy Facebook Insights exports: page and post level CSVs with their description row,
    and the `.xls` that is XML Spreadsheet 2003 (a skipped cell, a byte that is not UTF-8)."""
    import csv
    import io

    def csv_bytes(rows: list[list[str]]) -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue().encode()

    page_header = [
        "Date", "Lifetime Total Likes", "Daily New Likes", "Daily Unlikes", "Daily Total Reach",
        "Weekly Total Reach", "Daily Organic Reach", "Daily Paid Reach",
        "Daily Total Impressions", "Daily Organic impressions", "Daily Paid Impressions",
        "Daily Logged-in Page Views", "Daily Logged-in Page Views", "Daily Total Video Views",
        "page_get_directions_clicks_by_site_logged_in_unique:day - API",
    ]  # fmt: skip
    descriptions = [""] + [f"Daily: what column {i} counts. (Unique Users)" for i in range(14)]
    days = [
        ["3/1/2026", "1200", "4", "1", "310", "2100", "250", "60", "700", "560", "140", "12",
         "12", "80", ""],
        ["3/2/2026", "1203", "3", "0", "280", "2050", "280", "0", "610", "610", "0", "9", "9",
         "", "1"],
    ]  # fmt: skip
    write(
        "facebook/Facebook Insights Data Export - Acme - 2026-03-01 - 2026-03-02.csv",
        csv_bytes([page_header, descriptions, *days]),
    )
    post_header = [
        "Post ID", "Permalink", "Post Message", "Type", "Countries", "Languages", "Posted",
        "Audience Targeting", "Lifetime Post Total Reach", "Lifetime Post organic reach",
        "Lifetime Post Paid Reach", "Lifetime Post Total Impressions",
        "Lifetime Post Organic Impressions", "Lifetime Post Paid Impressions",
        "Lifetime Engaged Users", "Lifetime Post Stories by action type - comment",
        "Lifetime Post Stories by action type - like", "Lifetime Post Stories by action type - share",
        "Lifetime Post Consumptions", "Lifetime Post Consumptions by type - link clicks",
        "Lifetime Organic Video Views", "Lifetime Organic Video Views", "Lifetime Paid Video Views",
    ]  # fmt: skip
    posts = [
        ["100200300_400500600", "https://www.facebook.com/acme/posts/400500600",
         "Spring menu, now with <b>tapas</b>", "Photo", "", "", "03/01/2026 07:40:16 PM", " ",
         "300", "250", "50", "520", "430", "90", "41", "", "12", "3", "33", "9", "", "", ""],
        ["100200300_400500601", "https://www.facebook.com/acme/posts/400500601", "Behind the bar",
         "Video", "", "", "03/02/2026 12:05:00 AM", " ", "900", "900", "0", "1500", "1500", "0",
         "120", "4", "60", "", "140", "", "310", "310", "0"],
    ]  # fmt: skip
    write(
        "facebook/Facebook Insights Data Export (Post Level) - Acme - 2026-03-01 - 2026-03-02.csv",
        csv_bytes(
            [
                post_header,
                [""] * 8 + [f"Lifetime: column {i}. (Unique Users)" for i in range(8, 23)],
                *posts,
            ]
        ),
    )

    def cell(value: str, kind: str = "String", index: int | None = None) -> str:
        at = f' ss:Index="{index}"' if index else ""
        return f'<Cell{at}><Data ss:Type="{kind}">{value}</Data></Cell>'

    def row(cells: list[str]) -> str:
        return "<Row>" + "".join(cells) + "</Row>"

    def sheet(name: str, rows: list[str]) -> str:
        return f'<Worksheet ss:Name="{name}"><Table>' + "".join(rows) + "</Table></Worksheet>"

    key_header = [
        "Date", "page_fans:lifetime", "page_fan_adds_unique:day", "page_fan_removes_unique:day",
        "page_engaged_users:day", "page_impressions_unique:day",
        "page_impressions_organic_unique:day", "page_impressions_paid_unique:day",
        "page_impressions:day", "page_impressions_organic:day", "page_impressions_paid:day",
        "page_views_logged_in_total:day", "page_video_views:day", "page_video_views_paid:day",
        "page_video_views_organic:day",
    ]  # fmt: skip
    key = [
        row([cell(h) for h in key_header]),
        row([cell("")] + [cell(f"Daily: column {i}.") for i in range(1, len(key_header))]),
        row(
            [cell("2026-03-01T00:00:00.000", "DateTime")]
            + [cell(v, "Number") for v in ("5000", "20", "2", "310", "900", "700", "200")]
            + [cell(v, "Number") for v in ("1500", "1100", "400", "35", "600", "100", "500")]
        ),
        row(  # page_engaged_users:day skipped: the next cell says where it is
            [cell("2026-03-02T00:00:00.000", "DateTime")]
            + [cell(v, "Number") for v in ("5018", "18", "0")]
            + [cell("800", "Number", index=6)]
            + [cell(v, "Number") for v in ("800", "0", "1300", "1300", "0", "30", "550", "0")]
            + [cell("550", "Number")]
        ),
    ]
    likes_by_age = [
        row([cell(h) for h in ("Description", "Date", "F.18-24", "M.18-24", "U.25-34")]),
        row(
            [cell("Lifetime: page likes by age and gender. (Unique Users)")]
            + [cell("2026-03-01T00:00:00.000", "DateTime")]
            + [cell(v, "Number") for v in ("2100", "1800", "40")]
        ),
        row(
            [cell(""), cell("2026-03-02T00:00:00.000", "DateTime")]
            + [cell(v, "Number") for v in ("2110", "1806", "40")]
        ),
    ]
    cities = [
        row([cell(h) for h in ("Description", "Date", "Đà Lạt, Lâm Đồng", "Hu\x00FFe")]),
        row(
            [cell("Lifetime: page likes by city."), cell("2026-03-01T00:00:00.000", "DateTime")]
            + [cell(v, "Number") for v in ("70", "12")]
        ),
    ]
    sources = [
        row([cell(h) for h in ("Description", "Date", "api", "feed_story")]),
        row(
            [
                cell("Daily: where people liked the page."),
                cell("2026-03-01T00:00:00.000", "DateTime"),
                cell("", "String"),
                cell("5", "Number"),
            ]
        ),
    ]
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
        + sheet("Key Metrics", key)
        + sheet("Daily Like Source", sources)
        + sheet("Lifetime Likes by Gender and...", likes_by_age)
        + sheet("Lifetime Likes by City", cities)
        + "</Workbook>\n"
    )
    data = workbook.encode().replace(b"Hu\x00FFe", b"Hu\xc3?e")  # a broken letter, as in real files
    write("facebook/Facebook Insights Data Export - Acme - 2026-03-02.xls", data)


if __name__ == "__main__":
    instagram()
    twitter()
    linkedin()
    other()
    layouts()
    tiktok()
    youtube()
    content_quirks()
    linkedin_more()
    facebook_insights()
    print("written to", HERE)
