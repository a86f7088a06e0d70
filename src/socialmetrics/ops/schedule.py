"""Run the monthly job by itself: on a cron schedule, catching up on months that were missed.

`due_months` is the whole decision and a pure function of the clock, so it is tested across
month and year boundaries, time zones and DST changes. `serve` drives it with APScheduler (a
cron trigger in the project's time zone, catch-up at start, clean shutdown on SIGTERM/SIGINT);
`run_due` is the one-shot form for cron, systemd timers or CI.
"""

from __future__ import annotations

import datetime as dt
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from socialmetrics.config import Project
from socialmetrics.errors import ConfigError
from socialmetrics.months import shift as month_add
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import connect

DONE = ("ok", "partial")
"""A month whose run ended ok or partial (some files failed, the rest loaded) is done."""


def trigger(cron: str, timezone: str) -> CronTrigger:
    try:
        return CronTrigger.from_crontab(cron, timezone=ZoneInfo(timezone))
    except ValueError as exc:
        raise ConfigError(
            f"schedule.cron {cron!r} is not a cron expression "
            f"(minute hour day month weekday): {exc}"
        ) from exc


def due_months(
    now: dt.datetime,
    *,
    cron: str,
    timezone: str,
    done: dict[str, str],
    catch_up: int = 3,
) -> list[str]:
    """Months whose run is due now and missing or failed, oldest first.

    The run for month M is due at the schedule's first firing after M ends (in the project's
    time zone). Only the last `catch_up` months are considered, so a new project does not
    rebuild years of reports.
    """
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    tz = ZoneInfo(timezone)
    local_now = now.astimezone(tz)
    fire = trigger(cron, timezone)
    current = f"{local_now.year:04d}-{local_now.month:02d}"
    due = []
    for back in range(catch_up, 0, -1):
        month = month_add(current, -back)
        after = month_add(month, 1)
        month_end = dt.datetime(int(after[:4]), int(after[5:]), 1, tzinfo=tz)
        at = fire.get_next_fire_time(None, month_end)
        # compare instants in UTC: two datetimes sharing a tzinfo compare as wall-clock times,
        # which is wrong across a DST change
        if (
            at is not None
            and at.astimezone(dt.UTC) <= now.astimezone(dt.UTC)
            and (done.get(month) not in DONE)
        ):
            due.append(month)
    return due


def month_status(project: Project) -> dict[str, str]:
    """The latest status of each month's run (all clients), from the `job_runs` ledger."""
    with connect(project.warehouse_url, project.root) as wh:
        wh.ensure_schema()
        return ledger.month_run_status(wh)


def run_due(
    project: Project,
    now: dt.datetime | None = None,
    runner: Callable[..., Any] | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> list[Any]:
    """Run every due month, oldest first; returns their summaries. `stopping` is checked
    between months, so a stop request never interrupts a run halfway."""
    from socialmetrics.ops.run import run_month

    runner = runner or run_month
    now = now or dt.datetime.now(dt.UTC)
    months = due_months(
        now,
        cron=str(project.get("schedule.cron")),
        timezone=str(project.get("project.timezone")),
        done=month_status(project),
        catch_up=int(project.get("schedule.catch_up_months")),
    )
    summaries = []
    for month in months:
        if stopping():
            break
        summaries.append(runner(project, month=month, wait=True))
    return summaries


def serve(project: Project, log: Callable[[str], None] = print) -> None:
    """The long-running scheduler: catch up now, then run on the cron schedule until stopped."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    timezone = str(project.get("project.timezone"))
    cron = str(project.get("schedule.cron"))
    scheduler = BlockingScheduler(timezone=ZoneInfo(timezone))

    stop_requested = False

    def job() -> None:
        for summary in run_due(project, stopping=lambda: stop_requested):
            log(summary.text().splitlines()[0])

    scheduler.add_job(job, trigger(cron, timezone), id="monthly", max_instances=1, coalesce=True)

    def stop(signum: int, _frame: Any) -> None:
        nonlocal stop_requested
        stop_requested = True
        log(f"signal {signum}: stopping after the current run (if any) finishes")
        if scheduler.running:
            scheduler.shutdown(wait=False)  # a job in progress finishes; no new one starts

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log(f"catching up, then running on '{cron}' ({timezone}); Ctrl-C or SIGTERM to stop")
    job()
    if not stop_requested:
        scheduler.start()
    log("stopped")


def _executable() -> str:
    found = shutil.which("socialmetrics")
    return str(Path(found).resolve()) if found else f"{sys.executable} -m socialmetrics.cli"


def cron_line(project: Project) -> str:
    """A crontab line: hourly `schedule --once` (what is due, and when, is decided inside, in
    the project's time zone, so the machine's own time zone does not matter)."""
    root = project.root
    return (
        f"0 * * * * cd {root} && {_executable()} schedule --once --project {root} "
        f">> {root}/logs/schedule.log 2>&1"
    )


def systemd_units(project: Project) -> str:
    """A systemd service + timer pair for `schedule --once`, hourly and persistent."""
    root = project.root
    return f"""# /etc/systemd/system/socialmetrics.service
[Unit]
Description=socialmetrics monthly job for {root}

[Service]
Type=oneshot
WorkingDirectory={root}
ExecStart={_executable()} schedule --once --project {root}

# /etc/systemd/system/socialmetrics.timer
[Unit]
Description=Run socialmetrics when a month is due

[Timer]
OnCalendar=hourly
Persistent=true

[Install]
WantedBy=timers.target
"""
