"""Roster mapping and validation on real workbooks: records, and every problem's exact place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rosterfiles import Rows, canonical, write_xlsx

from kiosk.ingest.importer import CheckResult, check_roster
from kiosk.ingest.problems import Problem, Severity
from kiosk.ingest.roster import map_roster
from kiosk.ingest.tables import Sheet, Workbook
from kiosk.roster import Grade, MemberStatus, PledgeStatus

TODAY = date(2026, 5, 1)


def check(tmp_path: Path, sheets: dict[str, Rows], **kw: object) -> CheckResult:
    path = write_xlsx(tmp_path / "roster.xlsx", sheets, **kw)  # type: ignore[arg-type]
    return check_roster(path, today=TODAY)


def only(result: CheckResult, code: str) -> Problem:
    found = [p for p in result.problems if p.code == code]
    assert len(found) == 1, [p.format() for p in result.problems]
    return found[0]


def test_canonical_workbook_becomes_records(tmp_path: Path) -> None:
    result = check(tmp_path, canonical())
    assert result.roster is not None, [p.format() for p in result.problems]
    assert result.problems == ()
    (v,) = result.roster.villages
    assert (v.village.code, v.village.name, v.village.branch, v.village.township) == ("QSC", "青山村", "青山村党支部", "某某镇")
    assert [(m.number, m.name, m.post, m.status, m.joined) for m in v.members] == [
        ("M001", "王喆", "支部书记", MemberStatus.FULL, date(1998, 7, 1)),
        ("M002", "李堃", "组织委员", MemberStatus.FULL, date(2005, 7, 1)),
        ("M003", "张赟", "党员", MemberStatus.PROBATIONARY, date(2024, 6, 1)),
    ]
    assert [(p.code, p.status, p.progress, p.due) for p in v.pledges] == [
        ("M001-1", PledgeStatus.IN_PROGRESS, 40, date(2026, 9, 30)),
        ("M001-2", PledgeStatus.DONE, 100, date(2026, 12, 31)),
        ("P-9", PledgeStatus.NOT_KEPT, 30, date(2026, 6, 30)),
        ("M003-1", PledgeStatus.NOT_STARTED, 0, None),
    ]
    assert [n.text for n in v.pledges[0].notes] == ["已完成选址", "路灯到货"]
    assert [(e.grade, e.satisfaction, e.published) for e in v.evaluations] == [
        (Grade.EXCELLENT, 96.0, True), (Grade.PASS, 90.0, False)]
    assert v.notices[0].end == date(2026, 12, 31)
    assert v.feedback[0].pledge_code == "M001-1"


def test_title_row_english_headers_full_width_digits(tmp_path: Path) -> None:
    sheets = canonical()
    sheets["党员"] = [["青山村党员名单（2026年）"], ["ID", "Name", "Post", "Joined"],
                    ["Ｍ００１", "王喆", "书记", "１９９８年７月"], ["M002", "李堃", "党员", "2005-07-01"]]
    sheets["承诺"] = [["党员承诺公示"], [], ["id", "name", "Year", "Pledge", "Due", "Status", "Progress"],
                    ["Ｍ００１", "王喆", "２０２６", "修路", "2026.09", "完成", "１００％"],
                    ["M002", None, None, "帮扶", "2026年9月底", "正在进行", 0.5]]
    for name in ("评诺", "反馈汇总"):
        del sheets[name]
    result = check(tmp_path, sheets, merges={"党员": ["A1:D1"], "承诺": ["A1:G1"]})
    assert result.roster is not None, [p.format() for p in result.problems]
    v = result.roster.villages[0]
    assert [m.number for m in v.members] == ["M001", "M002"]
    assert v.members[0].joined == date(1998, 7, 1)
    p1, p2 = v.pledges
    assert (p1.status, p1.progress, p1.due, p1.year) == (PledgeStatus.DONE, 100, date(2026, 9, 30), 2026)
    assert (p2.status, p2.progress, p2.year) == (PledgeStatus.IN_PROGRESS, 50, 2026)
    note = only(result, "pledge.year_default")
    assert note.severity == Severity.NOTE and note.location.row == 5 and "完成时限" in note.zh


def test_private_and_extra_columns_are_ignored_and_never_reach_the_records(tmp_path: Path) -> None:
    sheets = canonical()
    sheets["党员"] = [row + extra for row, extra in zip(
        sheets["党员"],
        [["身份证号", "联系电话", "家庭住址", "党费", "学历"],
         ["110101199001011234", "13800138000", "青山村3组8号", 120, "高中"],
         ["110101199001015678", "13900139000", "青山村1组", 60, "大专"],
         ["11010120000101999X", "13700137000", "青山村5组", 30, "初中"]])]
    result = check(tmp_path, sheets)
    assert result.roster is not None
    private = [p for p in result.problems if p.code == "column.private"]
    assert [p.location.column for p in private] == ["I", "J", "K", "L"]
    assert all(p.severity == Severity.NOTE and "没有导入" in p.zh for p in private)
    extra = only(result, "column.ignored")
    assert extra.location.format() == "党员!M1 (学历)"
    dump = repr(result.roster)
    for secret in ("110101199001011234", "13800138000", "青山村3组8号", "高中"):
        assert secret not in dump


def test_single_sheet_with_merged_member_cells(tmp_path: Path) -> None:
    rows: Rows = [
        ["青山村党员承诺一览表"],
        ["编号", "姓名", "职务", "承诺内容", "状态", "进度", "身份证号"],
        ["M001", "王喆", "支部书记", "修路", "进行中", "40%", "110101199001011234"],
        [None, None, None, "参加党日", "已完成", "100%", None],
        ["M002", "李堃", "党员", "帮扶", "未开始", "0", None],
        ["M002", "李坤", "党员", "植树", "未开始", "0", None],
    ]
    result = check(tmp_path, {"Sheet1": rows}, merges={"Sheet1": ["A1:G1", "A3:A4", "B3:B4", "C3:C4"]})
    disagree = only(result, "member.disagree")
    assert disagree.location.format() == "Sheet1!B6 (姓名)"
    assert "第 5 行" in disagree.zh
    rows[5][1] = "李堃"
    result = check(tmp_path, {"Sheet1": rows}, merges={"Sheet1": ["A1:G1", "A3:A4", "B3:B4", "C3:C4"]})
    assert result.roster is not None, [p.format() for p in result.problems]
    v = result.roster.villages[0]
    assert [m.name for m in v.members] == ["王喆", "李堃"]
    assert [(p.member_number, p.text) for p in v.pledges] == [
        ("M001", "修路"), ("M001", "参加党日"), ("M002", "帮扶"), ("M002", "植树")]


def test_key_value_settings(tmp_path: Path) -> None:
    sheets = canonical()
    sheets["设置"] = [["项目", "内容"], ["村名", "青山村"], ["党支部", "青山村党支部"], ["反馈链接", "https://x.cn/{member_id}"]]
    result = check(tmp_path, sheets)
    assert result.roster is not None, [p.format() for p in result.problems]
    v = result.roster.villages[0].village
    assert (v.code, v.name, v.branch, v.feedback_url) == ("青山村", "青山村", "青山村党支部", "https://x.cn/{member_id}")


def test_township_file_with_village_column(tmp_path: Path) -> None:
    sheets = canonical()
    sheets["设置"].append(["LSC", "柳树村", "柳树村党支部", "某某镇", None])
    for row, village in zip(sheets["党员"], ["村", "青山村", "LSC", "柳树村"]):
        row.append(village)
    result = check(tmp_path, sheets)
    assert result.roster is not None, [p.format() for p in result.problems]
    qsc, lsc = result.roster.villages
    assert [m.number for m in qsc.members] == ["M001"]
    assert [m.number for m in lsc.members] == ["M002", "M003"]
    assert [p.member_number for p in lsc.pledges] == ["M002", "M003"]
    assert len(qsc.notices) == len(lsc.notices) == 1
    # Township numbers must be unique in the whole file.
    sheets["党员"][3][0] = "M001"
    result = check(tmp_path, sheets)
    assert only(result, "member.duplicate").location.format() == "党员!A4 (编号)"


def _set(sheet: str, row: int, col: int, value: object) -> Callable[[dict[str, Rows]], None]:
    def edit(sheets: dict[str, Rows]) -> None:
        sheets[sheet][row - 1][col] = value
    return edit


def _drop_sheet(name: str) -> Callable[[dict[str, Rows]], None]:
    return lambda sheets: sheets.pop(name)


def _drop_column(sheet: str, col: int) -> Callable[[dict[str, Rows]], None]:
    def edit(sheets: dict[str, Rows]) -> None:
        for row in sheets[sheet]:
            del row[col]
    return edit


CASES = [
    # (edit, code, severity, location as printed)
    (_set("承诺", 3, 7, "搞定"), "value.status", Severity.ERROR, "承诺!H3 (状态)"),
    (_set("承诺", 2, 8, 140), "value.progress", Severity.ERROR, "承诺!I2 (进度)"),
    (_set("承诺", 2, 8, "一半"), "value.progress", Severity.ERROR, "承诺!I2 (进度)"),
    (_set("承诺", 2, 6, "下个月"), "value.due", Severity.ERROR, "承诺!G2 (完成时限)"),
    (_set("党员", 3, 5, "2005-13-01"), "value.joined", Severity.ERROR, "党员!F3 (入党时间)"),
    (_set("承诺", 4, 4, None), "pledge.text_blank", Severity.ERROR, "承诺!E4 (承诺内容)"),
    (_set("承诺", 3, 0, "M404"), "pledge.member_unknown", Severity.ERROR, "承诺!A3 (编号)"),
    (_set("承诺", 2, 1, "王哲"), "member.name_mismatch", Severity.ERROR, "承诺!B2 (姓名)"),
    (_set("党员", 4, 0, "M001"), "member.duplicate", Severity.ERROR, "党员!A4 (编号)"),
    (_set("党员", 3, 1, None), "member.name_blank", Severity.ERROR, "党员!B3 (姓名)"),
    (_set("党员", 3, 1, "李" * 21), "member.name_long", Severity.ERROR, "党员!B3 (姓名)"),
    (_set("党员", 2, 4, "积极分子"), "value.member_status", Severity.ERROR, "党员!E2 (党员类别)"),
    (_set("承诺", 3, 8, 80), "pledge.done_progress", Severity.WARNING, "承诺!I3 (进度)"),
    (_set("承诺", 4, 9, None), "pledge.reason_missing", Severity.WARNING, "承诺!J4 (未兑现原因)"),
    (_set("承诺", 4, 11, "M001-1"), "pledge.code_duplicate", Severity.ERROR, "承诺!L4 (承诺编号)"),
    (_set("承诺", 2, 10, "2026-02-30 不存在"), "value.notes", Severity.ERROR, "承诺!K2 (践诺记录)"),
    (_set("评诺", 2, 3, "良"), "value.grade", Severity.ERROR, "评诺!D2 (评定等次)"),
    (_set("评诺", 3, 4, "120%"), "value.satisfaction", Severity.ERROR, "评诺!E3 (群众满意度)"),
    (_set("评诺", 3, 6, "也许"), "value.published", Severity.ERROR, "评诺!G3 (公示)"),
    (_set("评诺", 3, 0, "M001"), "evaluation.duplicate", Severity.ERROR, "评诺!C3 (年度)"),
    (_set("设置", 2, 4, "ftp://x.cn/{member_id}"), "url.scheme", Severity.ERROR, "设置!E2 (反馈链接)"),
    (_set("设置", 2, 4, "https://x.cn/{member}"), "url.placeholder", Severity.ERROR, "设置!E2 (反馈链接)"),
    (_set("公告", 2, 2, "2025-01-01"), "notice.end_before_start", Severity.ERROR, "公告!C2 (结束日期)"),
    (_set("反馈汇总", 2, 1, "M002-1"), "feedback.pledge_unknown", Severity.ERROR, "反馈汇总!B2 (承诺编号)"),
    (_set("反馈汇总", 2, 3, -3), "feedback.count", Severity.ERROR, "反馈汇总!D2 (人数)"),
    (_drop_sheet("承诺"), "sheet.missing", Severity.ERROR, "roster.xlsx"),
    (_drop_column("承诺", 4), "column.missing", Severity.ERROR, "承诺!第1行"),
    (_drop_column("党员", 1), "column.missing", Severity.ERROR, "党员!第1行"),
]


@pytest.mark.parametrize(("edit", "code", "severity", "where"), CASES, ids=[c[1] + ":" + c[3] for c in CASES])
def test_each_problem_is_found_at_its_place(tmp_path: Path, edit: Callable[[dict[str, Rows]], None],
                                            code: str, severity: Severity, where: str) -> None:
    sheets = canonical()
    edit(sheets)
    result = check(tmp_path, sheets)
    problem = only(result, code)
    assert problem.severity == severity
    assert problem.location.format() == where
    assert problem.location.file.endswith("roster.xlsx")
    assert problem.zh and problem.en
    assert (result.roster is None) == (severity == Severity.ERROR)


def test_format_matches_the_documented_example(tmp_path: Path) -> None:
    sheets = canonical()
    sheets["承诺"][6 - 1 - 1][7] = "搞定"  # row 5
    problem = only(check(tmp_path, sheets), "value.status")
    assert problem.format() == "承诺!H5 (状态): 无法识别的状态“搞定”，应为 已完成/进行中/未开始/未完成"
    assert problem.format("en").startswith("承诺!H5 (状态): unknown status “搞定”")


def test_blank_status_is_inferred_from_progress_with_a_warning(tmp_path: Path) -> None:
    sheets = canonical()
    sheets["承诺"][1][7] = None  # 40 % → 进行中
    sheets["承诺"][2][7] = None  # 100 % → 已完成
    result = check(tmp_path, sheets)
    assert result.roster is not None
    assert [p.status for p in result.roster.villages[0].pledges][:2] == [PledgeStatus.IN_PROGRESS, PledgeStatus.DONE]
    assert only(result, "pledge.status_blank").location.format() == "承诺!H2 (状态)"


def test_uncovered_characters_are_errors_when_the_font_chain_is_known(tmp_path: Path) -> None:
    fonts = pytest.importorskip("kiosk.render.fonts")
    sheets = canonical()
    sheets["承诺"][3][4] = "帮扶困难家庭\U000F0001"  # private-use plane: no font has it
    if not fonts.uncovered_chars("\U000F0001"):
        pytest.skip("the font chain claims private-use characters")
    assert only(check(tmp_path, sheets), "text.glyph").location.format() == "承诺!E4 (承诺内容)"


# -- hypothesis: nothing crashes, everything is located ------------------------------------------

cell = st.one_of(
    st.none(), st.text(max_size=12), st.integers(-5, 300), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.dates(), st.datetimes(),
    st.sampled_from(["M001", "M002", "已完成", "进行中", "未完成", "40%", "2026年9月底", "优秀", "是", "  ", "{x}",
                     "https://a.cn/{member_id}", "身份证号", "编号", "姓名"]),
)


def _sheet(name: str, header: list[object], data: list[list[object]]) -> Sheet:
    width = len(header)
    rows = [tuple(header)] + [tuple((r + [None] * width)[:width]) for r in data]
    return Sheet(name, tuple(rows))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    members=st.lists(st.lists(cell, min_size=9, max_size=9), max_size=6),
    pledges=st.lists(st.lists(cell, min_size=12, max_size=12), max_size=8),
    evaluations=st.lists(st.lists(cell, min_size=7, max_size=7), max_size=4),
    settings_rows=st.lists(st.lists(cell, min_size=5, max_size=5), max_size=3),
    extra=st.lists(st.lists(cell, min_size=3, max_size=3), max_size=3),
)
def test_random_cells_never_crash_and_every_problem_is_located(
    members: list[list[object]], pledges: list[list[object]], evaluations: list[list[object]],
    settings_rows: list[list[object]], extra: list[list[object]],
) -> None:
    canon = canonical()
    book = Workbook(Path("random.xlsx"), (
        _sheet("设置", canon["设置"][0], settings_rows),
        _sheet("党员", canon["党员"][0] + ["村"], members),
        _sheet("承诺", canon["承诺"][0], pledges),
        _sheet("评诺", canon["评诺"][0], evaluations),
        _sheet("公告", canon["公告"][0], extra),
        _sheet("反馈汇总", canon["反馈汇总"][0], extra),
    ))
    mapped = map_roster(book, today=TODAY)
    for problem in mapped.problems:
        assert problem.location.file == "random.xlsx"
        assert problem.location.sheet, problem
        assert problem.zh and problem.en
    assert (mapped.roster is None) == any(p.severity == Severity.ERROR for p in mapped.problems)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=8), max_size=12))
def test_random_single_sheets_never_crash(rows: list[list[object]]) -> None:
    width = max((len(r) for r in rows), default=0)
    sheet = Sheet("Sheet1", tuple(tuple(r + [None] * (width - len(r))) for r in rows))
    mapped = map_roster(Workbook(Path("x.csv"), (sheet,)), today=TODAY)
    assert all(p.location.file == "x.csv" for p in mapped.problems)
