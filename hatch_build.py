"""Wheel build hook: compile the report's gettext catalogs (`.po`) into `.mo` files.

The `.mo` files are build output, not sources (git ignores them): a wheel gets them from
here, a checkout from `make i18n` or, failing that, from `report/catalogs.py`, which compiles
a catalog in memory the first time it is used.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE = Path("src/socialmetrics/report/locale")


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":  # an editable install reads the sources' folder
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        out = Path(tempfile.mkdtemp(prefix="socialmetrics-mo-"))
        for po in sorted((Path(self.root) / LOCALE).glob("*/LC_MESSAGES/*.po")):
            relative = po.relative_to(Path(self.root) / "src").with_suffix(".mo")
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with target.open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
            build_data["force_include"][str(target)] = relative.as_posix()
