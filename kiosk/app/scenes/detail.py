"""A member's whole card, scrollable, with a large feedback QR; 返回 goes back to the wall."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pygame
from pygame import Rect, Surface

from kiosk.app.pointer import Gesture
from kiosk.app.scenes.base import Action, Redraw, RedrawOnChange
from kiosk.app.scenes.chrome import bar_button, draw_top_bar, top_bar
from kiosk.app.widgets import Button, draw_button, hit
from kiosk.render.card import CardStyle
from kiosk.render.detail import render_detail
from kiosk.render.qr import feedback_url, qr_matrix
from kiosk.store.snapshot import MemberCard

BACK = "返回"
UP, DOWN = "▲", "▼"


class DetailScene(RedrawOnChange):
    def __init__(
        self,
        card: MemberCard,
        size: tuple[int, int],
        style: CardStyle,
        *,
        photo: Surface | None,
        url_template: str,
        village: str,
        today: date,
    ) -> None:
        self.card = card
        self.size = size
        self.style = style
        b = style.type.body
        bar = top_bar(size)
        self.back = bar_button(size, style, BACK, right=False)
        body = Rect(0, bar.bottom, size[0], size[1] - bar.bottom)
        side_w = round(size[0] * (0.3 if size[0] > size[1] else 0.4))
        self.side_rect = Rect(0, body.y, side_w, body.height)
        self.view = Rect(side_w + b, body.y + b, size[0] - side_w - 2 * b, body.height - 2 * b)
        url = feedback_url(url_template, village, card.member.number)
        pieces = render_detail(
            card, self.side_rect.size, self.view.width - b * 4, style,
            photo=photo, qr=qr_matrix(url) if url else None, today=today,
        )
        self.side, self.content = pieces.side, pieces.content
        self.offset = 0
        self.max_offset = max(0, self.content.get_height() - self.view.height)
        step = max(b * 3, self.view.height * 4 // 5)
        self.step = step
        self.scroll_buttons: list[Button] = []
        if self.max_offset:
            size_px = self.back.rect.height
            x = self.view.right - size_px
            self.scroll_buttons = [
                Button(Rect(x, self.view.y, size_px, size_px), UP, "up"),
                Button(Rect(x, self.view.bottom - size_px, size_px, size_px), DOWN, "down"),
            ]
        self._dirty = True

    def scroll(self, delta: int) -> None:
        offset = max(0, min(self.max_offset, self.offset + delta))
        if offset != self.offset:
            self.offset, self._dirty = offset, True

    def gesture(self, gesture: Gesture, t: float) -> Action | None:
        if gesture.kind == "tap":
            if self.back.rect.collidepoint(gesture.pos):
                return Action("back")
            button = hit(self.scroll_buttons, gesture.pos)
            if button is not None:
                self.scroll(-self.step if button.action == "up" else self.step)
        elif gesture.kind == "drag":
            self.scroll(-gesture.dy)
        elif gesture.kind == "wheel":
            self.scroll(gesture.dy * self.style.type.row * 2)
        return None

    def text(self, text: str, t: float) -> Action | None:
        return None

    def key(self, key: int, mod: int, t: float) -> Action | None:
        if key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
            return Action("back")
        moves = {
            pygame.K_UP: -self.style.type.row * 2,
            pygame.K_DOWN: self.style.type.row * 2,
            pygame.K_PAGEUP: -self.step,
            pygame.K_PAGEDOWN: self.step,
            pygame.K_SPACE: self.step,
            pygame.K_HOME: -self.max_offset,
            pygame.K_END: self.max_offset,
        }
        if key in moves:
            self.scroll(moves[key])
        return None

    def draw(self, target: Surface, t: float, now: datetime, redraw: Redraw) -> None:
        theme = self.style.theme
        target.fill(theme.card)
        target.blit(self.side, self.side_rect)
        pygame.draw.line(target, theme.card_border, self.side_rect.topright, self.side_rect.bottomright, 2)
        target.set_clip(self.view)
        target.blit(self.content, (self.view.x, self.view.y - self.offset))
        target.set_clip(None)
        if self.max_offset:
            self._scroll_marker(target)
        for button in self.scroll_buttons:
            draw_button(target, button, self.style)
        title = f"{self.card.member.name} 的公开承诺"
        draw_top_bar(target, title, [self.back], self.style)

    def _scroll_marker(self, target: Surface) -> None:
        """A thin track beside the text showing where in the card the view is."""
        track = Rect(self.view.right - self.style.type.body // 4, self.view.y, self.style.type.body // 6, self.view.height)
        track.x = self.scroll_buttons[0].rect.centerx - track.width // 2
        track.y = self.scroll_buttons[0].rect.bottom + 4
        track.height = self.scroll_buttons[1].rect.top - 4 - track.y
        pygame.draw.rect(target, self.style.theme.progress_track, track)
        total = self.content.get_height()
        thumb = track.copy()
        thumb.height = max(8, track.height * self.view.height // total)
        thumb.y = track.y + (track.height - thumb.height) * self.offset // max(1, self.max_offset)
        pygame.draw.rect(target, self.style.theme.header, thumb)


def open_detail(
    card: MemberCard,
    size: tuple[int, int],
    style: CardStyle,
    load_photo: Callable[[str], Surface | None],
    url_template: str,
    village: str,
    today: date,
) -> DetailScene:
    return DetailScene(card, size, style, photo=load_photo(card.member.photo), url_template=url_template,
                       village=village, today=today)
