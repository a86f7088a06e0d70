"""The scheduler's decision, with a controllable clock: month and year boundaries, time zones,
DST; and the scheduler process itself (catch-up, --once, printing, clean shutdown)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from socialmetrics.config import load_project
from socialmetrics.ops.schedule import cron_line, due_months, run_due, systemd_units
from tests.test_cli import run

UTC = dt.UTC
MADRID = "Europe/Madrid"


def due(
    now: dt.datetime,
    done: dict[str, str] | None = None,
    tz: str = MADRID,
    cron: str = "0 6 1 * *",
    catch_up: int = 3,
) -> list[str]:
    return due_months(now, cron=cron, timezone=tz, done=done or {}, catch_up=catch_up)


def local(tz: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(tz))


def test_due_at_six_on_the_first_not_before() -> None:
    done = {"2026-08": "ok", "2026-09": "ok"}
    assert due(local(MADRID, 2026, 11, 1, 5, 59), done) == []
    assert due(local(MADRID, 2026, 11, 1, 6, 0), done) == ["2026-10"]
    assert due(local(MADRID, 2026, 11, 24, 12, 0), {**done, "2026-10": "ok"}) == []


def test_failed_or_missing_months_are_caught_up_oldest_first() -> None:
    now = local(MADRID, 2026, 11, 24, 12, 0)
    assert due(now, {"2026-09": "failed", "2026-10": "partial"}) == ["2026-08", "2026-09"]
    assert due(now, {}, catch_up=1) == ["2026-10"]


def test_year_boundary() -> None:
    assert due(local(MADRID, 2027, 1, 1, 6, 30)) == ["2026-10", "2026-11", "2026-12"]
    # December is not due until 06:00; the window is the last three calendar months
    assert due(local(MADRID, 2027, 1, 1, 5, 30)) == ["2026-10", "2026-11"]


def test_the_projects_time_zone_decides() -> None:
    now = dt.datetime(2026, 11, 1, 4, 30, tzinfo=UTC)  # Madrid 05:30, Bogotá Oct 31, Tokyo 13:30
    done = {"2026-07": "ok", "2026-08": "ok", "2026-09": "ok"}
    assert due(now, done, tz=MADRID) == []
    assert due(now, done, tz="America/Bogota") == []
    assert due(now, done, tz="Asia/Tokyo") == ["2026-10"]


def test_first_of_month_in_a_dst_change() -> None:
    sydney = "Australia/Sydney"
    done = {"2028-07": "ok", "2028-08": "ok"}
    # 1 Oct 2028: clocks jump 02:00 -> 03:00; a 02:30 schedule fires at the same instant, 03:30
    assert due(dt.datetime(2028, 9, 30, 16, 29, tzinfo=UTC), done, sydney, "30 2 1 * *") == []
    assert due(dt.datetime(2028, 9, 30, 16, 31, tzinfo=UTC), done, sydney, "30 2 1 * *") == [
        "2028-09"
    ]
    # 1 Apr 2029: 02:30 happens twice; the run is due at the first, and only once
    done = {"2029-01": "ok", "2029-02": "ok"}
    assert due(dt.datetime(2029, 3, 31, 15, 29, tzinfo=UTC), done, sydney, "30 2 1 * *") == []
    assert due(dt.datetime(2029, 3, 31, 15, 31, tzinfo=UTC), done, sydney, "30 2 1 * *") == [
        "2029-03"
    ]
    later = dt.datetime(2029, 3, 31, 16, 31, tzinfo=UTC)  # the second 02:30
    assert due(later, {**done, "2029-03": "ok"}, sydney, "30 2 1 * *") == []


def test_naive_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="time-zone aware"):
        due(dt.datetime(2026, 11, 1, 6, 0))


@pytest.fixture
def agency(make_project, files: Path) -> Path:  # type: ignore[no-untyped-def]
    return make_project({"cafe": {"Reach.csv": files / "instagram/Reach.csv"}})


def test_run_due_runs_each_missing_month_once(agency: Path) -> None:
    project = load_project(agency)
    ran: list[str] = []

    def runner(project, month, wait):  # type: ignore[no-untyped-def]
        from socialmetrics.ops.run import run_month

        ran.append(month)
        return run_month(project, month=month, wait=wait)

    now = dt.datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert [s.month for s in run_due(project, now, runner)] == ["2026-08", "2026-09", "2026-10"]
    assert run_due(project, now, runner) == []  # all done: nothing runs twice
    assert ran == ["2026-08", "2026-09", "2026-10"]


def test_print_cron_and_systemd(agency: Path) -> None:
    project = load_project(agency)
    line = cron_line(project)
    assert line.startswith("0 * * * * cd ") and f"schedule --once --project {agency}" in line
    units = systemd_units(project)
    assert "ExecStart=" in units and "OnCalendar=hourly" in units and "Persistent=true" in units
    printed = run("schedule", "--print-cron", "--project", str(agency))
    assert printed.exit_code == 0 and "schedule --once" in printed.output


def test_bad_cron_is_a_config_error(agency: Path) -> None:
    config = agency / "socialmetrics.toml"
    config.write_text(config.read_text() + '\n[schedule]\ncron = "every monday"\n')
    result = run("schedule", "--once", "--project", str(agency))
    assert result.exit_code == 2
    assert "schedule.cron 'every monday' is not a cron expression" in result.output


def test_scheduler_catches_up_then_stops_cleanly_on_sigterm(agency: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "socialmetrics.cli", "schedule", "--project", str(agency)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.stdout is not None
    lines = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if (
            line.count("socialmetrics run")
            and len([x for x in lines if "socialmetrics run" in x]) == 3
        ):
            break
    time.sleep(1.0)  # now blocking in the scheduler
    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, "".join(lines) + rest
    assert "stopped" in rest
    assert not (agency / ".socialmetrics.lock").exists()
    runs = [x for x in lines if "socialmetrics run" in x]
    assert len(runs) == 3  # the three catch-up months, once each
