"""Export-format drift: every change is classified, survivable changes lose nothing, and the
analyst's decisions stick."""

from __future__ import annotations

import copy
import json
import math
import random
from pathlib import Path, PurePath
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialmetrics.config import load_project
from socialmetrics.demo.generator import generate_demo
from socialmetrics.extract.readers import RawTable, read_file
from socialmetrics.extract.recognise import Context, Recognition, recognise_table
from socialmetrics.ingest import ingest
from socialmetrics.specs.registry import default_registry, normalise_header
from socialmetrics.transform.canonical import FileContext
from socialmetrics.transform.normalise import normalise_table
from socialmetrics.validate import drift
from tests.test_cli import run

# Real samples whose tables have a header row (charts and audience blocks have no columns to
# rename: their drift is a title, covered by recognition tests).
TABLE_SAMPLES = [
    "twitter/adho__daily_tweet_activity_metrics_ADHOrg_20210301_20210401_en.csv",
    "twitter/ropensci__tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv",
    "twitter/wormhole__account_analytics_content_2024-11-21_2025-02-19.csv",
    "twitter/wormhole__account_overview_analytics.csv",
    "instagram/oigetit__Mar-18-2025_Apr-14-2025_1019826952924933_IG_content.csv",
    "instagram/SGC140__Mar-26-2025_Mar-26-2026_949104527769166.csv",
    "facebook/nate-barri__Apr-02-2024_Jul-02-2024_665360019788100.csv",
    "linkedin/ethioware__Linkedin_1_year_stat_content.xls",
    "linkedin/VarunRustagi__shorthills-ai_followers_1766385928211 1.xls",
    "linkedin/VarunRustagi__shorthills-ai_visitors_1766385917155 1.xls",
    "linkedin/DERIVED_wai__women_in_ai_usa_followers.csv",
]
MUTATIONS = ["shuffle", "case", "translate", "synonym", "drop", "add", "percent"]
_cache: dict[str, list[Recognition]] = {}


def _recognitions(samples: Path, rel: str) -> list[Recognition]:
    if rel not in _cache:
        registry = default_registry()
        recs = [
            recognise_table(t, registry, Context(path=PurePath(rel)))
            for t in read_file(samples / rel).tables
        ]
        _cache[rel] = [r for r in recs if r.recognised and r.shape == "table" and r.data_rows]
    return _cache[rel]


def _table(rec: Recognition, rows: list[list[str]]) -> RawTable:
    t = rec.table
    return RawTable(t.sheet, t.index, t.title, rows, t.row_numbers)


def _permute(rows: list[list[str]], order: list[int]) -> list[list[str]]:
    return [[r[i] if i < len(r) else "" for i in order] for r in rows]


def _mutate(
    rec: Recognition, kind: str, rnd: random.Random
) -> tuple[list[list[str]], dict[str, Any]] | None:
    """Apply one layout change to the table's rows; None when it does not apply here."""
    rows = [list(r) for r in rec.table.rows[rec.header_row :]]
    header = rows[0]
    spec = rec.spec
    assert spec is not None
    mapped = [c for c in rec.mapped if c.spec_column is not None and c.spec_column.type != "ignore"]
    if kind == "shuffle":
        order = list(range(len(header)))
        while order == sorted(order) and len(order) > 1:
            rnd.shuffle(order)
        return _permute(rows, order), {}
    if kind in ("case", "translate", "synonym"):
        options = []
        for c in mapped:
            assert c.spec_column is not None
            if kind == "case":
                options.append((c, "  " + c.header.upper().replace(" ", "  ") + " "))
                continue
            langs = c.spec_column.aliases
            mine = c.language or "en"
            pool = [
                a
                for lang, names in langs.items()
                for a in names
                if (lang != mine if kind == "translate" else lang == mine)
                and normalise_header(a) != normalise_header(c.header)
            ]
            options.extend((c, a) for a in pool)
        if not options:
            return None
        c, new = rnd.choice(options)
        header[c.index] = new
        return rows, {"canonical": c.canonical, "old": c.header, "new": new}
    if kind == "drop":
        droppable = [c for c in mapped if c.spec_column is not None and not c.spec_column.required]
        if not droppable:
            return None
        c = rnd.choice(droppable)
        return [r[: c.index] + r[c.index + 1 :] for r in rows], {
            "canonical": c.canonical,
            "old": c.header,
        }
    if kind == "add":
        values = [str(rnd.randint(0, 10**6)) for _ in rows[1:]]
        return [[*r, v] for r, v in zip(rows, ["Zork index", *values], strict=True)], {
            "values": values
        }
    if kind == "percent":
        rates = [c for c in mapped if c.spec_column is not None and c.spec_column.type == "rate"]
        rates = [c for c in rates if any(_float(r[c.index]) for r in rows[1:] if c.index < len(r))]
        if not rates:
            return None
        c = rnd.choice(rates)
        for r in rows[1:]:
            v = _float(r[c.index]) if c.index < len(r) else None
            if v is not None:
                r[c.index] = f"{v * 100:.12g}%"
        return rows, {"canonical": c.canonical}
    raise AssertionError(kind)


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


@settings(
    max_examples=70, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sample=st.sampled_from(TABLE_SAMPLES),
    kind=st.sampled_from(MUTATIONS),
    seed=st.integers(0, 10**6),
    which=st.integers(0, 10),
)
def test_mutated_real_headers_are_classified_and_lose_nothing(
    samples: Path, sample: str, kind: str, seed: int, which: int
) -> None:
    recs = _recognitions(samples, sample)
    rec = recs[which % len(recs)]
    mutated = _mutate(rec, kind, random.Random(seed))
    if mutated is None:
        return
    rows, info = mutated
    context = FileContext(path=PurePath(sample))
    original = normalise_table(copy.deepcopy(rec), context)
    reference = drift.snapshot(rec)
    new = recognise_table(_table(rec, rows), default_registry(), Context(path=PurePath(sample)))
    assert new.recognised and new.spec is rec.spec, "a mutated export must still be recognised"
    new.proposals = drift.propose_and_map(new)
    changed = normalise_table(new, context)
    changes = drift.compare(new, reference, "2026-10")
    kinds = {c.change for c in changes}
    if kind == "shuffle":
        assert kinds == {"reordered"}
    elif kind in ("case", "translate", "synonym"):
        (renamed,) = [c for c in changes if c.change == "renamed"]
        assert (renamed.header_old, renamed.header_new, renamed.canonical) == (
            info["old"],
            info["new"],
            info["canonical"],
        )
        assert renamed.status == "noted"
        if kind == "case":
            assert renamed.detail == "case, spacing or punctuation only"
        elif kind == "translate":  # some names are the same in two languages ("Reposts")
            assert renamed.detail.startswith(("translation", "known synonym"))
    elif kind == "drop":
        removed = [c for c in changes if c.change == "removed"]
        assert [(c.header_old, c.canonical) for c in removed] == [(info["old"], info["canonical"])]
        assert "NULL from 2026-10" in removed[0].detail
        assert info["canonical"] not in changed.frame.columns  # NULL, never 0
    elif kind == "add":
        (added,) = [c for c in changes if c.change == "added"]
        assert (added.header_new, added.canonical, added.status) == ("Zork index", None, "pending")
        extras = [json.loads(e)["Zork index"] for e in changed.frame["extra"].to_list()]
        kept = dict(zip(original.frame["source_row"].to_list(), extras, strict=True))
        by_row = dict(zip(rec.data_row_numbers, info["values"], strict=True))
        assert all(kept[r] == by_row[r] for r in kept)  # unknown values kept, exactly
    elif kind == "percent":
        assert ("unit_changed", info["canonical"]) in {(c.change, c.canonical) for c in changes}
    # every surviving canonical metric has the same values as before the change
    assert changed.frame["source_row"].to_list() == original.frame["source_row"].to_list()
    for column in original.frame.columns:
        if column in ("extra", "source_row") or column not in changed.frame.columns:
            continue
        before, after = original.frame[column].to_list(), changed.frame[column].to_list()
        assert all(_same(a, b) for a, b in zip(before, after, strict=True)), column


def test_name_similarity_folds_case_plural_and_tense() -> None:
    spec = default_registry().by_id("instagram_posts")
    saves = spec.column("saves")
    assert saves is not None
    assert drift.name_similarity("Saved", saves) == 1.0
    assert drift.name_similarity("SAVES ", saves) == 1.0
    assert drift.name_similarity("Reach", saves) < 0.5


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "2,345", ""], "number"),
        (["3.2%", "-"], "number%"),
        (["Tue, Feb 18, 2025"], "date:%a, %b %d, %Y"),
        (["03/18/2025 09:48"], "date:%m/%d/%Y %H:%M"),
        (["hello", "1"], "text"),
        (["", "-"], "empty"),
    ],
)
def test_value_signatures(values: list[str], expected: str) -> None:
    assert drift.signature(values) == expected


# --------------------------------------------------------------------------------------------
# the analyst's workflow, through the CLI


def _instagram_month(folder: Path, files: Path, month: int, saves_header: str = "Saves") -> None:
    """Two monthly Instagram content exports of a fictional shop (the second renames Saves)."""
    src = (files / "instagram/Dec-01-2024_Dec-31-2024_17800000000000001.csv").read_text(
        encoding="utf-8-sig"
    )
    header, *body = (line.rsplit(",", 1)[0] for line in src.splitlines())  # no "Brand new metric"
    header = header.replace(",Saves,", f",{saves_header},")
    rows = [
        line.replace("12/0", f"{month:02d}/0")
        .replace("/2024", "/2026")
        .replace("1790000000000000", f"17{month:02d}00000000000")
        for line in body
    ]
    target = folder / f"2026-{month:02d}" / f"{month:02d}-01-2026_{month:02d}-28-2026_1780.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")


@pytest.fixture
def shop(make_project, files: Path) -> Path:  # type: ignore[no-untyped-def]
    root = make_project({})
    folder = root / "clients" / "shop"
    folder.mkdir()
    _instagram_month(folder, files, 3)
    _instagram_month(folder, files, 4, saves_header="Saved")
    return root


def test_rename_is_auto_mapped_then_accepted(shop: Path) -> None:
    result = run("ingest", "--project", str(shop), "--silent")
    assert result.exit_code == 0
    assert "layout renamed 'Saves' -> 'Saved': auto-mapped by name and values" in result.output
    con = duckdb.connect(str(shop.parent / "warehouse.duckdb"), read_only=True)
    saves = con.execute("SELECT post_id, saves FROM posts ORDER BY post_id").fetchall()
    con.close()
    assert [s for _, s in saves] == [3, 8, 3, 8]  # loaded under saves in both months
    changes = json.loads(run("drift", "--project", str(shop), "--pending", "--json").output)
    assert [
        (c["month"], c["change"], c["header_old"], c["header_new"], c["canonical"]) for c in changes
    ] == [("2026-04", "renamed", "Saves", "Saved", "saves")]
    assert changes[0]["confidence"] >= 0.7
    accepted = run("mapping", "accept", "Saved", "--project", str(shop))
    assert accepted.exit_code == 0
    assert "accepted: instagram_posts: 'Saved' -> saves" in accepted.output
    assert 'header = "Saved"' in (shop / "aliases.toml").read_text()
    assert json.loads(run("drift", "--project", str(shop), "--pending", "--json").output) == []
    listed = run("mapping", "list", "--project", str(shop), "--json")
    assert json.loads(listed.output)[0]["status"] == "accepted"


def test_rejected_mapping_moves_values_to_extra(shop: Path) -> None:
    run("ingest", "--project", str(shop), "--silent")
    rejected = run("mapping", "reject", "Saved", "saves", "--project", str(shop))
    assert "1 file(s) will be read again by the next `socialmetrics ingest`" in rejected.output
    again = run("ingest", "--project", str(shop), "--silent")
    assert again.exit_code == 0 and "1 file(s) loaded, 1 unchanged" in again.output
    con = duckdb.connect(str(shop.parent / "warehouse.duckdb"), read_only=True)
    april = con.execute(
        "SELECT saves, extra FROM posts WHERE published_date >= DATE '2026-04-01' ORDER BY post_id"
    ).fetchall()
    con.close()
    assert [s for s, _ in april] == [None, None]  # never 0
    assert [json.loads(e)["Saved"] for _, e in april] == ["3", "8"]


def test_strict_refuses_unconfirmed_changes_before_loading(shop: Path) -> None:
    result = run("ingest", "--project", str(shop), "--silent", "--strict")
    assert result.exit_code == 1
    assert (
        "strict: unconfirmed layout change" in result.output
        and "'Saves' -> 'Saved'" in result.output
    )
    assert "Nothing was loaded (--strict)" in result.output
    con = duckdb.connect(str(shop.parent / "warehouse.duckdb"), read_only=True)
    assert con.execute("SELECT COUNT(*) FROM post_snapshots").fetchone() == (0,)
    con.close()


def test_mapping_errors_say_what_to_do(shop: Path) -> None:
    run("ingest", "--project", str(shop), "--silent")
    unknown = run("mapping", "accept", "Nope", "--project", str(shop))
    assert unknown.exit_code == 2
    assert (
        "header 'Nope' was seen in any recorded change; name the spec with --spec" in unknown.output
    )
    bad = run("mapping", "accept", "Saved", "Saves Count", "--project", str(shop))
    assert bad.exit_code == 2 and "must be snake_case" in bad.output
    clash = run(
        "mapping", "accept", "Likes", "saves", "--spec", "instagram_posts", "--project", str(shop)
    )
    assert clash.exit_code == 2
    assert "header 'Likes' is an alias of both 'likes' and 'saves'" in clash.output
    assert not (shop / "aliases.toml").exists()  # nothing written on a refused call


# --------------------------------------------------------------------------------------------
# a year of demo data whose platforms change layouts partway, against the unchanged truth


@pytest.fixture(scope="module")
def demo_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = []
    for drifting in (True, False):
        root = tmp_path_factory.mktemp("drift" if drifting else "truth")
        generate_demo(root, clients=2, months=13, seed=5, end_month="2026-10", drift=drifting)
        summary = ingest(load_project(root))
        assert summary.exit_code == 0
        out.append(root)
    return out[0], out[1]


def test_drift_report_names_each_change_in_its_month(demo_pair: tuple[Path, Path]) -> None:
    drifted, truth = demo_pair
    report = json.loads(
        run("drift", "--project", str(drifted), "--client", "cafe-aurora", "--json").output
    )
    seen = {
        (r["month"], r["spec"], r["change"], r["header_old"], r["header_new"], r["status"])
        for r in report
    }
    assert ("2026-04", "twitter_posts", "renamed", "Link", "Post Link", "noted") in seen
    assert ("2026-04", "twitter_posts", "format_changed", "Date", "Date", "noted") in seen
    assert ("2026-06", "linkedin_content_posts", "renamed", "Reposts", "Shares", "noted") in seen
    assert ("2026-07", "instagram_posts", "renamed", "Saves", "Saved", "pending") in seen
    assert (
        "2026-08",
        "linkedin_content_metrics",
        "unit_changed",
        "Engagement rate (total)",
        "Engagement rate (total)",
        "noted",
    ) in seen
    assert (
        "2026-08",
        "twitter_account_overview",
        "removed",
        "Video views",
        None,
        "pending",
    ) in seen
    assert ("2026-09", "instagram_posts", "reordered", None, None, "noted") in seen
    assert {r["month"] for r in report} == {"2026-04", "2026-06", "2026-07", "2026-08", "2026-09"}
    assert json.loads(run("drift", "--project", str(truth), "--json").output) == []


def test_loaded_numbers_match_the_unchanged_truth(demo_pair: tuple[Path, Path]) -> None:
    drifted, truth = demo_pair
    queries = {
        "account_daily": "SELECT * EXCLUDE (source_files) FROM account_daily "
        "ORDER BY client_id, platform, date",
        "posts": "SELECT * EXCLUDE (source_file_id, load_id, exported_through) FROM posts "
        "ORDER BY client_id, platform, post_id",
    }
    for name, sql in queries.items():
        with (
            duckdb.connect(str(drifted / "warehouse.duckdb"), read_only=True) as a,
            duckdb.connect(str(truth / "warehouse.duckdb"), read_only=True) as b,
        ):
            left, right = a.execute(sql).fetchall(), b.execute(sql).fetchall()
            columns = [d[0] for d in a.description]
        assert len(left) == len(right)
        for x, y in zip(left, right, strict=True):
            row_x, row_y = dict(zip(columns, x, strict=True)), dict(zip(columns, y, strict=True))
            day = str(row_x.get("date"))
            x_daily = name == "account_daily" and row_x["platform"] == "twitter"
            removed = x_daily and day >= "2026-08-01"
            # Jul 29-31 are also in August's export (which lost the column): their video views
            # now come from July's export, the newest one that still has them.
            overlap = x_daily and "2026-07-29" <= day <= "2026-07-31"
            for column in columns:
                if removed and column == "video_views":
                    assert row_x[column] is None  # removed from the export: NULL, never 0
                elif overlap and column == "video_views":
                    assert row_x[column] is not None
                elif column == "extra":
                    continue
                else:
                    assert _same(row_x[column], row_y[column]), (name, column, row_x, row_y)


def test_check_applies_the_projects_decisions(shop: Path) -> None:
    may = shop / "clients/shop/2026-04"
    before = json.loads(run("check", "--json", str(may)).output)[0]["tables"][0]
    assert before["columns_mapped"]["Saved"] == "saves"  # auto-mapped by name
    assert [c["status"] for c in before["changes"] if c["header_new"] == "Saved"] == ["pending"]
    run("ingest", "--project", str(shop), "--silent")
    run("mapping", "reject", "Saved", "saves", "--project", str(shop))
    after = json.loads(run("check", "--json", "--project", str(shop), str(may)).output)[0][
        "tables"
    ][0]
    assert "Saved" in after["columns_unknown"]  # refused: never proposed again


def test_values_confirm_or_refute_a_rename() -> None:
    days = list(range(10))
    history = {d: 100.0 + 10 * d for d in days}
    same = [100.0 + 10 * d + (1 if d % 2 else -1) for d in days]
    score, why = drift.value_evidence(same, days, history)
    assert score > 0.99 and why.startswith("correlation 1.00 over 10 overlapping rows")
    unrelated = [float((7 * d) % 5) for d in days]
    assert drift.value_evidence(unrelated, days, history)[0] < 0.3
    far = [1e6] * 10
    assert drift.value_evidence(far, [f"p{d}" for d in days], history)[0] == 0.1


def test_numbers_turning_into_text_is_a_type_change(files: Path) -> None:
    raw = read_file(files / "twitter/account_overview_analytics.csv")
    rec = recognise_table(raw.tables[0], default_registry(), Context())
    reference = drift.snapshot(rec)
    rows = [list(r) for r in rec.table.rows]
    for r in rows[1:]:
        r[1] = "n/d"
    changed = recognise_table(_table(rec, rows), default_registry(), Context())
    changes = drift.compare(changed, reference, "2025-02")
    assert [(c.change, c.canonical, c.status) for c in changes] == [
        ("type_changed", "impressions", "pending")
    ]
