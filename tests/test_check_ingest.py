"""`check` and `ingest` inspect a file through the same function with the same client settings:
for every test file and every real sample, with and without a client.toml, what `check` says a
file is equals what `ingest` records for it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from socialmetrics.config import load_project
from socialmetrics.ingest import ingest
from socialmetrics.ingest.inspect import check_paths
from socialmetrics.warehouse.base import connect

FILES = Path(__file__).resolve().parent / "files"
CLIENT_TOML = 'meta_platform = "facebook"\ntimezone = "America/Bogota"\n'


def _project(tmp_path: Path, source: Path, client_toml: str | None) -> Path:
    root = tmp_path / "project"
    folder = root / "clients" / "acme"
    for path in sorted(p for p in source.rglob("*") if p.is_file() and p.suffix != ".py"):
        dest = folder / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    (root / "socialmetrics.toml").write_text(
        f'[warehouse]\nurl = "duckdb:///{tmp_path / "wh.duckdb"}"\n', encoding="utf-8"
    )
    if client_toml is not None:
        (folder / "client.toml").write_text(client_toml, encoding="utf-8")
    return root


def _checked(root: Path) -> dict[str, list[tuple[Any, ...]]]:
    project = load_project(root)
    results = check_paths([project.clients_dir / "acme"], project)
    return {
        r.source.relative: sorted(
            (t["sheet"] or "", t["platform"], t["kind"], t["spec"], t["layout"], t["rows"])
            for t in r.to_json()["tables"]
            if t["platform"] is not None
        )
        for r in results
        if r.status in ("ok", "partial")
    }


def _ingested(root: Path) -> dict[str, list[tuple[Any, ...]]]:
    project = load_project(root)
    ingest(project)
    with connect(project.warehouse_url, root) as wh:
        rows = wh.query(
            "SELECT f.path, t.sheet, t.platform, t.kind, t.spec, t.layout, t.rows_loaded "
            "FROM source_tables t JOIN source_files f ON f.file_id = t.file_id "
            "WHERE f.status IN ('ok', 'partial')"
        )
    out: dict[str, list[tuple[Any, ...]]] = {}
    for path, *table in rows:
        table[0] = table[0] or ""
        out.setdefault(path, []).append(tuple(table))
    return {path: sorted(tables) for path, tables in out.items()}


@pytest.mark.parametrize("client_toml", [None, CLIENT_TOML], ids=["defaults", "client.toml"])
@pytest.mark.parametrize("source", ["files", "samples"])
def test_check_and_ingest_agree(
    tmp_path: Path, request: pytest.FixtureRequest, source: str, client_toml: str | None
) -> None:
    folder = FILES if source == "files" else request.getfixturevalue("samples")
    root = _project(tmp_path, folder, client_toml)
    checked, ingested = _checked(root), _ingested(root)
    assert checked == ingested
    assert len(checked) > 20


def test_client_settings_decide_meta_tables_in_check_too(tmp_path: Path) -> None:
    """An unlabelled Meta chart in a folder that names no platform is Instagram by default and
    Facebook for a client whose client.toml says so, in `check` as in `ingest` (check used to
    ignore client.toml). (The real samples sit in folders named after their platform.)"""

    def platforms(client_toml: str | None, name: str) -> set[str]:
        root = _project(tmp_path / name, FILES, client_toml)
        project = load_project(root)
        return {
            t.platform
            for r in check_paths([project.clients_dir / "acme"], project)
            for t in r.tables
            if t.recognition.platform_rule.startswith(("client setting", "default"))
        }

    assert platforms(None, "defaults") == {"instagram"}
    assert platforms(CLIENT_TOML, "settings") == {"facebook"}


def test_check_json_names_the_rule_from_client_settings(tmp_path: Path) -> None:
    root = _project(tmp_path, FILES / "other", CLIENT_TOML)
    project = load_project(root)
    (result,) = [
        r for r in check_paths([project.clients_dir / "acme"], project) if "Views" in str(r.path)
    ]
    table = result.to_json()["tables"][0]
    assert (table["platform"], table["platform_rule"]) == (
        "facebook",
        "client setting meta_platform",
    )
    assert json.dumps(result.to_json(), default=str)


def test_txt_files_follow_one_rule_in_check_and_ingest(tmp_path: Path) -> None:
    """A .txt is read by its contents in both: an export saved as .txt loads, a note (the README
    that `init` writes) is skipped, never a failure."""
    root = tmp_path / "project"
    folder = root / "clients" / "acme"
    folder.mkdir(parents=True)
    shutil.copyfile(FILES / "tiktok" / "Overview.csv", folder / "Overview.txt")
    (folder / "README.txt").write_text("Drop this client's monthly exports here.\n")
    (root / "socialmetrics.toml").write_text(
        f'[warehouse]\nurl = "duckdb:///{tmp_path / "wh.duckdb"}"\n', encoding="utf-8"
    )
    project = load_project(root)
    checked = {r.source.relative: r.status for r in check_paths([folder], project)}
    assert checked["README.txt"] == "skipped"
    assert checked["Overview.txt"] in ("ok", "partial")  # read as the CSV it holds
    summary = ingest(project)
    assert {f.path: f.action for f in summary.files} == {
        "Overview.txt": "loaded",
        "README.txt": "skipped",
    }
    assert summary.exit_code == 0
    note = next(f for f in summary.files if f.path == "README.txt")
    assert note.message.startswith("skipped, not an export (a note?): not a known platform export")
