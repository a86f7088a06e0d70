"""The readers handle every quirk of the real files: encodings, preambles, separators, blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialmetrics.errors import FileReadError
from socialmetrics.extract.readers import read_file


def test_utf16_chart_with_sep_line_and_title(files: Path) -> None:
    raw = read_file(files / "instagram/Reach.csv")
    assert (raw.encoding, raw.separator) == ("utf-16", ",")
    (table,) = raw.tables
    assert table.title == "Reach"
    assert table.rows[0] == ["Date", "Primary"]
    assert table.rows[1] == ["2026-05-01T00:00:00", "1200"]
    assert table.row_numbers[:2] == [3, 4]  # line numbers in the file, for error messages


def test_utf16_without_bom(files: Path) -> None:
    raw = read_file(files / "other/Views_nobom.csv")
    assert raw.encoding == "utf-16-le"
    assert raw.tables[0].title == "Views"


def test_multi_block_audience(files: Path) -> None:
    titles = [t.title for t in read_file(files / "instagram/Audience.csv").tables]
    assert titles == ["Age & gender", "Top cities", "Top countries"]


def test_quoted_multiline_field_does_not_split_blocks(files: Path) -> None:
    raw = read_file(files / "instagram/contenido_es.csv")
    (table,) = raw.tables
    assert raw.encoding == "utf-8-sig"
    assert len(table.rows) == 3
    assert table.rows[1][4] == "Primera línea\n\nSegunda línea #café"
    assert table.rows[2][4] == 'Reel "nuevo"'
    assert table.row_numbers == [1, 2, 5]


def test_excel_resaved_semicolon_cp1252(files: Path) -> None:
    raw = read_file(files / "instagram/Interacoes_resaved.csv")
    assert (raw.encoding, raw.separator) == ("cp1252", ";")
    assert raw.tables[0].title == "Interações com o conteúdo"
    assert raw.tables[0].rows[1] == ["2026-05-01T00:00:00", "1.204"]


def test_tab_separated(files: Path) -> None:
    raw = read_file(files / "twitter/content_tabs.tsv.csv")
    assert raw.separator == "\t"
    assert raw.tables[0].rows[0][:3] == ["Post id", "Date", "Post text"]


def test_biff8_xls_with_description_row(files: Path) -> None:
    raw = read_file(files / "linkedin/acme_content_1742193384396.xls")
    assert raw.format == "xls"
    metrics, posts = raw.tables
    assert metrics.sheet == "Metrics" and metrics.title.startswith("Aggregated engagement metrics")
    assert metrics.rows[0][0] == "Date" and metrics.row_numbers[0] == 2
    assert metrics.rows[1][:4] == ["07/30/2024", "34", "0", "34"]  # integral floats without .0
    assert metrics.rows[1][17] == "0.058823529"  # full precision, not float32 rounding
    assert posts.rows[1][0] == "Call for creatives:\n\nDesigners 🎨"


def test_xlsx_date_cells_become_iso_text(files: Path) -> None:
    raw = read_file(files / "linkedin/acme_content_1790000000000.xlsx")
    assert raw.format == "xlsx"
    assert raw.tables[0].rows[1][0] == "2024-07-30T00:00:00"


def test_format_is_sniffed_from_bytes_not_name(files: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "export.csv"
    renamed.write_bytes((files / "linkedin/acme_content_1790000000000.xlsx").read_bytes())
    assert read_file(renamed).format == "xlsx"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("other/empty.csv", "the file is empty"),
        ("other/broken.xlsx", "cannot be opened as an xlsx workbook"),
    ],
)
def test_unreadable_files_raise_a_clear_error(files: Path, name: str, message: str) -> None:
    with pytest.raises(FileReadError) as info:
        read_file(files / name)
    assert message in str(info.value)
    assert name.split("/")[1] in str(info.value)


def test_a_stray_carriage_return_in_a_wrapped_cell_is_kept(tmp_path: Path) -> None:
    """Found by fuzzing: a one-cell row holding the separator, quotes and a bare CR used to
    raise from the re-saved-row unwrapping; the cell is kept as it is."""
    path = tmp_path / "x.csv"
    path.write_bytes(b'Date,Reach\n"2026-03-01,""1""\rx"\n2026-03-02,5\n')
    rows = read_file(path).tables[0].rows
    assert rows[1] == ['2026-03-01,"1"\rx']
    assert rows[2] == ["2026-03-02", "5"]


def test_a_zip_member_name_that_lies_about_utf8_is_a_file_error(tmp_path: Path) -> None:
    """Found by fuzzing: a name flagged UTF-8 (bit 11) that is not made `zipfile` raise a
    UnicodeDecodeError that escaped as a reader bug."""
    import io
    import zipfile

    from socialmetrics.errors import FileReadError

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Table data.csv", "Content,Views\nabc,1\n")
    data = buffer.getvalue()
    central = data.rindex(b"PK\x01\x02")
    flags = central + 8
    data = data[:flags] + b"\x00\x08" + data[flags + 2 :]  # claim UTF-8
    data = data.replace(b"Table data.csv", b"T\xa6ble data.csv")
    path = tmp_path / "youtube.zip"
    path.write_bytes(data)
    with pytest.raises(FileReadError, match="cannot be opened as an xlsx workbook"):
        read_file(path)
