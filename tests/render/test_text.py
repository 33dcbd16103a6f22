"""Chinese line breaking: widths always respected, 禁则 kept, text preserved, ellipsis exactly when cut."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kiosk.render.text import CLOSING, OPENING, ellipsize, units, wrap

HAN = "党员承诺公示屏门直骨喆堃赟䶮𠇔学习服务群众"
CLOSE = "，。、；：！？）》」』】〉”’…％,.;:!?)]}%"
OPEN = "（《「『【〈“‘([{"
LATIN = "abcxyzABC"
DIGITS = "0123456789"
OTHER = "—·-+/#"
SPACES = "  \t\u3000"


def fake(s: str) -> int:
    """Per-category widths, like a real CJK font but easy to reason about."""
    total = 0
    for ch in s:
        if ch in LATIN:
            total += 6
        elif ch in DIGITS:
            total += 5
        elif ch in " \t":
            total += 3
        elif ch in ",.;:!?)]}%([{-+/#'":
            total += 4
        else:
            total += 10  # Han, fullwidth punctuation, ellipses, 　
    return total


alphabet = st.sampled_from(list(HAN + CLOSE + OPEN + LATIN + DIGITS + OTHER + SPACES + "\n"))
words = st.sampled_from(["2026", "60%", "3.5", "1,000", "e-mail", "practical", "Wi-Fi", "“三会一课”", "——", "……"])
texts = st.lists(st.one_of(alphabet, alphabet, alphabet, words), max_size=120).map("".join)
widths = st.integers(min_value=1, max_value=260)
ELLIPSIS = "⋯"  # not in the alphabet, so its presence proves a cut


def no_space(s: str) -> str:
    return re.sub(r"\s+", "", s)


def longest_unit(text: str, measure=fake) -> int:  # type: ignore[no-untyped-def]
    return max((measure(u) for u in units(text)), default=0)


def check_kinsoku(text: str, lines: list[str], ellipsis: str | None = None) -> None:
    """No line starts with closing or ends with opening punctuation, unless the paragraph itself
    starts or ends there (there is nothing to carry along)."""
    at = 0
    for i, line in enumerate(lines):
        if ellipsis and i == len(lines) - 1 and line.endswith(ellipsis):
            line = line[: -len(ellipsis)]
            ends_paragraph = False  # the text goes on after a cut, and "（…" is trimmed anyway
        else:
            ends_paragraph = None
        if not line:
            continue
        found = text.find(line, at)
        assert found >= 0, (line, text)
        before = text[:found].rstrip(" \t\u3000")
        after = text[found + len(line) :].lstrip(" \t\u3000")
        at = found + len(line)
        if line[0] in CLOSING:
            assert before == "" or before.endswith("\n"), lines
        if line[-1] in OPENING:
            assert ends_paragraph is None and (after == "" or after.startswith("\n")), lines


def check_order(text: str, lines: list[str]) -> None:
    """Each line is a piece of the text, in order; together they are the text minus whitespace."""
    at = 0
    for line in lines:
        assert "\n" not in line and line == line.strip()
        if line:
            found = text.find(line, at)
            assert found >= 0, (line, text)
            at = found + len(line)
    assert no_space("".join(lines)) == no_space(text)


# -- properties, fake measure


@given(texts, widths)
def test_no_line_is_wider_than_the_width(text: str, width: int) -> None:
    for line in wrap(text, width, fake):
        assert fake(line) <= width


@given(texts, widths)
def test_text_is_kept_in_order_when_nothing_is_cut(text: str, width: int) -> None:
    lines = wrap(text, width, fake)
    widest_char = max((fake(c) for c in text if not c.isspace()), default=0)
    if widest_char > width:
        assert lines == []  # a character that cannot fit at all: nothing is shown
    else:
        check_order(text, lines)


@given(texts, widths)
def test_kinsoku_holds_whenever_every_unit_fits(text: str, width: int) -> None:
    """The exact rule: a line may start with closing or end with opening punctuation only when
    a single unit (see `units`) is wider than the line and has to be split."""
    assume(longest_unit(text) <= width)
    check_kinsoku(text, wrap(text, width, fake))


@given(texts, widths, st.integers(min_value=1, max_value=6))
def test_ellipsis_appears_exactly_when_text_is_cut(text: str, width: int, max_lines: int) -> None:
    full = wrap(text, width, fake)
    assume(full or not no_space(text))
    lines = wrap(text, width, fake, max_lines=max_lines, ellipsis=ELLIPSIS)
    assert len(lines) <= max_lines
    assert all(fake(line) <= width for line in lines)
    if len(full) <= max_lines:
        assert lines == full
        return
    if fake(ELLIPSIS) > width:
        assert lines == []
        return
    assert lines[-1].endswith(ELLIPSIS)
    assert not any(ELLIPSIS in line for line in lines[:-1])
    assert lines[:-1] == full[: max_lines - 1]
    shown = no_space("".join(lines)[: -len(ELLIPSIS)])
    assert no_space(text).startswith(shown)
    if longest_unit(text) <= width:
        check_kinsoku(text, lines, ELLIPSIS)


@given(texts, widths)
def test_ellipsize_fits_and_cuts_only_when_needed(text: str, width: int) -> None:
    one_line = " ".join(text.splitlines())
    out = ellipsize(text, width, fake, ellipsis=ELLIPSIS)
    assert fake(out) <= width
    if fake(one_line) <= width:
        assert out == one_line
    elif fake(ELLIPSIS) > width:
        assert out == ""
    else:
        assert out.endswith(ELLIPSIS) and one_line.startswith(out[: -len(ELLIPSIS)])


# -- examples


def test_closing_punctuation_carries_the_character_before_it_down() -> None:
    assert wrap("我承诺，认真。", 30, fake) == ["我承", "诺，认", "真。"]


def test_opening_punctuation_goes_down_with_what_follows() -> None:
    assert wrap("带头参加（三会一课）", 50, fake) == ["带头参加", "（三会一", "课）"]  # not "带头参加（"


def test_words_and_numbers_stay_together() -> None:
    assert wrap("完成60%的道路硬化2026年", 40, fake) == ["完成60%", "的道路硬", "化2026年"]
    assert wrap("abcabc cab", 40, fake) == ["abcabc", "cab"]


def test_a_word_wider_than_the_line_is_split() -> None:
    assert wrap("abcabcabca", 30, fake) == ["abcab", "cabca"]


def test_tiny_width_splits_a_unit_and_nothing_spills() -> None:
    assert wrap("门。", 10, fake) == ["门", "。"]  # the one case a line starts with "。"
    assert wrap("门。", 9, fake) == []  # not even one character fits


def test_explicit_newlines_and_stray_spaces() -> None:
    assert wrap("  第一行  \n\n 第二行 \n", 100, fake) == ["第一行", "", "第二行"]
    assert wrap("", 100, fake) == [] and wrap(" \n ", 100, fake) == []
    assert wrap("a b", 6, fake) == ["a", "b"]


def test_dashes_and_ellipses_are_not_split() -> None:
    assert wrap("很好——真的", 30, fake) == ["很好", "——真", "的"]
    assert wrap("等等……好", 30, fake) == ["等", "等……", "好"]


def test_max_lines_cuts_with_an_ellipsis_that_fits() -> None:
    assert wrap("我承诺认真学习党的理论", 40, fake, max_lines=2) == ["我承诺认", "真学习…"]
    assert wrap("甲\n乙\n丙", 40, fake, max_lines=2) == ["甲", "乙…"]
    assert wrap("甲乙（丙丁", 30, fake, max_lines=1) == ["甲乙…"]  # no "（…"
    assert wrap("甲乙丙丁", 5, fake, max_lines=1) == []


def test_ellipsize_examples() -> None:
    assert ellipsize("党员承诺公示屏", 70, fake) == "党员承诺公示屏"
    assert ellipsize("党员承诺公示屏", 40, fake) == "党员承…"
    assert ellipsize("党员承诺公示屏", 9, fake) == ""


# -- performance


PLEDGE = (
    "认真学习党的二十大精神和习近平新时代中国特色社会主义思想，每月参加“三会一课”不少于1次，"
    "带头落实2026年村级重点工作：完成村内道路硬化3.5公里、新建路灯60盏，确保60%以上的农户"
    "用上自来水（约230户）。每季度走访困难群众和留守老人不少于4次，帮助解决实际问题……"
)
LONG = (PLEDGE * 4)[:600]


def test_long_pledge_needs_few_measure_calls() -> None:
    calls = 0

    def counting(s: str) -> int:
        nonlocal calls
        calls += 1
        return fake(s)

    lines = wrap(LONG, 300, counting)
    assert len(lines) >= 18
    assert calls <= 8 * len(lines), (calls, len(lines))


# -- the real font


@pytest.fixture(scope="module")
def body():  # type: ignore[no-untyped-def]
    from kiosk.render.fonts import FontBook

    return FontBook.bundled().font(26)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts, st.integers(min_value=1, max_value=700))
def test_real_font_lines_fit_and_keep_the_rules(body, text: str, width: int) -> None:  # type: ignore[no-untyped-def]
    lines = wrap(text, width, body.width)
    assert all(body.width(line) <= width for line in lines)
    if longest_unit(text, body.width) <= width:
        check_kinsoku(text, lines)
        check_order(text, lines)
    cut = wrap(text, width, body.width, max_lines=2)
    assert all(body.width(line) <= width for line in cut)
    assert body.width(ellipsize(text, width, body.width)) <= width


def test_real_font_wrap_time_for_a_600_character_pledge(body) -> None:  # type: ignore[no-untyped-def]
    wrap(LONG, 500, body.width)  # warm up
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        lines = wrap(LONG, 500, body.width, max_lines=40)
    per_call = (time.perf_counter() - start) / runs
    print(f"wrap 600 chars into {len(lines)} lines: {per_call * 1000:.2f} ms")
    assert per_call < 0.02
