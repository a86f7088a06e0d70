"""The all-channels overview, goals from client.toml and the analyst's notes in the report."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import altair as alt
import pytest

from socialmetrics.config import load_client, load_project
from socialmetrics.errors import ConfigError
from socialmetrics.goals import Goal, quarter_of
from socialmetrics.notes import add_note, read_notes
from socialmetrics.ops.report import write_reports
from socialmetrics.report.data import build_report
from socialmetrics.warehouse.base import connect
from tests.test_cli import run

MONTH = "2026-10"


@pytest.fixture(scope="module")
def agency(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from socialmetrics.demo.generator import generate_demo
    from socialmetrics.ingest import ingest

    root = tmp_path_factory.mktemp("goals-demo")
    generate_demo(root, clients=2, months=5, seed=11, end_month=MONTH)
    ingest(load_project(root))
    return root


def _data(root: Path, month: str = MONTH):  # type: ignore[no-untyped-def]
    proj = load_project(root)
    with connect(proj.warehouse_url, proj.root) as wh:
        return build_report(wh, load_client(proj.clients_dir / "cafe-aurora", proj), month)


def _mart(root: Path, sql: str) -> list[tuple[object, ...]]:
    proj = load_project(root)
    with connect(proj.warehouse_url, proj.root) as wh:
        return wh.query(sql, ["cafe-aurora", dt.date(2026, 10, 1)])


def test_all_channel_totals_add_the_platforms_and_never_reach(agency: Path) -> None:
    data = _data(agency)
    totals = {t.kpi: t for t in data.overview.totals}
    assert not any(k.startswith("reach") for k in totals)
    for kpi in ("impressions", "engagements", "posts_published", "followers_net"):
        ((expected, platforms),) = _mart(
            agency,
            f"SELECT SUM({kpi}), COUNT({kpi}) FROM monthly_kpis WHERE client_id = $1 "
            "AND month = $2",
        )
        assert totals[kpi].value == pytest.approx(float(expected))  # type: ignore[arg-type]
        assert totals[kpi].platforms == platforms
    ((engagements, impressions),) = _mart(
        agency,
        "SELECT SUM(engagements), SUM(impressions) FROM monthly_kpis WHERE client_id = $1 "
        "AND month = $2 AND engagements IS NOT NULL AND impressions IS NOT NULL",
    )
    rate = float(engagements) / float(impressions)  # type: ignore[arg-type]
    assert totals["engagement_rate"].value == pytest.approx(rate)
    shares = data.overview.shares["impressions"]
    assert sum(shares.values()) == pytest.approx(1.0) and len(shares) == 3
    best = data.overview.best_posts
    every = sorted(
        (p["engagements"] for s in data.sections for p in s.top_posts if p["engagements"]),
        reverse=True,
    )
    assert [p["engagements"] for p in best] == every[:5]
    assert len({p["platform"] for p in data.overview.best_posts}) >= 1


def test_goals_progress_and_insights(agency: Path) -> None:
    data = _data(agency)
    goals = {g.goal.kpi: g for g in data.overview.goals}
    totals = {t.kpi: t.value for t in data.overview.totals}
    posts = goals["posts_published"]  # demo: 40 posts a month
    assert posts.value == totals["posts_published"]
    assert posts.met == (totals["posts_published"] >= 40)  # type: ignore[operator]
    assert posts.progress == pytest.approx(totals["posts_published"] / 40)  # type: ignore[operator]
    rate = goals["engagement_rate"]
    assert rate.rate and rate.goal.target == pytest.approx(0.04)
    quarter = goals["followers_net"]  # Q4 to date: October alone
    assert quarter.goal.period == quarter_of(MONTH) == "2026-Q4"
    assert quarter.value == totals["followers_net"]
    kinds = [i.kind for i in data.insights[: len(goals)]]
    assert set(kinds) <= {"goal_met", "goal_missed"} and len(kinds) == 3  # goals come first
    september = _data(agency, "2026-09")  # Q3: the quarter goal is not shown
    assert {g.goal.kpi for g in september.overview.goals} == {"posts_published", "engagement_rate"}


def test_quarter_goals_add_the_quarters_months() -> None:
    goal = Goal("impressions", 1000, "2026-Q4")
    assert goal.months_counted("2026-12") == ["2026-10", "2026-11", "2026-12"]
    assert Goal("followers_end", 10, "2026-Q4").months_counted("2026-12") == ["2026-12"]
    assert goal.applies_to("2026-11") and not goal.applies_to("2027-01")
    assert Goal("posts_published", 3, "2026-11").applies_to("2026-11")


def test_goal_mistakes_are_said_with_the_goal(make_project, files: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"acme": {"Reach.csv": files / "instagram/Reach.csv"}})
    settings = root / "clients/acme/client.toml"
    settings.write_text(
        'goals = [{ kpi = "reach_daily_sum", target = 5 }, '
        '{ kpi = "engagement_rate", target = 4, platform = "instagram" }, '
        '{ kpi = "likes", target = 1, period = "Q4" }]\n'
    )
    with pytest.raises(ConfigError) as exc:
        load_client(root / "clients/acme", load_project(root))
    message = str(exc.value)
    assert "goal 1: reach_daily_sum cannot be added up across platforms" in message
    assert 'goal 2: target 4 of a rate looks like a percentage: write 0.04 or "4%"' in message
    assert "goal 3: kpi 'likes' is not a report KPI" in message
    assert "goal 3: period 'Q4' must be monthly, YYYY-MM or YYYY-Qn" in message


def test_notes_are_shown_on_the_charts_and_escaped(agency: Path, tmp_path: Path) -> None:
    folder = agency / "clients/cafe-aurora"
    notes = read_notes(folder)
    assert [n.day for n in notes] == [dt.date(2026, 10, 5), dt.date(2026, 10, 18)]
    add_note(folder, dt.date(2026, 10, 22), "Launch <script>alert(1)</script> & co", "linkedin")
    try:
        (path,) = write_reports(
            load_project(agency),
            month=MONTH,
            client="cafe-aurora",
            language="en",
            formats=("html",),
        )
        page = path.read_text()
    finally:
        text = (folder / "notes.toml").read_text()
        (folder / "notes.toml").write_text(text[: text.rindex("\n[[note]]")] + "\n")
    assert "<script>alert(1)</script>" not in page
    assert "Launch &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    listed = re.search(r'<ol class="notes" id="notes">(.*?)</ol>', page, re.S)
    assert listed is not None and listed.group(1).count("<li") == 3
    linkedin = page[page.index('id="platform-linkedin"') : page.index('id="platform-twitter"')]
    instagram = page[page.index('id="platform-instagram"') : page.index('id="platform-linkedin"')]
    rules = r'role-mark[^"]*"[^>]*>(?:(?!</g>).)*?<line'
    assert re.search(rules, linkedin, re.S) and re.search(rules, instagram, re.S)
    # note 1 is Instagram's, note 3 LinkedIn's; note 2 (every platform) is on both
    assert "1. " in instagram and "3. " not in instagram and "3. " in linkedin


def test_note_command_adds_and_lists(agency: Path) -> None:
    folder = agency / "clients/cafe-aurora"
    before = (folder / "notes.toml").read_text()
    try:
        added = run(
            "note", "add", "cafe-aurora", "2026-10-30", 'Budget "x2"', "--project", str(agency)
        )
        assert added.exit_code == 0, added.output
        listed = run("note", "list", "cafe-aurora", "--month", MONTH, "--project", str(agency))
        assert '2026-10-30 Budget "x2"' in listed.output
        assert "[instagram] " in listed.output
        bad = run("note", "add", "cafe-aurora", "30/10/2026", "x", "--project", str(agency))
        assert bad.exit_code == 2 and "date '30/10/2026' must be YYYY-MM-DD" in bad.output
        nobody = run("note", "add", "nobody", "2026-10-30", "x", "--project", str(agency))
        assert nobody.exit_code == 2 and "no client folder 'nobody'" in nobody.output
    finally:
        (folder / "notes.toml").write_text(before)


def test_note_mistakes_name_the_note(tmp_path: Path) -> None:
    (tmp_path / "notes.toml").write_text(
        '[[note]]\ndate = 2026-10-01\ntext = "ok"\n'
        '[[note]]\ndate = 2026-10-02\ntext = "x"\nplatform = "instagarm"\n'
        '[[note]]\ndate = 2026-10-03\ntext = ""\n'
    )
    with pytest.raises(ConfigError) as exc:
        read_notes(tmp_path)
    message = str(exc.value)
    assert "note 2 (2026-10-02): platform 'instagarm' is not one of" in message
    assert "note 3 (2026-10-03): text is missing" in message
    (tmp_path / "notes.toml").write_text("[[note]\n")
    with pytest.raises(ConfigError, match=r"notes\.toml: not valid TOML"):
        read_notes(tmp_path)


def test_a_broken_notes_file_stops_only_that_clients_report(agency: Path) -> None:
    folder = agency / "clients/cafe-aurora"
    before = (folder / "notes.toml").read_text()
    (folder / "notes.toml").write_text('[[note]]\ndate = "soon"\ntext = "x"\n')
    try:
        with pytest.raises(ConfigError) as exc:
            write_reports(load_project(agency), month=MONTH, formats=("html",))
        assert str(exc.value).startswith("1 report file(s) written; no report for 1 client(s)")
        assert "cafe-aurora/notes.toml: note 1: date 'soon' must be YYYY-MM-DD" in str(exc.value)
        other = agency / "reports/nordic-outfitters" / MONTH / f"nordic-outfitters-{MONTH}.html"
        assert other.is_file()
    finally:
        (folder / "notes.toml").write_text(before)


def test_every_kind_of_chart_is_a_valid_vega_lite_spec() -> None:
    """Specs are drawn with validate=False (speed); here each kind is checked against the
    Vega-Lite schema once."""
    from socialmetrics.report import charts

    day = dt.date(2026, 10, 1)
    days = [(day + dt.timedelta(days=i), float(i)) for i in range(5)]
    specs = [
        charts.daily(
            days,
            days,
            title="t",
            color="#123456",
            current_label="a",
            previous_label="b",
            markers=[charts.Marker(day, "x", "note"), charts.Marker(day, "y", "best_post")],
        ),
        charts.trend(days, title="t", color="#123456"),
        charts.bars([("a", 1.0)], title="t", color="#123456"),
        charts.share(
            [("m", "p", 0.5), ("m", "q", 0.5)], {"p": "#000000", "q": "#ffffff"}, title="t"
        ),
        charts.heatmap([("Mon", 1, 9, 2.0)], ["Mon"], title="t", color="#123456", legend_title="l"),
        charts.sparkline([1.0, None, 2.0], "#123456"),
    ]
    for spec in specs:
        assert isinstance(spec.chart, alt.TopLevelMixin)
        assert spec.datasets
        alt.Chart.from_dict(spec.to_dict(validate=True))  # data and chart: valid Vega-Lite


def test_the_excel_overview_equals_the_marts(agency: Path, tmp_path: Path) -> None:
    import fastexcel

    from socialmetrics.report.xlsx import write_xlsx

    path = write_xlsx(_data(agency), "pt-BR", tmp_path / "r.xlsx")
    book = fastexcel.read_excel(path)
    assert book.sheet_names[0] == "Overview"
    rows = book.load_sheet("Overview", header_row=None).to_polars().rows()
    end = next(i for i, r in enumerate(rows) if r[0] is None)  # a blank row ends the totals
    totals = {r[0]: r[2] for r in rows[1:end]}
    for kpi in ("impressions", "engagements", "posts_published"):
        ((expected,),) = _mart(
            agency,
            f"SELECT SUM({kpi}) FROM monthly_kpis WHERE client_id = $1 AND month = $2",
        )
        assert float(totals[kpi]) == pytest.approx(float(expected))  # type: ignore[arg-type]
    labels = {r[0]: r[1] for r in rows[1:end]}
    assert labels["engagements"] == "Engajamentos"  # the report's language
    start = next(i for i, r in enumerate(rows) if r[0] == "goal_kpi")
    goals = {r[0]: r for r in rows[start + 1 : start + 4]}
    assert set(goals) == {"posts_published", "engagement_rate", "followers_net"}
    assert float(goals["engagement_rate"][4]) == pytest.approx(0.04)


def test_chart_ids_follow_the_content_not_the_process() -> None:
    """vl-convert numbers gradients with a per-process counter: the ids are renamed after the
    chart, so the same chart is the same bytes (whichever worker drew it) and two charts in
    one page never share an id."""
    from socialmetrics.report import charts

    def heat(value: float) -> str:
        chart = charts.heatmap(
            [("Mon", 1, 9, value), ("Tue", 2, 3, 1.0)],
            ["Mon", "Tue"],
            title="t",
            color="#123456",
            legend_title="l",
        )
        return str(charts.render(chart, "en-US"))

    first, again, other = heat(5.0), heat(5.0), heat(9.0)
    assert first == again and "gradient_" not in first
    ids = set(re.findall(r'id="([^"]+)"', first))
    assert ids and ids.isdisjoint(re.findall(r'id="([^"]+)"', other))
    assert all(f"url(#{i})" in first for i in ids)
