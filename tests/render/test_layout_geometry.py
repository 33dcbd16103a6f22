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
