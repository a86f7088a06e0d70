"""One test over every platform spec: a broken or incomplete spec fails CI."""

from __future__ import annotations

import pickle
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from socialmetrics.errors import SpecError
from socialmetrics.extract.recognise import map_header
from socialmetrics.model import METRIC_BY_NAME
from socialmetrics.specs.registry import Spec, default_registry, load_registry

SPECS = list(default_registry())


def test_registry_is_built_from_the_platform_folders() -> None:
    from socialmetrics.platforms import registry

    folders = [p.folder for p in registry.platforms()] + [f.folder for f in registry.families()]
    on_disk = {p.stem for folder in folders if folder for p in (folder / "specs").glob("*.toml")}
    assert {s.id for s in SPECS} == on_disk
    assert all(s.path and s.path.parent.parent.name in (s.platform, "meta") for s in SPECS)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_spec_is_complete(spec) -> None:  # type: ignore[no-untyped-def]
    assert spec.title and spec.layouts, "every spec lists at least one real layout"
    if spec.style == "table":
        required = {c.canonical for c in spec.columns if c.required}
        assert required, "a table spec needs required columns to be told apart"
        for layout in spec.layouts:
            matches = map_header(spec, list(layout.headers))  # as recognition maps them
            unmapped = [  # a blank header cell separates two tables side by side
                m.header for m in matches if m.canonical is None and not m.duplicate and m.header
            ]
            assert not unmapped, (
                f"layout {layout.version} has headers the spec does not map: {unmapped}"
            )
            mapped = {m.canonical for m in matches if m.canonical}
            assert required <= mapped, f"layout {layout.version} lacks required {required - mapped}"
    if spec.style == "chart":
        assert spec.series and spec.value_headers
    if spec.style in ("blocks", "breakdown"):
        assert spec.dimensions


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_model_metrics_keep_their_type(spec) -> None:  # type: ignore[no-untyped-def]
    for col in spec.columns:
        metric = METRIC_BY_NAME.get(col.canonical)
        if metric is not None and metric.type in ("count", "rate"):
            assert col.type == metric.type, f"{col.canonical} is a {metric.type} in the model"


def test_a_typo_in_a_spec_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text(
        'platform = "twitter"\nkind = "posts"\nstyle = "table"\ntitle = "x"\nlayuots = []\n'
    )
    with pytest.raises(SpecError, match="unknown keys \\['layuots'\\]"):
        load_registry(tmp_path)


def test_an_alias_claimed_twice_fails(tmp_path: Path) -> None:
    (tmp_path / "twice.toml").write_text(
        'platform = "twitter"\nkind = "posts"\nstyle = "table"\ntitle = "x"\n'
        '[columns.likes]\nen = ["Likes"]\n[columns.shares]\nen = ["likes"]\n'
    )
    with pytest.raises(SpecError, match="header 'likes' is an alias of both 'likes' and 'shares'"):
        load_registry(tmp_path)


def test_a_spec_arrives_in_another_process_once_per_content() -> None:
    """Rules travel with every chunk of files and specs with every result: each arrival in a
    process must be that process's one copy (its caches built once), not a new object."""
    registry = default_registry()
    spec = registry.specs[0]
    back, again = pickle.loads(pickle.dumps(spec)), pickle.loads(pickle.dumps(spec))
    assert back is again  # one object per content in a process
    assert [getattr(back, f.name) for f in fields(Spec)] == [
        getattr(spec, f.name) for f in fields(Spec)
    ]
    blob = pickle.dumps(registry)
    receiver = (
        "import pickle, sys\n"
        "blob = sys.stdin.buffer.read()\n"
        "first, second = pickle.loads(blob), pickle.loads(blob)\n"
        "same = all(a is b for a, b in zip(first.specs, second.specs, strict=True))\n"
        "first.specs[0].alias_index\n"
        "print(same, len(first.specs), first.specs[0].id, len(first.specs[0].alias_index))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", receiver], input=blob, capture_output=True, check=True
    ).stdout.decode()
    assert out.split() == ["True", str(len(registry.specs)), spec.id, str(len(spec.alias_index))]
