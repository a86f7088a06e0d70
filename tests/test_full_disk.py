"""A full disk under the warehouse: a real small file system (tmpfs), filled on purpose. The
failing client rolls back alone and is counted, the message says the disk is full, what was
loaded before stays, and the next run after space is freed loads what was missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.warehouse.base import connect
from tests.conftest import require

FILES = Path(__file__).resolve().parent / "files"


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 MB tmpfs, unmounted afterwards whatever happens."""
    require(_can_mount(), "mounting a small tmpfs needs root (as in CI)")
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
    )
    require(done.returncode == 0, f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def _fill(disk: Path) -> Path:
    """Take every free byte of the disk with one file."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


def _ingest(root: Path, *args: str) -> tuple[int, dict[str, object], str]:
    run = subprocess.run(
        [sys.executable, "-m", "socialmetrics.cli", "ingest", "--project", str(root), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        summary = json.loads(run.stdout) if "--json" in args else {}
    except json.JSONDecodeError:
        summary = {}
    return run.returncode, summary, run.stdout + run.stderr


def _project(tmp_path: Path, disk: Path) -> tuple[Path, str]:
    root = tmp_path / "project"
    for client, source in (("acme", FILES / "instagram"), ("beta", FILES / "tiktok")):
        folder = root / "clients" / client
        folder.mkdir(parents=True)
        for path in source.glob("*.csv"):
            shutil.copyfile(path, folder / path.name)
    url = f"duckdb:///{disk / 'warehouse.duckdb'}"
    (root / "socialmetrics.toml").write_text(f'[warehouse]\nurl = "{url}"\n', encoding="utf-8")
    return root, url


def _files_per_client(url: str) -> dict[str, int]:
    with connect(url) as wh:
        return dict(wh.query("SELECT client_id, count(*) FROM source_files GROUP BY 1"))


def test_a_disk_full_before_the_run_is_one_clear_error(small_disk: Path, tmp_path: Path) -> None:
    root, url = _project(tmp_path, small_disk)
    code, summary, _ = _ingest(root, "--client", "beta", "--json", "--silent")
    assert code == 0 and summary["files_loaded"] == 8
    filler = _fill(small_disk)

    code, _, text = _ingest(root, "--client", "acme", "--silent")
    assert code == 1 and "Traceback" not in text, text
    assert text.strip().endswith(
        "the disk holding the warehouse is full (No space left on device). Free some space "
        "and run again: what earlier loads committed is intact"
    )

    filler.unlink()
    code, summary, text = _ingest(root, "--json", "--silent")
    assert code == 0, text
    assert summary["files_loaded"] == 12 and summary["files_unchanged"] == 8
    assert _files_per_client(url) == {"acme": 12, "beta": 8}


def test_a_disk_that_fills_during_the_run_rolls_back_that_client_only(
    small_disk: Path, tmp_path: Path
) -> None:
    """The disk fills (for real) just as acme's turn comes: acme rolls back and is counted,
    beta, loaded after it, still loads."""
    root, url = _project(tmp_path, small_disk)
    fillers: list[Path] = []

    def fill_at_acme(event: str, label: str, _result: object) -> None:
        if event == "client" and label == "acme":
            fillers.append(_fill(small_disk))
        if event == "client" and label == "beta":
            fillers.pop().unlink()

    summary = ingest(load_project(root), progress=fill_at_acme)
    assert summary.exit_code == 1
    assert summary.clients_rolled_back == ["acme"]
    assert summary.totals()["clients_failed"] == 1
    assert summary.client_errors["acme"] == (
        "nothing of this client was loaded (rolled back): the disk holding the warehouse is "
        "full (No space left on device). Free some space and run again: what earlier loads "
        "committed is intact"
    )
    assert _files_per_client(url) == {"beta": 8}
    assert ingest(load_project(root)).exit_code == 0
    assert _files_per_client(url) == {"acme": 12, "beta": 8}
