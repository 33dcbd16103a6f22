"""The store back to an Excel roster in the template's sheets and headers, for the township.

Importing the exported file changes nothing (`read_roster` before and after are equal), so a
township can collect rosters from kiosks, edit them and send them back. Text that a spreadsheet
would take for a formula (=, +, -, @ …) is stored as text with Excel's quote prefix: shown as
typed, never executed, and read back unchanged. Photos cannot live in a workbook: with
`photos_out` each member's stored photo is copied there as <number>.jpg, which the importer
finds by name (and recognises as already normalised, so its hash stays the same).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from kiosk.roster import FulfilmentNote, Roster
from kiosk.store.photos import PhotoStore

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_roster(roster: Roster, path: Path, *, photos: PhotoStore | None = None, photos_out: Path | None = None) -> int:
    """Write the workbook; return how many photos were copied to `photos_out`."""
    from openpyxl import Workbook

    several = len(roster.villages) > 1
    book = Workbook()
    book.remove(book.active)
    village_col = ["村"] if several else []

    def sheet(name: str, headers: list[str], rows: list[list[object]]) -> None:
        ws = book.create_sheet(name)
        ws.append(headers)
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type, cell.quotePrefix = "s", True
        ws.freeze_panes = "A2"
        for column, header in zip(ws.columns, headers):
            ws.column_dimensions[column[0].column_letter].width = max(8, min(40, 2 * len(header) + 6))

    sheet("设置", ["村代码", "村名", "党支部", "乡镇", "反馈链接"],
          [[v.village.code, v.village.name, v.village.branch, v.village.township, v.village.feedback_url]
           for v in roster.villages])
    sheet("党员", ["编号", "姓名", "职务", "设岗定责", "党员类别", "入党时间", "排序", *village_col],
          [[m.number, m.name, m.post, m.duty_post, str(m.status), m.joined, m.order, *_code(v, several)]
           for v in roster.villages for m in v.members])
    sheet("承诺", ["编号", "承诺编号", "年度", "方面", "承诺内容", "践诺措施", "完成时限", "状态", "进度", "未兑现原因", "践诺记录"],
          [[p.member_number, p.code, p.year, p.area, p.text, p.measures, p.due, str(p.status), p.progress,
            p.reason_not_kept, _notes(p.notes)] for v in roster.villages for p in v.pledges])
    sheet("评诺", ["编号", "年度", "评定等次", "群众满意度", "评语", "公示"],
          [[e.member_number, e.year, str(e.grade), e.satisfaction, e.remarks, "是" if e.published else "否"]
           for v in roster.villages for e in v.evaluations])
    sheet("公告", ["内容", "开始日期", "结束日期", *village_col],
          [[n.text, n.start, n.end, *_code(v, several)] for v in roster.villages for n in v.notices])
    sheet("反馈汇总", ["编号", "承诺编号", "期间", "人数", "满意度", "来源"],
          [[f.member_number, f.pledge_code, f.period, f.count, f.satisfaction, f.source]
           for v in roster.villages for f in v.feedback])
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    book.save(temporary)
    temporary.replace(path)
    return _copy_photos(roster, photos, photos_out) if photos and photos_out else 0


def _code(village, several: bool) -> list[object]:  # type: ignore[no-untyped-def]
    return [village.village.code] if several else []


def _notes(notes: tuple[FulfilmentNote, ...]) -> str:
    """践诺记录 as the importer reads it: one "YYYY-MM-DD text" per line."""
    return "\n".join(f"{n.on:%Y-%m-%d} {n.text}" if isinstance(n.on, date) else n.text for n in notes)


def _copy_photos(roster: Roster, photos: PhotoStore, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    copied = 0
    for village in roster.villages:
        for member in village.members:
            if member.photo and photos.has(member.photo):
                shutil.copyfile(photos.path(member.photo), out / f"{member.number}.jpg")
                copied += 1
    return copied
