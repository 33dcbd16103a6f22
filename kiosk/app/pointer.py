"""Touch and mouse into taps, swipes, drags and long presses, on the upright canvas.

Fingers and the mouse give the same gestures. Mouse events that SDL synthesises from touches are
ignored, so a finger is never counted twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

Point = tuple[int, int]
LONG_PRESS_S = 3.0


@dataclass(frozen=True)
class Gesture:
    kind: str  # "tap", "swipe", "drag", "long-press", "wheel"
    pos: Point  # where it started (logical canvas)
    dx: int = 0  # for swipe/drag: movement; for wheel: -1 / +1 steps in dy
    dy: int = 0


class PointerTracker:
    def __init__(self, size: Point, to_logical: Callable[[Point], Point], physical: Point) -> None:
        self.size = size
        self.to_logical = to_logical
        self.physical = physical
        self._down: tuple[Point, float] | None = None
        self._last: Point | None = None
        self._long_sent = False

    def feed(self, event: pygame.event.Event, t: float) -> Gesture | None:
        kind = event.type
        if kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION) and getattr(event, "touch", False):
            return None
        if kind == pygame.MOUSEWHEEL:
            return Gesture("wheel", self._last or (0, 0), dy=-event.y)
        if kind == pygame.MOUSEBUTTONDOWN and event.button == 1:
            return self._press(self.to_logical(event.pos), t)
        if kind == pygame.FINGERDOWN:
            return self._press(self._finger(event), t)
        if kind == pygame.MOUSEBUTTONUP and event.button == 1:
            return self._release(self.to_logical(event.pos), t)
        if kind == pygame.FINGERUP:
            return self._release(self._finger(event), t)
        if kind in (pygame.MOUSEMOTION, pygame.FINGERMOTION):
            pos = self._finger(event) if kind == pygame.FINGERMOTION else self.to_logical(event.pos)
            return self._move(pos)
        return None

    def poll(self, t: float) -> Gesture | None:
        """A finger held still long enough is a long press (the hidden admin gesture)."""
        if self._down is None or self._long_sent:
            return None
        start, since = self._down
        if t - since >= LONG_PRESS_S and self._near(start, self._last or start):
            self._long_sent = True
            return Gesture("long-press", start)
        return None

    def _finger(self, event: pygame.event.Event) -> Point:
        x = min(self.physical[0] - 1, int(event.x * self.physical[0]))
        y = min(self.physical[1] - 1, int(event.y * self.physical[1]))
        return self.to_logical((x, y))

    def _press(self, pos: Point, t: float) -> None:
        self._down, self._last, self._long_sent = (pos, t), pos, False
        return None

    def _move(self, pos: Point) -> Gesture | None:
        if self._down is None:
            self._last = pos
            return None
        previous = self._last or pos
        self._last = pos
        if self._near(self._down[0], pos):
            return None
        return Gesture("drag", self._down[0], pos[0] - previous[0], pos[1] - previous[1])

    def _release(self, pos: Point, t: float) -> Gesture | None:
        if self._down is None:
            return None
        (start, since), self._down = self._down, None
        if self._long_sent:
            return None
        dx, dy = pos[0] - start[0], pos[1] - start[1]
        if self._near(start, pos):
            return Gesture("tap", start)
        if abs(dx) > 2 * abs(dy) and abs(dx) > self.size[0] * 0.08 and t - since < 1.0:
            return Gesture("swipe", start, dx=dx)
        return None

    def _near(self, a: Point, b: Point) -> bool:
        slop = max(12, min(self.size) // 60)
        return abs(a[0] - b[0]) <= slop and abs(a[1] - b[1]) <= slop
