"""Burn-in pixel shift: bounded, slow, deterministic, and it visits every offset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.unattended.burnin import STEP, next_shift, pixel_shift

START = datetime(2026, 1, 1, 0, 0)


@given(
    moment=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 1, 1)),
    max_px=st.integers(0, 12),
)
def test_bounded_and_deterministic(moment, max_px) -> None:
    dx, dy = pixel_shift(moment, max_px)
    assert abs(dx) <= max_px and abs(dy) <= max_px
    assert pixel_shift(moment, max_px) == (dx, dy)


@pytest.mark.parametrize("max_px", [1, 3, 4, 8])
def test_slow_and_covers_every_offset(max_px) -> None:
    steps = 16 * max_px * max_px
    seen = set()
    previous = pixel_shift(START, max_px)
    changes = 0
    for minute in range(1, steps * 10 + 1):
        now = START + timedelta(minutes=minute)
        current = pixel_shift(now, max_px)
        assert abs(current[0] - previous[0]) <= 1 and abs(current[1] - previous[1]) <= 1
        if current != previous:
            changes += 1
            assert now == next_shift(now - timedelta(seconds=1))  # only at step boundaries
        seen.add(current)
        previous = current
    assert changes <= steps
    assert len(seen) == (2 * max_px + 1) ** 2


def test_constant_within_a_step() -> None:
    base = next_shift(START)
    first = pixel_shift(base, 4)
    assert all(pixel_shift(base + timedelta(seconds=s), 4) == first for s in range(0, 600, 7))
    assert next_shift(base) == base + STEP


def test_zero_and_bad_sizes() -> None:
    assert pixel_shift(START, 0) == (0, 0)
    with pytest.raises(ValueError):
        pixel_shift(START, -1)


def test_time_zone_does_not_matter() -> None:
    aware = START.replace(tzinfo=timezone(timedelta(hours=8)))
    assert pixel_shift(aware, 4) == pixel_shift(START, 4)
