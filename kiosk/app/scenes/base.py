"""What every scene offers the loop, and what a scene can ask of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from pygame import Surface

from kiosk.app.pointer import Gesture


class Redraw(Enum):
    NONE = 0
    FOOTER = 1  # only the wall's notice ticker moved
    ALL = 2


@dataclass(frozen=True)
class Action:
    """A scene's request to the app: open another scene, go back, or leave the program."""

    kind: str  # "search", "detail", "back", "unlock", "open", "quit"
    member: str = ""  # member number for "detail"; first letters for "search"
    scene: object = None  # the scene to show instead, for "open"


class Scene(Protocol):
    @property
    def moving(self) -> bool: ...

    def gesture(self, gesture: Gesture, t: float) -> Action | None: ...

    def text(self, text: str, t: float) -> Action | None: ...

    def key(self, key: int, mod: int, t: float) -> Action | None: ...

    def update(self, t: float, now: datetime) -> Redraw: ...

    def draw(self, target: Surface, t: float, now: datetime, redraw: Redraw) -> None: ...


class RedrawOnChange:
    """For touch scenes: redraw everything after a change (`self._dirty = True`), else nothing."""

    moving = False
    _dirty = True

    def update(self, t: float, now: datetime) -> Redraw:
        dirty, self._dirty = self._dirty, False
        return Redraw.ALL if dirty else Redraw.NONE
