"""A member's whole card for the detail screen: every pledge in full, notes, grades, feedback.

Pure: returns the left column (photo, large QR, feedback) and a tall right column that the scene
scrolls. Nothing is cut with an ellipsis here; long text wraps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pygame
from pygame import Rect, Surface

from kiosk.render.card import CardStyle, draw_photo_placeholder
from kiosk.render.fonts import TextFont
from kiosk.render.qr import Matrix, qr_surface
from kiosk.render.text import wrap
from kiosk.render.theme import RGB
from kiosk.roster import MemberStatus, PledgeRecord, PledgeStatus
from kiosk.store.snapshot import MemberCard

DETAIL_QR_MODULE_PX = 6  # a large code: scans from arm's length with any phone


@dataclass(frozen=True)
class DetailPieces:
    side: Surface  # photo, QR, feedback summary
    content: Surface  # name, facts, evaluations, pledges: as tall as it needs to be


def member_years(joined: date | None, today: date) -> int | None:
    if joined is None:
        return None
    return today.year - joined.year - ((today.month, today.day) < (joined.month, joined.day))


def render_detail(
    card: MemberCard,
    side_size: tuple[int, int],
    content_width: int,
    style: CardStyle,
    *,
    photo: Surface | None,
    qr: Matrix | None,
    today: date,
) -> DetailPieces:
    return DetailPieces(
        _side(card, side_size, style, photo, qr),
        _content(card, content_width, style, today),
    )


def _side(card: MemberCard, size: tuple[int, int], style: CardStyle, photo: Surface | None, qr: Matrix | None) -> Surface:
    theme, b = style.theme, style.type.body
    surface = Surface(size)
    surface.fill(theme.card)
    pad = b
    width = size[0] - 2 * pad
    photo_rect = Rect(pad, pad, width, width * 4 // 3)
    if photo_rect.height > size[1] // 2:
        photo_rect.height = size[1] // 2
        photo_rect.width = photo_rect.height * 3 // 4
        photo_rect.centerx = size[0] // 2
    if photo is None:
        draw_photo_placeholder(surface, photo_rect, theme)
    else:
        surface.blit(pygame.transform.smoothscale(photo, photo_rect.size), photo_rect)
    y = photo_rect.bottom + pad
    font = style.fonts.font(b)
    if qr is not None:
        module_px = max(3, min(DETAIL_QR_MODULE_PX, width // len(qr)))
        image = qr_surface(qr, module_px)
        rect = image.get_rect(midtop=(size[0] // 2, y))
        surface.blit(image, rect)
        y = rect.bottom + b // 3
        y = _lines(surface, font, "用手机扫码，评价这位党员的承诺", pad, y, width, theme.text, center=size[0] // 2)
    for line in _feedback_lines(card):
        y = _lines(surface, font, line, pad, y + b // 3, width, theme.muted)
    return surface


def _feedback_lines(card: MemberCard) -> list[str]:
    overall = [f for f in card.feedback if not f.pledge_code]
    lines = []
    for item in overall[:2]:
        rating = f"，满意度 {item.satisfaction:.0f}%" if item.satisfaction is not None else ""
        lines.append(f"群众评价（{item.period}）：{item.count} 人次{rating}")
    return lines


def _content(card: MemberCard, width: int, style: CardStyle, today: date) -> Surface:
    """Lay out first (to know the height), then draw."""
    theme, scale = style.theme, style.type
    ops: list[tuple[str, object, int, int, RGB]] = []  # (kind, payload, x, y, colour)
    y = 0
    name_font = style.fonts.font(round(scale.title * 1.25), bold=True)
    body = style.fonts.font(scale.body)
    bold = style.fonts.font(scale.body, bold=True)

    def text(font: TextFont, value: str, x: int, colour: RGB, indent_width: int | None = None) -> None:
        nonlocal y
        for line in wrap(value, indent_width or (width - x), font.width) or [""]:
            ops.append(("text", (font, line), x, y, colour))
            y += max(font.line_height, scale.row if font is body else font.line_height)

    member = card.member
    text(name_font, member.name, 0, theme.text)
    facts = [member.post]
    if member.status == MemberStatus.PROBATIONARY:
        facts.append("预备党员")
    if member.joined:
        years = member_years(member.joined, today)
        facts.append(f"{member.joined.year}年{member.joined.month}月入党" + (f"，党龄{years}年" if years is not None else ""))
    if member.duty_post:
        facts.append(f"设岗定责：{member.duty_post}")
    text(body, " · ".join(facts), 0, theme.muted)
    for evaluation in card.evaluations:
        rating = f"，群众满意度 {evaluation.satisfaction:.0f}%" if evaluation.satisfaction is not None else ""
        remark = f"。{evaluation.remarks}" if evaluation.remarks else ""
        ops.append(("chip", (str(evaluation.grade), theme.grade[evaluation.grade]), 0, y, theme.chip_text))
        chip_w = body.width("基本合格") + scale.body
        text(body, f"{evaluation.year}年度评诺{rating}{remark}", chip_w, theme.text)
    y += scale.body // 2

    chip_w = body.width("未完成") + scale.body // 2
    indent = chip_w + scale.body // 2
    for number, pledge in enumerate(card.pledges, start=1):
        ops.append(("rule", None, 0, y, theme.card_border))
        y += scale.body // 2
        ops.append(("chip", (str(pledge.status), theme.status[pledge.status]), 0, y, theme.chip_text))
        text(bold, _pledge_heading(number, pledge, today), indent, theme.text)
        text(body, pledge.text, indent, theme.text)
        if pledge.measures:
            text(body, f"践诺措施：{pledge.measures}", indent, theme.muted)
        if pledge.status == PledgeStatus.IN_PROGRESS:
            ops.append(("progress", pledge.progress, indent, y, theme.status[pledge.status]))
            y += scale.row
        if pledge.reason_not_kept:
            text(body, f"未兑现原因：{pledge.reason_not_kept}", indent, theme.status[PledgeStatus.NOT_KEPT])
        for note in pledge.notes:
            stamp = f"{note.on:%Y-%m-%d} " if note.on else ""
            text(body, f"践诺记录 {stamp}{note.text}", indent, theme.muted)
        y += scale.body // 2
    if not card.pledges:
        text(body, "暂无公开承诺", 0, theme.muted)

    surface = Surface((width, max(1, y)))
    surface.fill(theme.card)
    for kind, payload, x, top, colour in ops:
        if kind == "text":
            font, line = payload  # type: ignore[misc]
            if line:
                surface.blit(font.render(line, colour), (x, top))
        elif kind == "chip":
            word, fill = payload  # type: ignore[misc]
            chip = Rect(x, top, body.width(word) + scale.body // 2, body.line_height)
            pygame.draw.rect(surface, fill, chip, border_radius=max(3, scale.body // 5))
            rendered = body.render(word, colour)
            surface.blit(rendered, rendered.get_rect(center=chip.center))
        elif kind == "rule":
            pygame.draw.line(surface, colour, (0, top), (width, top), 1)
        elif kind == "progress":
            _progress(surface, Rect(x, top, min(width - x, scale.body * 14), scale.row), int(payload), colour, style)  # type: ignore[arg-type]
    return surface


def _pledge_heading(number: int, pledge: PledgeRecord, today: date) -> str:
    parts = [f"承诺{number}", f"{pledge.year}年度"]
    if pledge.area:
        parts.append(pledge.area)
    if pledge.due:
        parts.append(f"完成时限 {pledge.due:%Y-%m-%d}")
        if pledge.due < today and pledge.status != PledgeStatus.DONE:
            parts.append("已逾期")
    return " · ".join(parts)


def _progress(surface: Surface, row: Rect, percent: int, colour: RGB, style: CardStyle) -> None:
    font = style.fonts.font(style.type.body)
    label = font.render(f"进度 {percent}%", colour)
    surface.blit(label, (row.x, row.y + (row.height - label.get_height()) // 2))
    bar = Rect(row.x + label.get_width() + style.type.body // 2, 0, 0, max(6, style.type.body // 3))
    bar.width = max(0, row.right - bar.x)
    bar.centery = row.centery
    pygame.draw.rect(surface, style.theme.progress_track, bar, border_radius=bar.height // 2)
    filled = bar.copy()
    filled.width = round(bar.width * max(0, min(100, percent)) / 100)
    if filled.width:
        pygame.draw.rect(surface, colour, filled, border_radius=bar.height // 2)


def _lines(surface: Surface, font: TextFont, value: str, x: int, y: int, width: int, colour: RGB, center: int | None = None) -> int:
    for line in wrap(value, width, font.width):
        rendered = font.render(line, colour)
        if center is None:
            surface.blit(rendered, (x, y))
        else:
            surface.blit(rendered, rendered.get_rect(midtop=(center, y)))
        y += font.line_height
    return y
