"""One member card: photo, name, post, joined year, grade, progress, pledges, feedback QR.

Pure: data and decoded images in, a Surface out. Text never leaves its box: every string is
measured and cut with an ellipsis; the member detail screen shows it whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pygame
from pygame import Rect, Surface

from kiosk.render.fonts import FontBook, TextFont
from kiosk.render.layout import CardLayout, Size, TypeScale, card_layout
from kiosk.render.qr import Matrix, module_px_for, qr_surface
from kiosk.render.text import ellipsize, wrap
from kiosk.render.theme import RGB, Theme
from kiosk.roster import MemberStatus, PledgeRecord, PledgeStatus
from kiosk.store.snapshot import MemberCard


@dataclass(frozen=True)
class CardStyle:
    theme: Theme
    fonts: FontBook
    type: TypeScale
    qr_min_px: int = 0  # paper wants bigger modules than a screen (0: the screen default)


def render_card(
    card: MemberCard,
    size: Size,
    style: CardStyle,
    *,
    photo: Surface | None,
    qr: Matrix | None,
    today: date,
) -> Surface:
    theme, b = style.theme, style.type.body
    box = card_layout(size, style.type, qr_min_px=style.qr_min_px)
    surface = Surface(size)
    surface.fill(theme.card)
    pygame.draw.rect(surface, theme.card_border, surface.get_rect(), width=max(1, b // 14))
    _draw_photo(surface, box.photo, photo, theme)
    qr_left = _draw_qr(surface, box, qr) if qr is not None else box.size[0] - box.pad
    _draw_info(surface, box, qr_left, card, style)
    _draw_pledges(surface, box, card.pledges, style, today)
    return surface


def render_card_placeholder(name: str, size: Size, style: CardStyle) -> Surface:
    """Shown when a card cannot be drawn: the wall goes on, the member is not silently gone."""
    surface = Surface(size)
    surface.fill(style.theme.card)
    pygame.draw.rect(surface, style.theme.card_border, surface.get_rect(), width=2)
    font = style.fonts.font(style.type.body)
    pad = round(style.type.body * 0.6)
    for i, line in enumerate((name, "此卡片暂时无法显示")):
        text = font.render(ellipsize(line, size[0] - 2 * pad, font.width), style.theme.muted)
        surface.blit(text, (pad, pad + i * style.type.row))
    return surface


def draw_photo_placeholder(surface: Surface, rect: Rect, theme: Theme) -> None:
    """A neutral head-and-shoulders silhouette: dignified, clearly not a person's photo."""
    surface.fill(theme.placeholder, rect)
    shade = tuple(max(0, c - 40) for c in theme.placeholder)
    cx = rect.centerx
    head_r = rect.width // 5
    pygame.draw.circle(surface, shade, (cx, rect.y + rect.height * 2 // 5), head_r)
    shoulders = Rect(0, 0, rect.width * 4 // 5, rect.height // 2)
    shoulders.midtop = (cx, rect.y + rect.height * 2 // 5 + head_r + rect.height // 30)
    clip = surface.get_clip()
    surface.set_clip(rect)
    pygame.draw.ellipse(surface, shade, shoulders)
    surface.set_clip(clip)


def _draw_photo(surface: Surface, rect: Rect, photo: Surface | None, theme: Theme) -> None:
    if photo is None:
        draw_photo_placeholder(surface, rect, theme)
        return
    if photo.get_size() != rect.size:
        photo = pygame.transform.smoothscale(photo, rect.size)  # photos arrive as 24/32-bit
    surface.blit(photo, rect)


def _draw_qr(surface: Surface, box: CardLayout, matrix: Matrix) -> int:
    """Draw the code at whole pixels per module; returns its left edge."""
    module_px = module_px_for(matrix, box.qr.width)
    if not module_px:  # would not scan from the screen; the detail view shows a large one
        return box.size[0] - box.pad
    image = qr_surface(matrix, module_px)
    rect = image.get_rect(topright=box.qr.topright)
    surface.blit(image, rect)
    return rect.left


def _draw_info(surface: Surface, box: CardLayout, qr_left: int, card: MemberCard, style: CardStyle) -> None:
    theme, scale = style.theme, style.type
    rect = box.info
    name_font = style.fonts.font(scale.title, bold=True)
    body = style.fonts.font(scale.body)

    def width_at(y: int) -> int:
        """Lines beside the QR code stop before it; lines below it may use the card's width."""
        right = qr_left - box.pad if y < box.qr.bottom else box.size[0] - box.pad
        return right - rect.x

    y = rect.y
    _blit_line(surface, name_font, card.member.name, rect.x, y, width_at(y), theme.text)
    y += round(scale.title * 1.35)
    lines = _flow(_facts(card), [width_at(y), width_at(y + scale.row)], body)
    for line in lines:
        _blit_line(surface, body, line, rect.x, y, width_at(y), theme.muted)
        y += scale.row
    y = max(y, rect.y + round(scale.title * 1.35) + 2 * scale.row)

    total = card.pledge_count
    if total:
        done = card.count(PledgeStatus.DONE)
        label = f"已完成 {done}/{total}"
        _blit_line(surface, body, label, rect.x, y, width_at(y), theme.text)
        bar = Rect(rect.x + body.width(label) + scale.body // 2, 0, 0, max(6, scale.body // 3))
        bar.width = max(0, min(rect.x + width_at(y), rect.x + scale.body * 10) - bar.x)
        bar.centery = y + body.line_height // 2
        if bar.width > scale.body:
            _progress_bar(surface, bar, done / total, theme.status[PledgeStatus.DONE], theme)


def _facts(card: MemberCard) -> list[str]:
    """Post, joined year, latest grade, duty post: short items that are never split."""
    member = card.member
    facts = [member.post]
    if member.status == MemberStatus.PROBATIONARY:
        facts.append("预备党员")
    if member.joined:
        facts.append(f"{member.joined.year}年入党")
    evaluation = card.latest_evaluation
    if evaluation is not None:
        facts.append(f"{evaluation.year}年评定 {evaluation.grade}")
    if member.duty_post:
        facts.append(member.duty_post)
    return [fact for fact in facts if fact]


def _flow(items: list[str], widths: list[int], font: TextFont, separator: str = " · ") -> list[str]:
    """Put whole items on as few lines as fit; what does not fit is cut on the last line."""
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}{separator}{item}" if current else item
        if not current or font.width(candidate) <= widths[min(len(lines), len(widths) - 1)]:
            current = candidate
            continue
        lines.append(current)
        if len(lines) == len(widths):
            current = ""
            break
        current = item
    if current:
        lines.append(current)
    return lines[: len(widths)]


def _progress_bar(surface: Surface, rect: Rect, share: float, colour: RGB, theme: Theme) -> None:
    radius = rect.height // 2
    pygame.draw.rect(surface, theme.progress_track, rect, border_radius=radius)
    filled = rect.copy()
    filled.width = round(rect.width * max(0.0, min(1.0, share)))
    if filled.width:
        pygame.draw.rect(surface, colour, filled, border_radius=radius)


def _draw_pledges(
    surface: Surface, box: CardLayout, pledges: tuple[PledgeRecord, ...], style: CardStyle, today: date
) -> None:
    theme, scale = style.theme, style.type
    area = box.pledges
    rule_y = area.y - box.pad // 2
    pygame.draw.line(surface, theme.card_border, (area.x, rule_y), (area.right, rule_y), 1)
    rows = area.height // scale.row
    if rows <= 0:
        return
    body = style.fonts.font(scale.body)
    chip_w = body.width("未完成") + scale.body // 2
    text_x = area.x + chip_w + scale.body // 2
    y = area.y

    def needs_two_lines(pledge: PledgeRecord) -> bool:
        tag, _ = _tag(pledge, style, today)
        return body.width(" ".join(pledge.text.split())) > _text_right(tag, area.right, style) - text_x

    for pledge, lines, reason in _plan_rows(pledges, rows, needs_two_lines):
        _pledge_row(surface, pledge, Rect(area.x, y, area.width, scale.row), chip_w, lines, style, today)
        y += scale.row * lines
        if reason:
            text = "未兑现原因：" + pledge.reason_not_kept
            _blit_line(surface, body, text, text_x, y + _baseline_pad(scale, body), area.right - text_x,
                       theme.status[PledgeStatus.NOT_KEPT])
            y += scale.row
    hidden = len(pledges) - min(len(pledges), rows if len(pledges) <= rows else rows - 1)
    if hidden:
        more = f"另有 {hidden} 条承诺，点选卡片查看全部"
        _blit_line(surface, body, more, area.x, y + _baseline_pad(scale, body), area.width, theme.muted)


def _plan_rows(
    pledges: tuple[PledgeRecord, ...], rows: int, needs_two_lines: Callable[[PledgeRecord], bool]
) -> list[tuple[PledgeRecord, int, bool]]:
    """Which pledges get shown, in how many lines, and with the reason for a broken one.

    Every pledge first gets one line; spare rows go to the reasons for 未完成 (villagers are
    owed the explanation), then to a second line for each pledge in turn that does not fit in
    one (a short pledge given two lines left a blank row in the middle of the card).
    """
    if len(pledges) > rows:
        return [(p, 1, False) for p in pledges[: rows - 1]]
    spare = rows - len(pledges)
    reasons = {id(p) for p in pledges if p.status == PledgeStatus.NOT_KEPT and p.reason_not_kept}
    with_reason = len(reasons) <= spare
    if with_reason:
        spare -= len(reasons)
    plan = []
    for pledge in pledges:
        lines = 2 if spare > 0 and needs_two_lines(pledge) else 1
        spare -= lines - 1
        plan.append((pledge, lines, with_reason and id(pledge) in reasons))
    return plan


def _pledge_row(
    surface: Surface,
    pledge: PledgeRecord,
    row: Rect,
    chip_w: int,
    lines: int,
    style: CardStyle,
    today: date,
) -> None:
    theme, scale = style.theme, style.type
    body = style.fonts.font(scale.body)
    colour = theme.status[pledge.status]
    chip = Rect(row.x, row.y + (row.height - body.line_height) // 2, chip_w, body.line_height)
    pygame.draw.rect(surface, colour, chip, border_radius=max(3, scale.body // 5))
    word = body.render(str(pledge.status), theme.chip_text)
    surface.blit(word, word.get_rect(center=chip.center))

    tag, tag_colour = _tag(pledge, style, today)
    text_x = chip.right + scale.body // 2
    right = _text_right(tag, row.right, style)
    if tag:
        surface.blit(body.render(tag, tag_colour), (row.right - body.width(tag), chip.y))
    text = " ".join(pledge.text.split())
    for i, line in enumerate(wrap(text, right - text_x, body.width, max_lines=lines)):
        surface.blit(body.render(line, theme.text), (text_x, chip.y + i * scale.row))


def _tag(pledge: PledgeRecord, style: CardStyle, today: date) -> tuple[str, RGB]:
    """The word at the end of a pledge's first line: 已逾期, or the progress of one under way."""
    if pledge.due is not None and pledge.due < today and pledge.status != PledgeStatus.DONE:
        return "已逾期", style.theme.overdue
    if pledge.status == PledgeStatus.IN_PROGRESS:
        return f"{pledge.progress}%", style.theme.status[pledge.status]
    return "", style.theme.muted


def _text_right(tag: str, right: int, style: CardStyle) -> int:
    """Where a pledge's text must end: before its tag, if it has one."""
    if not tag:
        return right
    return right - style.fonts.font(style.type.body).width(tag) - style.type.body // 2


def _baseline_pad(scale: TypeScale, font: TextFont) -> int:
    return (scale.row - font.line_height) // 2


def _blit_line(surface: Surface, font: TextFont, text: str, x: int, y: int, width: int, colour: RGB) -> None:
    if width <= 0:
        return
    line = ellipsize(" ".join(text.split()), width, font.width)
    if line:
        surface.blit(font.render(line, colour), (x, y))
