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
from kiosk.app.heap import HeapTrim
from kiosk.app.photos import PhotoLoader
from kiosk.app.kiosk import Kiosk, KioskOptions
from kiosk.app.pointer import PointerTracker
from kiosk.app.scenes.admin import admin_scene_factory
from kiosk.app.scenes.sync import sync_scene_factory
from kiosk.app.scenes.wall import WallScene
from kiosk.app.store_watch import StoreWatcher
from kiosk.config import Settings
from kiosk.render.card import CardStyle
from kiosk.render.fonts import FontBook
from kiosk.render.layout import Size, type_scale, wall_layout
from kiosk.render.theme import THEMES
from kiosk.store.db import open_engine
from kiosk.sync.usb import UsbWatcher, removable_roots
from kiosk.unattended import stop, watchdog
from kiosk.unattended.burnin import pixel_shift
from kiosk.unattended.schedule import screen_on

log = logging.getLogger("kiosk.loop")

MOVING_FPS = 60
IDLE_FPS = 4  # input still answers within 250 ms; the CPU sleeps in between


@dataclass(frozen=True)
class RunOptions:
    locked: bool = False  # villagers cannot close the app (pledgewall run, full screen)
    max_frames: int | None = None  # stop after this many loop turns (tests, benchmarks)


def make_scene(size: Size, settings: Settings, fonts: FontBook, data_dir: Path) -> WallScene:
    """The wall scene with its card cache, for the screen and for `pledgewall render`."""
    style = CardStyle(THEMES[settings.display.theme], fonts, type_scale(size))
    per_page = wall_layout(size, settings.display.grid).per_page
    cache = CardCache(style, PhotoLoader(data_dir / "photos").load, capacity=per_page * 3)
    return WallScene(size, settings.display, style, cache, feedback_url=settings.feedback_url)


ADMIN_EXIT_STATUS = 10  # the admin chose 退出程序: systemd and the Windows launcher stay down
DARK_FPS = 1


def run_kiosk(data_dir: Path, settings: Settings, options: RunOptions = RunOptions()) -> int:
    """Show the wall until closed; returns the process exit status."""
    stop.install()  # a stop request is not a villager: it ends even a locked kiosk
    display_settings = settings.display
    display = Display(
        fullscreen=display_settings.fullscreen,
        size=display_settings.size,
        rotate=display_settings.rotate,
    )
    engine = open_engine(data_dir)
    watcher = StoreWatcher(engine, settings.village)
    fonts = FontBook.default()
    kiosk = Kiosk(
        make_scene(display.size, settings, fonts, data_dir),
        KioskOptions(locked=options.locked, idle_seconds=display_settings.idle_seconds),
        admin_scene=admin_scene_factory(data_dir, watcher),
        sync_scene=sync_scene_factory(data_dir, settings),
    )
    # The first two pages' cards in full at once; the rest follows from the watcher's thread.
    kiosk.set_snapshot(watcher.load_now(first=kiosk.wall.layout.per_page * 2), time.monotonic(), datetime.now())
    watcher.start()
    sticks = UsbWatcher(roots=lambda: [*removable_roots(), *settings.sync.watch_folders])
    sticks.start()
    pointer = PointerTracker(display.size, display.logical_pos, display.screen.get_size())
    notifier = watchdog.notifier()
    heap = HeapTrim()
    clock = pygame.time.Clock()
    frames = 0
    dark = False
    try:
        while not (kiosk.quit or stop.requested.is_set()) and (options.max_frames is None
                                                                or frames < options.max_frames):
            frames += 1
            t, now = time.monotonic(), datetime.now()
            try:
                _handle_events(kiosk, pointer)
                if display.changed:
                    raise pygame.error("the display mode changed")
            except pygame.error as error:
                pointer = _recover(kiosk, display, settings, fonts, data_dir, error) or pointer
                clock.tick(DARK_FPS)
                continue
            _handle_sticks(kiosk, sticks, t)
            lit = screen_on(now, settings.schedule) or t - kiosk.last_input < display_settings.idle_seconds
            if not lit:
                if not dark:
                    display.blank()
                    dark = True
                notifier.ping()
                clock.tick(DARK_FPS)
                continue
            if dark:
                dark = False
                kiosk.repaint()
            try:
                _frame(kiosk, display, watcher, heap, pixel_shift(now, display_settings.pixel_shift))
            except pygame.error as error:
                pointer = _recover(kiosk, display, settings, fonts, data_dir, error) or pointer
            if frames == 1:
                notifier.ready("showing the wall")
            notifier.ping()
            clock.tick(MOVING_FPS if kiosk.moving else IDLE_FPS)
    finally:
        notifier.stopping()
        sticks.stop()
        watcher.stop()
        engine.dispose()
        pygame.display.quit()
    return ADMIN_EXIT_STATUS if kiosk.admin_exit else 0


def _handle_events(kiosk: Kiosk, pointer: PointerTracker) -> None:
    t = time.monotonic()
    for event in pygame.event.get():
        if event.type == pygame.QUIT:
            kiosk.close_requested()
        elif event.type == pygame.KEYDOWN:
            kiosk.key(event.key, event.mod, t)
        elif event.type == pygame.TEXTINPUT:
            kiosk.text(event.text, t)
        elif event.type in (pygame.WINDOWEXPOSED, pygame.VIDEOEXPOSE):
            kiosk.repaint()
        else:
            gesture = pointer.feed(event, t)
            if gesture is not None:
                kiosk.gesture(gesture, t)
    held = pointer.poll(t)
    if held is not None:
        kiosk.gesture(held, t)


def _recover(kiosk: Kiosk, display: Display, settings: Settings, fonts: FontBook, data_dir: Path,
             error: pygame.error) -> PointerTracker | None:
    """Re-create the display and everything sized for it; None (try again next turn) if it fails."""
    log.warning("display lost or changed (%s): re-creating it", error)
    try:
        display.reopen()
    except pygame.error:
        log.warning("display not back yet", exc_info=True)
        return None
    if display.size != kiosk.wall.size:
        kiosk.replace_wall(make_scene(display.size, settings, fonts, data_dir), time.monotonic(), datetime.now())
    kiosk.repaint()
    return PointerTracker(display.size, display.logical_pos, display.screen.get_size())


def _handle_sticks(kiosk: Kiosk, sticks: UsbWatcher, t: float) -> None:
    for event in sticks.poll():
        log.info("USB stick %s: %s", event.kind, event.root)
        if event.kind == "found":
            kiosk.stick_found(event.root, t)
        else:
            kiosk.stick_removed(event.root)


def _frame(kiosk: Kiosk, display: Display, watcher: StoreWatcher, heap: HeapTrim,
           offset: tuple[int, int]) -> None:
    t, now = time.monotonic(), datetime.now()
    try:
        snapshot = watcher.poll()
        if snapshot is not None:
            kiosk.set_snapshot(snapshot, t, now)
            heap.data_changed()
        if offset != display.offset:
            kiosk.repaint()
        dirty = kiosk.frame(display.canvas, t, now)
        if dirty is not False:
            display.present(dirty, offset)  # type: ignore[arg-type]
        elif not kiosk.moving and not kiosk.prepare_ahead():
            heap.quiet()
    except pygame.error:
        raise  # the display itself: the loop re-creates it
    except Exception:  # noqa: BLE001 - the wall must keep running on bad data
        log.exception("frame failed; back to the wall from its first page")
        kiosk.close_overlay()
        kiosk.set_snapshot(kiosk.wall.snapshot, t, now)
