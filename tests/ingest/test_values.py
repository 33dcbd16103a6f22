"""Cell normalising: every date form, progress form, status synonym, full-width digits."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.ingest import values as V
from kiosk.roster import FulfilmentNote, Grade, MemberStatus, PledgeStatus


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        (date(2019, 7, 1), date(2019, 7, 1), date(2019, 7, 1)),
        (datetime(2019, 7, 1, 12, 30), date(2019, 7, 1), date(2019, 7, 1)),
        (43647.0, date(2019, 7, 1), date(2019, 7, 1)),  # Excel serial
        ("2019-07-01", date(2019, 7, 1), date(2019, 7, 1)),
        ("2019/7/1", date(2019, 7, 1), date(2019, 7, 1)),
        ("2019.7.1", date(2019, 7, 1), date(2019, 7, 1)),
        ("2019-07-01 00:00:00", date(2019, 7, 1), date(2019, 7, 1)),
        ("20190701", date(2019, 7, 1), date(2019, 7, 1)),
        ("2019.07", date(2019, 7, 1), date(2019, 7, 31)),
        ("2019-7", date(2019, 7, 1), date(2019, 7, 31)),
        ("2019年7月", date(2019, 7, 1), date(2019, 7, 31)),
        ("2019年7月1日", date(2019, 7, 1), date(2019, 7, 1)),
        ("２０１９年７月１日", date(2019, 7, 1), date(2019, 7, 1)),
        (" 2019 年 7 月 ", date(2019, 7, 1), date(2019, 7, 31)),
        ("2026年9月底", date(2026, 9, 30), date(2026, 9, 30)),
        ("2026年2月底", date(2026, 2, 28), date(2026, 2, 28)),
        ("2026年底", date(2026, 12, 31), date(2026, 12, 31)),
        ("2026年", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026年上半年", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026年第三季度", date(2026, 7, 1), date(2026, 9, 30)),
    ],
)
def test_date_forms(raw: object, start: date, end: date) -> None:
    assert V.parse_date(raw) == start
    assert V.parse_date(raw, period_end=True) == end


@pytest.mark.parametrize("raw", ["明年", "2019-13-01", "2019-02-30", "7/1/2019", -5.0, 10_000_000.0, "2019年13月"])
def test_bad_dates_say_what_to_write(raw: object) -> None:
    with pytest.raises(V.BadValue, match="2026-07-01"):
        V.parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "fractions", "expected"),
    [(40, False, 40), (40.0, False, 40), ("40", False, 40), ("40%", False, 40), ("40％", False, 40),
     ("４０％", False, 40), (0.4, True, 40), (1, True, 100), ("0.4", True, 40), ("40%", True, 40),
     (33.5, False, 34), (" 100 ", False, 100)],
)
def test_progress_forms(raw: object, fractions: bool, expected: int) -> None:
    assert V.progress(raw, fractions=fractions) == expected


@pytest.mark.parametrize("raw", [101, -1, "120%", "一半", "40 percent"])
def test_bad_progress(raw: object) -> None:
    with pytest.raises(V.BadValue, match="0–100"):
        V.progress(raw)


def test_fraction_scale_is_decided_per_column() -> None:
    assert V.fraction_scale([0.4, 1, None, "50%"])
    assert not V.fraction_scale([40, 1, 100])
    assert not V.fraction_scale([None, "x"])


@pytest.mark.parametrize(
    ("raw", "status"),
    [("完成", PledgeStatus.DONE), ("已兑现", PledgeStatus.DONE), ("Done", PledgeStatus.DONE),
     ("正在进行", PledgeStatus.IN_PROGRESS), (" 进行中 ", PledgeStatus.IN_PROGRESS), ("in progress", PledgeStatus.IN_PROGRESS),
     ("尚未开始", PledgeStatus.NOT_STARTED), ("未兑现", PledgeStatus.NOT_KEPT), ("未完成", PledgeStatus.NOT_KEPT)],
)
def test_status_synonyms(raw: str, status: PledgeStatus) -> None:
    assert V.status(raw) is status


def test_unknown_status_lists_the_words() -> None:
    with pytest.raises(V.BadValue) as caught:
        V.status("搞定")
    assert caught.value.zh == "无法识别的状态“搞定”，应为 已完成/进行中/未开始/未完成"


def test_grades_member_status_and_yes_no() -> None:
    assert V.grade("优秀") is Grade.EXCELLENT
    assert V.grade("基本称职") is Grade.BASIC_PASS
    assert V.member_status("预备党员") is MemberStatus.PROBATIONARY
    assert V.yes_no("否") is False and V.yes_no("是") is True and V.yes_no(True) is True
    with pytest.raises(V.BadValue):
        V.grade("良")


def test_codes_and_text_are_normalised() -> None:
    assert V.code("００１") == "001"
    assert V.code(7.0) == "7"
    assert V.code(" M 001 ") == "M001"
    assert V.line("王\u3000喆 ") == "王 喆"
    assert V.text("  修路，\u200b安灯  \r\n\r\n第二行 ") == "修路，安灯\n第二行"  # Chinese commas kept
    assert V.year("２０２６年") == 2026


def test_notes_lines() -> None:
    assert V.notes("2026-03-05 已完成选址\n2026年4月1日：路灯到货\n\n没有日期的一条") == (
        FulfilmentNote(date(2026, 3, 5), "已完成选址"),
        FulfilmentNote(date(2026, 4, 1), "路灯到货"),
        FulfilmentNote(None, "没有日期的一条"),
    )
    with pytest.raises(V.BadValue):
        V.notes("2026-02-30 不存在的日子")


cells = st.one_of(
    st.none(), st.text(max_size=30), st.floats(allow_nan=True, allow_infinity=True), st.integers(),
    st.booleans(), st.dates(), st.datetimes(),
    st.sampled_from(["40%", "２０２６年９月底", "2019.07", "已完成", "0.4", "1e400", "-0", "５０％"]),
)


@given(cells)
def test_parsers_fail_only_with_badvalue(value: object) -> None:
    for parser in (V.parse_date, V.progress, V.percent, V.status, V.grade, V.member_status, V.yes_no,
                   V.year, V.integer, V.notes):
        try:
            parser(value)
        except V.BadValue:
            pass
    V.text(value), V.code(value), V.line(value), V.is_blank(value)
