"""A stick appears: the kiosk's sync scene goes, headless, from checking to "可以安全拔出U盘"."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pygame
import pytest
from cryptography.hazmat.primitives import serialization

from kiosk.app.display import Display
from kiosk.app.kiosk import Kiosk, KioskOptions
from kiosk.app.loop import _handle_sticks, make_scene
from kiosk.app.scenes.sync import SAFE_TO_REMOVE, SyncScene, sync_scene_factory
from kiosk.app.scenes.wall import WallScene
from kiosk.config import DisplaySettings, Settings, SyncSettings
from kiosk.render.fonts import FontBook
from kiosk.store.db import open_engine
from kiosk.store.snapshot import load_snapshot
from kiosk.sync.controller import SyncController
from kiosk.sync.stick import sync_stick
from kiosk.sync.usb import UsbWatcher
from tests.conftest import make_roster
from tests.sync.conftest import Kit, with_photos

NOW = datetime(2026, 11, 23, 9, 30)
SIZE = (1280, 720)


@pytest.fixture(scope="module")
def fonts() -> FontBook:
    pygame.font.init()
    return FontBook.default()


def kiosk_for(kit: Kit, fonts: FontBook, tmp_path: Path) -> tuple[Kiosk, Display]:
    pub = tmp_path / "trusted.pub"
    pub.write_bytes(kit.key.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo))
    settings = Settings(display=DisplaySettings(fullscreen=False, size=SIZE), sync=SyncSettings(trusted_keys=(pub,)))
    pygame.display.init()
    display = Display(fullscreen=False, size=SIZE, rotate=0)
    wall: WallScene = make_scene(display.size, settings, fonts, kit.data_dir)
    kiosk = Kiosk(wall, KioskOptions(locked=True, idle_seconds=1.0), sync_scene=sync_scene_factory(kit.data_dir, settings))
    engine = open_engine(kit.data_dir)
    kiosk.set_snapshot(load_snapshot(engine), 0.0, NOW)
    engine.dispose()
    return kiosk, display


def run_until(kiosk: Kiosk, display: Display, done, t0: float = 10.0, limit: float = 30.0) -> float:  # type: ignore[no-untyped-def]
    """Frames at the kiosk's pace (with a real clock for the worker) until `done()` or the limit."""
    deadline = time.monotonic() + limit
    t = t0
    while time.monotonic() < deadline:
        kiosk.frame(display.canvas, t, NOW)
        if done():
            return t
        time.sleep(0.01)
        t += 0.01
    raise AssertionError(f"not reached in {limit} s: {kiosk.overlay and kiosk.overlay.controller.state}")


def screen_text_contains(scene: SyncScene, words: str) -> bool:
    return any(words in text for text, _ in scene._lines(scene.controller.state))


def test_a_stick_is_applied_through_the_scene(kit: Kit, old_and_new, fonts: FontBook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (old, old_photos), (new, new_photos) = old_and_new
    assert sync_stick(kit.bundle(old, old_photos, version=1, stick=tmp_path / "first").parent, kit.data_dir, kit.trust)[0].applied
    kiosk, display = kiosk_for(kit, fonts, tmp_path)
    mounted: list[Path] = []
    sticks = UsbWatcher(roots=lambda: list(mounted), interval=0.05)
    sticks.start()
    try:
        kit.bundle(new, new_photos, version=2)
        mounted.append(kit.stick)  # the stick is plugged in
        run_until(kiosk, display, lambda: _handle_sticks(kiosk, sticks, 10.0) or kiosk.overlay is not None, limit=5)
    finally:
        sticks.stop()
    scene = kiosk.overlay
    assert isinstance(scene, SyncScene)
    t = run_until(kiosk, display, lambda: scene.controller.state.phase == "preview")
    assert screen_text_contains(scene, "新增 2 名")  # 4 members before, 6 in the bundle
    assert scene.controller.state.countdown is not None
    confirm = scene.buttons(scene.controller.state)[0]
    assert confirm.label == "立即更新"
    from kiosk.app.pointer import Gesture

    kiosk.gesture(Gesture("tap", confirm.rect.center), t)
    t = run_until(kiosk, display, lambda: scene.controller.state.phase == "done", t)
    state = scene.controller.state
    assert state.applied and state.safe_to_remove, state
    assert screen_text_contains(scene, SAFE_TO_REMOVE) and screen_text_contains(scene, "回执已写入U盘")
    kiosk.frame(display.canvas, t + 0.1, NOW)
    pygame.image.save(display.canvas, tmp_path / "sync-done.png")
    assert len(kit.shown().villages[0].members) == 6
    assert any((kit.stick / "pledgewall" / "receipts").glob("*-applied.txt"))
    kiosk.stick_removed(kit.stick)
    assert kiosk.overlay is None


def test_a_signed_bundle_applies_by_itself_after_the_countdown(kit: Kit, old_and_new, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (_old, _), (new, new_photos) = old_and_new
    kit.bundle(new, new_photos, version=3)
    now = [0.0]
    controller = SyncController(kit.stick, kit.data_dir, lambda: kit.trust, preview_seconds=10, clock=lambda: now[0])
    controller.start()
    controller.join(30)
    assert controller.state.phase == "preview" and controller.state.countdown == 10
    now[0] = 9.5
    controller.tick()
    assert controller.state.phase == "preview"
    now[0] = 10.0
    controller.tick()
    controller.join(30)
    assert controller.state.phase == "done", controller.state


def test_pulling_the_stick_during_the_preview_keeps_the_old_data(kit: Kit, old_and_new, fonts: FontBook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (old, old_photos), (new, new_photos) = old_and_new
    assert sync_stick(kit.bundle(old, old_photos, version=1, stick=tmp_path / "first").parent, kit.data_dir, kit.trust)[0].applied
    before = kit.shown()
    kit.bundle(new, new_photos, version=2)
    kiosk, display = kiosk_for(kit, fonts, tmp_path)
    kiosk.stick_found(kit.stick, 10.0)
    scene = kiosk.overlay
    assert isinstance(scene, SyncScene)
    t = run_until(kiosk, display, lambda: scene.controller.state.phase == "preview")
    kiosk.stick_removed(kit.stick)
    assert kiosk.overlay is scene  # still on screen, saying why nothing changed
    assert scene.controller.state.phase == "refused"
    assert screen_text_contains(scene, "U盘已拔出")
    assert kit.shown() == before
    assert not any((kit.data_dir / "sync" / "staging").glob("*"))
    kiosk.frame(display.canvas, t + 5, NOW)  # idle timeout (1 s here) now closes it
    assert kiosk.overlay is None


def test_a_refused_stick_says_why_on_screen(kit: Kit, old_and_new, fonts: FontBook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    roster, jpegs = with_photos(make_roster(3, code="HSC", name="红石村"), 1)
    (old, old_photos), _ = old_and_new
    assert sync_stick(kit.bundle(old, old_photos, version=1, stick=tmp_path / "first").parent, kit.data_dir, kit.trust)[0].applied
    kit.bundle(roster, jpegs, version=2)
    kiosk, display = kiosk_for(kit, fonts, tmp_path)
    kiosk.stick_found(kit.stick, 10.0)
    scene = kiosk.overlay
    assert isinstance(scene, SyncScene)
    run_until(kiosk, display, lambda: scene.controller.state.phase == "refused")
    assert screen_text_contains(scene, "红石村") or screen_text_contains(scene, "HSC")
    assert screen_text_contains(scene, SAFE_TO_REMOVE)
