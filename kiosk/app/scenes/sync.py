"""The USB stick on screen: what was found, the preview, progress, the result, "可以安全拔出U盘".

Draws only from `SyncController.state`; the work happens in the controller's thread. An
unsigned roster first asks for the admin PIN (the same PIN pad as the admin menu).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
from pygame import Rect, Surface

from kiosk.app.pointer import Gesture
from kiosk.app.scenes.admin import PinGate, PinScene, store_pin_gate
from kiosk.app.scenes.base import Action, Redraw, Scene
from kiosk.app.scenes.chrome import draw_top_bar, top_bar
from kiosk.app.widgets import Button, draw_button, finger_px, hit
from kiosk.render.card import CardStyle
from kiosk.config import Settings
from kiosk.render.text import wrap
from kiosk.roster import PledgeStatus

if TYPE_CHECKING:
    from kiosk.app.kiosk import Kiosk
    from kiosk.sync.controller import SyncController, SyncState

TITLES = {
    "checking": "U盘更新：正在检查",
    "pin": "U盘更新：需要管理员PIN",
    "preview": "U盘更新：即将更新",
    "applying": "U盘更新：正在更新",
    "done": "U盘更新：已完成",
    "refused": "U盘更新：未更新",
    "cancelled": "U盘更新：已取消",
}
SAFE_TO_REMOVE = "可以安全拔出U盘"


class SyncScene:
    """Redraws when the controller's state changes (and each second of the countdown)."""

    def __init__(self, size: tuple[int, int], style: CardStyle, controller: SyncController,
                 pin_gate: Callable[[], PinGate]) -> None:
        self.size, self.style, self.controller, self.pin_gate = size, style, controller, pin_gate
        b = style.type.body
        bar = top_bar(size)
        height = max(finger_px(size), round(b * 2.4))
        width = min((size[0] - 3 * b) // 2, b * 12)
        y = size[1] - height - b
        self._buttons = {
            "confirm": Button(Rect(size[0] // 2 - width - b // 2, y, width, height), "立即更新", "confirm", primary=True),
            "cancel": Button(Rect(size[0] // 2 + b // 2, y, width, height), "取消", "cancel"),
            "pin": Button(Rect(size[0] // 2 - width - b // 2, y, width, height), "输入PIN", "pin", primary=True),
            "close": Button(Rect((size[0] - width) // 2, y, width, height), "返回公示屏", "back"),
        }
        self.body_area = Rect(b * 2, bar.bottom + b * 2, size[0] - 4 * b, y - bar.bottom - 3 * b)
        self._shown: tuple[object, ...] = ()

    @property
    def moving(self) -> bool:
        return self.controller.state.busy or self.controller.state.phase == "preview"

    @property
    def busy(self) -> bool:
        """Not closed by the idle timeout while work is going on or a choice is pending."""
        return not self.controller.state.safe_to_remove

    def buttons(self, state: SyncState) -> list[Button]:
        names = {"preview": ["confirm", "cancel"], "pin": ["pin", "cancel"]}.get(
            state.phase, ["close"] if state.safe_to_remove else [])
        return [self._buttons[n] for n in names]

    def gesture(self, gesture: Gesture, t: float) -> Action | None:
        if gesture.kind != "tap":
            return None
        button = hit(self.buttons(self.controller.state), gesture.pos)
        return self._press(button.action) if button else None

    def _press(self, action: str) -> Action | None:
        if action == "confirm":
            self.controller.confirm()
        elif action == "cancel":
            self.controller.cancel()
        elif action == "pin":
            return Action("open", scene=PinScene(self.size, self.style, self.pin_gate(), self._after_pin))
        elif action == "back":
            return Action("back")
        return None

    def _after_pin(self) -> Scene:
        self.controller.pin_accepted()
        return self

    def text(self, text: str, t: float) -> Action | None:
        return None

    def key(self, key: int, mod: int, t: float) -> Action | None:
        state = self.controller.state
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            return self._press({"preview": "confirm", "pin": "pin"}.get(state.phase, "back" if state.safe_to_remove else ""))
        if key == pygame.K_ESCAPE:
            return self._press("cancel" if state.phase in ("preview", "pin") else "back" if state.safe_to_remove else "")
        return None

    def stick_removed(self) -> None:
        self.controller.stick_removed()

    def update(self, t: float, now: datetime) -> Redraw:
        self.controller.tick()
        state = self.controller.state
        seen = (state.phase, state.step, round(state.fraction, 2), state.message, state.receipt,
                None if state.countdown is None else int(state.countdown + 0.999))
        if seen == self._shown:
            return Redraw.NONE
        self._shown = seen
        return Redraw.ALL

    def draw(self, target: Surface, t: float, now: datetime, redraw: Redraw) -> None:
        state = self.controller.state
        theme, b = self.style.theme, self.style.type.body
        target.fill(theme.background)
        draw_top_bar(target, TITLES.get(state.phase, "U盘更新"), [], self.style)
        lines = self._lines(state)
        area = self.body_area
        y = area.y
        font = self.style.fonts.font(b)
        big = self.style.fonts.font(self.style.type.title, bold=True)
        for text, emphasis in lines:
            face = big if emphasis else font
            colour = self._colour(state) if emphasis else theme.text
            for part in wrap(text, area.width, face.width):
                if y + face.line_height > area.bottom:
                    break
                target.blit(face.render(part, colour), (area.x, y))
                y += round(face.line_height * 1.3)
            y += b // 2
        if state.busy:
            self._progress_bar(target, Rect(area.x, min(y + b, area.bottom - b), area.width, b), state.fraction)
        for button in self.buttons(state):
            draw_button(target, button, self.style)

    def _lines(self, state: SyncState) -> list[tuple[str, bool]]:
        """(text, emphasised) lines for the state."""
        if state.busy:
            return [(state.step or "请稍候", True), ("请不要拔出U盘", False)]
        if state.phase == "preview":
            when = f"{int(state.countdown + 0.999)} 秒后自动更新；" if state.countdown is not None else ""
            return [("找到更新包：" + state.message, True), *[(line, False) for line in state.change_lines],
                    (f"{when}点“立即更新”马上更新，点“取消”则不更新", False)]
        if state.phase == "pin":
            return [(state.message, True)]
        lines = [(state.message, True), *[(line, False) for line in (state.change_lines if state.applied else ())]]
        if state.receipt:
            lines.append((state.receipt, False))
        if state.safe_to_remove:
            lines.append((SAFE_TO_REMOVE, True))
        return lines

    def _colour(self, state: SyncState) -> tuple[int, int, int]:
        status = self.style.theme.status
        if state.phase == "done":
            return status[PledgeStatus.DONE]
        if state.phase == "refused":
            return status[PledgeStatus.NOT_KEPT]
        return self.style.theme.text

    def _progress_bar(self, target: Surface, rect: Rect, fraction: float) -> None:
        theme = self.style.theme
        radius = rect.height // 2
        pygame.draw.rect(target, theme.progress_track, rect, border_radius=radius)
        filled = Rect(rect.x, rect.y, max(rect.height, round(rect.width * min(1.0, fraction))), rect.height)
        pygame.draw.rect(target, theme.status[PledgeStatus.IN_PROGRESS], filled, border_radius=radius)


def sync_scene_factory(data_dir: Path, settings: Settings) -> Callable[[Kiosk, Path], Scene]:
    """What the kiosk opens when a stick with a pledgewall folder appears."""

    def open_sync(kiosk: Kiosk, root: Path) -> Scene:
        # The sync stack (signatures, staging, the bundle's database) is loaded with the first
        # stick, not at start: it is 14 MB of the kiosk's memory that most days never need.
        from kiosk.sync.apply import trust_from
        from kiosk.sync.controller import SyncController

        controller = SyncController(root, data_dir, lambda: trust_from(settings))
        controller.start()
        return SyncScene(kiosk.wall.size, kiosk.wall.style, controller, lambda: store_pin_gate(data_dir))

    return open_sync
