"""The ledger follows the folders: a file moved to another client counts once (in its new
client), a deleted file's rows are retired with a record kept, a file put back loads again, and
`--keep-missing` keeps the rows of files archived elsewhere. On DuckDB and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from socialmetrics.cli import app
from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.warehouse.base import connect

POSTS_FILE = "instagram/Dec-01-2024_Dec-31-2024_17800000000000001.csv"


def _query(url: str, sql: str) -> list[tuple[Any, ...]]:
    with connect(url) as wh:
        return wh.query(sql)


def _posts_per_client(url: str) -> dict[str, int]:
    return dict(_query(url, "SELECT client_id, COUNT(*) FROM posts GROUP BY client_id"))


@pytest.fixture
def agency(make_project, files: Path, warehouse_url: str) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {"posts.csv": files / POSTS_FILE, "Reach.csv": files / "instagram/Reach.csv"},
            "beta": {"Overview.csv": files / "tiktok/Overview.csv"},
        },
        warehouse_url,
    )
    assert ingest(load_project(root)).exit_code == 0
    return root, warehouse_url


def test_a_file_moved_to_another_client_counts_once(agency: tuple[Path, str]) -> None:
    root, url = agency
    before = _posts_per_client(url)
    assert before["acme"] > 0 and "beta" not in before
    shutil.move(root / "clients/acme/posts.csv", root / "clients/beta/posts.csv")

    summary = ingest(load_project(root))

    actions = {(f.client_id, f.path): f.action for f in summary.files}
    assert actions[("acme", "posts.csv")] == "retired"
    assert actions[("beta", "posts.csv")] == "loaded"
    assert _posts_per_client(url) == {"beta": before["acme"]}
    retired = next(f for f in summary.files if f.action == "retired")
    assert retired.rows_retired == before["acme"]
    assert summary.totals()["files_retired"] == 1
    assert summary.exit_code == 0


def test_a_deleted_file_is_retired_on_record_and_loads_again_when_back(
    agency: tuple[Path, str], files: Path
) -> None:
    root, url = agency
    (root / "clients/acme/posts.csv").unlink()
    ingest(load_project(root))
    assert "acme" not in _posts_per_client(url)
    assert _query(url, "SELECT status, rows_loaded FROM source_files WHERE path = 'posts.csv'") == [
        ("retired", 0)
    ]
    shutil.copyfile(files / POSTS_FILE, root / "clients/acme/posts.csv")
    again = ingest(load_project(root))
    assert {f.path: f.action for f in again.files}["posts.csv"] == "loaded"
    assert _posts_per_client(url)["acme"] > 0
    assert _query(url, "SELECT status FROM source_files WHERE path = 'posts.csv'") == [("ok",)]


def test_keep_missing_keeps_the_rows(agency: tuple[Path, str]) -> None:
    root, url = agency
    before = _posts_per_client(url)
    (root / "clients/acme/posts.csv").unlink()
    summary = ingest(load_project(root), keep_missing=True)
    assert not [f for f in summary.files if f.action == "retired"]
    assert _posts_per_client(url) == before


def test_keep_missing_setting(agency: tuple[Path, str]) -> None:
    root, url = agency
    before = _posts_per_client(url)
    config = root / "socialmetrics.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[ingest]\nkeep_missing = true\n", encoding="utf-8"
    )
    (root / "clients/acme/posts.csv").unlink()
    ingest(load_project(root))
    assert _posts_per_client(url) == before


def test_a_month_reload_or_a_broken_replacement_retires_nothing(
    agency: tuple[Path, str],
) -> None:
    root, url = agency
    before = _posts_per_client(url)
    (root / "clients/acme/Reach.csv").unlink()
    summary = ingest(load_project(root), month="2024-12")  # a month: not every file is looked at
    assert not [f for f in summary.files if f.action == "retired"]
    (root / "clients/acme/posts.csv").write_bytes(b"\xff\xfe\x00\xd8")  # same path, now broken
    summary = ingest(load_project(root))
    actions = {f.path: f.action for f in summary.files}
    assert actions["posts.csv"] == "failed"
    assert actions["Reach.csv"] == "retired"  # gone for good: retired
    assert _posts_per_client(url) == before  # the broken file's earlier rows stay


def test_the_summary_says_what_was_retired(agency: tuple[Path, str]) -> None:
    root, _ = agency
    (root / "clients/acme/posts.csv").unlink()
    result = CliRunner().invoke(app, ["ingest", "--project", str(root), "--silent"])
    assert result.exit_code == 0, result.output
    assert "acme/posts.csv: retired: no longer in the client's folder: its " in result.output
    assert "1 retired (" in result.output.splitlines()[-1]
