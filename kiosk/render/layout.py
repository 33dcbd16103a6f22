"""Screen geometry: type scale, the wall grid and the card's inner boxes, for any screen size.

Pure arithmetic on sizes and rectangles. The body text size follows the screen's *shorter*
side: a panel turned to portrait has the same pixel pitch, so the same physical letter size
needs the same pixels (DESIGN.md says "2.4 % of the height", which would make portrait text
almost twice as large as landscape text on the same panel).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pygame import Rect

Size = tuple[int, int]
BODY_SHARE = 0.026  # of the shorter side; ≥ 2.4 % with rounding to spare
MIN_BODY_PX = 14
SCREEN_QR_MIN_PX = 37 * 3


@dataclass(frozen=True)
class TypeScale:
    body: int  # pledge text, posts, table cells
    title: int  # member names
    heading: int  # page header

    @property
    def row(self) -> int:
        """Height of one text row with breathing room."""
        return round(self.body * 1.5)


def type_scale(size: Size) -> TypeScale:
    body = max(MIN_BODY_PX, math.ceil(min(size) * BODY_SHARE))
    return TypeScale(body=body, title=round(body * 1.45), heading=round(body * 1.35))


@dataclass(frozen=True)
class WallLayout:
    size: Size
    type: TypeScale
    header: Rect
    footer: Rect
    body: Rect
    grid: tuple[int, int]  # columns, rows
    cards: tuple[Rect, ...]  # in reading order, relative to the screen

    @property
    def per_page(self) -> int:
        return len(self.cards)

    @property
    def card_size(self) -> Size:
        return self.cards[0].size


def chrome(size: Size) -> tuple[TypeScale, Rect, Rect, Rect]:
    """Header, footer and the body between them; shared by the wall and the summary page."""
    width, height = size
    scale = type_scale(size)
    header_h = round(scale.heading * 2.4)
    footer_h = round(scale.body * 2.3)
    header = Rect(0, 0, width, header_h)
    footer = Rect(0, height - footer_h, width, footer_h)
    body = Rect(0, header_h, width, height - header_h - footer_h)
    return scale, header, footer, body


def wall_layout(size: Size, grid: tuple[int, int] | None = None) -> WallLayout:
    scale, header, footer, body = chrome(size)
    gap = max(8, round(scale.body * 0.6))
    inner = body.inflate(-2 * gap, -2 * gap)
    if grid is None:
        # Smallest card that still holds photo, name, QR and about four pledge rows.
        cols = max(1, (inner.width + gap) // (scale.body * 20 + gap))
        rows = max(1, (inner.height + gap) // (scale.body * 14 + gap))
        grid = (cols, rows)
    return WallLayout(size, scale, header, footer, body, grid, grid_cells(inner, grid, gap))


def grid_cells(area: Rect, grid: tuple[int, int], gap: int) -> tuple[Rect, ...]:
    """Equal cells in reading order (row by row), `gap` apart, filling `area`."""
    cols, rows = grid
    cell_w = (area.width - gap * (cols - 1)) // cols
    cell_h = (area.height - gap * (rows - 1)) // rows
    return tuple(
        Rect(area.x + c * (cell_w + gap), area.y + r * (cell_h + gap), cell_w, cell_h)
        for r in range(rows)
        for c in range(cols)
    )


@dataclass(frozen=True)
class CardLayout:
    """Boxes inside one card, relative to the card's top-left corner."""

    size: Size
    pad: int
    photo: Rect
    qr: Rect  # the most room the QR code may take; it is drawn at whole pixels per module
    info: Rect  # name, post, joined year, grade, progress
    pledges: Rect


def card_layout(size: Size, scale: TypeScale, *, qr_min_px: int = 0) -> CardLayout:
    width, height = size
    b = scale.body
    pad = max(6, round(b * 0.55))
    info_lines_h = round(scale.title * 1.35) + 3 * scale.row
    photo_w = min(round(b * 4.4), (width - 2 * pad) // 3)
    photo_h = min(photo_w * 4 // 3, height // 2)
    photo_w = photo_h * 3 // 4
    top_h = max(photo_h, info_lines_h)
    # A version-3 code (37 modules with its quiet zone) at ≥ 3 px per module, even on small screens.
    qr_side = min(max(round(b * 4.3), qr_min_px or SCREEN_QR_MIN_PX), top_h, width // 3)
    photo = Rect(pad, pad, photo_w, photo_h)
    qr = Rect(width - pad - qr_side, pad, qr_side, qr_side)
    info = Rect(photo.right + pad, pad, qr.left - photo.right - 2 * pad, top_h)
    pledges_top = pad + top_h + pad
    pledges = Rect(pad, pledges_top, width - 2 * pad, max(0, height - pledges_top - pad))
    return CardLayout(size, pad, photo, qr, info, pledges)


def summary_rows(size: Size) -> int:
    """Member rows that fit on one summary page below its column headings and legend."""
    scale, _, _, body = chrome(size)
    usable = body.height - 2 * scale.row - round(scale.body * 1.2)
    return max(1, usable // scale.row)


def physical_size(logical: Size, rotate: int) -> Size:
    """The framebuffer size for a logical canvas on a panel turned by `rotate`."""
    return (logical[1], logical[0]) if rotate in (90, 270) else logical


def to_logical(pos: tuple[int, int], logical: Size, rotate: int) -> tuple[int, int]:
    """Map a framebuffer (touch/mouse) position back onto the upright logical canvas.

    The canvas is shown rotated counter-clockwise by `rotate` degrees (pygame.transform.rotate),
    which is upright on a panel that was turned clockwise by the same angle.
    """
    x, y = pos
    width, height = logical
    if rotate == 90:
        return width - 1 - y, x
    if rotate == 180:
        return width - 1 - x, height - 1 - y
    if rotate == 270:
        return y, height - 1 - x
    return x, y
