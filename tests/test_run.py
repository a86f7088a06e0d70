"""The monthly job: one run at a time, a dead run's lock taken over, re-runs without duplicates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from socialmetrics.config import load_project
from socialmetrics.ops.lock import LOCK_FILE, RunInProgress, project_lock, read_lock
from socialmetrics.ops.run import run_month
from tests.test_cli import run


@pytest.fixture
def agency(make_project, files: Path) -> Path:  # type: ignore[no-untyped-def]
    return make_project(
        {
            "cafe": {
                "2026-03/instagram/contenido.csv": files / "instagram/contenido_es.csv",
                "2026-03/x/account_overview_analytics.csv": files
                / "twitter/account_overview_analytics.csv",
            }
        }
    )


def _holder(root: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the project's lock for a while."""
    code = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from socialmetrics.ops.lock import project_lock
        with project_lock(Path({str(root)!r}), "monthly run"):
            print("held", flush=True)
            time.sleep({seconds})
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_run_reports_the_lock(agency: Path) -> None:
    holder = _holder(agency, 30)
    try:
        result = run("run", "--project", str(agency), "--month", "2026-03", "--silent")
        assert result.exit_code == 1
        assert "a monthly run is in progress since" in result.output
        assert f"(process {holder.pid} on" in result.output and "or use --wait" in result.output
    finally:
        holder.kill()
        holder.wait()


def test_wait_runs_after_the_other_finishes(agency: Path) -> None:
    holder = _holder(agency, 1.5)
    started = time.monotonic()
    result = run("run", "--project", str(agency), "--month", "2026-03", "--silent", "--wait")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 1.0
    holder.wait()


def test_a_killed_runs_lock_is_taken_over(agency: Path) -> None:
    holder = _holder(agency, 60)
    holder.kill()  # dies holding the lock: the file stays behind
    holder.wait()
    assert read_lock(agency)["pid"] == holder.pid  # type: ignore[index]
    with project_lock(agency) as me:
        assert me["took_over_from"] == holder.pid
    assert not (agency / LOCK_FILE).exists()


def test_exactly_one_of_two_concurrent_runs_works(agency: Path) -> None:
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "socialmetrics.cli",
                "run",
                "--project",
                str(agency),
                "--month",
                "2026-03",
                "--silent",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "COLUMNS": "200"},
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 1], outputs
    assert any("is in progress since" in o for o in outputs), outputs
    con = duckdb.connect(str(agency.parent / "warehouse.duckdb"), read_only=True)
    assert con.execute("SELECT COUNT(*) FROM job_runs").fetchone() == (1,)
    assert con.execute("SELECT COUNT(*) FROM post_snapshots").fetchone() == (2,)


def test_rerun_after_a_failure_completes_without_duplicates(agency: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from socialmetrics.ops import run as run_module

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full while writing reports")

    monkeypatch.setattr(run_module, "write_reports", broken)
    with pytest.raises(OSError):
        run_month(load_project(agency), month="2026-03")
    monkeypatch.undo()
    summary = run_month(load_project(agency), month="2026-03")
    assert summary.exit_code == 0
    assert summary.ingest.totals()["files_loaded"] == 0  # loaded by the failed run already
    assert len(summary.reports) >= 2
    con = duckdb.connect(str(agency.parent / "warehouse.duckdb"), read_only=True)
    assert con.execute("SELECT status FROM job_runs ORDER BY started_at").fetchall() == [
        ("failed",),
        ("ok",),
    ]
    assert con.execute("SELECT COUNT(*) FROM post_snapshots").fetchone() == (2,)
    assert con.execute(
        "SELECT COUNT(*) FROM account_daily_facts WHERE metric = 'impressions'"
    ).fetchone() == (4,)
    log = (
        agency / (con.execute("SELECT log_file FROM job_runs WHERE status = 'ok'").fetchone()[0])
    ).read_text()
    assert log.startswith(f"socialmetrics run {summary.run_id} for 2026-03: ok")
    assert not (agency / LOCK_FILE).exists()


def test_status(agency: Path) -> None:
    run_month(load_project(agency), month="2026-03")
    data = json.loads(run("status", "--project", str(agency), "--json").output)
    (cafe,) = data["clients"]
    assert cafe["months_loaded"] == ["2025-02", "2026-03"]
    assert (cafe["pending_layout_changes"], cafe["has_folder"]) == (0, True)
    assert cafe["reports_not_delivered"] == ["2026-03"]  # no sender configured
    assert data["runs"][0]["month"] == "2026-03" and data["runs"][0]["status"] == "ok"


def test_lock_error_is_a_library_error(agency: Path) -> None:
    with project_lock(agency), pytest.raises(RunInProgress), project_lock(agency):
        pass


def test_ingest_and_report_take_the_lock_too(agency: Path) -> None:
    holder = _holder(agency, 30)
    try:
        for command in ("ingest", "report"):
            result = run(
                command,
                "--project",
                str(agency),
                "--silent" if command == "ingest" else "--month=2026-03",
            )
            assert result.exit_code == 1, result.output
            assert "a monthly run is in progress since" in result.output
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_still_being_written_is_never_taken_over(agency: Path) -> None:
    """Its owner has the kernel lock but has not written who it is yet: not stale."""
    code = textwrap.dedent(
        f"""
        import fcntl, os, time
        fd = os.open({str(agency / LOCK_FILE)!r}, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("held", flush=True)
        time.sleep(30)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        assert (agency / LOCK_FILE).read_text() == ""
        starting = pytest.raises(RunInProgress, match="run \\(starting\\) is in progress")
        with starting, project_lock(agency):
            pass
    finally:
        proc.kill()
        proc.wait()
    with project_lock(agency):  # released by the kernel when its owner died
        pass


def test_runs_that_died_are_marked_interrupted_by_the_next(agency: Path) -> None:
    import datetime as dt

    from socialmetrics.warehouse.base import connect

    project = load_project(agency)
    with connect(project.warehouse_url, project.root) as wh:
        wh.ensure_schema()
        started = dt.datetime(2026, 4, 1, 6, 0)
        wh.execute(
            "INSERT INTO load_runs (load_id, started_at, status) VALUES ($1, $2, 'running')",
            ["dead-load", started],
        )
        wh.execute(
            "INSERT INTO job_runs (run_id, month, started_at, status) "
            "VALUES ($1, '2026-03', $2, 'running')",
            ["dead-run", started],
        )
    summary = run_month(project, month="2026-03")
    assert summary.exit_code == 0 and summary.ingest.interrupted_loads == 1
    con = duckdb.connect(str(agency.parent / "warehouse.duckdb"), read_only=True)
    assert con.execute("SELECT status FROM load_runs WHERE load_id = 'dead-load'").fetchone() == (
        "interrupted",
    )
    assert con.execute("SELECT status FROM job_runs ORDER BY started_at").fetchall() == [
        ("interrupted",),
        ("ok",),
    ]
    assert con.execute("SELECT COUNT(*) FROM load_runs WHERE status = 'running'").fetchone() == (0,)
