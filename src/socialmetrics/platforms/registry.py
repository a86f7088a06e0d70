"""The platforms socialmetrics knows: found as folders, never listed by hand.

Each sub-folder of `socialmetrics/platforms/` whose name does not start with `_` is a platform
(its `__init__.py` exports `PLATFORM`) or a family of shared layouts (`FAMILY`). A plugin
package adds one through the `socialmetrics.platforms` entry point group (the entry point names
the module), and a folder anywhere on disk can be added with `register_folder` (what the
new-platform walkthrough test does).
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

from socialmetrics import plugins
from socialmetrics.errors import SpecError
from socialmetrics.platforms.base import Family, Platform, RateDenominator

BUILTIN = Path(__file__).resolve().parent
ENTRY_POINT_GROUP = "socialmetrics.platforms"


@dataclass
class _Found:
    platforms: dict[str, Platform] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)


_extra_folders: list[Path] = []


def _add(found: _Found, module: ModuleType, folder: Path) -> None:
    platform = getattr(module, "PLATFORM", None)
    family = getattr(module, "FAMILY", None)
    if isinstance(platform, Platform):
        if platform.id != folder.name:
            raise SpecError(
                f"{folder}: PLATFORM.id {platform.id!r} must equal the folder name {folder.name!r}"
            )
        if platform.id in found.platforms or platform.id in found.families:
            raise SpecError(f"{folder}: platform {platform.id!r} is declared twice")
        if "en" not in platform.names:
            raise SpecError(f"{folder}: PLATFORM.names needs an English ('en') name")
        if platform.rate_denominator not in RateDenominator.__args__:  # type: ignore[attr-defined]
            raise SpecError(
                f"{folder}: rate_denominator {platform.rate_denominator!r} must be one of "
                f"{', '.join(RateDenominator.__args__)}"  # type: ignore[attr-defined]
            )
        found.platforms[platform.id] = dataclasses.replace(platform, folder=folder)
    elif isinstance(family, Family):
        found.families[family.id] = dataclasses.replace(family, folder=folder)
    else:
        raise SpecError(f"{folder}: __init__.py exports neither PLATFORM nor FAMILY")


def _import_folder(folder: Path) -> ModuleType:
    """Import a platform folder outside the package as a package of its own."""
    name = f"socialmetrics_platform_{folder.name}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise SpecError(f"{folder}: not a platform folder (no __init__.py)")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@cache
def _discover() -> _Found:
    found = _Found()
    for child in sorted(BUILTIN.iterdir()):
        if child.name.startswith(("_", ".")) or not (child / "__init__.py").is_file():
            continue
        _add(found, importlib.import_module(f"socialmetrics.platforms.{child.name}"), child)
    for module in plugins.load(ENTRY_POINT_GROUP, ModuleType):
        folder = Path(module.__file__ or ".").parent
        _add(found, module, folder)
    for folder in _extra_folders:
        _add(found, _import_folder(folder), folder)
    for family in found.families.values():
        unknown = [m for m in family.members if m not in found.platforms]
        if unknown or family.default not in family.members:
            raise SpecError(f"family {family.id!r}: unknown member(s) {unknown or family.default}")
    return found


def register_folder(folder: Path) -> Platform | Family:
    """Add a platform folder from outside the package (a contributor's work in progress)."""
    folder = folder.resolve()
    if folder not in _extra_folders:
        _extra_folders.append(folder)
    refresh()
    found = _discover()
    return found.platforms.get(folder.name) or found.families[folder.name]


def unregister_folder(folder: Path) -> None:
    folder = folder.resolve()
    if folder in _extra_folders:
        _extra_folders.remove(folder)
    refresh()


def extra_folders() -> tuple[Path, ...]:
    """The folders added with `register_folder`: what a worker process must add too."""
    return tuple(_extra_folders)


def use_extra_folders(folders: tuple[Path, ...]) -> None:
    """In a worker: know the same added platform folders as the process that sent the task."""
    if tuple(_extra_folders) != folders:
        _extra_folders[:] = folders
        refresh()


def refresh() -> None:
    """Forget what was discovered (and the spec registry built from it)."""
    _discover.cache_clear()
    from socialmetrics.specs.registry import default_registry

    default_registry.cache_clear()


def platforms() -> tuple[Platform, ...]:
    """Every platform, in report order."""
    return tuple(sorted(_discover().platforms.values(), key=lambda p: (p.report_order, p.id)))


def platform_ids() -> tuple[str, ...]:
    return tuple(p.id for p in platforms())


def get(platform_id: str) -> Platform:
    """The platform with this id; a clear error naming the known ones otherwise."""
    try:
        return _discover().platforms[platform_id]
    except KeyError:
        known = ", ".join(platform_ids())
        raise SpecError(f"unknown platform {platform_id!r}; known: {known}") from None


def families() -> tuple[Family, ...]:
    return tuple(_discover().families.values())


def family(family_id: str) -> Family | None:
    return _discover().families.get(family_id)


def spec_files() -> list[Path]:
    """Every spec TOML of every platform and family folder."""
    found = _discover()
    folders = [p.folder for p in found.platforms.values()]
    folders += [f.folder for f in found.families.values()]
    return sorted(
        (path for folder in folders if folder for path in (folder / "specs").glob("*.toml")),
        key=lambda p: p.name,
    )


def display_name(platform_id: str, language: str) -> str:
    """`X (Twitter)` for `twitter`; an unknown id is shown title-cased."""
    found = _discover().platforms.get(platform_id)
    return found.name(language) if found else platform_id.title()


def color(platform_id: str) -> str:
    """The platform's colour in cross-platform charts; grey for one no longer registered."""
    found = _discover().platforms.get(platform_id)
    return found.color if found else "#6e7781"
