"""The boundaries the code keeps (docs/architecture.md): only `warehouse/` writes SQL with
backend placeholders, and only `platforms/` names platforms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "socialmetrics"
MODULES = sorted(p for p in SRC.rglob("*.py") if "_template" not in p.parts)


def _relative(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def test_only_the_warehouse_writes_placeholder_sql() -> None:
    offenders = [
        _relative(p)
        for p in MODULES
        if not _relative(p).startswith("warehouse/")
        and re.search(r"\$[1-9]", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_only_platform_folders_name_platforms() -> None:
    from socialmetrics.platforms import registry

    ids = "|".join(registry.platform_ids())
    literal = re.compile(rf"""["']({ids})["']""")
    allowed = {"demo/generator.py"}  # the demo agency's platform mix per client: agency data
    offenders = {
        _relative(p)
        for p in MODULES
        if not _relative(p).startswith("platforms/")
        and _relative(p) not in allowed
        and any(
            literal.search(line)
            for line in p.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith("#")  # examples in commented templates are fine
        )
    }
    assert offenders == set()


@pytest.mark.parametrize("path", MODULES, ids=_relative)
def test_every_module_says_what_it_is_for(path: Path) -> None:
    text = path.read_text(encoding="utf-8").lstrip()
    assert text.startswith('"""'), f"{_relative(path)} has no module docstring"
