"""Golden images of the touch scenes: search (empty, typed initials) and member detail (a rare
name, a 600-character pledge at the top and scrolled to its end, a placeholder photo with a
未完成 pledge and its reason). Refresh as for the wall: PLEDGEWALL_UPDATE_GOLDEN=1."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pygame
import pytest
from conftest import make_roster
from test_screens import check_golden, fonts  # noqa: F401 - the pinned bundled font

from kiosk.app.pointer import Gesture
from kiosk.app.scenes.base import Redraw
from kiosk.app.scenes.detail import DetailScene
from kiosk.app.scenes.search import SearchScene
from kiosk.render.card import CardStyle
from kiosk.render.fonts import FontBook
from kiosk.render.layout import type_scale
from kiosk.render.theme import RED
from kiosk.roster import PledgeStatus
from kiosk.search import SearchIndex
from kiosk.store.snapshot import MemberCard, post_rank

NOW = datetime(2026, 11, 23, 9, 30)
SIZES = [(1920, 1080), (1080, 1920)]
IDS = ["1920x1080", "1080x1920"]
LONG = ("带领本组党员群众，" + "修缮村东组道路两公里，安装太阳能路灯十二盏，组织义务投工，公开账目接受监督；") * 14


def cards() -> list[MemberCard]:
    village = make_roster(6).villages[0]
    pledges = list(village.pledges)
    pledges[0] = replace(pledges[0], text=LONG[:600])
    made = []
    for member in village.members:
        made.append(MemberCard.of(member, tuple(p for p in pledges if p.member_number == member.number),
                               tuple(e for e in village.evaluations if e.member_number == member.number), ()))
    return sorted(made, key=lambda c: (post_rank(c.member.post), c.member.number))


def render(scene: object, size: tuple[int, int]) -> pygame.Surface:
    surface = pygame.Surface(size)
    scene.draw(surface, 0.0, NOW, Redraw.ALL)  # type: ignore[attr-defined]
    return surface


def style_for(size: tuple[int, int], fonts: FontBook) -> CardStyle:  # noqa: F811
    return CardStyle(RED, fonts, type_scale(size))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_search(size: tuple[int, int], fonts: FontBook) -> None:  # noqa: F811
    all_cards = cards()
    scene = SearchScene(SearchIndex.build(all_cards), {c.member.number: c.member.post for c in all_cards},
                        size, style_for(size, fonts))
    check_golden(f"search-empty-{IDS[SIZES.index(size)]}", render(scene, size))
    for letter in "zy":  # 张赟 by initials, typed on the scene's own keypad
        key = next(k for k in scene.keys if k.label.lower() == letter)
        scene.gesture(Gesture("tap", key.rect.center), 0.0)
    assert scene.query == "ZY" and any(r.name == "张赟" for r in scene.results)
    check_golden(f"search-zy-{IDS[SIZES.index(size)]}", render(scene, size))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_detail_long_pledge_and_rare_name(size: tuple[int, int], fonts: FontBook) -> None:  # noqa: F811
    card = next(c for c in cards() if c.member.name == "王喆")
    assert len(card.pledges[0].text) == 600
    assert not fonts.uncovered(card.member.name + card.pledges[0].text), "a glyph would show as tofu"
    scene = DetailScene(card, size, style_for(size, fonts), photo=None,
                        url_template="https://fk.example.cn/q?m={member_id}", village="QSC", today=NOW.date())
    assert scene.max_offset > 0, "600 characters do not fit one screen: the detail scrolls"
    check_golden(f"detail-top-{IDS[SIZES.index(size)]}", render(scene, size))
    scene.key(pygame.K_END, 0, 0.0)
    assert scene.offset == scene.max_offset
    check_golden(f"detail-end-{IDS[SIZES.index(size)]}", render(scene, size))


def test_detail_placeholder_photo_and_reason_not_kept(fonts: FontBook) -> None:  # noqa: F811
    size = (1920, 1080)
    card = next(c for c in cards() if any(p.status == PledgeStatus.NOT_KEPT for p in c.pledges))
    assert card.member.photo == ""
    scene = DetailScene(card, size, style_for(size, fonts), photo=None, url_template="", village="QSC", today=NOW.date())
    check_golden("detail-not-kept-1920x1080", render(scene, size))
