"""The wall scene driven headless: paging, redraw economy, bad data, rotation-free drawing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pygame
import pytest
from conftest import make_roster

from kiosk.app.loop import make_scene
from kiosk.app.scenes.wall import EMPTY_MESSAGE, Redraw
from kiosk.config import DisplaySettings, Settings
from kiosk.render.fonts import FontBook
from kiosk.store.db import open_engine
from kiosk.store.snapshot import EMPTY_SNAPSHOT, load_snapshot
from kiosk.store.write import replace_villages

NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture(scope="module")
def fonts() -> FontBook:
    pygame.font.init()
    return FontBook.default()


def scene_for(data_dir: Path, fonts: FontBook, members: int, **display: object):  # type: ignore[no-untyped-def]
    engine = open_engine(data_dir)
    replace_villages(engine, make_roster(members))
    settings = Settings(display=DisplaySettings(fullscreen=False, size=(1920, 1080), **display))  # type: ignore[arg-type]
    scene = make_scene((1920, 1080), settings, fonts, data_dir)
    scene.set_snapshot(load_snapshot(engine), 0.0, NOW)
    engine.dispose()
    return scene


def test_pages_turn_on_the_timer_and_summary_follows(data_dir: Path, fonts: FontBook) -> None:
    scene = scene_for(data_dir, fonts, 14, page_seconds=10, summary_every=3)
    kinds = [ref.kind for ref in scene.sequence]
    assert kinds == ["wall", "wall", "wall", "summary"]
    assert scene.update(0.0, NOW) == Redraw.ALL
    assert scene.update(5.0, NOW) == Redraw.NONE
    assert scene.update(10.0, NOW) == Redraw.ALL
    assert scene.page.index == 1 and scene.moving
    assert scene.update(10.2, NOW) == Redraw.ALL  # sliding
    scene.update(11.0, NOW)
    assert not scene.moving
    assert scene.update(12.0, NOW) == Redraw.NONE


def test_nothing_is_redrawn_while_nothing_changes(data_dir: Path, fonts: FontBook) -> None:
    scene = scene_for(data_dir, fonts, 3, page_seconds=10)
    surface = pygame.Surface((1920, 1080))
    scene.draw(surface, 0.0, NOW, scene.update(0.0, NOW))
    assert [scene.update(t / 4, NOW) for t in range(1, 30)] == [Redraw.NONE] * 29
    assert scene.update(8.0, NOW.replace(minute=31)) == Redraw.ALL  # the header clock


def test_next_page_is_prepared_ahead_and_the_cache_stays_bounded(data_dir: Path, fonts: FontBook) -> None:
    scene = scene_for(data_dir, fonts, 40, page_seconds=10)
    steps = 0
    while scene.prepare_ahead():
        steps += 1
    assert steps == scene.layout.per_page + 1  # each card of the next page, then the page
    for turn in range(20):
        scene.turn(1, float(turn))
    assert len(scene.cards) <= scene.cards.capacity


def test_empty_store_shows_a_message_not_a_crash(fonts: FontBook, tmp_path: Path) -> None:
    settings = Settings(display=DisplaySettings(fullscreen=False, size=(1366, 768)))
    scene = make_scene((1366, 768), settings, fonts, tmp_path)
    scene.set_snapshot(EMPTY_SNAPSHOT, 0.0, NOW)
    surface = pygame.Surface((1366, 768))
    scene.draw(surface, 0.0, NOW)
    assert EMPTY_MESSAGE
    assert scene.update(100.0, NOW) in (Redraw.ALL, Redraw.NONE)


def test_a_card_that_fails_shows_a_placeholder(data_dir: Path, fonts: FontBook) -> None:
    scene = scene_for(data_dir, fonts, 3)

    def broken(_sha: str) -> pygame.Surface:
        raise RuntimeError("disk on fire")

    scene.cards.load_photo = broken
    surface = pygame.Surface((1920, 1080))
    scene.draw(surface, 0.0, NOW)  # no exception: the placeholder card is drawn
    assert len(scene.cards) == 3


def test_long_notices_are_shown_a_still_line_at_a_time(data_dir: Path, fonts: FontBook) -> None:
    import dataclasses

    from kiosk.roster import NoticeRecord, Roster

    roster = make_roster(3)
    village = roster.villages[0]
    long = "12月1日上午9点在村委会二楼会议室召开全体党员大会，开展2026年度评诺，请全体党员准时参加，不能参加的请向支部书记请假。" * 2
    engine = open_engine(data_dir)
    replace_villages(engine, Roster((dataclasses.replace(village, notices=(NoticeRecord(long),)),)))
    settings = Settings(display=DisplaySettings(fullscreen=False, size=(1920, 1080), page_seconds=1000))
    scene = make_scene((1920, 1080), settings, fonts, data_dir)
    scene.set_snapshot(load_snapshot(engine), 0.0, NOW)
    engine.dispose()

    lines = scene._notices
    assert len(lines) >= 2 and "".join(lines).endswith("请假。") and not lines[1].startswith(("，", "。"))
    assert not scene.moving  # no ticker: the loop stays at its idle rate
    surface = pygame.Surface((1920, 1080))
    scene.draw(surface, 0.0, NOW, scene.update(0.0, NOW))
    first = pygame.image.tobytes(surface.subsurface(scene.layout.footer), "RGB")
    updates = [scene.update(t / 4, NOW) for t in range(1, 400)]
    assert Redraw.FOOTER in updates
    assert updates.count(Redraw.FOOTER) <= 100 / 5 + 1  # a line lasts at least five seconds
    when = (updates.index(Redraw.FOOTER) + 1) / 4
    assert when >= 5
    scene.draw(surface, when, NOW, Redraw.FOOTER)
    assert pygame.image.tobytes(surface.subsurface(scene.layout.footer), "RGB") != first


def test_each_notice_starts_a_line_of_its_own(fonts: FontBook) -> None:
    from kiosk.render.card import CardStyle
    from kiosk.render.layout import type_scale
    from kiosk.render.pages import notice_lines
    from kiosk.render.theme import RED
    from kiosk.roster import NoticeRecord

    style = CardStyle(RED, fonts, type_scale((1920, 1080)))
    notices = [NoticeRecord("本周六上午九点在村委会召开党员大会，请准时参加。"), NoticeRecord("  "),
               NoticeRecord("冬季防火：严禁在山林边烧秸秆、烧荒、上坟烧纸，发现火情请立即拨打119。" * 2)]
    lines = notice_lines(notices, 900, style)
    assert lines[0] == "【公告】本周六上午九点在村委会召开党员大会，请准时参加。"  # nothing of the next one
    assert lines[1].startswith("【公告】冬季防火") and len(lines) >= 3
    assert all(style.fonts.font(style.type.body).width(line) <= 900 for line in lines)
    assert notice_lines(notices, 0, style) == [] and notice_lines([], 900, style) == []


def test_first_frame_from_a_head_snapshot_then_the_whole_one(data_dir: Path) -> None:
    import time

    from kiosk.app.store_watch import StoreWatcher

    engine = open_engine(data_dir)
    replace_villages(engine, make_roster(30))
    watcher = StoreWatcher(engine, "", interval=60)
    head = watcher.load_now(first=6)
    full = load_snapshot(engine)
    assert not head.complete and full.complete
    assert head.cards[:6] == full.cards[:6]  # the first page is already right
    assert [c.member for c in head.cards] == [c.member for c in full.cards]  # page count and order too
    assert all(not c.pledges for c in head.cards[6:])
    watcher.start()
    try:
        deadline = time.monotonic() + 10
        arrived = None
        while arrived is None and time.monotonic() < deadline:
            arrived = watcher.poll()
            time.sleep(0.01)
    finally:
        watcher.stop()
        engine.dispose()
    assert arrived == full  # at once, not after the 60 s polling interval


def test_summary_order_by_result(data_dir: Path, fonts: FontBook) -> None:
    from kiosk.config import load_settings
    from kiosk.render.pages import summary_order
    from kiosk.roster import Grade, PledgeStatus

    (data_dir).mkdir(parents=True, exist_ok=True)
    (data_dir / "config.toml").write_text('[display]\nsummary_order = "result"\n', encoding="utf-8")
    assert load_settings(data_dir).display.summary_order == "result"
    scene = scene_for(data_dir, fonts, 12, summary_order="result")
    ranked = summary_order(scene.snapshot.cards, "result")
    grades = list(Grade)
    keys = [(grades.index(c.latest_evaluation.grade) if c.latest_evaluation else len(grades),
             -c.count(PledgeStatus.DONE) / len(c.pledges)) for c in ranked]
    assert keys == sorted(keys) and ranked != scene.snapshot.cards
    summary = next(ref for ref in scene.sequence if ref.kind == "summary")
    assert scene._page_cards(summary) == list(ranked[: scene.rows_per_summary])
    assert summary_order(scene.snapshot.cards, "post") == scene.snapshot.cards
    (data_dir / "config.toml").write_text('[display]\nsummary_order = "grade"\n', encoding="utf-8")
    with pytest.raises(Exception, match="summary_order"):
        load_settings(data_dir)
