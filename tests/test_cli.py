"""The command line: exit codes and exact messages, through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialmetrics.cli import app

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env or {}, catch_exceptions=False)


@pytest.mark.parametrize("command", ["init", "check", "ingest", "demo"])
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output) > 200


def test_init_creates_a_project(tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "agency"))
    assert result.exit_code == 0
    assert (tmp_path / "agency/socialmetrics.toml").exists()
    assert (tmp_path / "agency/clients/example-client/client.toml").exists()
    again = run("init", str(tmp_path / "agency"))
    assert "already a project; nothing changed" in again.output


def test_check_json_is_the_documented_interface(files: Path) -> None:
    result = run(
        "check",
        "--json",
        str(files / "linkedin/acme_content_1742193384396.xls"),
        str(files / "other/budget_handmade.xlsx"),
    )
    assert result.exit_code == 1  # one file was not recognised
    data = json.loads(result.output)
    assert [d["status"] for d in data] == ["partial", "unrecognised"]
    first = data[0]
    assert set(first) >= {"path", "platform", "status", "message", "tables"}
    assert first["platform"] == "linkedin"
    metrics = first["tables"][0]
    assert set(metrics) >= {
        "sheet",
        "kind",
        "layout",
        "rows",
        "period_start",
        "period_end",
        "columns_mapped",
        "columns_unknown",
        "columns_missing",
        "problems",
    }
    assert (metrics["sheet"], metrics["kind"], metrics["layout"], metrics["rows"]) == (
        "Metrics",
        "account_daily",
        "2024",
        3,
    )
    assert (metrics["period_start"], metrics["period_end"]) == ("2024-07-30", "2024-08-01")
    assert metrics["columns_mapped"]["Impressions (total)"] == "impressions"
    assert metrics["problems"] == [
        f"sheet 'Metrics', row 5, column 'Reactions ({part})': '-2': value left empty: "
        "not a whole, non-negative number"
        for part in ("organic", "total")
    ]
    assert data[1]["tables"][0]["candidates"][0]["why_not"].startswith("missing required column")


def test_check_all_recognised_exits_zero(files: Path) -> None:
    result = run("check", str(files / "twitter"))
    assert result.exit_code == 0


def test_check_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert f"Error: no such file or folder: {tmp_path / 'nope.csv'}" in result.output


def test_ingest_without_project_says_how_to_fix(tmp_path: Path) -> None:
    result = run("ingest", "--project", str(tmp_path), "--silent")
    assert result.exit_code == 2
    assert "no socialmetrics.toml in" in result.output and "socialmetrics init" in result.output
    assert "Traceback" not in result.output


def test_ingest_bad_month_is_a_usage_error(make_project, files: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"acme": {"Reach.csv": files / "instagram/Reach.csv"}})
    result = run("ingest", "--project", str(root), "--month", "October", "--silent")
    assert result.exit_code == 2
    assert "Error: --month must look like 2026-10, got 'October'" in result.output


def test_ingest_unknown_client(make_project, files: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"acme": {"Reach.csv": files / "instagram/Reach.csv"}})
    result = run("ingest", "--project", str(root), "--client", "zeta", "--silent")
    assert result.exit_code == 2
    assert "no client folder 'zeta'" in result.output and "clients: acme" in result.output


def test_ingest_exit_codes(make_project, files: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"acme": {"Reach.csv": files / "instagram/Reach.csv"}})
    ok = run("ingest", "--project", str(root), "--silent")
    assert ok.exit_code == 0
    assert "1 file(s) loaded, 0 unchanged, 0 failed; 4 rows loaded" in ok.output
    (root / "clients/acme/broken.xlsx").write_bytes((files / "other/broken.xlsx").read_bytes())
    partial = run("ingest", "--project", str(root), "--silent")
    assert partial.exit_code == 1
    assert "acme/broken.xlsx: failed: cannot be opened as an xlsx workbook" in partial.output
    assert "0 file(s) loaded, 1 unchanged, 1 failed" in partial.output


def test_ingest_json_summary(make_project, files: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"acme": {"ov.csv": files / "twitter/account_overview_analytics.csv"}})
    result = run("ingest", "--project", str(root), "--silent", "--json")
    data = json.loads(result.output)
    assert data["files"][0] == {
        "client": "acme",
        "path": "ov.csv",
        "status": "partial",
        "action": "loaded",
        "message": data["files"][0]["message"],
        "rows_loaded": 4,
        "rows_quarantined": 1,
        "rows_superseded": 0,
        "rows_retired": 0,
        "columns_unknown": {},
        "changes": [],
    }


def test_warehouse_url_from_environment(make_project, files: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"acme": {"Reach.csv": files / "instagram/Reach.csv"}})
    target = tmp_path / "elsewhere.duckdb"
    result = run(
        "ingest",
        "--project",
        str(root),
        "--silent",
        env={"SOCIALMETRICS_WAREHOUSE_URL": f"duckdb:///{target}"},
    )
    assert result.exit_code == 0 and target.exists()


def test_bad_warehouse_url(make_project, files: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"acme": {"Reach.csv": files / "instagram/Reach.csv"}})
    result = run("ingest", "--project", str(root), "--warehouse", "mysql://x", "--silent")
    assert result.exit_code == 2
    assert "warehouse URL 'mysql://x' is not supported" in result.output


def test_bad_client_settings_fail_that_client_only(make_project, files: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {"Reach.csv": files / "instagram/Reach.csv"},
            "beta": {"Reach.csv": files / "instagram/Reach.csv"},
        }
    )
    (root / "clients/acme/client.toml").write_text('language = "fr"\n')
    result = run("ingest", "--project", str(root), "--silent")
    assert result.exit_code == 1
    assert "client acme" in result.output and "language 'fr' is not supported" in result.output
    assert "1 file(s) loaded" in result.output


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("socialmetrics ")


def test_ingest_lists_unknown_columns(make_project, files: Path) -> None:  # type: ignore[no-untyped-def]
    name = "Dec-01-2024_Dec-31-2024_17800000000000001.csv"
    root = make_project({"shop": {name: files / "instagram" / name}})
    result = run("ingest", "--project", str(root), "--silent")
    assert result.exit_code == 0
    assert f"shop/{name}: unknown columns kept in extra: Brand new metric" in result.output


def test_check_counts_rows_superseded_by_a_newer_export(tmp_path: Path, files: Path) -> None:
    src = files / "twitter/account_overview_analytics.csv"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    older, newer = tmp_path / "a/overview.csv", tmp_path / "b/overview.csv"
    older.write_bytes(src.read_bytes())
    newer.write_text(src.read_text() + '"Wed, Feb 19, 2025",5,0,0,0,0,0,0,0,0,0,0,0,0\n')
    result = run("check", "--json", str(older), str(newer))
    data = {Path(d["path"]).parent.name: d["tables"][0] for d in json.loads(result.output)}
    assert (data["a"]["superseded"], data["b"]["superseded"]) == (4, 0)
    human = run("check", str(older), str(newer))
    assert "4 row(s) superseded by a newer export checked here" in human.output


def test_strict_refuses_files_with_problems(make_project, files: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "acme": {
                "ov.csv": files / "other/account_overview_bad_values.csv",
                "Reach.csv": files / "instagram/Reach.csv",
            }
        }
    )
    result = run("ingest", "--project", str(root), "--silent", "--strict")
    assert result.exit_code == 1
    assert (
        "acme/ov.csv: failed: strict mode: 3 row problem(s), 0 unrecognised table(s)"
        in result.output
    )
    assert "1 file(s) loaded" in result.output
    relaxed = run("ingest", "--project", str(root), "--silent")
    assert relaxed.exit_code == 0 and "1 file(s) loaded, 1 unchanged" in relaxed.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"recipients = 5\nlogo = 5\ncolour = 1\n",
            "3 problems:\n  - unknown setting(s) ['colour']; known: ['brand_color', "
            "'display_name', 'goals', 'language', 'logo', 'meta_platform', 'recipients', "
            "'timezone']\n"
            "  - logo = 5 must be text\n  - recipients = 5 must be text or a list",
        ),
        (
            'display_name = "Caf\xe9"\n'.encode("latin-1"),
            "not UTF-8 (byte 0xe9 at position 19); save it as UTF-8",
        ),
        (None, "is a folder, not a settings file"),
    ],
)
def test_broken_client_settings_stop_that_client_only(  # type: ignore[no-untyped-def]
    make_project, files: Path, content: bytes | None, message: str
) -> None:
    root = make_project(
        {
            "acme": {"Reach.csv": files / "instagram/Reach.csv"},
            "beta": {"Reach.csv": files / "instagram/Reach.csv"},
        }
    )
    settings = root / "clients/acme/client.toml"
    if content is None:
        settings.mkdir()
    else:
        settings.write_bytes(content)
    wide = {"COLUMNS": "1000"}
    result = run("ingest", "--project", str(root), "--silent", env=wide)
    assert result.exit_code == 1, result.output
    assert f"client acme: {settings}: {message}" in result.output
    assert "1 file(s) loaded" in result.output  # beta
    report = run(
        "report", "--project", str(root), "--month", "2026-03", "--format", "html", env=wide
    )
    assert report.exit_code == 2
    assert (root / "reports/beta/2026-03/beta-2026-03.html").exists()
    assert f"no report for 1 client(s) whose settings are broken: {settings}: {message}" in (
        report.output
    )


@pytest.mark.parametrize("value", ["true", "2.7", '"three"'])
def test_a_whole_number_setting_refuses_anything_else(tmp_path: Path, value: str) -> None:
    from socialmetrics.config import load_project
    from socialmetrics.errors import ConfigError

    (tmp_path / "socialmetrics.toml").write_text(f"[schedule]\ncatch_up_months = {value}\n")
    with pytest.raises(ConfigError, match=r"schedule\.catch_up_months must be a whole number"):
        load_project(tmp_path).get("schedule.catch_up_months")


def test_a_latin1_project_file_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "socialmetrics.toml").write_bytes(
        '[project]\nname = "Agencia Peñas"\n'.encode("latin-1")
    )
    result = run("ingest", "--project", str(tmp_path), env={"COLUMNS": "400"})
    assert result.exit_code == 2
    assert "socialmetrics.toml: not UTF-8 (byte 0xf1" in result.output


def test_a_full_disk_while_writing_reports_is_a_clear_error(  # type: ignore[no-untyped-def]
    make_project, files: Path, monkeypatch
) -> None:
    import errno

    from socialmetrics.report import formats as report_formats

    def full(rendering: object, path: Path) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    disk_full = report_formats.ReportFormat("html", ".html", full)
    monkeypatch.setattr(report_formats, "formats", lambda: {"html": disk_full})
    root = make_project({"acme": {"Reach.csv": files / "instagram/Reach.csv"}})
    assert run("ingest", "--project", str(root), "--silent").exit_code == 0
    result = run(
        "report", "--project", str(root), "--month=2026-03", "--format=html", env={"COLUMNS": "400"}
    )
    assert result.exit_code == 1
    assert (
        f"Error: cannot write acme's reports in {root / 'reports/acme/2026-03'}: No space left on "
        "device. 0 report file(s) were written before; free some space" in result.output
    )


def test_every_project_setting_problem_is_said_at_once(tmp_path: Path) -> None:
    (tmp_path / "socialmetrics.toml").write_text(
        '[schedule]\ncatch_up_months = 2.7\n[project]\nlanguage = "fr"\n[limits]\n'
        "max_rows = 0\n[nope]\nx = 1\n",
        encoding="utf-8",
    )
    result = run("ingest", "--project", str(tmp_path), "--silent")
    assert result.exit_code == 2
    config = tmp_path / "socialmetrics.toml"
    for problem in (
        "4 problems in the settings:",
        f"{config}: unknown setting nope.x",
        f"{config}: project.language 'fr' must be one of en, es, pt-BR",
        f"{config}: limits.max_rows must be at least 1, got 0",
        f"{config}: schedule.catch_up_months must be a whole number, got 2.7",
        "known settings: project.name,",
    ):
        assert problem in " ".join(result.output.split()), problem
