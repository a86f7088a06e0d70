"""Shared fixtures: sample folders, a project factory and the warehouses to run against.

Tests that need something outside Python (the real samples in ../shared/samples, PostgreSQL
server binaries) skip with a reason on a user's machine, but FAIL when SOCIALMETRICS_REQUIRE_ALL
is set, as `.ci/run` does: in CI nothing may be skipped silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.postgres import find_bindir, postgres_server

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(__file__).resolve().parent / "files"
SAMPLES = ROOT.parent / "shared" / "samples"


def require(condition: bool, reason: str) -> None:
    """Skip (on a user's machine) or fail (in CI) when a system component is missing."""
    if condition:
        return
    if os.environ.get("SOCIALMETRICS_REQUIRE_ALL"):
        pytest.fail(f"required in CI but missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def samples() -> Path:
    require(SAMPLES.is_dir(), f"real export samples not found at {SAMPLES}")
    return SAMPLES


@pytest.fixture(scope="session")
def files() -> Path:
    return FILES


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    require(find_bindir() is not None, "PostgreSQL server binaries (initdb, pg_ctl) not installed")
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["duckdb", "postgres"])
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every warehouse test runs on DuckDB and on a real PostgreSQL server (fresh schema each)."""
    if request.param == "duckdb":
        yield f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
        return
    url = request.getfixturevalue("postgres_url")
    from socialmetrics.warehouse.base import connect

    schema = f"t_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    wh = connect(url)
    wh.execute(f"CREATE SCHEMA {schema}")
    wh.commit()
    wh.close()
    yield f"{url}?options=-csearch_path%3D{schema}"
    wh = connect(url)
    wh.execute(f"DROP SCHEMA {schema} CASCADE")
    wh.commit()
    wh.close()


@pytest.fixture
def make_project(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A project with the given files copied into clients/<client>/<relative path>."""

    def make(files_by_client: dict[str, dict[str, Path]], url: str | None = None) -> Path:
        root = tmp_path / "project"
        (root / "clients").mkdir(parents=True, exist_ok=True)
        warehouse = url or f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
        (root / "socialmetrics.toml").write_text(
            f'[project]\nname = "Test agency"\n\n[warehouse]\nurl = "{warehouse}"\n',
            encoding="utf-8",
        )
        for client, mapping in files_by_client.items():
            folder = root / "clients" / client
            folder.mkdir(parents=True, exist_ok=True)
            for rel, src in mapping.items():
                dest = folder / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
        return root

    return make


@pytest.fixture(scope="session")
def chromium() -> str:
    found = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    require(found is not None, "headless Chromium not installed (Debian package: chromium)")
    return str(found)


@pytest.fixture(scope="session")
def poppler() -> None:
    require(
        shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None,
        "poppler-utils (pdftotext, pdftoppm) not installed",
    )


@pytest.fixture(scope="session")
def weasyprint_ready() -> None:
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        require(False, f"WeasyPrint cannot load Pango: {exc}")
