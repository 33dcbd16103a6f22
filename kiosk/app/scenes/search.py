"""Find a member by pinyin initials, full pinyin, number or name; results update as you type.

Touch panels get an on-screen keypad and a surname index; keyboards type straight in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pygame
from pygame import Rect, Surface

from kiosk.app.pointer import Gesture
from kiosk.app.scenes.base import Action, Redraw, RedrawOnChange
from kiosk.app.scenes.chrome import bar_button, draw_top_bar, top_bar
from kiosk.app.widgets import Button, draw_button, finger_px, grid_buttons, hit
from kiosk.render.card import CardStyle
from kiosk.render.text import ellipsize
from kiosk.search import SearchEntry, SearchIndex

KEYS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", *"0123456789"]
BACKSPACE, CLEAR = "退格", "清空"
BACK = "返回"
HINT = "输入拼音首字母（如 WZ）、姓名或编号"
MAX_QUERY = 24


class SearchScene(RedrawOnChange):
    def __init__(
        self,
        index: SearchIndex,
        posts: Mapping[str, str],
        size: tuple[int, int],
        style: CardStyle,
        query: str = "",
    ) -> None:
        self.index = index
        self.posts = posts
        self.size = size
        self.style = style
        b = style.type.body
        bar = top_bar(size)
        self.back = bar_button(size, style, BACK, right=False)
        body = Rect(0, bar.bottom, size[0], size[1] - bar.bottom).inflate(-2 * b, -2 * b)
        self.query_box = Rect(body.x, body.y, body.width, max(finger_px(size), round(b * 2.2)))
        below = Rect(body.x, self.query_box.bottom + b, body.width, body.bottom - self.query_box.bottom - b)
        if size[0] >= size[1]:  # landscape: results left, keypad right
            pad_w = round(below.width * 0.42)
            self.results_area = Rect(below.x, below.y, below.width - pad_w - b, below.height)
            keypad = Rect(self.results_area.right + b, below.y, pad_w, below.height)
        else:  # portrait: keypad below the results
            pad_h = round(below.height * 0.42)
            self.results_area = Rect(below.x, below.y, below.width, below.height - pad_h - b)
            keypad = Rect(below.x, self.results_area.bottom + b, below.width, pad_h)
        labels = KEYS + [BACKSPACE, CLEAR]
        self.keys = grid_buttons(keypad, labels, 6, max(4, b // 4))
        self.row_h = max(finger_px(size), round(b * 2.1))
        self.query = ""
        self.results: list[SearchEntry] = []
        self.surname_buttons: list[Button] = []
        self.result_buttons: list[Button] = []
        self.selected = 0
        self.first = 0
        self._dirty = True
        self.set_query(query)

    # --- state -----------------------------------------------------------------------------
    def set_query(self, query: str) -> None:
        self.query = query[:MAX_QUERY]
        self.results = self.index.search(self.query, limit=200) if self.query.strip() else []
        self.selected = 0
        self.first = 0
        self._layout_results()

    def _layout_results(self) -> None:
        area, b = self.results_area, self.style.type.body
        self.result_buttons, self.surname_buttons = [], []
        if not self.query.strip():
            font = self.style.fonts.font(b, bold=True)
            side = max(self.row_h, font.width("欧阳") + b)
            columns = max(1, (area.width + b // 3) // (side + b // 3))
            rows = max(1, (area.height - self.row_h) // (side + b // 3))
            surnames = self.index.surnames()[: columns * rows]
            grid = Rect(area.x, area.y + self.row_h, columns * (side + b // 3), rows * (side + b // 3))
            self.surname_buttons = grid_buttons(grid, surnames, columns, b // 3) if surnames else []
            return
        visible = max(1, area.height // self.row_h)
        shown = self.results[self.first : self.first + visible]
        self.result_buttons = [
            Button(Rect(area.x, area.y + i * self.row_h, area.width, self.row_h - 4), entry.name, entry.number)
            for i, entry in enumerate(shown)
        ]

    def _scroll(self, rows: int) -> None:
        visible = max(1, self.results_area.height // self.row_h)
        first = max(0, min(max(0, len(self.results) - visible), self.first + rows))
        if first != self.first:
            self.first = first
            self._layout_results()
            self._dirty = True

    # --- input -----------------------------------------------------------------------------
    def gesture(self, gesture: Gesture, t: float) -> Action | None:
        if gesture.kind == "tap":
            return self._tap(gesture.pos)
        if gesture.kind == "wheel":
            self._scroll(gesture.dy)
        elif gesture.kind == "drag" and abs(gesture.dy) >= self.row_h // 2:
            self._scroll(-1 if gesture.dy > 0 else 1)
        return None

    def _tap(self, pos: tuple[int, int]) -> Action | None:
        if self.back.rect.collidepoint(pos):
            return Action("back")
        key = hit(self.keys, pos)
        if key is not None:
            if key.label == BACKSPACE:
                self.set_query(self.query[:-1])
            elif key.label == CLEAR:
                self.set_query("")
            else:
                self.set_query(self.query + key.label)
            self._dirty = True
            return None
        result = hit(self.result_buttons, pos)
        if result is not None:
            return Action("detail", result.action)
        surname = hit(self.surname_buttons, pos)
        if surname is not None:
            self.set_query(surname.label)
            self._dirty = True
        return None

    def text(self, text: str, t: float) -> Action | None:
        cleaned = "".join(ch for ch in text if ch.isprintable())
        if cleaned:
            self.set_query(self.query + cleaned)
            self._dirty = True
        return None

    def key(self, key: int, mod: int, t: float) -> Action | None:
        if key == pygame.K_ESCAPE:
            return Action("back")
        if key == pygame.K_BACKSPACE:
            self.set_query(self.query[:-1])
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.results:
            return Action("detail", self.results[self.selected].number)
        elif key == pygame.K_DOWN and self.results:
            self.selected = min(len(self.results) - 1, self.selected + 1)
            self._follow_selection()
        elif key == pygame.K_UP and self.results:
            self.selected = max(0, self.selected - 1)
            self._follow_selection()
        else:
            return None
        self._dirty = True
        return None

    def _follow_selection(self) -> None:
        visible = max(1, self.results_area.height // self.row_h)
        if self.selected < self.first:
            self._scroll(self.selected - self.first)
        elif self.selected >= self.first + visible:
            self._scroll(self.selected - self.first - visible + 1)

    # --- drawing ---------------------------------------------------------------------------
    def draw(self, target: Surface, t: float, now: datetime, redraw: Redraw) -> None:
        theme, b = self.style.theme, self.style.type.body
        target.fill(theme.background)
        draw_top_bar(target, "查找党员", [self.back], self.style)
        pygame.draw.rect(target, theme.card, self.query_box, border_radius=b // 3)
        pygame.draw.rect(target, theme.header, self.query_box, width=3, border_radius=b // 3)
        font = self.style.fonts.font(round(b * 1.2))
        shown, colour = (self.query, theme.text) if self.query else (HINT, theme.muted)
        text = font.render(ellipsize(shown, self.query_box.width - 2 * b, font.width), colour)
        target.blit(text, text.get_rect(midleft=(self.query_box.x + b, self.query_box.centery)))
        self._draw_results(target)
        for key in self.keys:
            draw_button(target, key, self.style)

    def _draw_results(self, target: Surface) -> None:
        theme, b = self.style.theme, self.style.type.body
        body = self.style.fonts.font(b)
        bold = self.style.fonts.font(b, bold=True)
        area = self.results_area
        if not self.query.strip():
            target.blit(body.render("或按姓氏查找：", theme.muted), (area.x, area.y))
            for button in self.surname_buttons:
                draw_button(target, button, self.style)
            return
        if not self.results:
            target.blit(body.render("没有找到，请换个写法试试", theme.muted), (area.x, area.y))
            return
        for i, button in enumerate(self.result_buttons):
            entry = self.results[self.first + i]
            selected = self.first + i == self.selected
            pygame.draw.rect(target, theme.card, button.rect, border_radius=b // 4)
            pygame.draw.rect(target, theme.header if selected else theme.card_border, button.rect,
                             width=3 if selected else 1, border_radius=b // 4)
            name = bold.render(entry.name, theme.text)
            target.blit(name, name.get_rect(midleft=(button.rect.x + b // 2, button.rect.centery)))
            post = self.posts.get(entry.number, "")
            detail = f"{post} · {entry.number}" if post else entry.number
            x = button.rect.x + b // 2 + max(name.get_width(), b * 5) + b
            line = ellipsize(detail, button.rect.right - x - b // 2, body.width)
            if line:
                rendered = body.render(line, theme.muted)
                target.blit(rendered, rendered.get_rect(midleft=(x, button.rect.centery)))
        more = len(self.results) - self.first - len(self.result_buttons)
        if more > 0:
            text = body.render(f"还有 {more} 人，向上滑动查看", theme.muted)
            target.blit(text, (area.x, area.bottom - text.get_height()))
