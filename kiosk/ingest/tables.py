"""Reading roster tables: xlsx/xls/ods (python-calamine) and csv/tsv/txt (encoding detected).

Every value keeps its position: a `Sheet` holds rows of raw values plus the Excel row and column
numbers of its first cell, so any value can be named as "承诺!C7" in a message.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import PledgeWallError
from kiosk.ingest.problems import column_letter

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
SUFFIXES = WORKBOOK_SUFFIXES | TEXT_SUFFIXES

Value = object  # str | float | int | bool | date | datetime | time | timedelta | None


@dataclass(frozen=True, slots=True)
class Cell:
    sheet: str
    row: int  # 1-based, as Excel shows it
    column: int  # 1-based
    value: Value

    @property
    def letter(self) -> str:
        return column_letter(self.column)


@dataclass(frozen=True)
class Sheet:
    """One sheet's values. rows[i][j] sits at Excel row first_row + i, column first_column + j."""

    name: str
    rows: tuple[tuple[Value, ...], ...]
    first_row: int = 1
    first_column: int = 1

    def cell(self, i: int, j: int) -> Cell:
        row = self.rows[i]
        return Cell(self.name, self.first_row + i, self.first_column + j, row[j] if j < len(row) else None)

    def row_number(self, i: int) -> int:
        return self.first_row + i

    def letter(self, j: int) -> str:
        return column_letter(self.first_column + j)


@dataclass(frozen=True)
class Workbook:
    path: Path
    sheets: tuple[Sheet, ...]
    encoding: str = ""  # for text files: the encoding that was detected

    @property
    def file(self) -> str:
        return str(self.path)


def read_table(path: Path) -> Workbook:
    """Read any supported roster file; unreadable files raise PledgeWallError naming the file."""
    path = Path(path)
    if not path.exists():
        raise PledgeWallError(f"找不到文件 {path}，请检查文件名和路径")
    if path.is_dir():
        raise PledgeWallError(f"{path} 是一个文件夹，请给出花名册文件（.xlsx/.xls/.ods/.csv）")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return _read_text(path, suffix)
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path)
    raise PledgeWallError(
        f"{path.name}：不支持的文件类型“{path.suffix or '无扩展名'}”，"
        "请另存为 Excel 工作簿（.xlsx）或 CSV 后再导入"
    )


# -- workbooks --------------------------------------------------------------------------------


def _read_workbook(path: Path) -> Workbook:
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in book.sheets_metadata:
            if str(meta.typ) not in ("WorkSheet", "SheetTypeEnum.WorkSheet") and "Work" not in str(meta.typ):
                continue
            sheet = book.get_sheet_by_name(meta.name)
            sheets.append(_sheet_from_calamine(sheet))
        book.close()
    except PledgeWallError:
        raise
    except Exception as error:  # calamine raises several types for corrupt/encrypted files
        kind = type(error).__name__
        if "Password" in kind:
            reason = "文件设有密码，请取消密码保护后再导入"
        else:
            reason = "文件已损坏或不是真正的 Excel/ODS 文件，请在 Excel 或 WPS 中打开后重新另存为 .xlsx"
        raise PledgeWallError(f"无法读取 {path.name}（{kind}: {error}）：{reason}") from error
    return Workbook(path, tuple(sheets))


def _sheet_from_calamine(sheet) -> Sheet:  # type: ignore[no-untyped-def]
    rows = sheet.to_python(skip_empty_area=True)
    start = sheet.start or (0, 0)
    first_row, first_col = start[0], start[1]
    table = [list(row) for row in rows]
    try:
        merged = sheet.merged_cell_ranges or []
    except Exception:  # noqa: BLE001 - merged ranges are a nicety; some formats lack them
        merged = []
    _fill_merged_down(table, merged, first_row, first_col)
    return Sheet(
        sheet.name,
        tuple(tuple(None if v == "" else v for v in row) for row in table),
        first_row + 1,
        first_col + 1,
    )


def _fill_merged_down(table: list[list[Value]], merged, first_row: int, first_col: int) -> None:  # type: ignore[no-untyped-def]
    """A cell merged over several rows means "the same value on each of these rows".

    Only vertical spread is filled (member columns merged over their pledge rows). Horizontal
    merges (titles, wide text) keep their value in the top-left cell only.
    """
    for (r1, c1), (r2, _c2) in merged:
        if r2 <= r1:
            continue
        i, j = r1 - first_row, c1 - first_col
        if not (0 <= i < len(table)) or j < 0 or j >= len(table[i]):
            continue
        value = table[i][j]
        for k in range(i + 1, min(r2 - first_row, len(table) - 1) + 1):
            if j < len(table[k]) and table[k][j] in ("", None):
                table[k][j] = value


# -- text files -------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def detect_encoding(data: bytes) -> tuple[str, int]:
    """(encoding, BOM length) of a text roster, from the BOM, byte patterns, then statistics.

    Excel writes CSV as GBK on Chinese Windows, "CSV UTF-8" with a BOM, and "Unicode text" as
    UTF-16-LE with a BOM. GBK/GB2312 answers are widened to GB18030 (a strict superset, so
    rarer characters such as 䶮 survive).
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    sample = data[:65536]
    if not sample:
        return "utf-8", 0
    # UTF-16 without BOM: every other byte is NUL for ASCII-heavy text.
    if len(sample) >= 4:
        even_nul = sample[0::2].count(0)
        odd_nul = sample[1::2].count(0)
        half = len(sample) / 2
        if odd_nul > 0.3 * half and even_nul < 0.05 * half:
            return "utf-16-le", 0
        if even_nul > 0.3 * half and odd_nul < 0.05 * half:
            return "utf-16-be", 0
    if not any(b >= 0x80 for b in sample):
        return "utf-8", 0
    # Valid UTF-8 with multibyte sequences is practically never GBK text by accident.
    if _is_utf8(data):
        return "utf-8", 0
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=_CANDIDATES).best()
    name = best.encoding.lower().replace("-", "_") if best else ""
    if name in _CHINESE:
        return "gb18030", 0
    # On a short file the statistics often say Big5/EUC-KR/cp949 for plain GBK text. A roster
    # that decodes cleanly as GB18030 is, in a Chinese village office, GBK: prefer that.
    if _decodes(data, "gb18030") or not name:
        return "gb18030", 0
    return name, 0


_CANDIDATES = ["gb18030", "big5", "cp1252", "shift_jis", "euc_kr"]
_CHINESE = {"gb2312", "gbk", "gb18030", "hz", "cp936"}


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multibyte character cut at the end of a huge sample is still UTF-8.
        return error.start >= len(data) - 3 and error.reason == "unexpected end of data"
    return True


def _read_text(path: Path, suffix: str) -> Workbook:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PledgeWallError(f"无法读取 {path.name}：{error.strerror}") from error
    encoding, skip = detect_encoding(data)
    try:
        text = data[skip:].decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise PledgeWallError(
            f"{path.name} 的文字编码无法识别（猜测为 {encoding}），"
            "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入"
        ) from error
    text = text.lstrip("\ufeff")
    delimiter = "\t" if suffix == ".tsv" or encoding.startswith("utf-16") else _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = tuple(tuple(None if v.strip() == "" else v for v in row) for row in reader)
    except csv.Error as error:
        raise PledgeWallError(f"{path.name} 不是有效的 CSV 文件（{error}），请用 Excel 重新保存") from error
    return Workbook(path, (Sheet(path.stem, rows),), encoding)


def _sniff_delimiter(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            counts = {d: line.count(d) for d in (",", "\t", ";", "|")}
            best = max(counts, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","
