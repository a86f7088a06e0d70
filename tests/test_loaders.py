"""Several clients loaded at once into PostgreSQL, each in its own transaction on its own
connection: the warehouse and the summary are the same as one client at a time, a failing
client still rolls back alone, and the embedded DuckDB file keeps one writer."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import socialmetrics.ingest.run as run_module
from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.ingest.loaders import ClientLoads
from socialmetrics.warehouse.base import connect
from tests.helpers.crash import fresh_url, make_agency, snapshot


class _Overlap:
    """Wraps the load of one client: counts the loads running at once (each made to last a
    little, so that loads that can overlap do)."""

    def __init__(self, real, fail: str | None = None) -> None:  # type: ignore[no-untyped-def]
        self.real, self.fail = real, fail
        self.lock = threading.Lock()
        self.running = self.most = 0
        self.threads: set[str] = set()

    def __call__(self, wh, client, *args):  # type: ignore[no-untyped-def]
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.threads.add(threading.current_thread().name)
        try:
            time.sleep(0.5)
            if client.client_id == self.fail:
                raise RuntimeError("the server went away")
            return self.real(wh, client, *args)
        finally:
            with self.lock:
                self.running -= 1


def _outcomes(summary):  # type: ignore[no-untyped-def]
    return [(f.client_id, f.path, f.action, f.rows_loaded) for f in summary.files]


def test_postgres_loads_clients_at_once_with_the_same_result(
    tmp_path: Path, postgres_url: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    results = {}
    for loaders in (1, 3):
        url = fresh_url(postgres_url, tmp_path, f"loaders{loaders}")
        root = make_agency(tmp_path / f"agency{loaders}", url)
        probe = _Overlap(run_module.load_client_files)
        monkeypatch.setattr(run_module, "load_client_files", probe)
        summary = ingest(load_project(root, {"warehouse.loaders": loaders}), jobs=1)
        assert summary.exit_code == 0, summary.client_errors
        results[loaders] = (snapshot(url), _outcomes(summary), summary.totals())
        assert probe.most == 1 if loaders == 1 else probe.most >= 2, (loaders, probe.most)
        if loaders > 1:
            assert all(name.startswith("socialmetrics-load") for name in probe.threads)
    assert results[3] == results[1]
    assert [c for c, *_ in results[3][1]] == sorted(c for c, *_ in results[3][1])


def test_a_failing_client_rolls_back_alone_among_concurrent_loads(
    tmp_path: Path, postgres_url: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    url = fresh_url(postgres_url, tmp_path, "failing")
    root = make_agency(tmp_path / "agency", url)
    probe = _Overlap(run_module.load_client_files, fail="beta")
    monkeypatch.setattr(run_module, "load_client_files", probe)
    summary = ingest(load_project(root, {"warehouse.loaders": 3}), jobs=1)
    assert probe.most >= 2
    assert summary.exit_code == 1
    assert summary.clients_rolled_back == ["beta"]
    assert "the server went away" in summary.client_errors["beta"]
    with connect(url) as wh:
        clients = wh.query("SELECT DISTINCT client_id FROM source_files ORDER BY 1")
    assert clients == [("acme",), ("gamma",)]


def test_duckdb_loads_one_client_at_a_time(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'one.duckdb'}"
    with connect(url) as wh:
        loads = ClientLoads(wh, 4)
        assert loads.width == 1
        order = [loads.submit(c, lambda _wh, c=c: [])[0][0] for c in ("b", "a", "c")]
        assert order == ["b", "a", "c"]
        assert loads.finish() == []


@pytest.mark.parametrize("width", [1, 2, 5])
def test_loads_come_back_in_the_order_given(width: int, postgres_url: str) -> None:
    """Whatever finishes first, `submit` and `finish` hand loads back in submission order."""
    with connect(postgres_url) as wh:
        loads = ClientLoads(wh, width)
        done = []
        for i, pause in enumerate((0.3, 0.0, 0.2, 0.0, 0.1)):

            def job(_wh, pause=pause):  # type: ignore[no-untyped-def]
                time.sleep(pause)
                return []

            done += loads.submit(f"c{i}", job)
        done += loads.finish()
    assert [client for client, _ in done] == [f"c{i}" for i in range(5)]
