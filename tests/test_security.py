"""What comes from data or settings never becomes active content: links only for http(s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialmetrics.report.html import web_url


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.instagram.com/p/AAA1/", "https://www.instagram.com/p/AAA1/"),
        (" http://x.com/acme/status/1 ", "http://x.com/acme/status/1"),
        ("HTTPS://EXAMPLE.COM/a", "HTTPS://EXAMPLE.COM/a"),
        ("javascript:alert(document.domain)", None),
        (" javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("//evil.example/x", None),
        ("https:/\\evil.example", None),
        ("https://", None),
        ("/relative/path", None),
        ("", None),
        (None, None),
        (5, None),
    ],
)
def test_only_http_urls_become_links(value: object, expected: str | None) -> None:
    assert web_url(value) == expected


def test_terminal_prints_data_literally(make_project, files: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Rich markup or emoji codes in a header or a path are printed as they are."""
    from typer.testing import CliRunner

    from socialmetrics.cli import app

    name = "Dec-01-2024_Dec-31-2024_17800000000000001.csv"
    evil = tmp_path / name
    evil.write_bytes(
        (files / "instagram" / name).read_bytes().replace(b"Brand new metric", b"[b]x[/b] :x:")
    )
    root = make_project({"[red]shop": {name: evil}})
    result = CliRunner().invoke(
        app, ["ingest", "--project", str(root), "--silent"], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert f"[red]shop/{name}: unknown columns kept in extra: [b]x[/b] :x:" in result.output
    assert "❌" not in result.output
    assert "unknown column, values kept in extra [pending]" in result.output
    drift = CliRunner().invoke(
        app, ["drift", "--project", str(root)], env={"COLUMNS": "400"}, catch_exceptions=False
    )
    assert "│ [red]shop " in drift.output and "│ [b]x[/b] :x: " in drift.output


def test_links_out_of_the_project_are_refused_never_read(  # type: ignore[no-untyped-def]
    make_project, files: Path, tmp_path: Path
) -> None:
    from socialmetrics.config import load_project
    from socialmetrics.ingest import ingest
    from socialmetrics.ingest.inspect import check_paths
    from socialmetrics.warehouse.base import connect

    secret = tmp_path / "outside" / "passwd.csv"
    secret.parent.mkdir()
    secret.write_text("Date,Impressions\nroot:x:0:0:root:/root:/bin/bash,1\n", encoding="utf-8")
    root = make_project(
        {"acme": {"x/overview.csv": files / "twitter/account_overview_analytics.csv"}}
    )
    clients = root / "clients"
    (clients / "acme" / "leak.csv").symlink_to(secret)
    (clients / "linked").symlink_to(secret.parent, target_is_directory=True)
    project = load_project(root)
    summary = ingest(project)
    by_path = {f"{f.client_id}/{f.path}": f for f in summary.files}
    assert by_path["acme/x/overview.csv"].action == "loaded"  # the good file beside it
    for path in ("acme/leak.csv", "linked/passwd.csv"):
        assert by_path[path].action == "failed"
        assert by_path[path].message == (
            f"not read: a link to {secret.resolve()}, outside the project. Copy the file into "
            "the client's folder, or set paths.allow_external_links = true to read linked files."
        )
    assert summary.totals()["files_failed"] == 2
    with connect(project.warehouse_url, root) as wh:
        leaked = wh.query(
            "SELECT (SELECT COUNT(*) FROM quarantine WHERE raw_value LIKE '%root%') + "
            "(SELECT COUNT(*) FROM account_daily_extra WHERE extra LIKE '%root%') + "
            "(SELECT COUNT(*) FROM source_files WHERE message LIKE '%root:x%')"
        )
    assert leaked == [(0,)]
    (checked,) = check_paths([clients / "acme" / "leak.csv"], project)
    assert checked.status == "error" and "root:x" not in checked.message
    allowed = load_project(root, {"paths.allow_external_links": True})
    (read,) = check_paths([clients / "linked"], allowed)
    assert read.status != "error"  # the agency said linked folders are theirs


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"",
            "the file is empty (0 bytes), left by a creation that did not finish (a full "
            "disk?). It holds nothing: delete it and run again.",
        ),
        (
            b"not a database" * 10,
            "the file (140 bytes) is not a DuckDB database. Move it away (keep it if it is "
            "yours) or point warehouse.url at another file.",
        ),
    ],
)
def test_a_broken_warehouse_file_says_what_it_is(
    tmp_path: Path, content: bytes, message: str
) -> None:
    from socialmetrics.errors import WarehouseError
    from socialmetrics.warehouse.base import connect

    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(content)
    with pytest.raises(WarehouseError) as caught:
        connect(f"duckdb:///{path}")
    assert str(caught.value) == f"cannot open the DuckDB warehouse {path}: {message}"


def test_a_warehouse_in_use_says_so(tmp_path: Path) -> None:
    import subprocess
    import sys
    import textwrap

    from socialmetrics.errors import WarehouseError
    from socialmetrics.warehouse.base import connect

    path = tmp_path / "warehouse.duckdb"
    code = textwrap.dedent(
        f"""
        import duckdb, time
        con = duckdb.connect({str(path)!r})
        print("open", flush=True)
        time.sleep(30)
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseError, match=r"another process is using it .*Wait for it"):
            connect(f"duckdb:///{path}")
    finally:
        holder.kill()
        holder.wait()
