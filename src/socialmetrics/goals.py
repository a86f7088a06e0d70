"""A client's goals, declared in `client.toml`, and how far a month got towards each.

    goals = [
      { kpi = "followers_net", target = 500 },                               # every month
      { kpi = "engagement_rate", target = "4%", platform = "<platform id>" },
      { kpi = "impressions", target = 300000, period = "2026-Q4" },           # the quarter
    ]

(or the same as `[[goals]]` tables at the end of the file). A goal names a monthly KPI of the
report (docs/metrics.md), a target, a period (`monthly`, the default, a month `YYYY-MM` or a
quarter `YYYY-Qn`) and optionally a platform; without one it is a goal for all channels together,
which only additive KPIs can be (reach is never summed) plus the all-channels engagement rate.

Progress: a count goal of a quarter adds the quarter's months up to the report's month; a rate,
and followers at the month's end, are the report month's value. Every KPI here is better higher.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ALL_CHANNELS = "all"
PERIOD = re.compile(r"monthly|(\d{4})-(0[1-9]|1[0-2])|(\d{4})-Q([1-4])")
LEVELS = ("followers_end",)
"""Counts whose month value is a level at the month's end, not a sum over its days."""


@dataclass(frozen=True)
class Goal:
    kpi: str
    target: float
    period: str = "monthly"
    platform: str = ALL_CHANNELS

    def applies_to(self, month: str) -> bool:
        """Whether the report of `month` shows this goal."""
        if self.period == "monthly":
            return True
        if "Q" in self.period:
            return quarter_of(month) == self.period
        return self.period == month

    def months_counted(self, month: str) -> list[str]:
        """The months whose values add up to the goal's progress in the report of `month`."""
        if "Q" not in self.period or self.kpi in LEVELS:
            return [month]
        year, m = int(month[:4]), int(month[5:7])
        first = (m - 1) // 3 * 3 + 1
        return [f"{year:04d}-{n:02d}" for n in range(first, m + 1)]


def quarter_of(month: str) -> str:
    """`2026-11` -> `2026-Q4`."""
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _target(value: Any, rate: bool) -> float | str:
    """The target as a number, or a problem in words."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return float(value.strip()[:-1].replace(",", ".")) / 100
        except ValueError:
            return f"target {value!r} is not a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f'target {value!r} must be a number (or a percentage such as "4%")'
    if rate and value > 1:
        fraction = f"{value / 100:g}"
        return f'target {value!r} of a rate looks like a percentage: write {fraction} or "{value}%"'
    return float(value)


def parse_goals(
    raw: Any,
    kpis: Mapping[str, bool],
    platforms: Callable[[], tuple[str, ...]],
    all_channels: frozenset[str],
) -> tuple[tuple[Goal, ...], list[str]]:
    """The goals of a client.toml and every problem with them, each naming the goal.

    `kpis` maps each KPI name to whether it is a rate; `all_channels` the KPIs a goal without
    a platform may name."""
    if raw is None:
        return (), []
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        return (), ["goals must be a list of tables: goals = [{ kpi = ..., target = ... }]"]
    goals: list[Goal] = []
    problems: list[str] = []
    for n, item in enumerate(raw, start=1):
        where = f"goal {n}"
        if not isinstance(item, dict):
            problems.append(f"{where}: {item!r} must be a table with kpi and target")
            continue
        unknown = sorted(set(item) - {"kpi", "target", "period", "platform"})
        kpi, platform = item.get("kpi"), item.get("platform", ALL_CHANNELS)
        period = str(item.get("period", "monthly"))
        found: list[str] = []
        if unknown:
            found.append(f"unknown key(s) {unknown}; use kpi, target, period, platform")
        if kpi not in kpis:
            found.append(f"kpi {kpi!r} is not a report KPI; use one of {', '.join(kpis)}")
        elif platform == ALL_CHANNELS and kpi not in all_channels:
            found.append(
                f"{kpi} cannot be added up across platforms (reach never is): name a platform"
            )
        if platform != ALL_CHANNELS and platform not in platforms():
            found.append(f"platform {platform!r} is not one of {', '.join(platforms())}")
        if not PERIOD.fullmatch(period):
            found.append(f"period {period!r} must be monthly, YYYY-MM or YYYY-Qn")
        target = _target(item.get("target"), bool(kpis.get(str(kpi))))
        if isinstance(target, str):
            found.append(target)
        if found:
            problems.extend(f"{where}: {p}" for p in found)
            continue
        assert isinstance(target, float)
        goals.append(Goal(str(kpi), target, period, str(platform)))
    return tuple(goals), problems
