"""Villagers' feedback as exported from the online form: one row per answer → counts and 满意率.

Satisfaction is the share of answers that are satisfied (满意率, as 群众满意度 is usually
reported), whatever scale the form used:
- words: 非常满意 / 满意 / 基本满意 count as satisfied; 一般 / 不满意 / 很不满意 do not;
- stars 1–5 (a column whose numbers are all ≤ 5): 4 and 5 are satisfied;
- scores 0–100 or "85%": 60 and above (the pass mark) is satisfied.
The same answer twice (same respondent for the same member and pledge, or, without a
respondent column, an identical row) counts once. Comments are read past and never kept: they
may name people, and only counts and satisfaction may reach the wall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kiosk.ingest import values as V
from kiosk.ingest.headers import NUMBER, Field, SheetSpec, find_header
from kiosk.ingest.problems import Location, Problem, Problems
from kiosk.ingest.tables import Sheet, read_table

ANSWERS = SheetSpec(
    "answers", "评价", "feedback answers", ("反馈", "评价结果", "问卷", "答卷", "sheet1"),
    (
        NUMBER,
        Field("pledge", "承诺编号", "pledge id", ("承诺id", "承诺代码", "pledge", "pledge_id")),
        Field("rating", "满意度", "rating", ("评分", "评价等级", "满意程度", "打分", "星级", "分数", "得分", "score",
                                             "satisfaction", "stars"), required=True),
        Field("comment", "评价", "comment", ("意见", "留言", "建议", "意见建议", "评语", "comments")),
        Field("time", "时间", "time", ("提交时间", "答题时间", "填写时间", "日期", "submitted", "date")),
        Field("respondent", "提交者", "respondent", ("答题人", "用户", "用户id", "openid", "微信号", "respondent id", "user")),
    ),
)

SATISFIED_WORDS = {"非常满意": True, "很满意": True, "满意": True, "基本满意": True, "比较满意": True,
                   "一般": False, "不太满意": False, "不满意": False, "很不满意": False, "非常不满意": False}
_STARS = re.compile(r"^([1-5])\s*(星|分|★)?$")


@dataclass(frozen=True)
class Answer:
    member_number: str
    pledge_code: str
    satisfied: bool
    location: Location  # the answer's row, for messages about it


@dataclass(frozen=True)
class FeedbackFile:
    answers: tuple[Answer, ...]  # duplicates removed
    period: str  # "2026年第四季度": from the latest answer's time, else today's quarter
    duplicates: int
    problems: tuple[Problem, ...]


def read_feedback(path: Path, *, today: date | None = None) -> FeedbackFile:
    book = read_table(path)
    problems = Problems()
    found = [(sheet, header) for sheet in book.sheets if (header := find_header(sheet, ANSWERS)) is not None
             and {f.key for f in header.columns.values()} >= {"number", "rating"}]
    if not found:
        problems.error(Location(book.file), "feedback.headers",
                       "找不到评价结果的表头：需要“编号”和“满意度”（或“评分”）两列",
                       "no feedback header row: columns 编号 (member id) and 满意度 (rating) are needed")
        return FeedbackFile((), "", 0, tuple(problems.items))
    sheet, header = found[0]
    columns = {field.key: j for j, field in header.columns.items()}
    stars = _is_star_column(sheet, header.index, columns["rating"])
    seen: set[tuple[object, ...]] = set()
    answers: list[Answer] = []
    duplicates = 0
    latest: datetime | None = None
    for i in range(header.index + 1, len(sheet.rows)):
        row = sheet.rows[i]
        cell = lambda key: row[columns[key]] if key in columns and columns[key] < len(row) else None  # noqa: E731
        if all(V.is_blank(v) for v in row):
            continue
        where = _at(sheet, i, columns["number"], "编号")
        number, pledge = V.code(cell("number")), V.code(cell("pledge"))
        rating = cell("rating")
        if not number:
            problems.warning(_at(sheet, i, columns["number"], "编号"), "feedback.number",
                             "这一行没有党员编号，未计入", "no member id on this row; not counted")
            continue
        satisfied = _satisfied(rating, stars)
        if satisfied is None:
            problems.warning(_at(sheet, i, columns["rating"], "满意度"), "feedback.rating",
                             f"无法识别的满意度“{V.show(rating)}”，应为 满意/基本满意/不满意、1–5 星或 0–100 分；未计入",
                             f"unknown rating “{V.show(rating)}”; not counted")
            continue
        respondent = V.line(cell("respondent"))
        key = (respondent, number, pledge) if respondent else tuple(V.show(v) for v in row)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        when = _time(cell("time"))
        latest = max(latest, when) if latest and when else (when or latest)
        answers.append(Answer(number, pledge, satisfied, where))
    period = quarter((latest.date() if latest else None) or today or date.today())
    return FeedbackFile(tuple(answers), period, duplicates, tuple(problems.items))


def _at(sheet: Sheet, i: int, j: int, header: str) -> Location:
    return Location("", sheet.name, sheet.row_number(i), sheet.letter(j), header)


def _is_star_column(sheet: Sheet, header_index: int, j: int) -> bool:
    """Numbers all within 1–5 are stars; anything larger makes the column a 0–100 score."""
    numbers = []
    for row in sheet.rows[header_index + 1:]:
        value = row[j] if j < len(row) else None
        if V.is_blank(value) or V.is_percent_text(value):
            continue
        try:
            numbers.append(V.number(value))  # CSV cells arrive as text: "5" is a number too
        except ValueError:
            continue
    return bool(numbers) and all(1 <= n <= 5 for n in numbers)


def _satisfied(value: object, stars: bool) -> bool | None:
    if V.is_blank(value):
        return None
    if isinstance(value, str):
        word = V.narrow(value).strip()
        if word in SATISFIED_WORDS:
            return SATISFIED_WORDS[word]
        match = _STARS.match(word)
        if match and (stars or match.group(2)):
            return int(match.group(1)) >= 4
        if word.count("★") == len(word) and 1 <= len(word) <= 5:
            return len(word) >= 4
    try:
        if isinstance(value, str) and V.is_percent_text(value):
            return V.percent(value) >= 60
        number = V.number(value)
    except ValueError:
        return None
    if stars:
        return number >= 4
    if not 0 <= number <= 100:
        return None
    return number >= 60


def _time(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        day = V.parse_date(value)
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day)


def quarter(day: date) -> str:
    return f"{day.year}年第{'一二三四'[(day.month - 1) // 3]}季度"
