"""Start a new platform from `_template/`: the folder, its first spec, demo writer and README.

`socialmetrics dev new-platform NAME` (or `make new-platform NAME=...`) calls `new_platform`;
the walkthrough in docs/platforms.md and `tests/test_platforms.py` exercise it end to end on a
toy platform, so the template always yields a platform that passes the per-platform test.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

from socialmetrics.errors import UsageError
from socialmetrics.platforms import registry

TEMPLATE = Path(__file__).resolve().parent / "_template"
NAME = re.compile(r"[a-z][a-z0-9_]{1,30}")


def new_platform(
    name: str,
    *,
    into: Path | None = None,
    title: str | None = None,
    samples_dir: Path | None = None,
    today: dt.date | None = None,
) -> list[Path]:
    """Copy the template into `<into>/<name>/` (the bundled platforms folder by default).

    With `samples_dir` (the repository's `tests/files`), one month of the demo writer's output
    is written to `<samples_dir>/<name>/` as the platform's first test file. Returns the files
    created. Refuses a name that is taken or not a plain lower-case identifier.
    """
    if not NAME.fullmatch(name):
        raise UsageError(
            f"platform name {name!r} must be lower case letters, digits and _ (e.g. 'tiktok')"
        )
    taken = {*registry.platform_ids(), *(f.id for f in registry.families())}
    folder = (into or registry.BUILTIN) / name
    if name in taken or folder.exists():
        raise UsageError(f"platform {name!r} exists already ({folder}); choose another name")
    today = today or dt.date.today()
    values = {
        "name": name,
        "Title": title or name.replace("_", " ").title(),
        "order": str(max((p.report_order for p in registry.platforms()), default=0) + 10),
        "today": today.isoformat(),
        "year": str(today.year),
    }
    created: list[Path] = []
    for source in sorted(TEMPLATE.rglob("*.tmpl")):
        relative = source.relative_to(TEMPLATE).with_suffix("")
        if relative.name == "posts.toml":
            relative = relative.with_name(f"{name}_posts.toml")
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        text = string.Template(source.read_text(encoding="utf-8")).substitute(values)
        target.write_text(text, encoding="utf-8")
        created.append(target)
    if samples_dir is not None:
        created.extend(write_sample(folder, samples_dir / name))
    return created


def write_sample(folder: Path, out: Path) -> list[Path]:
    """One month of the platform's demo files, as its first test samples."""
    from socialmetrics.demo.generator import demo_month

    if folder.parent.resolve() == registry.BUILTIN:
        registry.refresh()  # a bundled folder is found by discovery
    else:
        registry.register_folder(folder)
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.iterdir())
    demo_month(folder.name, out)
    return sorted(set(out.iterdir()) - before)
