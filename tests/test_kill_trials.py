"""kill -9 at random moments of `ingest` and of the monthly `run`, on DuckDB and PostgreSQL:
after the next run the warehouse equals a clean run's, and nothing is left `running`. A few
trials here (CI); `benchmarks/kill_trials.py` runs many."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.crash import clean_run, fresh_url, kill_trial, make_agency

TRIALS = int(os.environ.get("SOCIALMETRICS_KILL_TRIALS", "2"))


def _fresh_url(kind: str, tmp_path: Path, name: str, request: pytest.FixtureRequest) -> str:
    base = request.getfixturevalue("postgres_url") if kind == "postgres" else None
    return fresh_url(base, tmp_path, name)


@pytest.mark.parametrize("name", ["ingest", "run"])
@pytest.mark.parametrize("kind", ["duckdb", "postgres"])
def test_kill_9_then_rerun_equals_a_clean_run(
    kind: str, name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    reference_root = make_agency(
        tmp_path / "clean", _fresh_url(kind, tmp_path, f"clean_{name}", request)
    )
    duration, reference, _ = clean_run(reference_root, name)
    assert reference["posts"] and reference["account_daily"]
    rng = random.Random(f"{kind}-{name}")
    report: list[Any] = []
    for i in range(TRIALS):
        url = _fresh_url(kind, tmp_path, f"t{i}_{name}", request)
        root = make_agency(tmp_path / f"trial-{i}", url)
        trial = kill_trial(root, name, rng.uniform(0.3, duration), reference, url)
        report.append(trial)
        assert trial.equal, f"trial {i} (killed after {trial.delay:.2f} s): {trial.differences}"
        if name == "run":
            reports = list((root / "reports").rglob("*.html"))
            assert len(reports) == 3, reports  # one per client, written by the re-run
    assert any(t.killed for t in report), "no trial killed the command before it ended"
