"""One test over every registered platform: an incomplete platform fails CI by name.

A platform is complete when it has test files under `tests/files/<platform>/` that are
recognised as it, every layout of its specs is matched exactly by at least one of them (layouts
shared through a family by the files of any member), its demo writer's files are recognised,
the report shows it, and docs/platforms.md has its section. The new-platform walkthrough is
exercised on a toy platform made from the template, through the same checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from socialmetrics.config import load_project
from socialmetrics.demo.generator import demo_month
from socialmetrics.extract.discover import SourceFile
from socialmetrics.ingest import ingest
from socialmetrics.ingest.inspect import inspect_file
from socialmetrics.ops.report import write_reports
from socialmetrics.platforms import registry
from socialmetrics.platforms.base import Platform
from socialmetrics.platforms.scaffold import new_platform
from socialmetrics.specs.registry import default_registry

FILES = Path(__file__).resolve().parent / "files"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "platforms.md"
PLATFORMS = list(registry.platforms())


def docs_heading(platform: Platform) -> str:
    return f"### {platform.name('en')} (`{platform.id}`)"


def matched_layouts(files: Path) -> dict[tuple[str, str], set[str]]:
    """(spec, layout) matched exactly by the files of a folder -> the platforms they loaded as."""
    found: dict[tuple[str, str], set[str]] = {}
    for path in sorted(p for p in files.rglob("*") if p.is_file()):
        result = inspect_file(SourceFile(path, None, None), default_registry())
        for table in result.tables:
            rec = table.recognition
            if rec.spec is not None and rec.layout is not None and rec.layout_exact:
                found.setdefault((rec.spec.id, rec.layout), set()).add(table.platform)
    return found


def completeness_problems(platform: Platform, files: Path, docs: str) -> list[str]:
    """What a platform still lacks, in words (empty: complete, but for the report check)."""
    problems = []
    folder = files / platform.id
    samples = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    if not samples:
        problems.append(f"no test files under tests/files/{platform.id}/")
    for path in samples:
        result = inspect_file(SourceFile(path, None, None), default_registry())
        if platform.id not in result.platforms:
            problems.append(f"{path.name} is not recognised as {platform.id}: {result.message}")
    families = [f for f in registry.families() if platform.id in f.members]
    matched = matched_layouts(folder) if folder.is_dir() else {}
    for family in families:  # shared layouts: any member's files count
        for member in family.members:
            if member != platform.id and (files / member).is_dir():
                for key, found in matched_layouts(files / member).items():
                    matched.setdefault(key, set()).update(found)
    own = [s for s in default_registry() if s.platform in (platform.id, *(f.id for f in families))]
    for spec in own:
        for layout in spec.layouts:
            if (spec.id, layout.version) not in matched:
                problems.append(f"layout {layout.version!r} of {spec.id} has no test file")
    if platform.demo is None:
        problems.append("no demo writer")
    if platform.folder is None or not (platform.folder / "README.md").is_file():
        problems.append("no README.md in the platform folder")
    if docs_heading(platform) not in docs:
        problems.append(f"docs/platforms.md has no section {docs_heading(platform)!r}")
    return problems


@pytest.mark.parametrize("platform", PLATFORMS, ids=lambda p: p.id)
def test_platform_is_complete(platform: Platform) -> None:
    assert completeness_problems(platform, FILES, DOCS.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("platform", PLATFORMS, ids=lambda p: p.id)
def test_demo_files_are_recognised_and_reported(platform: Platform, tmp_path: Path) -> None:
    assert_demo_recognised_and_reported(platform, tmp_path)


def assert_demo_recognised_and_reported(platform: Platform, tmp_path: Path) -> None:
    """The demo writer's month loads as the platform and its report has the platform's section."""
    root = tmp_path / "project"
    client = root / "clients" / "acme" / "2026-03" / platform.id
    (root / "socialmetrics.toml").parent.mkdir(parents=True, exist_ok=True)
    (root / "socialmetrics.toml").write_text('[project]\nlanguage = "en"\n', encoding="utf-8")
    written = demo_month(platform.id, client)
    assert written >= 1
    for path in client.iterdir():
        result = inspect_file(SourceFile(path, "acme", client.parent.parent))
        assert result.status == "ok", f"{path.name}: {result.message}"
        assert result.platforms == [platform.id], path.name
    project = load_project(root)
    summary = ingest(project)
    assert summary.exit_code == 0 and summary.totals()["files_loaded"] == written
    (html,) = write_reports(project, month="2026-03", formats=("html",))
    text = html.read_text(encoding="utf-8")
    assert f'id="platform-{platform.id}"' in text
    assert platform.name("en") in text


def test_no_two_platforms_share_a_report_position() -> None:
    orders = [p.report_order for p in PLATFORMS]
    assert len(orders) == len(set(orders))


def test_every_meta_table_decision_names_a_family_member() -> None:
    for family in registry.families():
        assert family.default in family.members
        for member in family.members:
            assert registry.get(member).path_tokens, f"{member} declares no path tokens"


@pytest.fixture
def toy(tmp_path: Path) -> Iterator[tuple[Platform, Path]]:
    """A platform made from the template, registered for the test and removed afterwards."""
    files = tmp_path / "files"
    created = new_platform(
        "toy", into=tmp_path / "platforms", samples_dir=files, today=dt.date(2026, 11, 1)
    )
    assert {p.name for p in created} >= {"__init__.py", "demo.py", "README.md", "toy_posts.toml"}
    platform = registry.get("toy")
    try:
        yield platform, files
    finally:
        registry.unregister_folder(tmp_path / "platforms" / "toy")
    assert "toy" not in registry.platform_ids()


def test_new_platform_walkthrough_on_a_toy_platform(toy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    platform, files = toy
    assert platform.report_order > max(p.report_order for p in PLATFORMS)
    assert "toy_posts" in {s.id for s in default_registry()}
    docs = DOCS.read_text(encoding="utf-8")
    # Freshly made, it lacks only its docs section; the check says so by name.
    assert completeness_problems(platform, files, docs) == [
        "docs/platforms.md has no section '### Toy (`toy`)'"
    ]
    assert completeness_problems(platform, files, docs + "\n### Toy (`toy`)\n") == []
    assert_demo_recognised_and_reported(platform, tmp_path / "report")


def test_new_platform_refuses_a_taken_or_bad_name(tmp_path: Path) -> None:
    from socialmetrics.errors import UsageError

    with pytest.raises(UsageError, match="platform 'instagram' exists already"):
        new_platform("instagram", into=tmp_path)
    with pytest.raises(UsageError, match="must be lower case"):
        new_platform("Tik Tok", into=tmp_path)
