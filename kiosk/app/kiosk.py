"""The kiosk's scenes: the wall underneath, one touch scene on top; idle time returns to the wall.

Input arrives as gestures, text and keys; every scene answers with an Action or nothing. In the
locked kiosk (`pledgewall run`), nothing a villager does closes the program: only an admin who
opens the PIN pad (long press on the header's left end, or Ctrl+Shift+A) can.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pygame
from pygame import Rect, Surface

from kiosk.app.pointer import Gesture
from kiosk.app.scenes.base import Action, Redraw, Scene
from kiosk.app.scenes.detail import open_detail
from kiosk.app.scenes.search import SearchScene
from kiosk.app.scenes.wall import WallScene
from kiosk.search import SearchIndex
from kiosk.store.snapshot import WallSnapshot

log = logging.getLogger("kiosk.app")


@dataclass(frozen=True)
class KioskOptions:
    locked: bool = False  # villagers cannot leave the app
    idle_seconds: float = 60.0  # a touch scene left alone this long goes back to the wall


class Kiosk:
    def __init__(
        self,
        wall: WallScene,
        options: KioskOptions,
        *,
        admin_scene: Callable[[Kiosk], Scene] | None = None,
        sync_scene: Callable[[Kiosk, Path], Scene] | None = None,
    ) -> None:
        self.wall = wall
        self.options = options
        self.admin_scene = admin_scene
        self.sync_scene = sync_scene
        self.overlay: Scene | None = None
        self.quit = False
        self.admin_exit = False  # the admin closed a locked kiosk on purpose
        self._index: SearchIndex | None = None
        self.last_input = -1e9
        self._full = True

    @property
    def scene(self) -> Scene:
        return self.overlay or self.wall

    @property
    def moving(self) -> bool:
        return self.scene.moving

    def set_snapshot(self, snapshot: WallSnapshot, t: float, now: datetime) -> None:
        self.wall.set_snapshot(snapshot, t, now)
        self._index = None
        detail_of = getattr(self.overlay, "card", None)
        if detail_of is not None and snapshot.cards.index_of(detail_of.member.number) is None:
            self.close_overlay()
        elif isinstance(self.overlay, SearchScene):
            self.close_overlay()  # its index belongs to the old roster

    # --- input -----------------------------------------------------------------------------
    def gesture(self, gesture: Gesture, t: float) -> None:
        self.last_input = t
        if gesture.kind == "long-press" and self.overlay is None and self._admin_corner(gesture.pos):
            self.act(Action("unlock"), t)
            return
        self.act(self.scene.gesture(gesture, t), t)

    def text(self, text: str, t: float) -> None:
        self.last_input = t
        self.act(self.scene.text(text, t), t)

    def key(self, key: int, mod: int, t: float) -> None:
        self.last_input = t
        if key == pygame.K_a and mod & pygame.KMOD_CTRL and mod & pygame.KMOD_SHIFT:
            self.act(Action("unlock"), t)
            return
        if key == pygame.K_ESCAPE and self.overlay is None:
            if not self.options.locked:
                self.quit = True
            return
        self.act(self.scene.key(key, mod, t), t)

    def stick_found(self, root: Path, t: float) -> None:
        """A USB stick with a pledgewall folder: its scene goes on top of whatever is shown."""
        if self.sync_scene is None or getattr(self.overlay, "busy", False):
            return  # one update at a time; the second stick is looked at when it is plugged in again
        self.last_input = t  # the admin is at the kiosk
        self._open(self.sync_scene(self, root))

    def stick_removed(self, root: Path) -> None:
        """Pulled out after the result: back to the wall. Pulled out before: the scene says why
        nothing was updated (an apply already under way finishes; it no longer reads the stick)."""
        removed = getattr(self.overlay, "stick_removed", None)
        if removed is None:
            return
        if getattr(self.overlay, "busy", False):
            removed()
        else:
            self.close_overlay()

    def replace_wall(self, wall: WallScene, t: float, now: datetime) -> None:
        """A new wall for a new screen size (display re-created); it shows the same snapshot."""
        snapshot, self.wall, self.overlay = self.wall.snapshot, wall, None
        self.set_snapshot(snapshot, t, now)
        self._full = True

    def close_requested(self) -> None:
        """The window's close button, Alt+F4: honoured only when the kiosk is not locked."""
        if not self.options.locked:
            self.quit = True

    def act(self, action: Action | None, t: float) -> None:
        if action is None:
            return
        self.last_input = max(self.last_input, t)
        wall = self.wall
        if action.kind == "search":
            cards = wall.snapshot.cards
            if self._index is None:
                self._index = SearchIndex.from_members(zip(cards.member_texts("number"), cards.member_texts("name")))
            posts = dict(zip(cards.member_texts("number"), cards.member_texts("post")))
            self._open(SearchScene(self._index, posts, wall.size, wall.style, action.member))
        elif action.kind == "detail":
            card = wall.snapshot.card(action.member)
            if card is not None:
                village = wall.snapshot.village
                template = wall.feedback_override or (village.feedback_url if village else "")
                self._open(open_detail(card, wall.size, wall.style, wall.cards.load_photo, template,
                                       village.code if village else "", datetime.now().date()))
        elif action.kind in ("back", "home"):
            self.close_overlay()
        elif action.kind == "unlock" and self.admin_scene is not None:
            self._open(self.admin_scene(self))
        elif action.kind == "open" and action.scene is not None:
            self._open(action.scene)  # type: ignore[arg-type]
        elif action.kind == "quit":
            self.quit = True
            self.admin_exit = self.options.locked

    def repaint(self) -> None:
        """Draw everything again (the window was uncovered or re-created)."""
        self.wall.repaint()
        self._full = True

    def _open(self, scene: Scene) -> None:
        self.overlay = scene
        self._full = True

    def close_overlay(self) -> None:
        self.overlay = None
        self.wall.repaint()
        self._full = True

    def _admin_corner(self, pos: tuple[int, int]) -> bool:
        header = self.wall.layout.header
        return header.collidepoint(pos) and pos[0] < header.width // 4

    # --- time and drawing ------------------------------------------------------------------
    def frame(self, target: Surface, t: float, now: datetime) -> Rect | None | bool:
        """Advance and draw; returns False when nothing changed, None for all, or a dirty rect."""
        if (self.overlay is not None and not getattr(self.overlay, "busy", False)
                and t - self.last_input > self.options.idle_seconds):
            log.info("idle for %.0f s: back to the wall", self.options.idle_seconds)
            self.close_overlay()
        redraw = self.scene.update(t, now)
        if self._full:
            redraw, self._full = Redraw.ALL, False
        if redraw == Redraw.NONE:
            return False
        self.scene.draw(target, t, now, redraw)
        return None if redraw == Redraw.ALL else self.wall.layout.footer

    def prepare_ahead(self) -> bool:
        return self.overlay is None and self.wall.prepare_ahead()
