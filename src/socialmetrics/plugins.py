"""Plugins: objects that installed packages declare under an entry point group.

The three registries (platforms, warehouses, report formats) load their entry points here, so a
malformed plugin is refused the same way everywhere, naming the entry point.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import TypeVar

from socialmetrics.errors import PluginError

T = TypeVar("T")


def load(group: str, kind: type[T]) -> list[T]:
    """Every object declared in an entry point group, each checked to be a `kind` (a module
    for platforms: `types.ModuleType`)."""
    found: list[T] = []
    for entry in entry_points(group=group):
        obj = entry.load()
        if not isinstance(obj, kind):
            raise PluginError(
                f"entry point {entry.name!r} ({entry.value}) is not a {kind.__name__}"
            )
        found.append(obj)
    return found
