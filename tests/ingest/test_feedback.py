"""Feedback from the online form: scales, duplicates, unknown members, and no comment ever stored."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_roster
from hypothesis import given
from hypothesis import strategies as st
from rosterfiles import write_csv, write_xlsx

from kiosk.cli import main
from kiosk.ingest.feedback import _satisfied, quarter, read_feedback
from kiosk.store.db import open_engine
from kiosk.store.read import read_roster
from kiosk.store.snapshot import load_snapshot
from kiosk.store.write import replace_villages

SECRET = "王某某家里的事情不要再说了"  # a comment naming someone: must never be stored


def rows() -> list[list[object]]:
    return [
        ["村民评价结果导出"],  # a title row above the header
        ["提交时间", "提交者", "编号", "承诺编号", "满意度", "意见建议"],
        [datetime(2026, 11, 2, 9, 0), "u1", "QSC001", "QSC001-1", "满意", SECRET],
        [datetime(2026, 11, 2, 9, 5), "u2", "QSC001", "QSC001-1", "不满意", None],
        [datetime(2026, 11, 2, 9, 6), "u2", "QSC001", "QSC001-1", "不满意", None],  # the same person again
        [datetime(2026, 11, 3, 10, 0), "u3", "QSC001", None, "基本满意", "好"],
        [datetime(2026, 11, 4, 10, 0), "u1", "QSC002", None, "一般", None],
        [datetime(2026, 11, 4, 11, 0), "u4", "ZZZ999", None, "满意", None],  # no such member
        [datetime(2026, 11, 4, 12, 0), "u5", "QSC002", None, "还行吧", None],  # not a rating
    ]


def test_answers_are_counted_once_per_respondent(tmp_path: Path) -> None:
    read = read_feedback(write_xlsx(tmp_path / "fk.xlsx", {"评价": rows()}))
    assert read.duplicates == 1
    assert read.period == "2026年第四季度"
    assert [(a.member_number, a.satisfied) for a in read.answers] == [
        ("QSC001", True), ("QSC001", False), ("QSC001", True), ("QSC002", False), ("ZZZ999", True)]
    [bad] = read.problems
    assert bad.code == "feedback.rating" and bad.location.sheet == "评价" and bad.location.row == 9
    assert bad.location.column == "E" and "还行吧" in bad.zh


def test_the_command_stores_counts_and_share_and_never_the_comment(tmp_path: Path) -> None:
    data = tmp_path / "data"
    engine = open_engine(data)
    replace_villages(engine, make_roster(3))
    engine.dispose()
    runner = CliRunner()
    path = write_xlsx(tmp_path / "fk.xlsx", {"评价": rows()})
    result = runner.invoke(main, ["feedback", "import", str(path), "--data-dir", str(data)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "ZZZ999" in result.output and "评价!C8" in result.output  # the unknown member, by place
    assert "已导入 2026年第四季度 的评价 4 条（党员 2 名）" in result.output
    engine = open_engine(data)
    card = next(c for c in load_snapshot(engine).cards if c.member.number == "QSC001")
    by_pledge = {f.pledge_code: f for f in card.feedback}
    assert (by_pledge[""].count, by_pledge[""].satisfaction) == (3, pytest.approx(66.7))
    assert (by_pledge["QSC001-1"].count, by_pledge["QSC001-1"].satisfaction) == (2, 50.0)
    # Importing the same period again replaces it; a roster re-import keeps it with its members.
    runner.invoke(main, ["feedback", "import", str(path), "--data-dir", str(data)], catch_exceptions=False)
    replace_villages(engine, make_roster(3))
    again = next(c for c in load_snapshot(engine).cards if c.member.number == "QSC001")
    assert sorted((f.pledge_code, f.count) for f in again.feedback) == [("", 3), ("QSC001-1", 2)]
    assert read_roster(engine).villages[0].feedback  # and export would carry it
    engine.dispose()
    for file in data.rglob("*"):
        if file.is_file():
            assert SECRET.encode("utf-8") not in file.read_bytes(), file


def test_csv_with_stars_and_no_respondent_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "fk.csv", [
        ["编号", "评分", "时间"],
        ["QSC001", 5, "2026-02-01"],
        ["QSC001", 5, "2026-02-01"],  # identical rows: one answer
        ["QSC001", 3, "2026-02-02"],
        ["QSC002", "4星", "2026-02-03"],
    ], "gb18030")
    read = read_feedback(path)
    assert read.duplicates == 1 and read.period == "2026年第一季度"
    assert [a.satisfied for a in read.answers] == [True, False, True]


def test_no_rating_column_is_an_error_naming_the_columns(tmp_path: Path) -> None:
    read = read_feedback(write_csv(tmp_path / "fk.csv", [["编号", "意见"], ["QSC001", "好"]], "utf-8"))
    assert not read.answers and read.problems[0].code == "feedback.headers" and "满意度" in read.problems[0].zh


@given(st.sampled_from(["非常满意", "满意", "基本满意", "比较满意"]))
def test_satisfied_words(word: str) -> None:
    assert _satisfied(word, stars=False) is True


@given(st.sampled_from(["一般", "不满意", "很不满意", "非常不满意", "不太满意"]))
def test_unsatisfied_words(word: str) -> None:
    assert _satisfied(word, stars=False) is False


@given(st.integers(1, 5))
def test_stars(n: int) -> None:
    assert _satisfied(n, stars=True) is (n >= 4)
    assert _satisfied("★" * n, stars=False) is (n >= 4)


@given(st.floats(0, 100, allow_nan=False))
def test_scores_and_percentages(score: float) -> None:
    assert _satisfied(score, stars=False) is (score >= 60)
    assert _satisfied(f"{score:.0f}%", stars=False) is (round(score) >= 60)


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_quarters(day: date) -> None:
    assert quarter(day) == f"{day.year}年第{'一二三四'[(day.month - 1) // 3]}季度"
