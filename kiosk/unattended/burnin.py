"""A slow drift of the whole picture by a few pixels, against burn-in of static elements.

Pure: the offset is a function of the time passed in. The path walks x across
-max_px..+max_px and back one pixel per step, and y one pixel per full x cycle, so over
16·max_px² steps every offset is visited and each step moves at most one pixel per axis.
"""

from __future__ import annotations

from datetime import datetime, timedelta

STEP = timedelta(minutes=10)
_EPOCH = datetime(2000, 1, 3)  # a Monday; naive local time, so the path ignores DST and zones


def _triangle(k: int, amplitude: int) -> int:
    """0, 1, …, a, a-1, …, -a, …, -1, 0, … (period 4a)."""
    phase = k % (4 * amplitude)
    if phase <= amplitude:
        return phase
    if phase <= 3 * amplitude:
        return 2 * amplitude - phase
    return phase - 4 * amplitude


def pixel_shift(now: datetime, max_px: int, *, step: timedelta = STEP) -> tuple[int, int]:
    """(dx, dy) with |dx|, |dy| ≤ max_px, changing by at most 1 px per axis once per `step`."""
    if max_px < 0:
        raise ValueError("max_px must be ≥ 0")
    if max_px == 0:
        return (0, 0)
    k = int((now.replace(tzinfo=None) - _EPOCH) // step)
    cycle = 4 * max_px
    return (_triangle(k, max_px), _triangle(k // cycle, max_px))


def next_shift(now: datetime, *, step: timedelta = STEP) -> datetime:
    """When the offset may next change (the start of the next step), same tzinfo as `now`."""
    naive = now.replace(tzinfo=None)
    k = (naive - _EPOCH) // step
    return (_EPOCH + (k + 1) * step).replace(tzinfo=now.tzinfo)
