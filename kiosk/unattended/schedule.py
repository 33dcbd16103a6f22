"""Screen opening hours: when the wall is lit and when it goes dark. Pure: the time is passed in.

Config (a `[schedule]` table; every key optional, no table = always on):

    [schedule]
    on = "07:00"
    off = "21:30"              # "02:00" with on = "18:00" runs overnight, into the next day
    # hours = "07:00-21:30"    # the same in one key; "always" or "never" also work
    # on = "always"            # also always on
    [schedule.days]            # per weekday, overrides on/off: mon tue wed thu fri sat sun
    sat = "08:00-20:00"
    sun = "never"              # dark all day (an overnight range from Saturday still runs)

An overnight range belongs to the day it starts: with on 18:00 off 02:00, Monday's hours are
Monday 18:00 to Tuesday 02:00. Times are naive local wall-clock times; `off = "24:00"` means
midnight at the end of the day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from kiosk.errors import PledgeWallError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_ALIASES = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    **{
        name: i
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    **{name: i for i, name in enumerate(("周一", "周二", "周三", "周四", "周五", "周六", "周日"))},
    "周天": 6,
}


@dataclass(frozen=True, slots=True)
class Hours:
    """One day's lit hours. on == off is not allowed; use ALWAYS or NEVER."""

    on: time
    off: time

    @property
    def overnight(self) -> bool:
        return self.off <= self.on  # off 00:00 (or "24:00") after an evening start is overnight


ALWAYS = "always"  # lit the whole day
NEVER = "never"  # dark the whole day (but yesterday's overnight hours still run into it)
DayRule = Hours | str  # Hours, ALWAYS or NEVER


@dataclass(frozen=True, slots=True)
class ScreenSchedule:
    days: tuple[DayRule, ...] = (ALWAYS,) * 7  # Monday first

    @classmethod
    def daily(cls, rule: DayRule) -> ScreenSchedule:
        return cls((rule,) * 7)

    @property
    def always_on(self) -> bool:
        return all(rule == ALWAYS for rule in self.days)


def _rule(schedule: ScreenSchedule, day: date) -> DayRule:
    return schedule.days[day.weekday()]


def _spans(schedule: ScreenSchedule, day: date, tz: Any) -> list[tuple[datetime, datetime]]:
    """Lit spans that start on `day` (an overnight span ends the next day)."""
    rule = _rule(schedule, day)
    start = datetime.combine(day, time(0), tz)
    if rule == ALWAYS:
        return [(start, start + timedelta(days=1))]
    if rule == NEVER:
        return []
    assert isinstance(rule, Hours)
    on = datetime.combine(day, rule.on, tz)
    off = datetime.combine(day + timedelta(days=1) if rule.overnight else day, rule.off, tz)
    return [(on, off)]


def screen_on(now: datetime, schedule: ScreenSchedule) -> bool:
    """Should the screen be lit at `now`?"""
    today = now.date()
    for day in (today - timedelta(days=1), today):
        for on, off in _spans(schedule, day, now.tzinfo):
            if on <= now < off:
                return True
    return False


def next_change(now: datetime, schedule: ScreenSchedule) -> datetime | None:
    """The first moment after `now` when screen_on changes; None if it never does."""
    today = now.date()
    state = screen_on(now, schedule)
    boundaries = sorted(
        {
            moment
            for offset in range(-1, 9)
            for span in _spans(schedule, today + timedelta(days=offset), now.tzinfo)
            for moment in span
            if moment > now
        }
    )
    for moment in boundaries:
        if screen_on(moment, schedule) != state:
            return moment
    return None


# --- parsing ----------------------------------------------------------------------------------


def parse_time(value: Any, key: str) -> time:
    """'07:00', '7:00', '21:30', '24:00' (= midnight at the day's end), or a TOML time."""
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    text = str(value).strip().replace("：", ":")
    try:
        hours_text, minutes_text = text.split(":")
        hours, minutes = int(hours_text), int(minutes_text)
        if len(minutes_text) != 2 or not hours_text:
            raise ValueError(text)
        if (hours, minutes) == (24, 0):
            return time(0)
        return time(hours, minutes)
    except ValueError:
        raise PledgeWallError(
            f"屏幕时间表 {key} 的值“{value}”不是时间，应写成 24 小时制的 时:分，例如 07:00 或 21:30"
        ) from None


def parse_rule(value: Any, key: str) -> DayRule:
    """'always', 'never'/'off', '07:00-21:30', or a table {on = '07:00', off = '21:30'}."""
    if isinstance(value, Mapping):
        unknown = set(value) - {"on", "off"}
        if unknown:
            raise PledgeWallError(
                f"屏幕时间表 {key} 里有未知的设置：{', '.join(sorted(unknown))}，只能是 on 和 off"
            )
        if "on" not in value or "off" not in value:
            raise PledgeWallError(
                f'屏幕时间表 {key} 要同时写 on 和 off，例如 {{ on = "07:00", off = "21:30" }}'
            )
        return _hours(
            parse_time(value["on"], f"{key}.on"), parse_time(value["off"], f"{key}.off"), key
        )
    if value is True:
        return ALWAYS
    if value is False:
        return NEVER
    text = str(value).strip().lower()
    if text in ("always", "on", "全天", "常亮"):
        return ALWAYS
    if text in ("never", "off", "关", "关闭", "不亮"):
        return NEVER
    for dash in ("-", "–", "—", "~", "～", "到"):
        if dash in text:
            on_text, off_text = text.split(dash, 1)
            return _hours(parse_time(on_text, key), parse_time(off_text, key), key)
    raise PledgeWallError(
        f'屏幕时间表 {key} 的值“{value}”无法识别，应写成 "07:00-21:30"、"always" 或 "never"'
    )


def _hours(on: time, off: time, key: str) -> Hours:
    if on == off:
        raise PledgeWallError(
            f'屏幕时间表 {key} 的开屏和关屏时间相同（{on:%H:%M}）；全天亮屏请写 "always"'
        )
    return Hours(on, off)


def parse_schedule(raw: Mapping[str, Any] | None, where: str = "[schedule]") -> ScreenSchedule:
    """The `[schedule]` table of config.toml → ScreenSchedule. Errors name the key."""
    if not raw:
        return ScreenSchedule()
    unknown = set(raw) - {"on", "off", "hours", "days"}
    if unknown:
        raise PledgeWallError(
            f"{where} 里有未知的设置：{', '.join(sorted(map(str, unknown)))}（可用 on、off、hours、days）"
        )
    if "hours" in raw and ("on" in raw or "off" in raw):
        raise PledgeWallError(f"{where} 里 hours 和 on/off 只能写一种")
    if "hours" in raw:
        default = parse_rule(raw["hours"], f"{where} hours")
    elif str(raw.get("on", "")).strip().lower() == ALWAYS and "off" not in raw:
        default = ALWAYS  # on = "always"
    elif "on" in raw or "off" in raw:
        if "on" not in raw or "off" not in raw:
            missing = "off" if "on" in raw else "on"
            raise PledgeWallError(f"{where} 缺少 {missing}：开屏 on 和关屏 off 要一起写")
        default = _hours(
            parse_time(raw["on"], f"{where} on"), parse_time(raw["off"], f"{where} off"), where
        )
    else:
        default = ALWAYS
    days = [default] * 7
    per_day = raw.get("days", {})
    if not isinstance(per_day, Mapping):
        raise PledgeWallError(f'{where} days 应是一个表，例如 [schedule.days] sat = "08:00-20:00"')
    for name, value in per_day.items():
        index = _WEEKDAY_ALIASES.get(str(name).strip().lower())
        if index is None:
            raise PledgeWallError(
                f"{where} days 里的“{name}”不是星期几，应写 {'、'.join(WEEKDAYS)}"
            )
        days[index] = parse_rule(value, f"{where} days.{name}")
    return ScreenSchedule(tuple(days))
