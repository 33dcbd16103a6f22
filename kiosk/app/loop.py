"""The kiosk's event loop: input, timers, redraw only what changed, sleep when nothing moves."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pygame

from kiosk.app.cards import CardCache
from kiosk.app.display import Display
from kiosk.app.photos import PhotoLoader
from kiosk.app.scenes.wall import Redraw, WallScene
from kiosk.app.store_watch import StoreWatcher
from kiosk.config import Settings
from kiosk.render.card import CardStyle
from kiosk.render.fonts import FontBook
from kiosk.render.layout import Size, type_scale, wall_layout
from kiosk.render.theme import THEMES
from kiosk.store.db import open_engine

log = logging.getLogger("kiosk.loop")

MOVING_FPS = 60
IDLE_FPS = 4  # input still answers within 250 ms; the CPU sleeps in between


@dataclass(frozen=True)
class RunOptions:
    closable: bool = True  # Esc / window close end the program (demo, --windowed)
    max_frames: int | None = None  # stop after this many loop turns (tests, benchmarks)


def make_scene(size: Size, settings: Settings, fonts: FontBook, data_dir: Path) -> WallScene:
    """The wall scene with its card cache, for the screen and for `pledgewall render`."""
    style = CardStyle(THEMES[settings.display.theme], fonts, type_scale(size))
    per_page = wall_layout(size, settings.display.grid).per_page
    cache = CardCache(style, PhotoLoader(data_dir / "photos").load, capacity=per_page * 3)
    return WallScene(size, settings.display, style, cache, feedback_url=settings.feedback_url)


def run_kiosk(data_dir: Path, settings: Settings, options: RunOptions = RunOptions()) -> None:
    display_settings = settings.display
    display = Display(
        fullscreen=display_settings.fullscreen,
        size=display_settings.size,
        rotate=display_settings.rotate,
    )
    engine = open_engine(data_dir)
    watcher = StoreWatcher(engine, settings.village)
    scene = make_scene(display.size, settings, FontBook.default(), data_dir)
    scene.set_snapshot(watcher.load_now(), time.monotonic(), datetime.now())
    watcher.start()
    clock = pygame.time.Clock()
    frames = 0
    try:
        while options.max_frames is None or frames < options.max_frames:
            frames += 1
            if not _handle_events(scene, display, options):
                break
            _frame(scene, display, watcher)
            clock.tick(MOVING_FPS if scene.moving else IDLE_FPS)
    finally:
        watcher.stop()
        engine.dispose()
        pygame.display.quit()


def _handle_events(scene: WallScene, display: Display, options: RunOptions) -> bool:
    for event in pygame.event.get():
        if event.type == pygame.QUIT and options.closable:
            return False
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE and options.closable:
                return False
            if event.key in (pygame.K_RIGHT, pygame.K_PAGEDOWN, pygame.K_SPACE):
                scene.turn(1, time.monotonic())
            elif event.key in (pygame.K_LEFT, pygame.K_PAGEUP):
                scene.turn(-1, time.monotonic())
        elif event.type in (pygame.WINDOWEXPOSED, pygame.VIDEOEXPOSE):
            scene.repaint()
    return True


def _frame(scene: WallScene, display: Display, watcher: StoreWatcher) -> None:
    t, now = time.monotonic(), datetime.now()
    try:
        snapshot = watcher.poll()
        if snapshot is not None:
            scene.set_snapshot(snapshot, t, now)
        redraw = scene.update(t, now)
        if redraw != Redraw.NONE:
            scene.draw(display.canvas, t, now, redraw)
            display.present(None if redraw == Redraw.ALL else scene.layout.footer)
        elif not scene.moving:
            scene.prepare_ahead()
    except Exception:  # noqa: BLE001 - the wall must keep running on bad data
        log.exception("frame failed; starting the wall again from its first page")
        scene.set_snapshot(scene.snapshot, t, now)
