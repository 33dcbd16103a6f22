"""Real pygame events through the kiosk's own handlers: keys, fingers, mouse; locked and not."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pygame
import pytest
from conftest import make_roster

from kiosk.app.display import Display
from kiosk.app.kiosk import Kiosk, KioskOptions
from kiosk.app.loop import _handle_events, make_scene
from kiosk.app.pointer import PointerTracker
from kiosk.app.scenes.admin import AdminScene, PinAnswer, PinScene
from kiosk.app.scenes.detail import DetailScene
from kiosk.app.scenes.search import SearchScene
from kiosk.config import DisplaySettings, Settings
from kiosk.render.fonts import FontBook
from kiosk.store.db import open_engine
from kiosk.store.snapshot import load_snapshot
from kiosk.store.write import replace_villages

NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture(scope="module")
def fonts() -> FontBook:
    pygame.font.init()
    return FontBook.default()


class FixedGate:
    def check(self, pin: str) -> PinAnswer:
        return PinAnswer(pin == "2468", "PIN不正确")


def build(data_dir: Path, fonts: FontBook, *, locked: bool, rotate: int = 0, size=(1280, 720)):  # type: ignore[no-untyped-def]
    pygame.display.init()
    display = Display(fullscreen=False, size=size, rotate=rotate)
    engine = open_engine(data_dir)
    replace_villages(engine, make_roster(10))
    settings = Settings(display=DisplaySettings(fullscreen=False, size=size, rotate=rotate))
    wall = make_scene(display.size, settings, fonts, data_dir)

    def admin(kiosk: Kiosk) -> PinScene:
        menu = lambda: AdminScene(wall.size, wall.style, lambda: _facts(), lambda: "无可回滚的版本")  # noqa: E731
        return PinScene(wall.size, wall.style, FixedGate(), menu)

    kiosk = Kiosk(wall, KioskOptions(locked=locked, idle_seconds=60), admin_scene=admin)
    kiosk.set_snapshot(load_snapshot(engine), 0.0, NOW)
    engine.dispose()
    pointer = PointerTracker(display.size, display.logical_pos, display.screen.get_size())
    kiosk.frame(display.canvas, 0.0, NOW)
    return kiosk, pointer, display


def _facts():  # type: ignore[no-untyped-def]
    from kiosk.app.scenes.admin import AdminFacts

    return AdminFacts(("数据版本：1",))


def post(*events: pygame.event.Event) -> None:
    pygame.event.clear()
    for event in events:
        pygame.event.post(event)


def key(k: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)


def click(pos: tuple[int, int]) -> list[pygame.event.Event]:
    return [
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False),
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False),
    ]


def finger_tap(x: float, y: float) -> list[pygame.event.Event]:
    common = dict(touch_id=1, finger_id=1, dx=0.0, dy=0.0, pressure=1.0)
    return [
        pygame.event.Event(pygame.FINGERDOWN, x=x, y=y, **common),
        pygame.event.Event(pygame.FINGERUP, x=x, y=y, **common),
    ]


def test_esc_and_window_close_do_not_leave_a_locked_kiosk(data_dir: Path, fonts: FontBook) -> None:
    kiosk, pointer, _ = build(data_dir, fonts, locked=True)
    post(key(pygame.K_ESCAPE), pygame.event.Event(pygame.QUIT), key(pygame.K_F4, pygame.KMOD_ALT))
    _handle_events(kiosk, pointer)
    assert not kiosk.quit


def test_esc_closes_the_demo(data_dir: Path, fonts: FontBook) -> None:
    kiosk, pointer, _ = build(data_dir, fonts, locked=False)
    post(key(pygame.K_ESCAPE))
    _handle_events(kiosk, pointer)
    assert kiosk.quit


def test_admin_pin_unlocks_and_exit_works(data_dir: Path, fonts: FontBook) -> None:
    kiosk, pointer, _ = build(data_dir, fonts, locked=True)
    post(key(pygame.K_a, pygame.KMOD_CTRL | pygame.KMOD_SHIFT))
    _handle_events(kiosk, pointer)
    assert isinstance(kiosk.overlay, PinScene)
    post(pygame.event.Event(pygame.TEXTINPUT, text="1111"), key(pygame.K_RETURN))
    _handle_events(kiosk, pointer)
    assert isinstance(kiosk.overlay, PinScene) and "不正确" in kiosk.overlay.message
    post(pygame.event.Event(pygame.TEXTINPUT, text="2468"), key(pygame.K_RETURN))
    _handle_events(kiosk, pointer)
    assert isinstance(kiosk.overlay, AdminScene)
    quit_button = next(b for b in kiosk.overlay.buttons if b.action == "quit")
    post(*click(quit_button.rect.center))
    _handle_events(kiosk, pointer)
    assert kiosk.quit


def test_typing_opens_search_with_results_as_you_type(data_dir: Path, fonts: FontBook) -> None:
    kiosk, pointer, display = build(data_dir, fonts, locked=True)
    post(pygame.event.Event(pygame.TEXTINPUT, text="w"))
    _handle_events(kiosk, pointer)
    assert isinstance(kiosk.overlay, SearchScene)
    post(pygame.event.Event(pygame.TEXTINPUT, text="z"))
    _handle_events(kiosk, pointer)
    assert [e.name for e in kiosk.overlay.results][:1] == ["王喆"]
    post(key(pygame.K_RETURN))
    _handle_events(kiosk, pointer)
    assert isinstance(kiosk.overlay, DetailScene) and kiosk.overlay.card.member.name == "王喆"
    kiosk.frame(display.canvas, 1.0, NOW)
    post(*click(kiosk.overlay.back.rect.center))
    _handle_events(kiosk, pointer)
    assert kiosk.overlay is None


def test_tapping_a_card_opens_that_member_and_idle_returns(data_dir: Path, fonts: FontBook) -> None:
    kiosk, pointer, display = build(data_dir, fonts, locked=True)
    rect = kiosk.wall.layout.cards[1]
    expected = kiosk.wall.snapshot.cards[1].member.number
    width, height = display.screen.get_size()
    post(*finger_tap(rect.centerx / width, rect.centery / height))
    _handle_events(kiosk, pointer)
    assert isinstance(kiosk.overlay, DetailScene) and kiosk.overlay.card.member.number == expected
    opened = kiosk.last_input
    kiosk.frame(display.canvas, opened + 30.0, NOW)
    assert kiosk.overlay is not None
    kiosk.frame(display.canvas, opened + 61.0, NOW)
    assert kiosk.overlay is None


def test_touch_under_rotation_hits_the_card_shown_there(data_dir: Path, fonts: FontBook) -> None:
    kiosk, pointer, display = build(data_dir, fonts, locked=True, rotate=90, size=(720, 1280))
    assert display.screen.get_size() == (1280, 720)
    rect = kiosk.wall.layout.cards[2]
    expected = kiosk.wall.snapshot.cards[2].member.number
    # logical (x, y) is shown at framebuffer (y, w - 1 - x) on a panel turned 90° clockwise
    fx, fy = rect.centery, 720 - 1 - rect.centerx
    post(*finger_tap(fx / 1280, fy / 720))
    _handle_events(kiosk, pointer)
    assert isinstance(kiosk.overlay, DetailScene) and kiosk.overlay.card.member.number == expected


def test_swipe_turns_the_page_and_synthetic_mouse_is_ignored(data_dir: Path, fonts: FontBook) -> None:
    kiosk, pointer, display = build(data_dir, fonts, locked=True)
    start = kiosk.wall.position
    common = dict(touch_id=1, finger_id=1, dx=0.0, dy=0.0, pressure=1.0)
    post(
        pygame.event.Event(pygame.FINGERDOWN, x=0.8, y=0.5, **common),
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(1000, 360), button=1, touch=True),
        pygame.event.Event(pygame.FINGERUP, x=0.2, y=0.5, **common),
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(250, 360), button=1, touch=True),
    )
    _handle_events(kiosk, pointer)
    assert kiosk.wall.position == start + 1
    assert kiosk.overlay is None


def test_detail_scrolls_a_600_character_pledge(data_dir: Path, fonts: FontBook) -> None:
    from dataclasses import replace

    from kiosk.app.scenes.detail import open_detail
    from kiosk.store.snapshot import MemberCard

    kiosk, pointer, display = build(data_dir, fonts, locked=False)
    card = kiosk.wall.snapshot.cards[0]
    long = replace(card.pledges[0], text="为民服务" * 150)
    card = MemberCard.of(card.member, (long,) + card.pledges[1:], card.evaluations, card.feedback)
    scene = open_detail(card, kiosk.wall.size, kiosk.wall.style, lambda _s: None, "", "QSC", NOW.date())
    assert scene.max_offset > 0
    scene.key(pygame.K_PAGEDOWN, 0, 0.0)
    assert scene.offset > 0
    scene.key(pygame.K_END, 0, 0.0)
    assert scene.offset == scene.max_offset
