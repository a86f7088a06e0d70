"""Several machines sharing one PostgreSQL warehouse: one loader at a time (a server-side
advisory lock, released by the server when its holder dies), and schema creation that is safe
when several commands start at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from socialmetrics.config import load_project
from socialmetrics.errors import RunInProgress
from socialmetrics.ingest import ingest
from socialmetrics.warehouse.base import connect

FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture
def shared_url(postgres_url: str) -> Iterator[str]:
    """A fresh schema on the test server, as one agency's shared warehouse."""
    schema = f"shared_{os.getpid()}_{threading.get_ident() % 10**6}"
    with connect(postgres_url) as wh:
        wh.execute(f"CREATE SCHEMA {schema}")
        wh.commit()
    yield f"{postgres_url}?options=-csearch_path%3D{schema}"
    with connect(postgres_url) as wh:
        wh.execute(f"DROP SCHEMA {schema} CASCADE")
        wh.commit()


def _machine(tmp_path: Path, name: str, url: str) -> Path:
    """One machine's project: its own folder (own file lock), the shared warehouse."""
    root = tmp_path / name
    folder = root / "clients" / "acme"
    folder.mkdir(parents=True)
    for path in sorted((FILES / "instagram").glob("*.csv")):
        shutil.copyfile(path, folder / path.name)
    (root / "socialmetrics.toml").write_text(f'[warehouse]\nurl = "{url}"\n', encoding="utf-8")
    return root


def test_concurrent_schema_creation_never_fails(shared_url: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def create() -> None:
        try:
            with connect(shared_url) as wh:
                start.wait()
                wh.ensure_schema()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with connect(shared_url) as wh:
        assert wh.query("SELECT value FROM schema_info WHERE key = 'version'")


def test_a_loader_elsewhere_holds_the_warehouse(shared_url: str, tmp_path: Path) -> None:
    root = _machine(tmp_path, "machine-b", shared_url)
    other = connect(shared_url)
    with other.writer_lock():
        with pytest.raises(RunInProgress) as caught:
            ingest(load_project(root))
        assert "another socialmetrics process (perhaps on another machine) is loading" in str(
            caught.value
        )
        assert "pass --wait to queue behind it" in str(caught.value)
        assert "password" not in str(caught.value)

        waited: list[int] = []
        queued = threading.Thread(
            target=lambda: waited.append(ingest(load_project(root), wait=True).exit_code)
        )
        queued.start()
        queued.join(timeout=2)
        assert queued.is_alive()  # waiting for the lock, loading nothing
    queued.join(timeout=120)
    other.close()
    assert waited == [0]


def test_a_dead_loader_frees_the_warehouse(shared_url: str, tmp_path: Path) -> None:
    """The lock dies with its connection: a killed holder never blocks the next load."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from socialmetrics.warehouse.base import connect\n"
            "wh = connect(sys.argv[1])\n"
            "with wh.writer_lock():\n    print('held', flush=True); time.sleep(600)\n",
            shared_url,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(RunInProgress):
            ingest(load_project(_machine(tmp_path, "machine-a", shared_url)))
    finally:
        holder.kill()
        holder.wait()
    assert ingest(load_project(tmp_path / "machine-a"), wait=True).exit_code == 0


def test_two_machines_loading_at_once_load_everything_once(shared_url: str, tmp_path: Path) -> None:
    roots = [_machine(tmp_path, f"machine-{n}", shared_url) for n in "ab"]
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "socialmetrics.cli",
                "ingest",
                "--wait",
                "--silent",
                "--project",
                str(root),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for root in roots
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    files = len(list((roots[0] / "clients" / "acme").glob("*.csv")))
    with connect(shared_url) as wh:
        (loaded,) = wh.query("SELECT count(*) FROM source_files")[0]
        facts = wh.query("SELECT count(*), count(DISTINCT source_file_id) FROM account_daily_facts")
    assert loaded == files
    alone = _machine(tmp_path, "alone", f"duckdb:///{tmp_path / 'alone.duckdb'}")
    ingest(load_project(alone))
    with connect(f"duckdb:///{tmp_path / 'alone.duckdb'}") as wh:
        assert facts == wh.query(
            "SELECT count(*), count(DISTINCT source_file_id) FROM account_daily_facts"
        )
    summaries = sorted(out.strip().splitlines()[-1] for out, _ in outputs)
    assert summaries[0].startswith(f"1 client(s): 0 file(s) loaded, {files} unchanged")
    assert summaries[1].startswith(f"1 client(s): {files} file(s) loaded, 0 unchanged")
