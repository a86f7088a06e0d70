"""A realistic demo agency, written in the platforms' REAL export formats with their quirks.

Numbers follow a model of a real account: a level that grows month over month, weekly
seasonality (LinkedIn quiet at weekends, Instagram busier), log-normal noise, and the occasional
viral post that lifts its day. Each platform's folder has the writer of its own files
(`platforms/<name>/demo.py`, with the layout changes it makes partway through the year); this
module only lays out the agency: clients, their platform mix, months and accounts.
Deterministic: the same seed writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from socialmetrics import goals
from socialmetrics import months as months_
from socialmetrics.demo.common import Account, ClientMonth, _days
from socialmetrics.notes import NOTES_FILE, add_note
from socialmetrics.platforms import registry
from socialmetrics.platforms.base import DemoWriter
from socialmetrics.settings import client_template, project_template


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    display_name: str
    language: str
    timezone: str
    brand_color: str
    platforms: tuple[str, ...] = ("instagram", "linkedin", "twitter")
    """Which platforms this client is on (the agency's platform mix)."""
    report_language: str = ""
    """The language of the client's reports, when not the one its exports are in."""


DEMO_CLIENTS = (
    DemoClient("cafe-aurora", "Café Aurora", "es", "Europe/Madrid", "#c2410c"),
    DemoClient("nordic-outfitters", "Nordic Outfitters", "en", "Europe/Stockholm", "#0f766e"),
    DemoClient("clinica-sonrisa", "Clínica Dental Sonrisa", "es", "America/Bogota", "#7c3aed"),
    DemoClient(
        "technova-labs",
        "TechNova Labs",
        "en",
        "America/New_York",
        "#1d4ed8",
        ("linkedin", "twitter", "youtube"),
    ),
    DemoClient(
        "verde-organics",
        "Verde Organics",
        "es",
        "America/Mexico_City",
        "#15803d",
        ("instagram", "tiktok", "youtube"),
        "pt-BR",
    ),
)
"""The agency: each client on its own platform mix (the first three on the classic trio, then
a B2B client on LinkedIn, X and YouTube, and a consumer brand on Instagram, TikTok and
YouTube, whose reports are in Brazilian Portuguese)."""


def demo_goals(quarter: str) -> str:
    """The goals every demo client tracks (one usually met, one not), as a client.toml line:
    what the report's goal table and insights show; the third is for `quarter`."""
    return (
        'goals = [{ kpi = "posts_published", target = 40 }, '
        '{ kpi = "engagement_rate", target = "4%" }, '
        f'{{ kpi = "followers_net", target = 1500, period = "{quarter}" }}]\n'
    )


DEMO_NOTES = {
    "es": ("Lanzamiento de la campaña de temporada", "Se duplica el presupuesto de anuncios"),
    "en": ("Seasonal campaign launched", "Ad budget doubled"),
    "pt-BR": ("Lançamento da campanha da temporada", "Orçamento de anúncios dobrado"),
}


def months_between(end_month: str | None, count: int) -> list[str]:
    """The demo's months as YYYY-MM, oldest first (ending last month by default)."""
    return months_.last_n(end_month, count)


def _account(rng: random.Random, key: str, demo: DemoWriter) -> Account:
    return Account(
        base=rng.uniform(*demo.level),
        growth=rng.uniform(0.025, 0.06),
        weekend=demo.weekend,
        followers=rng.randint(*demo.followers),
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
    roster: tuple[DemoClient, ...] = DEMO_CLIENTS,
) -> int:
    """Write a demo project into `out`; returns the number of export files written.

    With `drift=False` every month keeps the first layout: the same numbers in unchanging
    files, the ground truth to check drift handling against.
    """
    out.mkdir(parents=True, exist_ok=True)
    config = out / "socialmetrics.toml"
    if not config.exists():
        config.write_text(
            project_template(name="Big Data Marketing (demo)"),
            encoding="utf-8",
        )
    written = 0
    month_list = months_between(end_month, months)
    for i in range(clients):
        base = roster[i % len(roster)]
        copy = i // len(roster) + 1
        client_id = base.client_id if copy == 1 else f"{base.client_id}-{copy}"
        name = base.display_name if copy == 1 else f"{base.display_name} {copy}"
        rng = random.Random(f"{seed}-{client_id}")
        folder = out / "clients" / client_id
        folder.mkdir(parents=True, exist_ok=True)
        language = base.report_language or base.language
        quarter = goals.quarter_of(month_list[-1])
        (folder / "client.toml").write_text(
            client_template(
                display_name=name,
                language=language,
                timezone=base.timezone,
                brand_color=base.brand_color,
            )
            + demo_goals(quarter),
            encoding="utf-8",
        )
        texts = DEMO_NOTES.get(language, DEMO_NOTES["en"])
        _demo_notes(folder, month_list[-1], texts, base.platforms[0])
        writers = [p for p in registry.platforms() if p.id in base.platforms and p.demo is not None]
        accounts = {
            p.id: _account(rng, f"{seed}-{client_id}-{p.demo.seed_key}", p.demo)
            for p in writers
            if p.demo is not None
        }
        digits = f"{rng.randint(1000000, 9999999)}"
        viral: dict[tuple[str, dt.date], float] = {}
        for m, month in enumerate(month_list):
            year, mon = months_.parse(month)
            ctx = ClientMonth(
                i,
                client_id,
                name,
                base.language,
                digits,
                m,
                _days(year, mon),
                accounts,
                viral,
                drift,
            )
            for platform in writers:
                assert platform.demo is not None
                written += platform.demo.write(folder / month / platform.demo.folder, ctx)
    return written


def _demo_notes(folder: Path, month: str, texts: tuple[str, str], platform: str) -> None:
    """Two notes in the last month: a campaign on the client's first platform and a budget
    change for every platform, as an analyst would write them."""
    (folder / NOTES_FILE).unlink(missing_ok=True)
    first = months_.start(month)
    add_note(folder, first + dt.timedelta(days=4), texts[0], platform)
    add_note(folder, first + dt.timedelta(days=17), texts[1])


def demo_month(platform_id: str, out: Path, *, month: str = "2026-03", seed: int = 7) -> int:
    """One month of one platform's demo files, written flat into `out` (an English-interface
    client, no layout drift): what the per-platform test and a new platform's first test
    samples use. Returns the number of files written."""
    demo = registry.get(platform_id).demo
    if demo is None:
        raise ValueError(f"platform {platform_id!r} has no demo writer")
    rng = random.Random(f"{seed}-sample")
    account = _account(rng, f"{seed}-sample-{demo.seed_key}", demo)
    year, mon = months_.parse(month)
    ctx = ClientMonth(
        0,
        "sample",
        "Sample Client",
        "en",
        "1234567",
        0,
        _days(year, mon),
        {platform_id: account},
        {},
        drift=False,
    )
    return demo.write(out, ctx)
