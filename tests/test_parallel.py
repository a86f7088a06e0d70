"""Ingest and reports on all cores, and on a real Dask cluster: the warehouse and the report
files are the same whatever runs them. Unchanged files are not read again."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from socialmetrics.config import load_project
from socialmetrics.errors import ConfigError, UsageError
from socialmetrics.ingest import ingest
from socialmetrics.ingest.parallel import chunk_size
from socialmetrics.ops.report import write_reports
from tests.helpers.crash import MONTH, make_agency, snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _agency(root: Path, url: str, engine: str = "local") -> Path:
    make_agency(root, url)
    text = root.joinpath("socialmetrics.toml").read_text(encoding="utf-8")
    root.joinpath("socialmetrics.toml").write_text(
        text + f'\n[compute]\nengine = "{engine}"\n', encoding="utf-8"
    )
    return root


def _reports(root: Path) -> dict[str, bytes]:
    """The report files' bytes (HTML and PDF; Excel files carry their write time)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "reports").rglob("*"))
        if p.suffix == ".html"
    }


def test_results_are_the_same_whatever_the_number_of_workers(tmp_path: Path) -> None:
    snapshots, reports = [], []
    for jobs in (1, 2):
        root = _agency(tmp_path / f"j{jobs}", f"duckdb:///{tmp_path / f'j{jobs}.duckdb'}")
        summary = ingest(load_project(root), jobs=jobs)
        assert summary.totals()["files_loaded"] > 50
        snapshots.append(snapshot(f"duckdb:///{tmp_path / f'j{jobs}.duckdb'}"))
        write_reports(load_project(root, {"compute.jobs": jobs}), month=MONTH, formats=("html",))
        reports.append({k.split("/", 1)[1]: v for k, v in _reports(root).items()})
    assert snapshots[0] == snapshots[1]
    assert reports[0] and reports[0].keys() == reports[1].keys()
    assert len(reports[0]) == 3


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = _agency(tmp_path / "a", f"duckdb:///{tmp_path / 'a.duckdb'}")
    first = ingest(load_project(root), jobs=1)
    loaded = first.totals()["files_loaded"]
    import socialmetrics.ingest.run as run

    def no_inspection(*args: object, **kwargs: object) -> object:
        raise AssertionError("a file was inspected in a no-change run")

    monkeypatch.setattr(run, "inspect_all", no_inspection)
    again = ingest(load_project(root), jobs=1)
    assert again.totals()["files_unchanged"] == loaded
    assert again.totals()["files_loaded"] == 0
    monkeypatch.undo()

    # touched (new mtime, same bytes): hashed, still unchanged; edited: read again, replaced
    touched = next((root / "clients" / "acme" / "instagram").iterdir())
    os.utime(touched, (time.time() + 100, time.time() + 100))
    edited = next((root / "clients" / "beta" / "twitter").glob("*.csv"))
    edited.write_bytes(edited.read_bytes() + b"\n")
    third = ingest(load_project(root), jobs=1)
    actions = {(f.client_id, f.path): f.action for f in third.files}
    assert actions[("acme", touched.relative_to(root / "clients" / "acme").as_posix())] == (
        "unchanged"
    )
    assert actions[("beta", edited.relative_to(root / "clients" / "beta").as_posix())] == (
        "replaced"
    )
    assert third.totals()["files_unchanged"] == loaded - 1


def test_a_month_reload_reads_the_files_again(tmp_path: Path) -> None:
    root = _agency(tmp_path / "a", f"duckdb:///{tmp_path / 'a.duckdb'}")
    ingest(load_project(root), jobs=1)
    again = ingest(load_project(root), jobs=1, month=MONTH)
    assert again.totals()["files_loaded"] > 0


def test_chunks_spread_small_runs_over_the_workers() -> None:
    assert chunk_size(14, 2) == 3
    assert chunk_size(1, 2) == 1
    assert chunk_size(10_000, 2) == 64  # big enough for bulk parsing


def test_engine_setting_is_checked(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "socialmetrics.toml").write_text('[compute]\nengine = "spark://x"\n')
    with pytest.raises(ConfigError, match=r"compute.engine = 'spark://x' is not an engine"):
        load_project(root)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Dask scheduler and two workers, separate processes, on 127.0.0.1 only."""
    pytest.importorskip("distributed", reason="Dask distributed is not installed")
    from socialmetrics.compute import local_dask_cluster

    with local_dask_cluster(2, tmp_path_factory.mktemp("dask")) as url:
        yield url


@pytest.mark.parametrize("backend", ["duckdb", "postgres"])
def test_ingest_and_reports_through_a_dask_cluster_equal_the_local_run(
    backend: str, dask_cluster: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    urls = {}
    for name in ("local", "dask"):
        if backend == "duckdb":
            urls[name] = f"duckdb:///{tmp_path / f'{name}.duckdb'}"
        else:
            from tests.helpers.crash import fresh_url

            urls[name] = fresh_url(request.getfixturevalue("postgres_url"), tmp_path, name)
    roots = {
        "local": _agency(tmp_path / "local", urls["local"]),
        "dask": _agency(tmp_path / "dask", urls["dask"], dask_cluster),
    }
    totals = {}
    for name, root in roots.items():
        summary = ingest(load_project(root))
        totals[name] = summary.totals()
        write_reports(load_project(root), month=MONTH, formats=("html", "xlsx"))
    assert totals["local"] == totals["dask"]
    assert totals["dask"]["files_loaded"] > 50
    assert snapshot(urls["local"]) == snapshot(urls["dask"])
    local, remote = _reports(roots["local"]), _reports(roots["dask"])
    assert local and local == remote
    xlsx = sorted((roots["dask"] / "reports").rglob("*.xlsx"))
    assert len(xlsx) == 3


def test_an_unreachable_dask_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="Dask distributed is not installed")
    port = _free_port()
    root = _agency(tmp_path / "a", f"duckdb:///{tmp_path / 'a.duckdb'}", f"dask://127.0.0.1:{port}")
    from socialmetrics.compute import DaskEngine

    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        DaskEngine.connect(f"dask://127.0.0.1:{port}", timeout=2)
    assert shutil.which("true")  # the project itself is fine until a run needs the cluster
    assert load_project(root).get("compute.engine") == f"dask://127.0.0.1:{port}"
