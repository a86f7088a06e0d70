"""The docs keep up with the code: every setting, table column, command and spec is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialmetrics.cli import app
from socialmetrics.docgen import rewrite
from socialmetrics.model import TABLES
from socialmetrics.settings import SETTINGS
from socialmetrics.specs.registry import default_registry
from socialmetrics.warehouse.marts import MARTS
from socialmetrics.warehouse.schema import VIEW_NAMES

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = DOCS.parent / "README.md"


def _section(text: str, name: str) -> str:
    match = re.search(rf"^### `{name}`\n(.*?)(?=^### |\Z)", text, re.S | re.M)
    assert match, f"no section for {name}"
    return match.group(1)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting) -> None:  # type: ignore[no-untyped-def]
    text = (DOCS / "configuration.md").read_text()
    assert f"`{setting.name}`" in text and f"`{setting.env}`" in text


@pytest.mark.parametrize("page", ["configuration.md", "platforms.md", "warehouse.md"])
def test_generated_tables_are_up_to_date(tmp_path: Path, page: str) -> None:
    """The settings and spec tables are what `make docs` writes from the declarations."""
    copy = tmp_path / page
    copy.write_text((DOCS / page).read_text())
    assert "<!-- generated:" in copy.read_text()
    assert not rewrite(copy), f"run `make docs`: the generated tables of {page} are out of date"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_column_is_documented(table: str) -> None:
    section = _section((DOCS / "warehouse.md").read_text(), table)
    missing = [c.name for c in TABLES[table] if f"| `{c.name}` |" not in section]
    assert not missing, f"{table}: undocumented columns {missing}"


@pytest.mark.parametrize("view", VIEW_NAMES)
def test_every_view_is_documented(view: str) -> None:
    assert _section((DOCS / "warehouse.md").read_text(), view).strip()


@pytest.mark.parametrize("mart", MARTS, ids=lambda m: m.name)
def test_every_mart_column_is_documented(mart) -> None:  # type: ignore[no-untyped-def]
    section = _section((DOCS / "warehouse.md").read_text(), mart.name)
    missing = [c for c in mart.column_names if f"| `{c}` |" not in section]
    assert not missing, f"{mart.name}: undocumented columns {missing}"


@pytest.mark.parametrize(
    "command", [c.name or c.callback.__name__ for c in app.registered_commands]
)  # type: ignore[union-attr]
def test_every_command_is_documented(command: str) -> None:
    assert f"## `socialmetrics {command}" in (DOCS / "cli.md").read_text()


@pytest.mark.parametrize(
    "command",
    [
        f"{group.name} {c.name}"
        for group in app.registered_groups
        for c in group.typer_instance.registered_commands  # type: ignore[union-attr]
    ],
)
def test_every_group_command_is_documented(command: str) -> None:
    assert f"socialmetrics {command}" in (DOCS / "cli.md").read_text()


@pytest.mark.parametrize("spec", [s.id for s in default_registry()])
def test_every_spec_is_listed(spec: str) -> None:
    assert f"| `{spec}` |" in (DOCS / "platforms.md").read_text()


def test_readme_starts_with_the_two_setup_commands() -> None:
    first_block = README.read_text().split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["make demo", "make test"]
