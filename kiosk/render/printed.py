"""The wall on paper: a cover, member cards and the summary table at print resolution.

Pure like the rest of kiosk/render: the snapshot and a photo loader in, page Surfaces out, one
at a time, so a township's worth of members never sits in memory at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import pygame
from pygame import Rect, Surface

from kiosk.render.card import CardStyle, render_card
from kiosk.render.fonts import FontBook
from kiosk.render.layout import TypeScale, grid_cells
from kiosk.render.pages import STATUS_ORDER, render_summary_body, summary_first_row
from kiosk.render.qr import feedback_url, qr_matrix
from kiosk.render.theme import RED
from kiosk.store.snapshot import WallSnapshot

DPI = 300
PAPER_MM = {"A4": (210, 297), "A3": (297, 420)}
MARGIN_MM = 12
BODY_MM = 3.6  # about 10 pt: comfortable on a noticeboard at arm's length
PRINT_QR_MM = 19  # ≥ 0.5 mm modules for a version-3 code: any phone scans it off paper


@dataclass(frozen=True)
class Paper:
    name: str
    landscape: bool = False

    @property
    def size(self) -> tuple[int, int]:
        width, height = (round(mm / 25.4 * DPI) for mm in PAPER_MM[self.name])
        return (height, width) if self.landscape else (width, height)


def mm(value: float) -> int:
    return round(value / 25.4 * DPI)


def print_style(fonts: FontBook) -> CardStyle:
    body = mm(BODY_MM)
    scale = TypeScale(body=body, title=round(body * 1.45), heading=round(body * 1.6))
    return CardStyle(RED, fonts, scale, qr_min_px=mm(PRINT_QR_MM))


def print_pages(
    snapshot: WallSnapshot,
    paper: Paper,
    fonts: FontBook,
    load_photo: Callable[[str], Surface | None],
    *,
    printed: datetime,
) -> Iterator[Surface]:
    style = print_style(fonts)
    size = paper.size
    content = Rect(mm(MARGIN_MM), mm(MARGIN_MM), size[0] - 2 * mm(MARGIN_MM), size[1] - 2 * mm(MARGIN_MM))
    band = round(style.type.body * 2)
    area = Rect(content.x, content.y + band, content.width, content.height - 2 * band)
    gap = style.type.body // 2
    cols = max(1, (area.width + gap) // (style.type.body * 20 + gap))
    rows = max(1, (area.height + gap) // (style.type.body * 14 + gap))
    cells = grid_cells(area, (cols, rows), gap)
    cards = snapshot.cards
    today = printed.date()
    summary_rows = max(1, (area.height - summary_first_row(style.type)) // style.type.row)
    card_pages = math.ceil(len(cards) / len(cells))
    summary_pages = math.ceil(len(cards) / summary_rows) if cards else 0
    total = 1 + card_pages + summary_pages
    yield _cover(snapshot, size, style, printed)
    village = snapshot.village
    template = village.feedback_url if village else ""
    code = village.code if village else ""
    for page in range(card_pages):
        surface = _page(snapshot, size, content, band, style, page + 2, total, printed)
        for card, cell in zip(cards[page * len(cells) : (page + 1) * len(cells)], cells):
            url = feedback_url(template, code, card.member.number)
            image = render_card(card, cell.size, style, photo=load_photo(card.member.photo),
                                qr=qr_matrix(url) if url else None, today=today)
            surface.blit(image, cell)
        yield surface
    year = snapshot.pledge_year(today)
    for page in range(summary_pages):
        surface = _page(snapshot, size, content, band, style, 1 + card_pages + page + 1, total, printed)
        rows_here = cards[page * summary_rows : (page + 1) * summary_rows]
        body = render_summary_body(rows_here, area.size, style, year=year, today=today)
        body.set_colorkey(style.theme.background)
        surface.blit(body, area)
        yield surface


def poster(
    snapshot: WallSnapshot,
    paper: Paper,
    fonts: FontBook,
    load_photo: Callable[[str], Surface | None],
    *,
    printed: datetime,
) -> Surface:
    """Every member's card on one sheet; the text shrinks to fit but never below 2.2 mm."""
    size = paper.size
    content = Rect(mm(MARGIN_MM), mm(MARGIN_MM), size[0] - 2 * mm(MARGIN_MM), size[1] - 2 * mm(MARGIN_MM))
    count = max(1, len(snapshot.cards))
    for body in range(mm(BODY_MM), mm(2.2) - 1, -1):
        scale = TypeScale(body=body, title=round(body * 1.45), heading=round(body * 1.6))
        style = CardStyle(RED, fonts, scale, qr_min_px=mm(PRINT_QR_MM))
        band = round(body * 2)
        area = Rect(content.x, content.y + band, content.width, content.height - 2 * band)
        gap = body // 2
        cols = max(1, (area.width + gap) // (body * 20 + gap))
        rows = max(1, (area.height + gap) // (body * 14 + gap))
        if cols * rows >= count:
            break
    else:
        raise ValueError(f"{count} 名党员放不进一张{paper.name}海报，请用 PDF（--out wall.pdf）或更大的纸")
    rows = math.ceil(count / cols)
    surface = _page(snapshot, size, content, band, style, 1, 1, printed)
    village = snapshot.village
    template, code = (village.feedback_url, village.code) if village else ("", "")
    cells = grid_cells(Rect(area.x, area.y, area.width, min(area.height, rows * (body * 14 + gap))), (cols, rows), gap)
    for card, cell in zip(snapshot.cards, cells):
        url = feedback_url(template, code, card.member.number)
        surface.blit(render_card(card, cell.size, style, photo=load_photo(card.member.photo),
                                 qr=qr_matrix(url) if url else None, today=printed.date()), cell)
    return surface


def _page(snapshot: WallSnapshot, size: tuple[int, int], content: Rect, band: int, style: CardStyle,
          number: int, total: int, printed: datetime) -> Surface:
    surface = Surface(size)
    surface.fill((255, 255, 255))
    font = style.fonts.font(style.type.body)
    village = snapshot.village
    title = f"{village.branch or village.name} 党员承诺公示" if village else "党员承诺公示"
    surface.blit(font.render(title, style.theme.text), (content.x, content.y))
    right = font.render(f"第 {number}/{total} 页", style.theme.muted)
    surface.blit(right, right.get_rect(topright=(content.right, content.y)))
    pygame.draw.line(surface, style.theme.header, (content.x, content.y + band - band // 4),
                     (content.right, content.y + band - band // 4), max(2, style.type.body // 12))
    footer = font.render(f"打印于 {printed:%Y-%m-%d %H:%M} · 数据更新 {_updated(snapshot)} · 扫描卡片上的二维码可评价", style.theme.muted)
    surface.blit(footer, footer.get_rect(bottomleft=(content.x, content.bottom)))
    return surface


def _updated(snapshot: WallSnapshot) -> str:
    return f"{snapshot.updated_at:%Y-%m-%d}" if snapshot.updated_at else "—"


def _cover(snapshot: WallSnapshot, size: tuple[int, int], style: CardStyle, printed: datetime) -> Surface:
    theme, b = style.theme, style.type.body
    surface = Surface(size)
    surface.fill((255, 255, 255))
    band = Rect(0, 0, size[0], size[1] // 3)
    surface.fill(theme.header, band)
    surface.fill(theme.accent, Rect(0, band.bottom, size[0], b // 2))
    village = snapshot.village
    today = printed.date()
    year = snapshot.pledge_year(today)
    big = style.fonts.font(b * 3, bold=True)
    medium = style.fonts.font(round(b * 1.6))
    lines = [
        (big, f"{year}年度党员承诺公示", theme.header_text, band.centery - b * 2),
        (medium, (village.branch or village.name) if village else "", theme.header_text, band.centery + b * 2),
    ]
    for font, text, colour, y in lines:
        if text:
            rendered = font.render(text, colour)
            surface.blit(rendered, rendered.get_rect(center=(size[0] // 2, y)))
    body = style.fonts.font(round(b * 1.3))
    y = band.bottom + b * 4
    facts = [
        f"党员 {len(snapshot.cards)} 名，承诺 {snapshot.pledge_count} 条",
        "，".join(f"{status} {sum(c.count(status) for c in snapshot.cards)} 条" for status in STATUS_ORDER),
        f"乡镇：{village.township}" if village and village.township else "",
        f"数据更新：{_updated(snapshot)}　打印日期：{printed:%Y年%m月%d日}",
        "接受群众监督：扫描每张卡片上的二维码，即可对党员践诺情况提出意见和评价。",
    ]
    for text in facts:
        if text:
            rendered = body.render(text, theme.text)
            surface.blit(rendered, rendered.get_rect(midtop=(size[0] // 2, y)))
            y += round(b * 2.4)
    return surface
