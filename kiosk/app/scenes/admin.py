"""The locked kiosk's way out: a PIN pad, then the admin menu (status, exit, rollback, screen test)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pygame
from pygame import Rect, Surface

from kiosk.app.pointer import Gesture
from kiosk.app.scenes.base import Action, Redraw, RedrawOnChange, Scene
from kiosk.app.scenes.chrome import bar_button, draw_top_bar, top_bar
from kiosk.app.widgets import Button, draw_button, finger_px, grid_buttons, hit
from kiosk.render.card import CardStyle
from kiosk.render.text import wrap

if TYPE_CHECKING:
    from kiosk.app.kiosk import Kiosk
    from kiosk.app.store_watch import StoreWatcher

BACK, OK, DEL = "返回", "确定", "退格"
MAX_PIN = 12


@dataclass(frozen=True)
class PinAnswer:
    ok: bool
    message: str = ""  # why not, in Chinese (wrong PIN, wait N s, no PIN set)


class PinGate(Protocol):
    def check(self, pin: str) -> PinAnswer: ...


class PinScene(RedrawOnChange):
    """Digits only; what is typed shows as dots; wrong tries are slowed down by the gate."""

    def __init__(self, size: tuple[int, int], style: CardStyle, gate: PinGate, on_success: Callable[[], Scene]) -> None:
        self.size, self.style, self.gate, self.on_success = size, style, gate, on_success
        b = style.type.body
        self.back = bar_button(size, style, BACK, right=False)
        bar = top_bar(size)
        side = min(size[0] - 2 * b, (size[1] - bar.bottom) * 3 // 5, finger_px(size) * 3 * 3)
        pad = Rect(0, 0, side, side * 4 // 3)
        pad.midtop = (size[0] // 2, bar.bottom + b * 5)
        if pad.bottom > size[1] - b:
            pad.height = size[1] - b - pad.y
        labels = [*"123456789", DEL, "0", OK]
        self.keys = grid_buttons(pad, labels, 3, max(6, b // 3))
        self.display_y = bar.bottom + b
        self.pin = ""
        self.message = "请输入管理员PIN"
        self._dirty = True

    def gesture(self, gesture: Gesture, t: float) -> Action | None:
        if gesture.kind != "tap":
            return None
        if self.back.rect.collidepoint(gesture.pos):
            return Action("back")
        key = hit(self.keys, gesture.pos)
        return self._press(key.label) if key else None

    def text(self, text: str, t: float) -> Action | None:
        for ch in text:
            if ch.isdigit():
                self._press(ch)
        return None

    def key(self, key: int, mod: int, t: float) -> Action | None:
        if key == pygame.K_ESCAPE:
            return Action("back")
        if key == pygame.K_BACKSPACE:
            return self._press(DEL)
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return self._press(OK)
        return None

    def _press(self, label: str) -> Action | None:
        self._dirty = True
        if label == DEL:
            self.pin = self.pin[:-1]
        elif label == OK:
            answer = self.gate.check(self.pin)
            self.pin = ""
            if answer.ok:
                return Action("open", scene=self.on_success())
            self.message = answer.message or "PIN不正确"
        elif len(self.pin) < MAX_PIN:
            self.pin += label
        return None

    def draw(self, target: Surface, t: float, now: datetime, redraw: Redraw) -> None:
        theme, b = self.style.theme, self.style.type.body
        target.fill(theme.background)
        draw_top_bar(target, "管理员解锁", [self.back], self.style)
        font = self.style.fonts.font(round(b * 1.3), bold=True)
        dots = "● " * len(self.pin) if self.pin else " "
        text = font.render(dots.strip() or " ", theme.text)
        target.blit(text, text.get_rect(midtop=(self.size[0] // 2, self.display_y)))
        body = self.style.fonts.font(b)
        message = body.render(self.message, theme.muted)
        target.blit(message, message.get_rect(midtop=(self.size[0] // 2, self.display_y + round(b * 2.4))))
        for key in self.keys:
            draw_button(target, key, self.style)


@dataclass(frozen=True)
class AdminFacts:
    lines: tuple[str, ...]


class AdminScene(RedrawOnChange):
    """Status and the few things an admin may do at the kiosk itself."""

    ACTIONS = (("退出程序", "quit"), ("回滚到上一版本", "rollback"), ("屏幕测试", "screen-test"), ("返回公示屏", "back"))

    def __init__(self, size: tuple[int, int], style: CardStyle, facts: Callable[[], AdminFacts],
                 rollback: Callable[[], str]) -> None:
        self.size, self.style, self.facts, self.rollback = size, style, facts, rollback
        b = style.type.body
        bar = top_bar(size)
        height = max(finger_px(size), round(b * 2.4))
        width = min(size[0] - 2 * b, b * 16)
        column = Rect(size[0] - width - b, bar.bottom + b, width, len(self.ACTIONS) * (height + b))
        if size[0] < size[1]:
            column.x, column.y = b, size[1] - column.height - b
        self.buttons = [
            Button(Rect(column.x, column.y + i * (height + b), width, height), label, action, primary=action == "quit")
            for i, (label, action) in enumerate(self.ACTIONS)
        ]
        self.info_area = Rect(b, bar.bottom + b, (column.x - 2 * b) if size[0] >= size[1] else size[0] - 2 * b,
                              (size[1] - bar.bottom - 2 * b) if size[0] >= size[1] else column.y - bar.bottom - 2 * b)
        self.note = ""
        self.testing = False
        self._dirty = True

    def gesture(self, gesture: Gesture, t: float) -> Action | None:
        if gesture.kind != "tap":
            return None
        self._dirty = True
        if self.testing:
            self.testing = False
            return None
        button = hit(self.buttons, gesture.pos)
        return self._do(button.action) if button else None

    def _do(self, action: str) -> Action | None:
        if action == "screen-test":
            self.testing = True
            return None
        if action == "rollback":
            self.note = self.rollback()
            return None
        return Action(action)

    def text(self, text: str, t: float) -> Action | None:
        return None

    def key(self, key: int, mod: int, t: float) -> Action | None:
        self._dirty = True
        if self.testing:
            self.testing = False
            return None
        return Action("back") if key == pygame.K_ESCAPE else None

    def draw(self, target: Surface, t: float, now: datetime, redraw: Redraw) -> None:
        if self.testing:
            draw_test_pattern(target, self.style)
            return
        theme, b = self.style.theme, self.style.type.body
        target.fill(theme.background)
        draw_top_bar(target, "管理员菜单", [], self.style)
        body = self.style.fonts.font(b)
        y = self.info_area.y
        lines = list(self.facts().lines) + ([f"回滚：{self.note}"] if self.note else [])
        for line in lines:
            for part in wrap(line, self.info_area.width, body.width):
                if y + body.line_height > self.info_area.bottom:
                    break
                target.blit(body.render(part, theme.text), (self.info_area.x, y))
                y += self.style.type.row
        for button in self.buttons:
            draw_button(target, button, self.style)


def draw_test_pattern(target: Surface, style: CardStyle) -> None:
    """Colour bars, a grey ramp and a 1-pixel border: dead pixels, colour and overscan at a glance."""
    width, height = target.get_size()
    bars = [(255, 255, 255), (255, 255, 0), (0, 255, 255), (0, 255, 0), (255, 0, 255), (255, 0, 0), (0, 0, 255), (0, 0, 0)]
    bar_w = width / len(bars)
    for i, colour in enumerate(bars):
        target.fill(colour, Rect(round(i * bar_w), 0, round(bar_w) + 1, height * 2 // 3))
    steps = 16
    for i in range(steps):
        grey = round(255 * i / (steps - 1))
        target.fill((grey, grey, grey), Rect(round(i * width / steps), height * 2 // 3, round(width / steps) + 1, height // 3))
    pygame.draw.rect(target, (255, 0, 0), target.get_rect(), width=1)
    font = style.fonts.font(style.type.body)
    label = font.render("屏幕测试：轻触任意处返回", (0, 0, 0), )
    box = label.get_rect(center=(width // 2, height // 3)).inflate(style.type.body, style.type.body // 2)
    target.fill((255, 255, 255), box)
    target.blit(label, label.get_rect(center=box.center))


def admin_facts(data_dir: Path, watcher: StoreWatcher) -> AdminFacts:
    from kiosk.commands.status import store_status

    facts = store_status(data_dir)
    disk = shutil.disk_usage(data_dir)
    last_sync = facts.get("last_sync") or {}
    lines = (
        f"数据目录：{data_dir}",
        f"数据版本：{facts['data_version']}，最后更新：{facts['last_update'] or '从未'}",
        f"村 {facts['villages']} 个，党员 {facts['members']} 名，承诺 {facts['pledges']} 条",
        "最后一次U盘同步：" + (f"{last_sync.get('outcome')} 版本 {last_sync.get('version')}，{last_sync.get('at')}" if last_sync else "无"),
        f"磁盘剩余：{disk.free / 2**30:.1f} GB / {disk.total / 2**30:.1f} GB",
        f"读取数据的错误：{watcher.last_error or '无'}",
        f"现在时间：{datetime.now():%Y-%m-%d %H:%M:%S}",
    )
    return AdminFacts(lines)


def admin_scene_factory(data_dir: Path, watcher: StoreWatcher) -> Callable[[Kiosk], Scene]:
    """What the long press / Ctrl+Shift+A opens: the PIN pad, which on success becomes the menu."""

    def open_admin(kiosk: Kiosk) -> Scene:
        wall = kiosk.wall
        gate = store_pin_gate(data_dir)

        def menu() -> Scene:
            return AdminScene(wall.size, wall.style, lambda: admin_facts(data_dir, watcher),
                              lambda: rollback_now(data_dir))

        return PinScene(wall.size, wall.style, gate, menu)

    return open_admin


def store_pin_gate(data_dir: Path) -> PinGate:
    from kiosk.sync.pin import PinStore

    return _PinStoreGate(PinStore(data_dir))


@dataclass
class _PinStoreGate:
    store: object

    def check(self, pin: str) -> PinAnswer:
        ok, message = self.store.check(pin)  # type: ignore[attr-defined]
        return PinAnswer(ok, message)


def rollback_now(data_dir: Path) -> str:
    from kiosk.sync.apply import rollback

    try:
        return rollback(data_dir).message  # type: ignore[attr-defined]
    except Exception as error:  # noqa: BLE001 - shown to the admin, the kiosk goes on
        return f"未能回滚：{error}"
