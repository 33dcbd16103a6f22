"""Normalising cell values: text, numbers, dates, progress, status words, grades.

Pure functions. Each parser takes a raw cell value (str, float, int, bool, date, datetime or
None) and returns the clean value, or raises `BadValue` whose message (zh and en) says what
was found and what is expected. Blank cells are the caller's business: parsers see non-blank
values only, except `text`/`code` which turn blanks into "".
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, datetime, time, timedelta

from kiosk.roster import FulfilmentNote, Grade, MemberStatus, PledgeStatus


class BadValue(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en


# -- text -------------------------------------------------------------------------------------

# Full-width ASCII (！ to ～) → ASCII, ideographic and no-break spaces → space.
_WIDE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_SPACES = {0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: None,
           0xFEFF: None, 0x200C: None, 0x200D: None, 0x2060: None}
_NARROW = {**_WIDE, **_SPACES}


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.translate(_SPACES).strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def show(value: object) -> str:
    """A value as the admin typed it, for messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def text(value: object) -> str:
    """Display text: stray spaces trimmed, odd spaces made plain; Chinese punctuation kept."""
    if value is None:
        return ""
    if type(value) is str and value.isprintable() and "  " not in value:
        return value.strip(" ")  # fast path: no newlines, tabs, odd spaces or runs of spaces
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    result = str(value).translate(_SPACES).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in result.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def line(value: object) -> str:
    """One-line text (names, posts): all whitespace runs become one space."""
    result = text(value)
    return re.sub(r"\s+", " ", result).strip() if "\n" in result else result


def narrow(value: str) -> str:
    """Full-width digits, letters and punctuation → ASCII (for codes, numbers, dates)."""
    return value.translate(_NARROW).strip()


def code(value: object) -> str:
    """An identifier such as a member number: 1.0 → "1", "００１" → "001", no spaces."""
    if value is None:
        return ""
    if type(value) is str and value.isascii() and value.isalnum():
        return value  # fast path: "M000123"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return re.sub(r"\s+", "", narrow(text(value)))


# -- numbers ----------------------------------------------------------------------------------


def number(value: object) -> float:
    if isinstance(value, bool):
        raise BadValue(f"“{show(value)}”不是数字", f"“{show(value)}” is not a number")
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value):
            raise BadValue("不是有效的数字", "not a valid number")
        return float(value)
    s = narrow(text(value)).replace(",", "")
    try:
        result = float(s)
    except ValueError:
        raise BadValue(f"“{show(value)}”不是数字", f"“{show(value)}” is not a number") from None
    if math.isnan(result) or math.isinf(result):
        raise BadValue(f"“{show(value)}”不是数字", f"“{show(value)}” is not a number")
    return result


def integer(value: object) -> int:
    n = number(value)
    if not n.is_integer():
        raise BadValue(f"“{show(value)}”应为整数", f"“{show(value)}” should be a whole number")
    return int(n)


def year(value: object) -> int:
    s = value if isinstance(value, (int, float)) else narrow(text(value)).removesuffix("年度").removesuffix("年")
    try:
        result = integer(s)
    except BadValue:
        raise BadValue(
            f"年度“{show(value)}”无法识别，应写成四位数年份，如 2026",
            f"year “{show(value)}” not understood; write four digits, e.g. 2026",
        ) from None
    if not 1921 <= result <= 2100:
        raise BadValue(
            f"年度 {result} 不在合理范围内（1921–2100），请检查",
            f"year {result} is out of range (1921–2100)",
        )
    return result


def is_percent_text(value: object) -> bool:
    return isinstance(value, str) and narrow(value).rstrip().endswith("%")


def fraction_scale(values: list[object]) -> bool:
    """True when a column's plain numbers are fractions (0.4 = 40 %): all of them are ≤ 1.

    Excel cells formatted as percent hold 0.4; typed numbers hold 40. Deciding per column keeps
    a lone 1 meaning 100 % in a column of 0.4s and 1 % in a column of 40s.
    """
    seen = False
    for value in values:
        if is_blank(value) or is_percent_text(value):
            continue
        try:
            n = number(value)
        except BadValue:
            continue
        seen = True
        if n > 1 or n < 0:
            return False
    return seen


def percent(value: object, *, fractions: bool = False) -> float:
    """40, "40", "40%", "40％", 0.4 (in a fraction-scale column) → 40.0; must be within 0–100."""
    if is_percent_text(value):
        raw = narrow(str(value)).rstrip().removesuffix("%").strip()
        n = number(raw) if raw else number(value)
    else:
        n = number(value)
        if fractions:
            n *= 100
    n = round(n, 6)
    if not 0 <= n <= 100:
        raise BadValue(
            f"“{show(value)}”超出 0–100% 的范围",
            f"“{show(value)}” is outside 0–100 %",
        )
    return n


def progress(value: object, *, fractions: bool = False) -> int:
    try:
        n = percent(value, fractions=fractions)
    except BadValue as error:
        raise BadValue(
            f"进度{error.zh}，请填 0–100 之间的数，如 40、40% 或 0.4",
            f"progress: {error.en}; enter 0–100, e.g. 40, 40% or 0.4",
        ) from None
    return int(math.floor(n + 0.5))


# -- dates ------------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_SEP = r"\s*[-/.．。、]\s*"
_YMD = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})(?:日|号)?(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?)?")
_YM = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})")
_CN = re.compile(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]?)?)?\s*(底|末|初|中|前|内|以前|之前|上旬|中旬|下旬|上半年|下半年|第?[一二三四1-4]季度)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _bad_date(value: object) -> BadValue:
    return BadValue(
        f"日期“{show(value)}”无法识别，请写成 2026-07-01、2026.07 或 2026年7月 这样的形式",
        f"date “{show(value)}” not understood; write it like 2026-07-01, 2026.07 or 2026年7月",
    )


def _make(value: object, y: int, m: int, d: int) -> date:
    try:
        result = date(y, m, d)
    except ValueError:
        raise _bad_date(value) from None
    if not 1900 <= y <= 2100:
        raise BadValue(
            f"日期“{show(value)}”的年份不在合理范围内（1900–2100）",
            f"date “{show(value)}” has a year outside 1900–2100",
        )
    return result


def parse_date(value: object, *, period_end: bool = False) -> date:
    """Excel dates and serials, and text such as 2019-07-01, 2019/7/1, 2019.07, 2019年7月,
    2026年9月底. A month or year without a day means its first day, or its last day when
    `period_end` (a due date "2026年9月" means by the end of September)."""
    if isinstance(value, datetime):
        return _make(value, value.year, value.month, value.day)
    if isinstance(value, date):
        return _make(value, value.year, value.month, value.day)
    if isinstance(value, timedelta):
        raise _bad_date(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value)
    s = narrow(text(value))
    if not s:
        raise _bad_date(value)
    if m := _YMD.fullmatch(s):
        return _make(value, int(m[1]), int(m[2]), int(m[3]))
    if m := _YM.fullmatch(s):
        y, mo = int(m[1]), int(m[2])
        _make(value, y, mo, 1)
        return _month_end(y, mo) if period_end else date(y, mo, 1)
    if m := _CN.fullmatch(s):
        return _chinese(value, m, period_end)
    if m := _COMPACT.fullmatch(s):
        return _make(value, int(m[1]), int(m[2]), int(m[3]))
    if re.fullmatch(r"\d{4}", s):
        y = int(s)
        return _make(value, y, 12, 31) if period_end else _make(value, y, 1, 1)
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        return _serial(float(s))
    raise _bad_date(value)


def _chinese(value: object, m: re.Match[str], period_end: bool) -> date:
    y = int(m[1])
    month, day, suffix = m[2], m[3], m[4] or ""
    if day:
        return _make(value, y, int(month), int(day))
    if month:
        mo = int(month)
        _make(value, y, mo, 1)
        if suffix in ("底", "末", "前", "内", "以前", "之前", "下旬"):
            return _month_end(y, mo)
        if suffix in ("初", "上旬"):
            return date(y, mo, 1) if not period_end or suffix == "初" else date(y, mo, 10)
        if suffix in ("中", "中旬"):
            return date(y, mo, 15) if suffix == "中" else date(y, mo, 20)
        return _month_end(y, mo) if period_end else date(y, mo, 1)
    if suffix == "上半年":
        return _make(value, y, 6, 30) if period_end else _make(value, y, 1, 1)
    if suffix == "下半年":
        return _make(value, y, 12, 31) if period_end else _make(value, y, 7, 1)
    if suffix.endswith("季度"):
        q = _QUARTER[suffix.removeprefix("第")[0]]
        return _month_end(y, q * 3) if period_end else _make(value, y, q * 3 - 2, 1)
    if suffix in ("初",):
        return _make(value, y, 1, 1)
    if suffix in ("中",):
        return _make(value, y, 6, 30)
    return _make(value, y, 12, 31) if period_end or suffix else _make(value, y, 1, 1)


def _serial(value: float) -> date:
    """An Excel date serial (1900 system, days since 1899-12-30)."""
    if not 1 <= value < 73051:  # 2099-12-31
        raise BadValue(
            f"日期“{show(value)}”不是有效的 Excel 日期，请写成 2026-07-01 这样的形式",
            f"date “{show(value)}” is not a valid Excel date; write it like 2026-07-01",
        )
    return _EXCEL_EPOCH + timedelta(days=int(value))


# -- notes ------------------------------------------------------------------------------------

_NOTE_DATE = re.compile(
    r"(\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号]?)?|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?)"
    r"\s*[:：,，、\s]?\s*(.*)",
    re.S,
)


def notes(value: object) -> tuple[FulfilmentNote, ...]:
    """践诺记录: lines "2026-03-05 text" (date optional) separated by newlines."""
    result = []
    for raw in text(value).split("\n"):
        line_text = raw.strip()
        if not line_text:
            continue
        # text() removed zero-width characters, so narrowing maps one character to one.
        m = _NOTE_DATE.match(line_text.translate(_WIDE))
        if m:
            on = parse_date(m[1])
            body = line_text[m.start(2):].strip()
            if not body:
                raise BadValue(
                    f"践诺记录“{show(line_text)}”只有日期没有内容",
                    f"fulfilment note “{show(line_text)}” has a date but no text",
                )
            result.append(FulfilmentNote(on, body))
        else:
            result.append(FulfilmentNote(None, line_text))
    return tuple(result)


# -- words ------------------------------------------------------------------------------------


def _key(value: object) -> str:
    return re.sub(r"[\s_\-]+", "", narrow(text(value)).lower())


_STATUS = {
    PledgeStatus.DONE: "已完成 完成 已兑现 兑现 已落实 落实 完成了 已完成兑现 已办结 办结 done completed complete finished kept",
    PledgeStatus.IN_PROGRESS: "进行中 正在进行 推进中 正在推进 在办 办理中 实施中 正在实施 进行 落实中 持续推进 ongoing inprogress doing started",
    PledgeStatus.NOT_STARTED: "未开始 尚未开始 没开始 待开始 未启动 计划中 待办 notstarted planned todo pending",
    PledgeStatus.NOT_KEPT: "未完成 未兑现 没完成 未能完成 未达成 未落实 未能兑现 notkept notdone failed unfulfilled missed",
}
STATUS_WORDS = {_key(word): status for status, words in _STATUS.items() for word in words.split()}

_GRADES = {
    Grade.EXCELLENT: "优秀 优 excellent",
    Grade.PASS: "合格 称职 良好 pass good qualified",
    Grade.BASIC_PASS: "基本合格 基本称职 basicpass basicallyqualified",
    Grade.FAIL: "不合格 不称职 fail unqualified",
}
GRADE_WORDS = {_key(word): grade for grade, words in _GRADES.items() for word in words.split()}

_MEMBER_STATUS = {
    MemberStatus.FULL: "正式 正式党员 full member regular",
    MemberStatus.PROBATIONARY: "预备 预备党员 probationary probationarymember candidate",
}
MEMBER_STATUS_WORDS = {
    _key(word): status for status, words in _MEMBER_STATUS.items() for word in words.split()
}

_YES = {_key(w) for w in "是 公示 已公示 y yes true 1 对 √ ✓ 公开".split()}
_NO = {_key(w) for w in "否 不公示 未公示 暂不公示 n no false 0 × ✗ 不公开".split()}


def status(value: object) -> PledgeStatus:
    found = STATUS_WORDS.get(_key(value))
    if found is None:
        raise BadValue(
            f"无法识别的状态“{show(value)}”，应为 已完成/进行中/未开始/未完成",
            f"unknown status “{show(value)}”; use 已完成/进行中/未开始/未完成 (done/in progress/not started/not kept)",
        )
    return found


def grade(value: object) -> Grade:
    found = GRADE_WORDS.get(_key(value))
    if found is None:
        raise BadValue(
            f"无法识别的评定等次“{show(value)}”，应为 优秀/合格/基本合格/不合格",
            f"unknown grade “{show(value)}”; use 优秀/合格/基本合格/不合格",
        )
    return found


def member_status(value: object) -> MemberStatus:
    found = MEMBER_STATUS_WORDS.get(_key(value))
    if found is None:
        raise BadValue(
            f"无法识别的党员类别“{show(value)}”，应为 正式 或 预备",
            f"unknown member status “{show(value)}”; use 正式 (full) or 预备 (probationary)",
        )
    return found


def yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    key = _key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise BadValue(
        f"“{show(value)}”应为 是 或 否",
        f"“{show(value)}” should be 是 (yes) or 否 (no)",
    )
