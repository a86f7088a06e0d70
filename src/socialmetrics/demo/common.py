"""What every platform's demo writer shares: the hidden truth of an account, the client-month
being written, and the small file-format helpers (CSV text, UTF-16, .xlsx) the writers use.

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

SPANISH_UI_CLIENT = 2
"""Index of the client whose team uses the Spanish Meta interface (Spanish headers)."""

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


def _days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def _csv_text(rows: Sequence[Sequence[Any]], *, quote_all: bool = False, line: str = "\n") -> str:
    buf = io.StringIO()
    writer = csv.writer(
        buf, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator=line
    )
    writer.writerows(rows)
    return buf.getvalue()


def _utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")


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


# --------------------------------------------------------------------------------------------


def meta_chart(title: str, rows: Rows) -> bytes:
    """A Meta Business Suite overview chart file: UTF-16 LE with BOM, a `sep=,` line, the
    quoted title, the quoted header and day rows, a blank line at the end."""
    text = "sep=,\n" + _csv_text([[title]], quote_all=True) + _csv_text(rows, quote_all=True)
    return _utf16(text + "\n")


def _shares(rng: random.Random, n: int) -> list[float]:
    weights = sorted((rng.random() ** 2 for _ in range(n)), reverse=True)
    total = sum(weights)
    return [round(100 * w / total, 1) for w in weights]


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
class ClientMonth:
    index: int
    client_id: str
    display_name: str
    language: str
    seed_digits: str
    month_index: int
    days: list[dt.date]
    accounts: dict[str, Account]
    viral_factor: dict[tuple[str, dt.date], float]
    drift: bool = True

    def changed(self, month_index: int) -> bool:
        """Has the platform changed this layout by this month (when the demo drifts)?"""
        return self.drift and self.month_index >= month_index
