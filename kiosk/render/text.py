"""Line breaking for Chinese text mixed with Latin words and numbers, and single-line cutting.

Pure: no pygame. Callers pass `measure(text) -> pixels` (normally `TextFont.width`).

The rules (GB/T 15834 practice, "禁则"):
- a line may break between any two Han characters, and at spaces;
- runs of Latin letters and digits (words, 2026, 3.5, 1,000, e-mail) stay together;
- closing punctuation (，。、；：！？）》」… % and ASCII , . ; : ! ? ) ] } %) never starts a line:
  the character before it is carried down with it;
- opening punctuation (（《「“ ( [ {) never ends a line: it goes down with what follows;
- a dash "——" or an ellipsis "……" is not split;
- explicit line breaks ("\\n", "\\r\\n", U+2028) are honoured; lines carry no leading or trailing
  whitespace.

The pieces that the rules glue together are the *units* (see `units`). A unit alone wider than
the line is the one exception: it is split between characters wherever it has to be, so at a very
narrow width a line may start with closing or end with opening punctuation. A single character
(with its combining marks) wider than the line cannot be shown at all, and then `wrap` returns [].

Every returned line satisfies `measure(line) <= width`. Measuring is done on candidate lines found
by galloping from the previous line's length and then bisecting, so a long text costs
O(lines · log(line length)) calls to `measure`, not one per character.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Measure = Callable[[str], int]

CLOSING = frozenset(
    "，。、；：！？）》」』】〉〕〗〙〛｝］｠”’〞〟…‥％‰℃·・ー～"
    "．，：；！？％"  # fullwidth forms of ASCII punctuation
    ",.;:!?)]}%"
)
OPENING = frozenset("（《「『【〈〔〖〘〚｛［｟“‘〝([{")
_DASHES = frozenset("—⸺―")
# After one of these a word goes on when a letter or digit follows: 3.5, 1,000, e-mail, a/b.
_CONNECT = ".,:'’\\-/_@&+#"
_WORD = "0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
# Combining marks, zero-width joiner and variation selectors never start a new piece.
_ATTACHED = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\U000e0100-\U000e01ef"
_ATOM = re.compile(
    rf"(?P<space>[^\S\n]+)"
    rf"|(?P<word>[{_WORD}]+(?:[{_CONNECT}][{_WORD}]+)*[{_ATTACHED}]*)"
    rf"|(?P<char>(?s:.)[{_ATTACHED}]*)"
)
_GRAPHEME = re.compile(rf"(?s:.)[{_ATTACHED}]*")
# Trimmed from the end of a cut line before the ellipsis: "（…" and "，…" read badly.
_BEFORE_ELLIPSIS = frozenset("，、；：,;:") | OPENING


def _may_break(before: str, after: str) -> bool:
    """May a line end with atom `before` and the next start with atom `after`?"""
    if after[0] in CLOSING or before[-1] in OPENING:
        return False
    if before[-1] in _DASHES and after[0] in _DASHES:
        return False
    return not (before[-1] == "\u200d")


def _boxes(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the unbreakable units of one paragraph (no newlines in it)."""
    boxes: list[tuple[int, int]] = []
    start = end = -1
    last = ""
    for m in _ATOM.finditer(paragraph):
        if m.lastgroup == "space":
            continue
        atom = m.group()
        if start < 0:
            start = m.start()
        elif _may_break(last, atom):
            boxes.append((start, end))
            start = m.start()
        end, last = m.end(), atom
    if start >= 0:
        boxes.append((start, end))
    return boxes


def _paragraphs(text: str) -> list[str]:
    """Explicit lines, stripped; blank lines at the start and end are dropped, inner ones kept."""
    lines = [line.strip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    first = next((i for i, line in enumerate(lines) if line), len(lines))
    return lines[first:]


def units(text: str) -> list[str]:
    """The pieces `wrap` keeps on one line unless one alone is wider than the line."""
    return [p[s:e] for p in _paragraphs(text) for s, e in _boxes(p)]


def _longest(lo: int, hi: int, guess: int, fits: Callable[[int], bool]) -> int:
    """Largest i in [lo, hi] with fits(i), given fits(lo) (and fits monotone, falling).

    Gallops from `guess` to bracket the answer, then bisects: few calls when the guess is good.
    """
    if lo >= hi:
        return lo
    g = min(max(guess, lo + 1), hi)
    if fits(g):
        good, step = g, 1
        while True:
            probe = good + step
            if probe >= hi:
                if fits(hi):
                    return hi
                bad = hi
                break
            if not fits(probe):
                bad = probe
                break
            good, step = probe, step * 2
    else:
        bad, step = g, 1
        good = lo
        while True:
            probe = bad - step
            if probe <= lo:
                break
            if fits(probe):
                good = probe
                break
            bad, step = probe, step * 2
    while bad - good > 1:
        mid = (good + bad) // 2
        if fits(mid):
            good = mid
        else:
            bad = mid
    return good


def _grapheme_ends(text: str, start: int, end: int) -> list[int]:
    return [m.end() for m in _GRAPHEME.finditer(text, start, end)]


class _Cut(Exception):
    """A single character is wider than the line: nothing can be shown faithfully."""


def _wrap_paragraph(p: str, width: int, measure: Measure, limit: int | None, guess: list[int]) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of the lines of one paragraph, at most `limit`, and where the rest begins."""
    boxes = _boxes(p)
    if not boxes:
        return [(0, 0)], len(p)
    box_ends = [e for _, e in boxes]
    spans: list[tuple[int, int]] = []
    pos, b = boxes[0][0], 0  # the next line starts at `pos`, inside box `b`
    while b < len(boxes) and (limit is None or len(spans) < limit):
        if pos >= box_ends[b]:
            b += 1
            if b < len(boxes):
                pos = boxes[b][0]
            continue
        start = pos

        def fits_box(i: int, start: int = start) -> bool:
            return measure(p[start : box_ends[i]]) <= width

        if fits_box(b):
            last = _longest(b, len(boxes) - 1, b + guess[0] - 1, fits_box)
            guess[0] = max(1, last - b + 1)
            spans.append((start, box_ends[last]))
            b = last + 1
            if b < len(boxes):
                pos = boxes[b][0]
            continue
        # The unit alone is wider than the line: split it between characters.
        ends = _grapheme_ends(p, start, box_ends[b])

        def fits_char(i: int, start: int = start, ends: list[int] = ends) -> bool:
            return measure(p[start : ends[i]].rstrip()) <= width

        if not fits_char(0):
            raise _Cut
        last = _longest(0, len(ends) - 1, 0, fits_char)
        end = ends[last]
        spans.append((start, len(p[start:end].rstrip()) + start))
        pos = end
        while pos < box_ends[b] and p[pos].isspace():
            pos += 1
    rest = pos if b < len(boxes) else len(p)
    return spans, rest


def _ellipsized(text: str, width: int, measure: Measure, ellipsis: str, guess: int | None = None) -> str | None:
    """Longest character prefix of `text` that fits with the ellipsis after it; None if none."""
    if measure(ellipsis) > width:
        return None
    ends = [0, *_grapheme_ends(text, 0, len(text))]

    def head(i: int) -> str:
        h = text[: ends[i]].rstrip()
        while h and h[-1] in _BEFORE_ELLIPSIS:
            h = h[:-1].rstrip()
        return h

    def fits(i: int) -> bool:
        return measure(head(i) + ellipsis) <= width

    best = _longest(0, len(ends) - 1, len(ends) - 1 if guess is None else guess, fits)
    return head(best) + ellipsis


def wrap(
    text: str,
    width: int,
    measure: Measure,
    max_lines: int | None = None,
    ellipsis: str = "…",
) -> list[str]:
    """Break `text` into lines no wider than `width`, following the Chinese rules above.

    With `max_lines`, text that does not fit is cut: the last line ends with `ellipsis` (and
    still fits). If the text has to be cut but even the ellipsis is wider than the line, or one
    character alone is wider than the line, the result is [] — never a line that spills.
    Empty text gives [].
    """
    if width <= 0 or (max_lines is not None and max_lines <= 0):
        return []
    paragraphs = _paragraphs(text)
    lines: list[str] = []
    guess = [8]
    try:
        for n, p in enumerate(paragraphs):
            room = None if max_lines is None else max_lines - len(lines)
            if room == 0:
                if any(paragraphs[n:]):
                    return _cut_last(lines, lines[-1], width, measure, ellipsis)
                break
            spans, rest = _wrap_paragraph(p, width, measure, room, guess)
            lines.extend(p[s:e] for s, e in spans)
            if rest < len(p) and p[rest:].strip():
                return _cut_last(lines, p[spans[-1][0] :], width, measure, ellipsis)
    except _Cut:
        return []
    return lines


def _cut_last(lines: list[str], tail: str, width: int, measure: Measure, ellipsis: str) -> list[str]:
    """Replace the last line by `tail` (its text and everything after) cut with the ellipsis."""
    cut = _ellipsized(tail, width, measure, ellipsis, guess=len(lines[-1]))
    if cut is None:
        return []
    return [*lines[:-1], cut]


def ellipsize(text: str, width: int, measure: Measure, ellipsis: str = "…") -> str:
    """`text` on one line if it fits, else its longest prefix that fits followed by `ellipsis`.

    Line breaks count as spaces. Returns "" when not even the ellipsis fits.
    """
    one_line = " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text
    if width <= 0:
        return ""
    if measure(one_line) <= width:
        return one_line
    return _ellipsized(one_line, width, measure, ellipsis) or ""
