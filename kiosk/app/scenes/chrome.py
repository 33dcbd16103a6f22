"""The top bar shared by the touch scenes: a title and finger-sized buttons."""

from __future__ import annotations

from collections.abc import Sequence

from pygame import Rect, Surface

from kiosk.app.widgets import Button, draw_button, finger_px
from kiosk.render.card import CardStyle
from kiosk.render.layout import chrome
from kiosk.render.text import ellipsize


def top_bar(size: tuple[int, int]) -> Rect:
    _, header, _, _ = chrome(size)
    return header


def bar_button(size: tuple[int, int], style: CardStyle, label: str, *, right: bool = True, slot: int = 0) -> Button:
    """A button in the top bar; `slot` counts from the right (or left) edge."""
    bar = top_bar(size)
    b = style.type.body
    height = max(finger_px(size), bar.height - 2 * (b // 2))
    width = max(height, style.fonts.font(b, bold=True).width(label) + 2 * b)
    x = bar.right - b // 2 - (slot + 1) * (width + b // 2) + b // 2 if right else bar.x + b // 2 + slot * (width + b // 2)
    return Button(Rect(x, bar.centery - height // 2, width, height), label, label, primary=False)


def draw_top_bar(target: Surface, title: str, buttons: Sequence[Button], style: CardStyle) -> None:
    theme, b = style.theme, style.type.body
    bar = top_bar(target.get_size())
    target.fill(theme.header, bar)
    target.fill(theme.accent, Rect(bar.x, bar.bottom - max(3, b // 6), bar.width, max(3, b // 6)))
    left = max([btn.rect.right for btn in buttons if btn.rect.centerx < bar.centerx] or [bar.x]) + b
    right = min([btn.rect.left for btn in buttons if btn.rect.centerx >= bar.centerx] or [bar.right]) - b
    heading = style.fonts.font(style.type.heading, bold=True)
    text = ellipsize(title, right - left, heading.width)
    if text:
        rendered = heading.render(text, theme.header_text)
        target.blit(rendered, rendered.get_rect(midleft=(left, bar.centery)))
    for button in buttons:
        draw_button(target, button, style)
