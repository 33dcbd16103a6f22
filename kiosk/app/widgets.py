"""Buttons and keypads for touch panels: finger-sized, drawn from state, hit-tested by rect."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pygame
from pygame import Rect, Surface

from kiosk.render.card import CardStyle
from kiosk.render.text import ellipsize
from kiosk.render.theme import RGB

FINGER_MM = 9.0
DEFAULT_DIAGONAL_INCHES = 21.5  # the usual all-in-one touch kiosk


def finger_px(size: tuple[int, int], diagonal_inches: float = DEFAULT_DIAGONAL_INCHES) -> int:
    """Pixels in 9 mm on a screen of this resolution and diagonal."""
    px_per_mm = math.hypot(*size) / (diagonal_inches * 25.4)
    return math.ceil(FINGER_MM * px_per_mm)


@dataclass(frozen=True)
class Button:
    rect: Rect
    label: str
    action: str  # what pressing it means to the scene that owns it
    primary: bool = False


def hit(buttons: Sequence[Button], pos: tuple[int, int]) -> Button | None:
    for button in buttons:
        if button.rect.collidepoint(pos):
            return button
    return None


def draw_button(surface: Surface, button: Button, style: CardStyle, *, fill: RGB | None = None) -> None:
    theme = style.theme
    colour = fill or (theme.header if button.primary else theme.card)
    text_colour = theme.header_text if button.primary or fill else theme.text
    radius = max(4, style.type.body // 3)
    pygame.draw.rect(surface, colour, button.rect, border_radius=radius)
    pygame.draw.rect(surface, theme.card_border, button.rect, width=2, border_radius=radius)
    font = style.fonts.font(style.type.body, bold=button.primary)
    label = ellipsize(button.label, button.rect.width - style.type.body // 2, font.width)
    if label:
        text = font.render(label, text_colour)
        surface.blit(text, text.get_rect(center=button.rect.center))


def grid_buttons(area: Rect, labels: Sequence[str], columns: int, gap: int, actions: Sequence[str] | None = None) -> list[Button]:
    """Lay keys out row by row in `area`."""
    rows = math.ceil(len(labels) / columns)
    width = (area.width - gap * (columns - 1)) // columns
    height = (area.height - gap * (rows - 1)) // rows
    return [
        Button(
            Rect(area.x + (i % columns) * (width + gap), area.y + (i // columns) * (height + gap), width, height),
            label,
            (actions[i] if actions else label),
        )
        for i, label in enumerate(labels)
    ]
