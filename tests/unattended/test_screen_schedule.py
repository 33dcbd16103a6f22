"""Screen opening hours: daily, overnight, per weekday, always/never, and clear errors."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import PledgeWallError
from kiosk.unattended.schedule import (
    ALWAYS,
    NEVER,
    Hours,
    ScreenSchedule,
    next_change,
    parse_schedule,
    screen_on,
)

MON = datetime(2026, 3, 2)  # a Monday
assert MON.weekday() == 0


def at(day_offset: int, hh: int, mm: int = 0) -> datetime:
    return MON + timedelta(days=day_offset, hours=hh, minutes=mm)


DAY = parse_schedule({"on": "07:00", "off": "21:30"})
NIGHT = parse_schedule({"on": "18:00", "off": "02:00"})


def test_daily_hours() -> None:
    assert not screen_on(at(0, 6, 59), DAY)
    assert screen_on(at(0, 7, 0), DAY)
    assert screen_on(at(0, 21, 29), DAY)
    assert not screen_on(at(0, 21, 30), DAY)
    assert not screen_on(at(0, 0, 0), DAY)
    assert next_change(at(0, 6), DAY) == at(0, 7)
    assert next_change(at(0, 7), DAY) == at(0, 21, 30)
    assert next_change(at(0, 22), DAY) == at(1, 7)


def test_overnight_hours_run_into_the_next_day() -> None:
    assert NIGHT.days[0] == Hours(time(18), time(2)) and NIGHT.days[0].overnight
    assert screen_on(at(0, 23, 59), NIGHT)
    assert screen_on(at(1, 0, 0), NIGHT)  # midnight
    assert screen_on(at(1, 1, 59), NIGHT)
    assert not screen_on(at(1, 2, 0), NIGHT)
    assert not screen_on(at(1, 17, 59), NIGHT)
    assert next_change(at(0, 12), NIGHT) == at(0, 18)
    assert next_change(at(0, 18), NIGHT) == at(1, 2)
    assert next_change(at(1, 0), NIGHT) == at(1, 2)


def test_off_at_24_00_means_midnight() -> None:
    schedule = parse_schedule({"on": "07:00", "off": "24:00"})
    assert screen_on(at(0, 23, 59), schedule)
    assert not screen_on(at(1, 0, 0), schedule)
    assert next_change(at(0, 12), schedule) == at(1, 0)


def test_always_and_never() -> None:
    for raw in (None, {}, {"hours": "always"}, {"on": "always"}):
        schedule = parse_schedule(raw)
        assert schedule.always_on
        assert screen_on(at(3, 3), schedule)
        assert next_change(at(3, 3), schedule) is None
    dark = parse_schedule({"hours": "never"})
    assert not screen_on(at(3, 12), dark)
    assert next_change(at(3, 12), dark) is None


def test_per_weekday_overrides() -> None:
    schedule = parse_schedule(
        {
            "on": "07:00",
            "off": "21:30",
            "days": {"sat": "08:00-20:00", "sun": "never", "fri": {"on": "07:00", "off": "01:00"}},
        }
    )
    assert schedule.days[5] == Hours(time(8), time(20))
    assert schedule.days[6] == NEVER
    assert screen_on(at(4, 23), schedule)  # Friday late
    assert screen_on(at(5, 0, 30), schedule)  # Friday's hours run into Saturday
    assert not screen_on(at(5, 7, 30), schedule)
    assert screen_on(at(5, 8), schedule)
    assert not screen_on(at(6, 12), schedule)  # Sunday dark
    assert next_change(at(5, 20), schedule) == at(7, 7)  # Saturday 20:00 → Monday 07:00
    assert parse_schedule({"days": {"周日": "never"}}).days[6] == NEVER
    assert parse_schedule({"days": {"Sunday": "off"}}).days == (ALWAYS,) * 6 + (NEVER,)


def test_adjacent_ranges_do_not_count_as_a_change() -> None:
    schedule = parse_schedule({"on": "18:00", "off": "02:00", "days": {"tue": "02:00-18:00"}})
    # Monday 18:00 → Tuesday 02:00, then Tuesday's own hours 02:00 → 18:00: lit without a break
    assert next_change(at(0, 19), schedule) == at(1, 18)
    assert screen_on(at(1, 2), schedule)


def test_toml_time_values() -> None:
    schedule = parse_schedule({"on": time(7, 0), "off": time(21, 30)})
    assert schedule.days[0] == Hours(time(7), time(21, 30))


def test_aware_datetimes_keep_their_zone() -> None:
    from datetime import timezone

    tz = timezone(timedelta(hours=8))
    moment = datetime(2026, 3, 2, 6, 0, tzinfo=tz)
    assert next_change(moment, DAY) == datetime(2026, 3, 2, 7, 0, tzinfo=tz)


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ({"on": "7am", "off": "21:30"}, "[schedule] on"),
        ({"on": "07:00", "off": "25:00"}, "[schedule] off"),
        ({"on": "07:00"}, "off"),
        ({"on": "07:00", "off": "07:00"}, "always"),
        ({"hours": "sometimes"}, "[schedule] hours"),
        ({"days": {"funday": "never"}}, "funday"),
        ({"days": {"sat": "08:00-8pm"}}, "days.sat"),
        ({"days": {"sat": {"on": "08:00"}}}, "days.sat"),
        ({"brightness": 3}, "brightness"),
        ({"hours": "always", "on": "07:00", "off": "08:00"}, "hours"),
    ],
)
def test_errors_name_the_key(raw, named) -> None:
    with pytest.raises(PledgeWallError, match=None) as caught:
        parse_schedule(raw)
    assert named in str(caught.value)


RULES = st.one_of(
    st.just(ALWAYS),
    st.just(NEVER),
    st.builds(
        lambda a, b: Hours(time(a // 60, a % 60), time(b // 60, b % 60)),
        st.integers(0, 1439),
        st.integers(0, 1439),
    ).filter(lambda h: h.on != h.off),
)


@given(
    days=st.lists(RULES, min_size=7, max_size=7),
    minutes=st.integers(0, 14 * 24 * 60),
)
def test_next_change_really_is_the_next_change(days, minutes) -> None:
    schedule = ScreenSchedule(tuple(days))
    now = MON + timedelta(minutes=minutes)
    state = screen_on(now, schedule)
    change = next_change(now, schedule)
    if change is None:
        for step in range(0, 8 * 24 * 60, 30):
            assert screen_on(now + timedelta(minutes=step), schedule) == state
        return
    assert change > now
    assert screen_on(change, schedule) != state
    assert screen_on(change - timedelta(seconds=1), schedule) == state
    # nothing flips in between (schedules have minute resolution)
    probe = now
    while probe < change - timedelta(minutes=1):
        probe += timedelta(minutes=1)
        assert screen_on(probe, schedule) == state or probe >= change
