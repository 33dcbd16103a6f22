from __future__ import annotations

import pygame
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.render.layout import card_layout, physical_size, summary_rows, to_logical, type_scale, wall_layout

SCREENS = [(1920, 1080), (1080, 1920), (3840, 2160), (1366, 768), (1280, 800)]


@pytest.mark.parametrize("size", SCREENS)
def test_body_text_is_at_least_2_4_percent_of_the_shorter_side(size: tuple[int, int]) -> None:
    assert type_scale(size).body >= 0.024 * min(size)


@pytest.mark.parametrize("size", SCREENS)
def test_cards_fit_the_body_and_do_not_overlap(size: tuple[int, int]) -> None:
    layout = wall_layout(size)
    assert layout.per_page >= 2
    for i, card in enumerate(layout.cards):
        assert layout.body.contains(card)
        for other in layout.cards[i + 1 :]:
            assert not card.colliderect(other)


def test_grids_chosen_for_common_screens() -> None:
    assert wall_layout((1920, 1080)).grid == (3, 2)
    assert wall_layout((3840, 2160)).grid == (3, 2)
    assert wall_layout((1080, 1920)).grid == (1, 4)  # one wide card per row reads better
    assert wall_layout((1920, 1080), (4, 3)).grid == (4, 3)


@given(st.integers(320, 4000), st.integers(320, 4000))
def test_card_boxes_stay_inside_the_card(width: int, height: int) -> None:
    layout = wall_layout((width, height))
    card = card_layout(layout.card_size, layout.type)
    inside = pygame.Rect((0, 0), layout.card_size)
    for box in (card.photo, card.qr, card.info, card.pledges):
        assert inside.contains(box) or box.width <= 0 or box.height <= 0
    assert not card.photo.colliderect(card.qr)
    assert summary_rows((width, height)) >= 1


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_touch_positions_map_back_through_the_rotation(rotate: int) -> None:
    logical = (40, 30)
    canvas = pygame.Surface(logical)
    canvas.fill((0, 0, 0))
    canvas.set_at((7, 3), (255, 0, 0))
    shown = pygame.transform.rotate(canvas, rotate)
    assert shown.get_size() == physical_size(logical, rotate)
    red = [
        (x, y)
        for x in range(shown.get_width())
        for y in range(shown.get_height())
        if shown.get_at((x, y))[:3] == (255, 0, 0)
    ]
    assert len(red) == 1
    assert to_logical(red[0], logical, rotate) == (7, 3)


def test_header_title_keeps_its_purpose_whole() -> None:
    from kiosk.render.pages import header_title
    from kiosk.roster import VillageRecord

    measure = len  # one unit per character is enough to test the choice
    village = VillageRecord("QSC", "青山村", "中共青山村支部委员会")
    assert header_title(village, 100, measure) == "中共青山村支部委员会 · 党员承诺公示"
    assert header_title(village, 14, measure) == "青山村 · 党员承诺公示"  # the branch would be cut
    assert header_title(village, 8, measure) == "党员承诺公示"
    assert header_title(None, 100, measure) == "党员承诺公示"
    assert header_title(village, 4, measure).endswith("…") and len(header_title(village, 4, measure)) <= 4


def test_a_second_line_only_for_a_pledge_that_needs_it() -> None:
    from kiosk.render.card import _plan_rows
    from kiosk.roster import PledgeRecord, PledgeStatus

    short = PledgeRecord("Q1", "短", PledgeStatus.DONE, 2026)
    long = PledgeRecord("Q1", "长" * 40, PledgeStatus.IN_PROGRESS, 2026)
    broken = PledgeRecord("Q1", "长" * 40, PledgeStatus.NOT_KEPT, 2026, reason_not_kept="资金未到位")
    needs = lambda p: len(p.text) > 10  # noqa: E731
    plan = _plan_rows((short, long, broken), 6, needs)
    assert [(lines, reason) for _, lines, reason in plan] == [(1, False), (2, False), (2, True)]
    assert sum(lines + reason for _, lines, reason in plan) <= 6
    assert [(lines, reason) for _, lines, reason in _plan_rows((short, short), 6, needs)] == [(1, False)] * 2
    plan = _plan_rows((long,) * 5, 4, needs)  # too many: three shown, one line each, and "另有…"
    assert [lines for _, lines, _ in plan] == [1, 1, 1]
