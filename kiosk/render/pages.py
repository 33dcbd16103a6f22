"""Whole-screen pieces: header, footer with notices, the card grid, the year's summary table.

Pure: snapshot data, rendered cards, the time and a size in; Surfaces out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import pygame
from pygame import Rect, Surface

from kiosk.render.card import CardStyle
from kiosk.render.layout import Size, TypeScale, WallLayout
from kiosk.render.text import ellipsize, wrap
from kiosk.render.theme import RGB
from kiosk.roster import Grade, NoticeRecord, PledgeStatus, VillageRecord
from kiosk.store.snapshot import CardList, MemberCard

WEEKDAYS = "一二三四五六日"
PURPOSE = "党员承诺公示"
STATUS_ORDER = (
    PledgeStatus.DONE,
    PledgeStatus.IN_PROGRESS,
    PledgeStatus.NOT_STARTED,
    PledgeStatus.NOT_KEPT,
)


@dataclass(frozen=True)
class PageRef:
    kind: Literal["wall", "summary"]
    index: int  # 0-based within its kind
    of: int  # how many pages of this kind

    @property
    def label(self) -> str:
        prefix = "承诺总览 " if self.kind == "summary" else ""
        return f"{prefix}第 {self.index + 1}/{self.of} 页"


def page_sequence(wall_pages: int, summary_pages: int, summary_every: int) -> tuple[PageRef, ...]:
    """Wall pages in order, a summary page (the next one, cycling) after every N of them."""
    walls = [PageRef("wall", i, wall_pages) for i in range(wall_pages)]
    if summary_pages == 0 or summary_every <= 0:
        return tuple(walls) or (PageRef("wall", 0, 1),)
    sequence: list[PageRef] = []
    next_summary = 0
    for i, page in enumerate(walls, start=1):
        sequence.append(page)
        if i % summary_every == 0 or i == len(walls):
            sequence.append(PageRef("summary", next_summary % summary_pages, summary_pages))
            next_summary += 1
    # Every summary page appears at least once per cycle, even with few wall pages.
    while next_summary < summary_pages:
        sequence.append(PageRef("summary", next_summary, summary_pages))
        next_summary += 1
    return tuple(sequence) if sequence else (PageRef("summary", 0, summary_pages),)


def clock_text(now: datetime) -> str:
    return f"{now.year}年{now.month}月{now.day}日 星期{WEEKDAYS[now.weekday()]} {now:%H:%M}"


def header_button(size: Size, style: CardStyle, label: str) -> Rect:
    """The header's touch button (查找), at the right end; finger-sized at any screen size."""
    font = style.fonts.font(style.type.body, bold=True)
    accent_h = max(3, style.type.body // 6)
    height = size[1] - accent_h - 2 * max(4, style.type.body // 3)
    rect = Rect(0, 0, font.width(label) + 2 * style.type.body, height)
    rect.midright = (size[0] - style.type.body // 2, (size[1] - accent_h) // 2)
    return rect


def header_title(village: VillageRecord | None, room: int, measure: Callable[[str], int]) -> str:
    """The longest title that fits: with the branch's name, else the village's short name;
    "党员承诺公示" itself is what must not be cut."""
    titles = [] if village is None else [f"{village.branch or village.name} · {PURPOSE}",
                                         f"{village.name} · {PURPOSE}"]
    return next((t for t in titles if measure(t) <= room), ellipsize(PURPOSE, room, measure))


def render_header(
    village: VillageRecord | None,
    now: datetime,
    label: str,
    size: Size,
    style: CardStyle,
    button: str = "",
) -> Surface:
    theme, scale = style.theme, style.type
    surface = Surface(size)
    surface.fill(theme.header)
    accent_h = max(3, scale.body // 6)
    surface.fill(theme.accent, Rect(0, size[1] - accent_h, size[0], accent_h))
    pad = scale.body
    right_edge = size[0] - pad
    if button:
        rect = header_button(size, style, button)
        radius = max(4, scale.body // 3)
        pygame.draw.rect(surface, theme.header_text, rect, width=max(2, scale.body // 10), border_radius=radius)
        font = style.fonts.font(scale.body, bold=True)
        text = font.render(button, theme.header_text)
        surface.blit(text, text.get_rect(center=rect.center))
        right_edge = rect.left - pad
    right_font = style.fonts.font(scale.body)
    heading = style.fonts.font(scale.heading, bold=True)
    clock = f"{clock_text(now)}　{label}"
    widest = heading.width(header_title(village, right_edge, heading.width))
    if widest + right_font.width(clock) + 2 * pad > right_edge:
        clock = f"{now.month}月{now.day}日 {now:%H:%M}　{label}"  # narrow (portrait) screens
    right = right_font.render(clock, theme.header_text)
    right_rect = right.get_rect(midright=(right_edge, (size[1] - accent_h) // 2))
    surface.blit(right, right_rect)
    title = header_title(village, right_rect.left - 2 * pad, heading.width)
    if title:
        text = heading.render(title, theme.header_text)
        surface.blit(text, text.get_rect(midleft=(pad, (size[1] - accent_h) // 2)))
    return surface


def render_footer(updated: datetime | None, size: Size, style: CardStyle) -> tuple[Surface, Rect]:
    """The footer band with the data date; returns it and the box left for notices."""
    theme, scale = style.theme, style.type
    surface = Surface(size)
    surface.fill(theme.footer)
    font = style.fonts.font(scale.body)
    pad = scale.body
    stamp = f"数据更新 {updated:%Y-%m-%d}" if updated else "暂无数据"
    text = font.render(stamp, theme.footer_text)
    rect = text.get_rect(midright=(size[0] - pad, size[1] // 2))
    surface.blit(text, rect)
    notice_box = Rect(pad, 0, max(0, rect.left - 2 * pad), size[1])
    return surface, notice_box


def notice_lines(notices: Sequence[NoticeRecord], width: int, style: CardStyle) -> list[str]:
    """The notices cut into lines that fit the footer, by the Chinese line-breaking rules. Each
    notice starts on a line of its own: a line never ends with the first words of the next one."""
    if width <= 0:
        return []
    measure = style.fonts.font(style.type.body).width
    return [line for n in notices if n.text.strip()
            for line in wrap(f"【公告】{' '.join(n.text.split())}", width, measure)]


def notice_seconds(line: str) -> float:
    """How long a line of notice stays: about four characters a second, at least five seconds."""
    return max(5.0, len(line) / 4)


def render_notice_line(line: str, style: CardStyle) -> Surface:
    return style.fonts.font(style.type.body).render(line, style.theme.footer_text)


def draw_notices(footer: Surface, box: Rect, line: Surface | None) -> None:
    """One line of notice, left in its box and centred vertically."""
    if line is None or box.width <= 0:
        return
    footer.set_clip(box)
    footer.blit(line, (box.x, box.y + (box.height - line.get_height()) // 2))
    footer.set_clip(None)


def render_wall_body(cards: Sequence[Surface], layout: WallLayout, background: RGB) -> Surface:
    surface = Surface(layout.body.size)
    surface.fill(background)
    for card, rect in zip(cards, layout.cards):
        surface.blit(card, rect.move(0, -layout.body.y))
    return surface


def render_empty_body(size: Size, style: CardStyle, message: str) -> Surface:
    surface = Surface(size)
    surface.fill(style.theme.background)
    font = style.fonts.font(style.type.title)
    text = font.render(ellipsize(message, size[0] - 2 * style.type.body, font.width), style.theme.text)
    surface.blit(text, text.get_rect(center=(size[0] // 2, size[1] // 2)))
    return surface


def summary_first_row(scale: TypeScale) -> int:
    """Top of the first member row on a summary page (below title, legend and headings)."""
    return round(scale.body * 0.6) + scale.row + round(scale.body * 0.3) + scale.row


def summary_order(cards: CardList, by: str) -> CardList:
    """'post': as on the wall (leaders first). 'result': the year-end review — best grade first,
    then the largest share of pledges kept, then the fewest not kept; ties keep the wall's order."""
    if by != "result":
        return cards
    grades = {grade: rank for rank, grade in enumerate(Grade)}

    def key(card: MemberCard) -> tuple[int, float, int]:
        latest = card.latest_evaluation
        kept = card.count(PledgeStatus.DONE) / card.pledge_count if card.pledge_count else 0.0
        return (grades[latest.grade] if latest else len(grades), -kept, card.count(PledgeStatus.NOT_KEPT))

    return cards.sorted_by(key)


def render_summary_body(
    cards: Sequence[MemberCard], size: Size, style: CardStyle, *, year: int, today: date
) -> Surface:
    """The year at a glance: per member, pledges by status, overdue, grade and satisfaction."""
    theme, scale = style.theme, style.type
    surface = Surface(size)
    surface.fill(theme.background)
    font = style.fonts.font(scale.body)
    bold = style.fonts.font(scale.body, bold=True)
    pad = scale.body
    y = round(scale.body * 0.6)
    first_row = summary_first_row(style.type)

    title = bold.render(f"{year}年度 党员承诺践诺情况总览", theme.text)
    surface.blit(title, (pad, y))
    x = pad + title.get_width() + 2 * pad
    for status in STATUS_ORDER:  # the legend: colour and word together
        swatch = Rect(x, y + font.line_height // 4, font.line_height // 2, font.line_height // 2)
        if swatch.right + font.width(str(status)) > size[0] - pad:
            break
        pygame.draw.rect(surface, theme.status[status], swatch, border_radius=3)
        word = font.render(str(status), theme.text)
        surface.blit(word, (swatch.right + scale.body // 4, y))
        x = swatch.right + scale.body // 4 + word.get_width() + pad
    y += scale.row + round(scale.body * 0.3)

    columns = _summary_columns(size[0] - 2 * pad, scale.body, cards)
    _summary_heading(surface, columns, pad, y, style, cards)
    y = first_row
    pygame.draw.line(surface, theme.card_border, (pad, y - 2), (size[0] - pad, y - 2), 2)
    for i, card in enumerate(cards):
        row = Rect(pad, y, size[0] - 2 * pad, scale.row)
        if row.bottom > size[1]:
            break
        if i % 2 == 0:
            surface.fill(theme.card, row)
        _summary_row(surface, columns, row, card, style, today)
        y += scale.row
    return surface


@dataclass(frozen=True)
class _Column:
    key: str
    title: str
    width: int


def _summary_columns(width: int, b: int, cards: Sequence[MemberCard]) -> list[_Column]:
    fixed = [
        _Column("name", "姓名", 5 * b),
        _Column("post", "职务", 6 * b),
        *(_Column(str(s), str(s), round(3.6 * b)) for s in STATUS_ORDER),
        _Column("overdue", "逾期", 3 * b),
        _Column("grade", "评定", round(5.4 * b)),
        _Column("satisfaction", "满意度", 4 * b),
    ]
    spare = width - sum(c.width for c in fixed)
    if spare >= 6 * b:  # room for the stacked bar
        fixed.insert(2, _Column("bar", "承诺完成情况", spare))
        return fixed
    if spare < 0:  # narrow (portrait) screens: drop the post column first
        fixed = [c for c in fixed if c.key != "post"]
        spare = width - sum(c.width for c in fixed)
    if spare > 0:
        fixed[0] = _Column("name", "姓名", fixed[0].width + spare)
    return fixed


def _summary_heading(
    surface: Surface, columns: list[_Column], x: int, y: int, style: CardStyle, cards: Sequence[MemberCard]
) -> None:
    font = style.fonts.font(style.type.body, bold=True)
    years = [c.latest_evaluation.year for c in cards if c.latest_evaluation]
    for column in columns:
        title = column.title
        if column.key == "grade" and years:
            title = f"{max(years)}评定"
        text = ellipsize(title, column.width - style.type.body // 3, font.width)
        surface.blit(font.render(text, style.theme.text), (x, y))
        x += column.width


def _summary_row(
    surface: Surface,
    columns: list[_Column],
    row: Rect,
    card: MemberCard,
    style: CardStyle,
    today: date,
) -> None:
    theme, b = style.theme, style.type.body
    body = style.fonts.font(b)
    text_y = row.y + (row.height - body.line_height) // 2
    x = row.x
    total = card.pledge_count
    for column in columns:
        cell = Rect(x, row.y, column.width - b // 3, row.height)
        value, colour = "", theme.text
        if column.key == "name":
            value = card.member.name
        elif column.key == "post":
            value, colour = card.member.post, theme.muted
        elif column.key in {str(s) for s in STATUS_ORDER}:
            count = card.count(PledgeStatus(column.key))
            value = str(count)
            colour = theme.status[PledgeStatus(column.key)] if count else theme.muted
        elif column.key == "overdue":
            count = card.overdue(today)
            value, colour = (str(count), theme.overdue) if count else ("0", theme.muted)
        elif column.key == "grade":
            evaluation = card.latest_evaluation
            if evaluation is None:
                value, colour = "—", theme.muted
            else:
                value, colour = str(evaluation.grade), theme.grade[evaluation.grade]
        elif column.key == "satisfaction":
            value = _satisfaction(card)
        elif column.key == "bar" and total:
            _stacked_bar(surface, cell.inflate(0, -row.height // 2), card, style)
        if value:
            text = ellipsize(value, cell.width, body.width)
            surface.blit(body.render(text, colour), (cell.x, text_y))
        x += column.width


def _satisfaction(card: MemberCard) -> str:
    evaluation = card.latest_evaluation
    if evaluation is not None and evaluation.satisfaction is not None:
        return f"{evaluation.satisfaction:.0f}%"
    rated = [f for f in card.feedback if f.satisfaction is not None and not f.pledge_code]
    return f"{rated[0].satisfaction:.0f}%" if rated else "—"


def _stacked_bar(surface: Surface, rect: Rect, card: MemberCard, style: CardStyle) -> None:
    total = card.pledge_count
    x = rect.x
    for status in STATUS_ORDER:
        count = card.count(status)
        if not count:
            continue
        width = round(rect.width * count / total)
        surface.fill(style.theme.status[status], Rect(x, rect.y, width, rect.height))
        x += width
