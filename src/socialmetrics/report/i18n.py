"""The report in one language: its texts from the gettext catalogs (`catalogs.py`), its numbers,
dates, weekdays and country names from Babel's locale data (CLDR).

A message is English source text (`f.t("Top posts")`); a label keyed by a value of the data
goes through its table in `labels.py`. A value the tables do not know (a new content type, a
LinkedIn industry) is shown as exported rather than hidden.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_skeleton, get_day_names
from babel.numbers import format_decimal, format_percent

from socialmetrics.platforms import registry
from socialmetrics.report import catalogs, labels

FALLBACK = "en"
AGE_BUCKET = re.compile(r"\s*(\d{1,3})\s*(?:-|–|to|a)\s*(\d{1,3})\s*|\s*(\d{1,3})\s*\+\s*")
COUNTRY_LOCALES = ("en", "es", "pt", "fr", "de", "it", "nl", "ca")
"""The languages country names are recognised in (the languages of the exports seen so far)."""


def _key(name: str) -> str:
    """Case-, accent- and punctuation-blind form of a name (`Estados Unidos` = `estados unidos`)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


@cache
def _territories() -> dict[str, str]:
    """Country name in any of `COUNTRY_LOCALES`, or ISO code -> ISO 3166 code."""
    found: dict[str, str] = {}
    for language in COUNTRY_LOCALES:
        for code, name in Locale.parse(language).territories.items():
            if code.isalpha() and len(code) == 2:
                found.setdefault(_key(name), code)
                found.setdefault(code.lower(), code)
    return found


def babel_locale(language: str) -> Locale:
    """`es` -> es_ES, `pt-BR` -> pt_BR: the language with its likely territory."""
    name = catalogs.folder_of(language)
    if "_" not in name:
        name = "_".join(
            part
            for part in get_global("likely_subtags").get(name, name).split("_")
            if len(part) != 4
        )
    return Locale.parse(name)


class Formatter:
    """Texts, labels and numbers for one report language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in catalogs.languages() else FALLBACK
        self.babel = babel_locale(self.language)
        self.locale = str(self.babel)
        self.translations = catalogs.translations(self.language)

    @property
    def d3(self) -> str:
        """The locale of the charts' axes (vl-convert's d3 formats)."""
        from socialmetrics.report.charts import d3_locale

        return d3_locale(self.locale)

    # texts
    def t(self, message: str, **values: object) -> str:
        """The message in the report's language, `%(name)s` placeholders filled."""
        text = self.translations.gettext(message)
        return text % values if values else text

    def label(self, entry: tuple[str, str]) -> str:
        return self.translations.pgettext(*entry)

    def _known(self, table: dict[str, tuple[str, str]], key: str, fallback: str) -> str:
        """The label of `key` in one of `labels`' tables, or `fallback` (shown as exported)."""
        entry = table.get(key)
        return self.label(entry) if entry else fallback

    def kpi(self, name: str) -> str:
        return self._known(labels.KPIS, name, name.replace("_", " "))

    def rate_basis(self, basis: str) -> str:
        """`reach (sum of daily reach)` as the mart names it -> its label."""
        return self._known(labels.RATE_BASES, basis.split(" ")[0], basis)

    def content_type(self, name: str | None) -> str:
        return self._known(labels.CONTENT_TYPES, name or "other", str(name))

    def dimension(self, name: str) -> str:
        return self._known(labels.DIMENSIONS, name, name.replace("_", " "))

    def audience_measure(self, audience: str, metric: str | None) -> str:
        """What an audience row measures: the audience itself (`followers`) when `metric` is
        NULL, else the metric (YouTube's views, watch time... per segment)."""
        if metric is None:
            return self._known(labels.AUDIENCES, audience, audience)
        if metric in labels.KPIS:
            return self.kpi(metric)
        return self._known(labels.AUDIENCE_METRICS, metric, metric.replace("_", " "))

    def audience_value(self, value: float | None, unit: str) -> str:
        """Shares and rates (0-1 fractions) as percentages, counts whole, other numbers with
        one decimal (watch hours, seconds viewed)."""
        if unit in ("share", "rate"):
            return self.percent(value)
        return self.number(value, 0 if unit == "count" else 1)

    def gender(self, name: str | None) -> str:
        return self._known(labels.GENDERS, name or "", name or "")

    def country(self, name: str) -> str:
        """A country as exported (`España`, `Brazil`, `BR`) in the report's language."""
        code = _territories().get(_key(name))
        return self.babel.territories.get(code, name) if code else name

    def segment(self, dimension: str, segment: str, gender: str | None = None) -> str:
        """An audience segment's label: countries by their name in the report's language, age
        buckets as `25–34 years`, the gender translated; anything else as exported."""
        text = segment
        if dimension == "country":
            text = self.country(segment)
        elif dimension in ("age", "age_gender") and (m := AGE_BUCKET.fullmatch(segment)):
            low, high, plus = m.groups()
            text = self.t("%(range)s years", range=f"{low}–{high}" if low else f"{plus}+")
        elif dimension == "gender":
            text = self.gender(segment)
        if gender:
            text = f"{text} · {self.gender(gender)}"
        return text

    def file_status(self, status: str | None) -> str:
        return self._known(labels.FILE_STATUSES, status or "", status or "")

    def change_kind(self, kind: str | None) -> str:
        return self._known(labels.CHANGE_KINDS, kind or "", kind or "")

    def change_status(self, status: str | None) -> str:
        return self._known(labels.CHANGE_STATUSES, status or "", status or "")

    def platform(self, name: str) -> str:
        if name in labels.CHANNELS:
            return self.label(labels.CHANNELS[name])
        return registry.display_name(name, self.language)

    # numbers and dates
    def number(self, value: float | None, digits: int = 0) -> str:
        if value is None:
            return "—"
        return format_decimal(
            round(value, digits),
            format=f"#,##0.{'0' * digits}" if digits else "#,##0",
            locale=self.locale,
        )

    def percent(self, value: float | None, digits: int = 1) -> str:
        if value is None:
            return "—"
        return format_percent(value, format=f"#,##0.{'0' * digits}%", locale=self.locale)

    def value(self, value: float | None, rate: bool) -> str:
        """A KPI's value: a rate as a percentage, a count as a whole number."""
        return self.percent(value, 2) if rate else self.number(value)

    def change(self, value: float | None, rate: bool) -> str:
        """+12,5 % for counts; +1,5 pp for rates."""
        if value is None:
            return "—"
        value = round(value, 1) if rate else round(value, 3)
        value = value if value else 0.0  # no "-0,0"
        sign = "+" if value > 0 else ""
        if rate:
            points = format_decimal(round(value, 1), format="#,##0.0", locale=self.locale)
            return sign + points + " " + self.t("pp")
        return sign + format_percent(value, format="#,##0.0%", locale=self.locale)

    def month(self, day: dt.date) -> str:
        """`octubre de 2026` / `October 2026` / `outubro de 2026`."""
        return format_skeleton("yMMMM", day, locale=self.locale)

    def short_month(self, day: dt.date) -> str:
        """`oct 2026`: the charts' legend."""
        return format_skeleton("yMMM", day, locale=self.locale)

    def date(self, day: dt.date | dt.datetime) -> str:
        return format_date(day, format="medium", locale=self.locale)

    def weekday(self, iso_day: int) -> str:
        """1 = Monday, in the report's language."""
        return str(get_day_names("wide", locale=self.locale)[(int(iso_day) - 1) % 7])

    def weekdays(self) -> list[str]:
        """Monday to Sunday."""
        return [self.weekday(d) for d in range(1, 8)]
