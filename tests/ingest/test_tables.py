"""Reading real files: workbooks (openpyxl, LibreOffice conversions) and CSVs in each encoding."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rosterfiles import canonical, combined_rows, convert, write_csv, write_xlsx

from kiosk.errors import PledgeWallError
from kiosk.ingest.importer import check_roster
from kiosk.ingest.tables import detect_encoding, read_table

ENCODINGS = ["utf-8", "utf-8-bom", "gbk", "gb18030", "utf-16-bom"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_csv_in_every_encoding_reads_the_same_records(tmp_path: Path, encoding: str) -> None:
    rows = combined_rows()
    if encoding == "gbk":  # 䶮 is not in GBK; 喆 is
        rows = [[("刘喆" if v == "刘䶮" else v) for v in row] for row in rows]
    delimiter = "\t" if encoding == "utf-16-bom" else ","
    path = write_csv(tmp_path / "青山村.csv", rows, encoding, delimiter)
    result = check_roster(path)
    assert result.roster is not None, [p.format() for p in result.problems]
    village = result.roster.villages[0]
    assert village.village.name == "青山村"  # from the file name, with a warning
    assert [m.name for m in village.members] == ["王喆", rows[3][1]]
    assert [p.progress for p in village.pledges] == [40, 100, 30]
    assert village.pledges[0].due == date(2026, 9, 30)
    assert village.members[1].joined == date(2005, 7, 1)
    assert any(p.code == "village.from_filename" for p in result.problems)


def test_gb18030_keeps_characters_beyond_gbk(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", combined_rows(), "gb18030")
    book = read_table(path)
    assert book.encoding == "gb18030"
    assert book.sheets[0].rows[3][1] == "刘䶮"


def test_short_gbk_file_is_not_mistaken_for_big5_or_korean(tmp_path: Path) -> None:
    data = "编号,姓名\n1,王喆\n".encode("gbk")
    assert detect_encoding(data) == ("gb18030", 0)
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert read_table(path).sheets[0].rows[1] == ("1", "王喆")


def test_utf16_without_bom_and_tsv(tmp_path: Path) -> None:
    rows = combined_rows()
    path = tmp_path / "r.txt"
    path.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("utf-16-le"))
    assert detect_encoding(path.read_bytes())[0] == "utf-16-le"
    assert read_table(path).sheets[0].rows[1][1] == "王喆"
    tsv = write_csv(tmp_path / "r.tsv", rows, "utf-8", "\t")
    assert read_table(tsv).sheets[0].rows[2][5] == "每月参加主题党日"


def test_positions_survive_a_title_row_and_leading_blank_columns(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "党员"
    ws["C3"] = "编号"
    ws["D3"] = "姓名"
    ws["C4"] = "M1"
    ws["D4"] = "王喆"
    book.save(tmp_path / "x.xlsx")
    sheet = read_table(tmp_path / "x.xlsx").sheets[0]
    cell = sheet.cell(1, 1)
    assert (cell.sheet, cell.row, cell.letter, cell.value) == ("党员", 4, "D", "王喆")


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_libreoffice_conversions_read_like_the_xlsx(tmp_path: Path, fmt: str) -> None:
    source = write_xlsx(tmp_path / "roster.xlsx", canonical())
    converted = convert(source, fmt)
    original = check_roster(source, today=date(2026, 5, 1))
    other = check_roster(converted, today=date(2026, 5, 1))
    assert other.roster is not None, [p.format() for p in other.problems]
    assert other.roster == original.roster


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.xlsx", None, "找不到文件"),
        ("fake.xlsx", b"this is not a workbook", "无法读取 fake.xlsx"),
        ("roster.pdf", b"%PDF-1.4", "不支持的文件类型"),
    ],
)
def test_unreadable_files_raise_one_clear_error(tmp_path: Path, name: str, content: bytes | None, words: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(PledgeWallError, match=words):
        check_roster(path)
