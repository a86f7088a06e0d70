"""A hostile-file corpus, generated here: each file costs itself only, with a message that names
the limit or the problem, and the good export beside it always loads. Memory is measured on a
real `socialmetrics` process, so a reader that blows up would show in its peak."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from socialmetrics.config import load_project
from socialmetrics.ingest import ingest

FILES = Path(__file__).resolve().parent / "files"
GOOD = FILES / "instagram" / "Reach.csv"
SMALL = FILES / "tiktok" / "Overview.csv"
GOOD_XLSX = FILES / "linkedin" / "acme_content_1774000000000.xlsx"
MB = 1 << 20

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
    'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _rows(count: int) -> Iterable[bytes]:
    """Identical sheet rows (as a bomb repeats itself), in chunks: no test holds it all."""
    row = b'<row><c t="inlineStr"><is><t>post</t></is></c><c><v>1</v></c></row>'
    for start in range(0, count, 10_000):
        yield row * min(10_000, count - start)


def write_xlsx(path: Path, rows: int) -> Path:
    """A real, minimal .xlsx whose one sheet has `rows` rows (streamed into the zip)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.')
            sheet.write(b'org/spreadsheetml/2006/main"><sheetData>')
            for chunk in _rows(rows):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


def _encrypted(path: Path) -> None:
    import msoffcrypto  # dev dependency: writes a real password-protected workbook
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = OOXMLFile(io.BytesIO(GOOD_XLSX.read_bytes()))
    with path.open("wb") as out:
        plain.encrypt("secret", out)
    assert msoffcrypto.OfficeFile(path.open("rb")).is_encrypted()


def _truncated(path: Path) -> None:
    data = GOOD_XLSX.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _zip_member_bomb(path: Path) -> None:
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("Table data.csv", "w", force_zip64=True) as member,
    ):
        member.write(b"Content,Views\n")
        for _ in range(300):
            member.write(b"0" * MB)


def _damaged_zip(path: Path) -> None:
    """A YouTube-like zip whose member's deflate stream is broken (found by fuzzing)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Table data.csv", "Content,Views\n" + "abc,1\n" * 500)
    data = bytearray(buffer.getvalue())
    start = 30 + len("Table data.csv")  # the member's data follows its local header
    data[start + 2 : start + 12] = b"\xff" * 10
    path.write_bytes(bytes(data))


# name -> (how to write it, the exact message's distinctive part)
CORPUS: dict[str, tuple[Callable[[Path], object], str]] = {
    "bomb.xlsx": (
        lambda p: write_xlsx(p, 400_000),
        "member 'xl/worksheets/sheet1.xml' unpacks {ratio} times its packed size",
    ),
    "youtube_bomb.zip": (
        _zip_member_bomb,
        "refused: member 'Table data.csv' unpacks to 300 MB, over the limit of 256 "
        "(limits.max_unpacked_mb). If this is a real export, raise limits.max_unpacked_mb "
        "in socialmetrics.toml.",
    ),
    "one_line.csv": (
        lambda p: p.write_bytes(b"1," * (50 * MB)),
        "refused: line 1 is longer than 1,048,576 bytes, over the limit of 1,024 "
        "(limits.max_line_kb). If this is a real export, raise limits.max_line_kb in "
        "socialmetrics.toml.",
    ),
    "wide.csv": (
        lambda p: p.write_text(
            ",".join(f"c{i}" for i in range(100_000)) + "\n" + "1," * 99_999 + "1\n"
        ),
        "refused: line 1 has 100,000 columns, over the limit of 5,000 (limits.max_columns).",
    ),
    "nul_bytes.csv": (
        lambda p: p.write_bytes(b"Date,Reach\n2026-03-01,\x00\x00\x001\n"),
        "contains NUL bytes after decoding: it is not a text export. Check that it is the "
        "file the platform produced.",
    ),
    "truncated.xlsx": (_truncated, "cannot be opened as an xlsx workbook"),
    "encrypted.xlsx": (
        _encrypted,
        "is a password-protected workbook. Open it in Excel, remove the password",
    ),
    "utf16_broken.csv": (
        lambda p: p.write_bytes(b"\xff\xfeD\x00a\x00\x00\xd8"),
        "starts like UTF-16 but byte 6 is not valid UTF-16.",
    ),
    "empty.csv": (lambda p: p.write_bytes(b" \n\n"), "the file is empty"),
    "damaged.zip": (
        _damaged_zip,
        "member 'Table data.csv' is damaged or cannot be unpacked (",
    ),
    "random_bytes.csv": (
        lambda p: p.write_bytes(bytes(range(1, 256)) * 40),
        "not a known platform export",
    ),
}
WRONG_NAMES = {  # real exports under the wrong extension: read by their bytes, loaded
    "Seguidores.xlsx": FILES / "instagram" / "Seguidores.csv",
    "content.csv": GOOD_XLSX,
}


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "project"
    folder = root / "clients" / "acme"
    folder.mkdir(parents=True)
    (root / "socialmetrics.toml").write_text(
        f'[warehouse]\nurl = "duckdb:///{root / "warehouse.duckdb"}"\n', encoding="utf-8"
    )
    for name, (write, _) in CORPUS.items():
        write(folder / name)
    for name, source in WRONG_NAMES.items():
        shutil.copyfile(source, folder / name)
    (folder / "good").mkdir()
    shutil.copyfile(GOOD, folder / "good" / "Reach.csv")
    return root


def _run_measured(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the CLI as its own process; return it and its peak memory in MB (the reading
    worker is its child: its peak counts too when it is larger)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "socialmetrics.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stdout, stderr = proc.communicate(timeout=300)
    import resource

    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), peak_kb / 1024


def test_hostile_files_cost_themselves_only(hostile_project: Path) -> None:
    run, peak_mb = _run_measured("ingest", "--project", str(hostile_project), "--json", "--silent")
    assert run.returncode == 1, run.stderr  # some files failed, the rest loaded
    summary = json.loads(run.stdout)
    by_path = {f["path"]: f for f in summary["files"]}
    good = by_path["good/Reach.csv"]
    assert good["action"] == "loaded" and good["rows_loaded"] > 0
    for name in WRONG_NAMES:
        assert by_path[name]["action"] == "loaded", by_path[name]
        assert by_path[name]["rows_loaded"] > 0
    for name, (_, expected) in CORPUS.items():
        outcome = by_path[name]
        assert outcome["action"] in ("failed", "unrecognised"), outcome
        if "{ratio}" in expected:
            head, tail = expected.split("{ratio}")
            assert head in outcome["message"] and tail in outcome["message"], outcome["message"]
            assert "(limits.max_zip_ratio)" in outcome["message"]
        else:
            assert expected in outcome["message"], outcome["message"]
    assert peak_mb < 1024, f"ingest peaked at {peak_mb:.0f} MB"


def test_check_json_on_hostile_files_stays_small(hostile_project: Path) -> None:
    folder = hostile_project / "clients" / "acme"
    run, peak_mb = _run_measured("check", str(folder / "wide.csv"), str(folder / "one_line.csv"))
    assert run.returncode == 1
    assert "limits.max_columns" in run.stdout + run.stderr
    assert peak_mb < 1024, f"check peaked at {peak_mb:.0f} MB"


def _project_with(tmp_path: Path, settings: str, files: dict[str, Path]) -> Path:
    root = tmp_path / "project"
    folder = root / "clients" / "acme"
    folder.mkdir(parents=True)
    (root / "socialmetrics.toml").write_text(
        f'[warehouse]\nurl = "duckdb:///{tmp_path / "w.duckdb"}"\n\n[limits]\n{settings}\n',
        encoding="utf-8",
    )
    for name, source in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / name)
    return root


def _outcomes(root: Path) -> dict[str, tuple[str, str]]:
    summary = ingest(load_project(root))
    return {f.path: (f.action, f.message) for f in summary.files}


def test_an_unknown_trick_is_stopped_by_the_worker_memory_cap(tmp_path: Path) -> None:
    """Limits raised out of the way: the worker's memory cap alone stops a reader that would
    inflate, and the next file reads in a fresh worker."""
    bomb = write_xlsx(tmp_path / "bomb.xlsx", 2_500_000)
    root = _project_with(
        tmp_path,
        "max_unpacked_mb = 100000\nmax_zip_ratio = 100000\nmax_rows = 100000000\n"
        "max_cells = 1000000000\nworker_memory_mb = 300",
        {"bomb.xlsx": bomb, "z/Reach.csv": GOOD},
    )
    outcomes = _outcomes(root)
    action, message = outcomes["bomb.xlsx"]
    assert action == "failed"
    # the worker either dies over the cap or gets a MemoryError: either way the cap is named
    stopped = "the reader stopped" in message and "memory limit of 300 MB" in message
    refused = "needed more than 300 MB of memory" in message
    assert stopped or refused, message
    assert "(limits.worker_memory_mb)" in message
    assert outcomes["z/Reach.csv"][0] == "loaded"


def test_a_slow_reader_is_stopped_by_the_time_cap(tmp_path: Path) -> None:
    slow = tmp_path / "slow.csv"
    with slow.open("w") as fh:
        fh.write("Date,Reach\n")
        for _ in range(60):
            fh.write("2026-03-01,1\n" * 100_000)
    root = _project_with(
        tmp_path,
        "max_rows = 100000000\nmax_cells = 1000000000\nseconds_per_file = 1",
        {"slow.csv": slow, "Reach.csv": GOOD},
    )
    outcomes = _outcomes(root)
    assert outcomes["slow.csv"] == (
        "failed",
        "refused: reading took more than 1 s, over the limit of 1 (limits.seconds_per_file). "
        "If this is a real export, raise limits.seconds_per_file in socialmetrics.toml.",
    )
    assert outcomes["Reach.csv"][0] == "loaded"


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("max_rows = 2", "refused: more than 2 rows, over the limit of 2 (limits.max_rows)"),
        ("max_cells = 20", "refused: more than 20 cells, over the limit of 20 (limits.max_cells)"),
        ("max_columns = 2", "refused: line 1 has 6 columns, over the limit of 2"),
        ("max_line_kb = 1", "refused: line 2 is longer than 1,024 bytes"),
        ("max_file_mb = 1", None),
    ],
)
def test_each_limit_is_a_setting(tmp_path: Path, setting: str, expected: str | None) -> None:
    source = tmp_path / "Overview.csv"
    data = SMALL.read_bytes()
    if "line_kb" in setting:  # a long caption-like cell on the second line
        header, rest = data.split(b"\n", 1)
        data = header + b"\n" + b"x" * 2000 + b"\n" + rest
    source.write_bytes(data)
    outcomes = _outcomes(_project_with(tmp_path, setting, {"Overview.csv": source}))
    action, message = outcomes["Overview.csv"]
    if expected is None:  # 1 MB is far above the file: it loads
        assert action == "loaded", message
    else:
        assert action == "failed" and message.startswith(expected), message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.write(GOOD.read_bytes())
        fh.truncate(2 * MB + 1)
    outcomes = _outcomes(
        _project_with(tmp_path, "max_file_mb = 2", {"big.csv": big, "Reach.csv": GOOD})
    )
    assert outcomes["big.csv"] == (
        "failed",
        "refused: the file is 2.0 MB, over the limit of 2 (limits.max_file_mb). If this is a "
        "real export, raise limits.max_file_mb in socialmetrics.toml.",
    )
    assert outcomes["Reach.csv"][0] == "loaded"
