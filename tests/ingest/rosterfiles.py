"""Real roster files for the ingest tests: workbooks by openpyxl, CSVs in any encoding,
.xls/.ods by LibreOffice where it is installed."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

Rows = list[list[object]]

SETTINGS: Rows = [
    ["村代码", "村名", "党支部", "乡镇", "反馈链接"],
    ["QSC", "青山村", "青山村党支部", "某某镇", "https://fk.example.cn/q?v={village}&m={member_id}&p={pledge_id}"],
]
MEMBERS: Rows = [
    ["编号", "姓名", "职务", "设岗定责", "党员类别", "入党时间", "照片", "排序"],
    ["M001", "王喆", "支部书记", "义务调解员", "正式", date(1998, 7, 1), None, 1],
    ["M002", "李堃", "组织委员", None, "正式", "2005.07", None, 2],
    ["M003", "张赟", "党员", "政策宣传岗", "预备", "2024年6月", None, 3],
]
PLEDGES: Rows = [
    ["编号", "姓名", "年度", "方面", "承诺内容", "践诺措施", "完成时限", "状态", "进度", "未兑现原因", "践诺记录", "承诺编号"],
    ["M001", "王喆", 2026, "服务", "修缮村东组道路，安装路灯12盏", "组织义务投工", "2026年9月底", "进行中", 40, None,
     "2026-03-05 已完成选址\n2026-04-20 路灯到货", None],
    ["M001", "王喆", 2026, "学习", "每月参加主题党日", None, date(2026, 12, 31), "已完成", 100, None, None, None],
    ["M002", "李堃", 2026, "工作", "帮扶2户困难家庭", None, "2026/6/30", "未完成", 30, "资金未到位", None, "P-9"],
    ["M003", None, 2026, "自律", "带头移风易俗", None, None, "未开始", 0, None, None, None],
]
EVALUATIONS: Rows = [
    ["编号", "姓名", "年度", "评定等次", "群众满意度", "评语", "公示"],
    ["M001", "王喆", 2025, "优秀", 96, "带头作用明显", "是"],
    ["M002", "李堃", 2025, "合格", "90%", None, "否"],
]
NOTICES: Rows = [["内容", "开始日期", "结束日期"], ["本周六召开党员大会", date(2026, 1, 1), "2026-12-31"]]
FEEDBACK: Rows = [
    ["编号", "承诺编号", "期间", "人数", "满意度", "来源"],
    ["M001", "M001-1", "2026年第一季度", 35, 94, "扫码评价"],
]


def canonical() -> dict[str, Rows]:
    return {
        "设置": [list(r) for r in SETTINGS],
        "党员": [list(r) for r in MEMBERS],
        "承诺": [list(r) for r in PLEDGES],
        "评诺": [list(r) for r in EVALUATIONS],
        "公告": [list(r) for r in NOTICES],
        "反馈汇总": [list(r) for r in FEEDBACK],
    }


def write_xlsx(path: Path, sheets: dict[str, Rows], *, merges: dict[str, list[str]] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    book.save(path)
    return path


def write_csv(path: Path, rows: Rows, encoding: str, delimiter: str = ",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else str(v) for v in row] for row in rows]
    )
    text = buffer.getvalue()
    if encoding == "utf-16-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "utf-8-bom":
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    else:
        data = text.encode(encoding)
    path.write_bytes(data)
    return path


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def convert(source: Path, fmt: str) -> Path:
    """xlsx → xls ("xls:MS Excel 97") or ods, by LibreOffice headless."""
    exe = soffice()
    out = source.parent / "converted"
    out.mkdir(exist_ok=True)
    filters = {"xls": "xls:MS Excel 97", "ods": "ods"}
    profile = source.parent / "lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", filters[fmt],
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    result = out / (source.stem + "." + fmt)
    assert result.exists(), f"LibreOffice did not write {result}"
    return result


def combined_rows() -> Rows:
    """One row per pledge, member columns repeated (the single-sheet / CSV form)."""
    return [
        ["编号", "姓名", "职务", "入党时间", "年度", "承诺内容", "完成时限", "状态", "进度", "未兑现原因"],
        ["1", "王喆", "支部书记", "1998-07-01", "2026", "修缮村东组道路", "2026年9月底", "进行中", "40%", ""],
        ["1", "王喆", "支部书记", "1998-07-01", "2026", "每月参加主题党日", "2026-12-31", "已完成", "100", ""],
        ["2", "刘䶮", "党员", "2005.07", "2026", "帮扶困难家庭", "2026/6/30", "未完成", "30", "资金未到位"],
    ]
