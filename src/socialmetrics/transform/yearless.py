"""Dates exported without a year, in the account's language (`April 14`, `10 February`,
`4 de noviembre`, `30 de abril`, `14 أبريل`, `4月14日`), made whole.

TikTok writes its days this way. A file's rows are consecutive days, so years are assigned
walking back from the last row: the last day is the latest one on or before the file's anchor
(the period or export time in its name, the client's `YYYY-MM` folder, else the file's
modification time), and each earlier row is the latest such day before the row after it, so a
file that crosses New Year (`December 31`, `January 1`) lands on consecutive days.

Month names come from Babel's locale data (every language it knows), so a new interface
language needs no code.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from babel import Locale, localedata

from socialmetrics.transform.canonical import FileContext, month_from_path, period_from_name

MonthDay = tuple[int, int]
_CJK = re.compile(r"(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_EPOCH_MS = re.compile(r"(?<!\d)(1[5-9]\d{11})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _fold(text: str) -> str:
    """Case, accents, dots and the tatweel aside; digits of any script as ASCII."""
    text = unicodedata.normalize("NFKD", text.casefold())
    out = []
    for ch in text:
        if unicodedata.combining(ch) or ch in ".\u0640":
            continue
        digit = unicodedata.digit(ch, None)
        out.append(str(digit) if digit is not None and not ch.isascii() else ch)
    return "".join(out).strip()


FIRST_LANGUAGES = (
    *("en", "es", "pt", "fr", "de", "it", "nl", "id", "ms", "tl", "tr", "pl", "ro", "sv"),
    *("ar", "ja", "ko", "zh", "ru", "uk", "vi", "th", "hi", "fa", "he", "el"),
)
"""Languages of TikTok's and YouTube's interfaces seen in exports: their month names win over a
same-spelled name in another language (`May` is May, though it spells another month elsewhere)."""


@cache
def month_names() -> dict[str, int]:
    """Every wide and abbreviated month name in Babel's locale data -> its month. The first
    languages' names are taken first; a name that still means two months is left out (never
    guessed)."""
    languages = [
        *FIRST_LANGUAGES,
        *sorted(n for n in localedata.locale_identifiers() if "_" not in n),
    ]
    names: dict[str, int] = {}
    for group in (languages[: len(FIRST_LANGUAGES)], languages[len(FIRST_LANGUAGES) :]):
        seen: dict[str, set[int]] = {}
        for language in group:
            for key, month in _names_of(language):
                if key not in names:
                    seen.setdefault(key, set()).add(month)
        names |= {key: months.pop() for key, months in seen.items() if len(months) == 1}
    return names


def _names_of(language: str) -> list[tuple[str, int]]:
    try:
        locale = Locale.parse(language)
    except (ValueError, TypeError):
        return []
    out = []
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for month, label in locale.months.get(context, {}).get(width, {}).items():
                key = _fold(str(label))
                if key and not key.isdigit():
                    out.append((key, int(month)))
    return out


def month_day(text: str | None) -> MonthDay | None:
    """(month, day) of a yearless date in any language; None when it is not one."""
    if not text or not text.strip():
        return None
    folded = _fold(text)
    cjk = _CJK.search(folded)
    if cjk:
        return _valid(int(cjk.group(1)), int(cjk.group(2)))
    words = [w for w in re.split(r"[\s,/-]+", folded) if w and w not in ("de", "del", "di")]
    days = [w for w in words if w.isdigit() and len(w) <= 2]
    names = month_names()
    months = [names[w] for w in words if w in names]
    if len(days) != 1 or len(months) != 1 or len(words) != 2:
        return None
    return _valid(months[0], int(days[0]))


def _valid(month: int, day: int) -> MonthDay | None:
    try:
        dt.date(2000, month, day)  # a leap year: 29 February is a day
    except ValueError:
        return None
    return month, day


def anchor(context: FileContext) -> tuple[dt.date, str]:
    """The latest day a yearless file can describe, and what said so."""
    name = context.path.name
    period = period_from_name(context.path)
    if period:
        return period[1], f"the period in the file name ({period[0]} to {period[1]})"
    epoch = _EPOCH_MS.search(name)
    if epoch:
        day = dt.datetime.fromtimestamp(int(epoch.group(1)) / 1000, dt.UTC).date()
        return day, f"the export time in the file name ({day})"
    month_end = month_from_path(context.path)
    if month_end:
        return month_end, f"the month folder ({month_end:%Y-%m})"
    year = _YEAR.search(name)
    if year:
        return dt.date(int(year.group(1)), 12, 31), f"the year in the file name ({year.group(1)})"
    if context.modified:
        day = context.modified.date()
        return day, f"the file's modification time ({day})"
    today = dt.date.today()
    return today, f"today ({today}): nothing else dates the file"


def _latest_on_or_before(month_day_: MonthDay, limit: dt.date) -> dt.date:
    month, day = month_day_
    year = limit.year if (month, day) <= (limit.month, limit.day) else limit.year - 1
    while True:  # 29 February: the latest leap year
        try:
            return dt.date(year, month, day)
        except ValueError:
            year -= 1


def assign_years(days: Sequence[MonthDay | None], latest: dt.date) -> list[dt.date | None]:
    """Whole dates for a file's yearless days, in row order, oldest or newest first.

    >>> assign_years([(12, 30), (12, 31), (1, 1)], dt.date(2026, 3, 1))
    [datetime.date(2025, 12, 30), datetime.date(2025, 12, 31), datetime.date(2026, 1, 1)]
    """
    known = [(i, d) for i, d in enumerate(days) if d is not None]
    out: list[dt.date | None] = [None] * len(days)
    if not known:
        return out
    order = known if _oldest_first([d for _, d in known]) else list(reversed(known))
    limit = latest
    for i, day in reversed(order):
        date = _latest_on_or_before(day, limit)  # the same day twice (a pasted row): same date
        out[i] = date
        limit = date
    return out


def _oldest_first(days: Sequence[MonthDay]) -> bool:
    """Whether the rows go forward in time: most steps from one day to the next move a few
    days on (a New Year wraps once); a newest-first file moves back."""
    forward = backward = 0
    for (m1, d1), (m2, d2) in itertools.pairwise(days):
        step = (dt.date(2000, m2, d2) - dt.date(2000, m1, d1)).days % 366  # 2000: a leap year
        if step == 0:
            continue
        if step < 183:
            forward += 1
        else:
            backward += 1
    return forward >= backward


def on_or_before(day: MonthDay | None, reference: dt.date | None) -> dt.date | None:
    """A yearless day that is known to fall on or before another whole date of the same row
    (a video's post time before the export day)."""
    if day is None or reference is None:
        return None
    return _latest_on_or_before(day, reference)
