"""The Excel roster template: every sheet, its headers, one example row, drop-downs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kiosk.errors import PledgeWallError
from kiosk.roster import Grade, MemberStatus, PledgeStatus

# (sheet, [(header, width, example, comment)]) in the canonical order.
SHEETS: tuple[tuple[str, tuple[tuple[str, int, object, str], ...]], ...] = (
    ("设置", (
        ("村代码", 10, "QSC", "村的代码，字母或数字；只有一个村时可不填（默认用村名）"),
        ("村名", 14, "青山村", "必填"),
        ("党支部", 20, "中共青山村支部委员会", ""),
        ("乡镇", 12, "某某镇", ""),
        ("反馈链接", 48, "https://fk.example.cn/q?v={village}&m={member_id}&p={pledge_id}",
         "群众扫码反馈的网址，可用占位符 {village} {member_id} {pledge_id}"),
    )),
    ("党员", (
        ("编号", 10, "M001", "必填，本村内不重复；照片文件名用编号（如 M001.jpg）可自动对应"),
        ("姓名", 10, "王喆", "必填，20 字以内"),
        ("职务", 12, "支部书记", "支部书记/副书记/组织委员/宣传委员/纪检委员/党小组长/党员"),
        ("设岗定责", 14, "义务调解员", ""),
        ("党员类别", 10, "正式", "正式 或 预备"),
        ("入党时间", 12, date(1998, 7, 1), "如 1998-07-01 或 1998年7月"),
        ("照片", 14, "", "照片文件名（可不填，按编号自动找）"),
        ("村", 10, "", "乡镇汇总多个村时填写村名或村代码；只有一个村时不填"),
        ("排序", 6, 1, "墙上的显示顺序，可不填"),
    )),
    ("承诺", (
        ("编号", 10, "M001", "必填，党员编号"),
        ("姓名", 10, "王喆", "可不填；填了会与党员表核对"),
        ("年度", 8, 2026, "不填则按完成时限的年份，没有完成时限按当年"),
        ("方面", 8, "服务", "学习/工作/自律/服务"),
        ("承诺内容", 40, "带头修缮村东组道路，安装太阳能路灯12盏", "必填"),
        ("践诺措施", 30, "联系镇交通办，组织党员义务投工", ""),
        ("完成时限", 12, "2026年9月底", "如 2026-09-30、2026年9月底"),
        ("状态", 10, "进行中", "已完成/进行中/未开始/未完成"),
        ("进度", 8, 40, "0–100，如 40 或 40%"),
        ("未兑现原因", 24, "", "状态为“未完成”时请填写"),
        ("践诺记录", 36, "2026-03-05 已完成选址\n2026-04-20 路灯到货", "每行一条：日期 + 做了什么"),
        ("承诺编号", 10, "", "可不填，默认“编号-序号”"),
    )),
    ("评诺", (
        ("编号", 10, "M001", "必填"),
        ("姓名", 10, "王喆", ""),
        ("年度", 8, 2025, ""),
        ("评定等次", 10, "优秀", "优秀/合格/基本合格/不合格"),
        ("群众满意度", 10, 96, "0–100，如 96 或 96%"),
        ("评语", 30, "带头作用明显，群众认可", ""),
        ("公示", 6, "是", "是：在墙上公示；否：暂不公示"),
    )),
    ("公告", (
        ("内容", 40, "本周六上午九点在村委会召开党员大会", "必填"),
        ("开始日期", 12, date(2026, 1, 1), ""),
        ("结束日期", 12, date(2026, 12, 31), ""),
    )),
    ("反馈汇总", (
        ("编号", 10, "M001", "必填，党员编号"),
        ("承诺编号", 10, "M001-1", "可不填（对该党员的总体反馈）"),
        ("期间", 12, "2026年第一季度", ""),
        ("人数", 8, 35, "必填"),
        ("满意度", 8, 94, "0–100"),
        ("来源", 12, "扫码评价", ""),
    )),
)

DROP_DOWNS = {
    ("承诺", "状态"): [s.value for s in (PledgeStatus.DONE, PledgeStatus.IN_PROGRESS,
                                         PledgeStatus.NOT_STARTED, PledgeStatus.NOT_KEPT)],
    ("评诺", "评定等次"): [g.value for g in Grade],
    ("党员", "党员类别"): [s.value for s in MemberStatus],
    ("评诺", "公示"): ["是", "否"],
    ("承诺", "方面"): ["学习", "工作", "自律", "服务"],
}
DATA_ROWS = 2000  # drop-downs and formats cover this many rows


def write_template(path: Path) -> Path:
    """Write the template workbook; refuses to overwrite nothing but asks for .xlsx."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise PledgeWallError(f"模板要保存为 .xlsx 文件，请把 {path.name} 改成以 .xlsx 结尾")
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FDE9D9")
    for sheet_name, columns in SHEETS:
        ws = book.create_sheet(sheet_name)
        for j, (header, width, example, comment) in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=j, value=header)
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
            if comment:
                cell.comment = Comment(comment, "pledgewall")
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = width
            value = ws.cell(row=2, column=j, value=example if example != "" else None)
            if isinstance(example, date):
                value.number_format = "yyyy-mm-dd"
                for r in range(3, 3 + 200):
                    ws.cell(row=r, column=j).number_format = "yyyy-mm-dd"
            if isinstance(example, str) and "\n" in example:
                value.alignment = Alignment(wrap_text=True, vertical="top")
            choices = DROP_DOWNS.get((sheet_name, header))
            if choices:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(choices) + '"',
                    allow_blank=True,
                    showErrorMessage=sheet_name != "承诺" or header != "方面",
                    errorTitle="请从列表中选择",
                    error="请从下拉列表中选择：" + "/".join(choices),
                )
                validation.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
                ws.add_data_validation(validation)
        ws.freeze_panes = "A2"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
    except OSError as error:
        raise PledgeWallError(f"无法写入 {path}：{error.strerror}（文件是否正在 Excel 中打开？）") from error
    return path
