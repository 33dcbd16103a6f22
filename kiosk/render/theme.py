"""Colours and the type scale. Status is always colour *and* word; colours pass 4.5:1 with white."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.roster import Grade, PledgeStatus

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Theme:
    name: str
    background: RGB
    header: RGB  # header band
    header_text: RGB
    accent: RGB  # gold rule under the header
    card: RGB
    card_border: RGB
    text: RGB
    muted: RGB  # secondary text; still ≥ 7:1 on the card
    footer: RGB
    footer_text: RGB
    status: dict[PledgeStatus, RGB]
    grade: dict[Grade, RGB]
    overdue: RGB
    progress_track: RGB
    placeholder: RGB  # photo placeholder background
    chip_text: RGB = (255, 255, 255)


_STATUS = {
    PledgeStatus.DONE: (22, 110, 52),  # green
    PledgeStatus.IN_PROGRESS: (21, 88, 168),  # blue
    PledgeStatus.NOT_STARTED: (84, 88, 94),  # grey
    PledgeStatus.NOT_KEPT: (176, 30, 30),  # red
}
_GRADE = {
    Grade.EXCELLENT: (150, 20, 20),
    Grade.PASS: (22, 110, 52),
    Grade.BASIC_PASS: (150, 90, 0),
    Grade.FAIL: (84, 88, 94),
}

RED = Theme(
    name="red",
    background=(243, 236, 226),
    header=(178, 18, 28),
    header_text=(255, 255, 255),
    accent=(232, 186, 80),
    card=(255, 255, 255),
    card_border=(214, 200, 182),
    text=(24, 24, 24),
    muted=(70, 70, 70),
    footer=(60, 20, 20),
    footer_text=(255, 246, 230),
    status=_STATUS,
    grade=_GRADE,
    overdue=(176, 80, 0),
    progress_track=(226, 222, 216),
    placeholder=(222, 214, 204),
)

CONTRAST = Theme(
    name="contrast",
    background=(0, 0, 0),
    header=(20, 20, 20),
    header_text=(255, 255, 255),
    accent=(255, 210, 0),
    card=(16, 16, 16),
    card_border=(120, 120, 120),
    text=(255, 255, 255),
    muted=(220, 220, 220),
    footer=(20, 20, 20),
    footer_text=(255, 255, 255),
    status=_STATUS,
    grade=_GRADE,
    overdue=(255, 170, 60),
    progress_track=(70, 70, 70),
    placeholder=(60, 60, 60),
)

THEMES = {theme.name: theme for theme in (RED, CONTRAST)}
