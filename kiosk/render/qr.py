"""QR codes for feedback links: error correction M, 4-module quiet zone, whole pixels per module.

What decides scanning from a screen is pixels per module and the quiet zone, not the ECC level.
"""

from __future__ import annotations

from urllib.parse import quote

import pygame
import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4
MIN_MODULE_PX = 3

Matrix = tuple[tuple[bool, ...], ...]


def feedback_url(template: str, village: str, member_id: str, pledge_id: str = "") -> str:
    """Fill {village} {member_id} {pledge_id}; values are URL-quoted. '' when no template."""
    if not template:
        return ""
    return (
        template.replace("{village}", quote(village, safe=""))
        .replace("{member_id}", quote(member_id, safe=""))
        .replace("{pledge_id}", quote(pledge_id, safe=""))
    )


def qr_matrix(data: str) -> Matrix:
    """Modules including the quiet zone; True is dark."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1)
    code.add_data(data.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def module_px_for(matrix: Matrix, max_px: int) -> int:
    """The largest whole number of pixels per module that fits `max_px` (0 when under 3)."""
    px = max_px // len(matrix)
    return px if px >= MIN_MODULE_PX else 0


def qr_surface(matrix: Matrix, module_px: int) -> pygame.Surface:
    """Draw modules 1:1, then scale by an integer factor (nearest neighbour, crisp edges)."""
    n = len(matrix)
    small = pygame.Surface((n, n))
    small.fill((255, 255, 255))
    with pygame.PixelArray(small) as pixels:
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    pixels[x, y] = (0, 0, 0)
    return pygame.transform.scale(small, (n * module_px, n * module_px))
