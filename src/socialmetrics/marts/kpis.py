"""Client x platform x month KPIs, as the `monthly_kpis` mart computes them in the warehouse.

Nothing is computed here: this module reads the mart (KPIs, rates, month-over-month and
year-over-year deltas, all SQL in `warehouse/marts.py`) and picks the engagement rate of the
basis the report asks for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from socialmetrics import months
from socialmetrics.warehouse import kpis as kpi_sql
from socialmetrics.warehouse import marts
from socialmetrics.warehouse.base import Warehouse

COUNT_KPIS = tuple(k.name for k in kpi_sql.COUNT_KPIS)
MEASURED_RATES = tuple(k.name for k in kpi_sql.MEASURED_RATES)
DERIVED_RATES = ("followers_growth", "impressions_paid_share")
"""Rates of `monthly_kpis` computed from its counts (besides the engagement rates)."""
RATE_KPIS = (*DERIVED_RATES, "engagement_rate", *MEASURED_RATES)
BASES = ("native", *kpi_sql.BASES)
NOT_ADDITIVE = ("reach_daily_sum", "reach_daily_avg")
"""Counts that are never added across platforms: the same person is reached on several."""
ADDITIVE_KPIS = tuple(k for k in COUNT_KPIS if k not in NOT_ADDITIVE)
"""Counts that add up across platforms into an all-channels total (followers are a sum of
each platform's audience, as agency tools show them)."""
ALL_CHANNEL_RATES = ("engagement_rate",)
"""Rates with an all-channels value: all engagements over all impressions/views."""


def report_kpis() -> dict[str, bool]:
    """Every KPI a report shows or a goal may name -> whether it is a rate."""
    return {**dict.fromkeys(COUNT_KPIS, False), **dict.fromkeys(RATE_KPIS, True)}


@dataclass
class Kpis:
    """One client, platform and month of the mart, with the engagement rate of one basis."""

    platform: str
    month: str
    values: dict[str, float | None] = field(default_factory=dict)
    mom: dict[str, float | None] = field(default_factory=dict)
    yoy: dict[str, float | None] = field(default_factory=dict)
    engagement_rate_basis: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    has_data: bool = True

    def get(self, name: str) -> float | None:
        return self.values.get(name)


def monthly_kpis(
    wh: Warehouse, client_id: str, first_month: str, last_month: str, basis: str = "native"
) -> dict[tuple[str, str], Kpis]:
    """The mart's rows for every platform and month in [first_month, last_month], keyed
    (platform, month). `basis` picks the engagement-rate denominator: native (each platform's
    own), impressions, reach (the sum of daily reach) or followers (at the month's end)."""
    rate = "engagement_rate" if basis == "native" else f"engagement_rate_{basis}"
    rows = marts.read(
        wh, "monthly_kpis", client_id, months.start(first_month), months.start(last_month)
    )
    out: dict[tuple[str, str], Kpis] = {}
    for row in rows:
        k = Kpis(row["platform"], months.of(row["month"]))
        for name in (*COUNT_KPIS, *MEASURED_RATES, *DERIVED_RATES):
            k.values[name] = _number(row[name])
            k.mom[name], k.yoy[name] = _number(row[f"{name}_mom"]), _number(row[f"{name}_yoy"])
        k.values["engagement_rate"] = _number(row[rate])
        k.mom["engagement_rate"] = _number(row[f"{rate}_mom"])
        k.yoy["engagement_rate"] = _number(row[f"{rate}_yoy"])
        k.sources = {
            name: row[f"{name}_source"] for name in COUNT_KPIS if row.get(f"{name}_source")
        }
        denominator = row["engagement_rate_basis"] if basis == "native" else basis
        k.engagement_rate_basis = denominator + (
            " (sum of daily reach)" if denominator == "reach" else ""
        )
        out[(k.platform, k.month)] = k
    return out


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
