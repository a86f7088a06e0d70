"""The parts of the docs generated from declarations: settings tables and the spec table.

Each is a block between `<!-- generated: NAME -->` and `<!-- end: NAME -->` in a Markdown file;
`make docs` (`python -m socialmetrics.docgen docs/*.md`) rewrites them, and a test fails when a
committed file is out of date.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from socialmetrics.settings import client_settings_markdown, settings_markdown


def specs_markdown() -> str:
    """Every registered spec: its platform (or family), kind, style, title and layouts."""
    from socialmetrics.specs.registry import default_registry

    rows = [
        "| spec | platform | kind | style | export | layout versions |",
        "|---|---|---|---|---|---|",
    ]
    for spec in default_registry():
        layouts = ", ".join(f"`{layout.version}`" for layout in spec.layouts)
        rows.append(
            f"| `{spec.id}` | {spec.platform} | {spec.kind} | {spec.style} | {spec.title} "
            f"| {layouts} |"
        )
    return "\n".join(rows)


def marts_markdown() -> str:
    """Every mart view: what it is, its unique key and every column."""
    from socialmetrics.warehouse.marts import MARTS

    parts = []
    for mart in MARTS:
        rows = [
            f"### `{mart.name}`",
            "",
            f"{mart.description} Unique key: `{', '.join(mart.unique)}`.",
            "",
            "| column | type | meaning |",
            "|---|---|---|",
        ]
        for c in mart.columns:
            kind = (c.sql_type or "as in `posts`") + (
                " NOT NULL" if c.name in mart.not_null else ""
            )
            rows.append(f"| `{c.name}` | {kind} | {c.description} |")
        parts.append("\n".join(rows))
    return "\n\n".join(parts)


def table_markdown(name: str) -> Callable[[], str]:
    """A warehouse table's columns, as `model.tables` declares them."""

    def make() -> str:
        from socialmetrics.model.tables import TABLES

        rows = ["| column | type | meaning |", "|---|---|---|"]
        for c in TABLES[name]:
            kind = c.sql_type + ("" if c.nullable else " NOT NULL")
            rows.append(f"| `{c.name}` | {kind} | {c.description} |")
        return "\n".join(rows)

    return make


def daily_metrics_markdown() -> str:
    """The metric columns of the `account_daily` view: every metric of the daily grain."""
    from socialmetrics.model.tables import metric_columns

    return "\n".join(
        f"| `{c.name}` | {c.sql_type} | {c.description} |" for c in metric_columns("account_daily")
    )


def _generated() -> dict[str, Callable[[], str]]:
    from socialmetrics.model.tables import TABLES

    return {
        "settings": settings_markdown,
        "client-settings": client_settings_markdown,
        "specs": specs_markdown,
        "marts": marts_markdown,
        "daily-metrics": daily_metrics_markdown,
        **{f"table:{name}": table_markdown(name) for name in TABLES},
    }


def rewrite(path: Path) -> bool:
    """Replace every generated block the file holds; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    new = text
    for name, make in _generated().items():
        start, end = f"<!-- generated: {name} -->", f"<!-- end: {name} -->"
        if start not in new:
            continue
        head, _, rest = new.partition(start)
        _, _, tail = rest.partition(end)
        new = f"{head}{start}\n{make()}\n{end}{tail}"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # pragma: no cover
    for arg in sys.argv[1:]:
        print(f"{arg}: {'rewritten' if rewrite(Path(arg)) else 'up to date'}")
