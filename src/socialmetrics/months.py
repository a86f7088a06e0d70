"""Calendar months as `YYYY-MM` text: parsing, bounds, shifting. The one copy of month arithmetic.

Months travel as text because that is how users type them (`--month 2026-10`), how reports and
the ledger name them, and how they sort.

>>> shift("2026-01", -1)
'2025-12'
>>> bounds("2026-02")
(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo

from socialmetrics.errors import UsageError

_FORM = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def parse(month: str, what: str = "--month") -> tuple[int, int]:
    """(year, month) of `2026-10`; a clear error naming `what` for anything else."""
    match = _FORM.fullmatch(str(month).strip())
    if not match:
        raise UsageError(f"{what} must look like 2026-10, got {month!r}")
    return int(match.group(1)), int(match.group(2))


def is_month(text: str) -> bool:
    """Whether `text` is a month in the `2026-10` form (a folder name, a URL part)."""
    return _FORM.fullmatch(text) is not None


def start(month: str) -> dt.date:
    """First day: `2026-10` -> 2026-10-01."""
    year, mon = parse(month)
    return dt.date(year, mon, 1)


def end(month: str) -> dt.date:
    """Last day: `2026-02` -> 2026-02-28."""
    year, mon = parse(month)
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def bounds(month: str) -> tuple[dt.date, dt.date]:
    """(first day, last day); validates the form."""
    return start(month), end(month)


def of(day: dt.date) -> str:
    """The month a day falls in: 2026-10-31 -> `2026-10`."""
    return f"{day.year:04d}-{day.month:02d}"


def shift(month: str, months: int) -> str:
    """`2026-01` shifted by -1 is `2025-12`."""
    year, mon = parse(month)
    index = year * 12 + mon - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous(timezone: str, today: dt.date | None = None) -> str:
    """The calendar month before today's in a time zone: the default report month."""
    today = today or dt.datetime.now(ZoneInfo(timezone)).date()
    return of(today.replace(day=1) - dt.timedelta(days=1))


def last_n(end_month: str | None, count: int, today: dt.date | None = None) -> list[str]:
    """`count` months ending with `end_month` (default: last month), oldest first."""
    last = end_month or of((today or dt.date.today()).replace(day=1) - dt.timedelta(days=1))
    return [shift(last, -i) for i in range(count - 1, -1, -1)]
