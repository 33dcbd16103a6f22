"""Golden images of the screens at the sizes the kiosk meets, plus real QR decoding of a page.

Refresh after an intended visual change:
    PLEDGEWALL_UPDATE_GOLDEN=1 scripts/test tests/golden
then look at the changed PNGs in tests/golden/images/ before committing them. On a mismatch the
rendered picture is written to tests/golden/_actual/ next to the expected one.
"""

from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime
from pathlib import Path

import numpy as np
import pygame
import pytest
import zxingcpp
from conftest import make_roster
from PIL import Image, ImageDraw

from kiosk.app.still import render_page
from kiosk.config import DisplaySettings, Settings
from kiosk.render.card import CardStyle, render_card
from kiosk.render.fonts import FontBook
from kiosk.render.layout import type_scale, wall_layout
from kiosk.render.qr import qr_matrix
from kiosk.render.theme import RED
from kiosk.store.db import open_engine
from kiosk.store.snapshot import WallSnapshot, load_snapshot
from kiosk.store.write import replace_villages

HERE = Path(__file__).parent
IMAGES = HERE / "images"
ACTUAL = HERE / "_actual"
NOW = datetime(2026, 11, 23, 9, 30)
UPDATE = os.environ.get("PLEDGEWALL_UPDATE_GOLDEN") == "1"
# Tiny differences (anti-aliasing, JPEG decoder versions) pass; a moved or missing element does not.
MAX_MEAN_DIFF = 1.0
MAX_CHANGED_SHARE = 0.004


def store_portrait(root: Path, seed: int) -> str:
    """A stored 600×800 portrait, laid out as the photo store keeps them (<sha[:2]>/<sha>.jpg)."""
    image = Image.new("RGB", (600, 800), (70 + 40 * seed % 150, 120, 180))
    draw = ImageDraw.Draw(image)
    draw.ellipse((200, 150, 400, 390), fill=(236, 204, 176))
    draw.ellipse((80, 430, 520, 940), fill=(34, 36, 44))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    sha = hashlib.sha256(buffer.getvalue()).hexdigest()
    (root / sha[:2]).mkdir(parents=True, exist_ok=True)
    (root / sha[:2] / f"{sha}.jpg").write_bytes(buffer.getvalue())
    return sha


@pytest.fixture(scope="module")
def wall(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, WallSnapshot]:
    from dataclasses import replace

    data_dir = tmp_path_factory.mktemp("golden")
    hashes = [store_portrait(data_dir / "photos", seed) for seed in range(3)]
    roster = make_roster(14)
    village = roster.villages[0]
    members = tuple(replace(m, photo=hashes[i % 3] if i % 5 else "") for i, m in enumerate(village.members))
    long_pledge = replace(village.pledges[0], text="带头" + "组织党员志愿者清理河道垃圾，" * 12)
    roster = type(roster)((replace(village, members=members, pledges=(long_pledge,) + village.pledges[1:]),))
    engine = open_engine(data_dir)
    replace_villages(engine, roster)
    snapshot = load_snapshot(engine)
    engine.dispose()
    return data_dir, snapshot


@pytest.fixture(scope="module")
def fonts() -> FontBook:
    pygame.font.init()
    return FontBook.bundled()  # the same glyphs on every machine


def as_array(surface: pygame.Surface) -> np.ndarray:
    return np.ascontiguousarray(pygame.surfarray.array3d(surface).swapaxes(0, 1))


def check_golden(name: str, surface: pygame.Surface) -> None:
    expected_path = IMAGES / f"{name}.png"
    if UPDATE or not expected_path.exists():
        IMAGES.mkdir(exist_ok=True)
        pygame.image.save(surface, str(expected_path))
        if not UPDATE:
            pytest.fail(f"no golden image yet: wrote {expected_path}; look at it, then run again")
        return
    actual = as_array(surface).astype(np.int16)
    expected = np.asarray(Image.open(expected_path).convert("RGB")).astype(np.int16)
    assert actual.shape == expected.shape, f"{name}: size changed"
    diff = np.abs(actual - expected)
    mean, changed = float(diff.mean()), float((diff.max(axis=2) > 32).mean())
    if mean > MAX_MEAN_DIFF or changed > MAX_CHANGED_SHARE:
        ACTUAL.mkdir(exist_ok=True)
        pygame.image.save(surface, str(ACTUAL / f"{name}.png"))
        pytest.fail(f"{name}: differs from its golden image (mean {mean:.2f}, changed {changed:.2%}); "
                    f"see {ACTUAL / (name + '.png')}")


SCREENS = [(1920, 1080), (1080, 1920), (3840, 2160), (1366, 768)]


@pytest.mark.parametrize("size", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_wall_page(size: tuple[int, int], wall: tuple[Path, WallSnapshot], fonts: FontBook) -> None:
    data_dir, snapshot = wall
    settings = Settings(display=DisplaySettings(size=size))
    check_golden(f"wall-{size[0]}x{size[1]}", render_page(data_dir, settings, snapshot, NOW, fonts=fonts))


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["1920x1080", "1080x1920"])
def test_summary_page(size: tuple[int, int], wall: tuple[Path, WallSnapshot], fonts: FontBook) -> None:
    data_dir, snapshot = wall
    settings = Settings(display=DisplaySettings(size=size))
    surface = render_page(data_dir, settings, snapshot, NOW, kind="summary", fonts=fonts)
    check_golden(f"summary-{size[0]}x{size[1]}", surface)


def test_single_card(wall: tuple[Path, WallSnapshot], fonts: FontBook) -> None:
    _, snapshot = wall
    size = (1920, 1080)
    style = CardStyle(RED, fonts, type_scale(size))
    card = snapshot.cards[0]
    surface = render_card(card, wall_layout(size).card_size, style, photo=None,
                          qr=qr_matrix("https://fk.example.cn/q?m=" + card.member.number), today=NOW.date())
    check_golden("card-1920x1080", surface)


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1080, 1920)], ids=["1080p", "768p", "portrait"])
def test_every_qr_on_a_page_decodes_to_its_members_url(
    size: tuple[int, int], wall: tuple[Path, WallSnapshot], fonts: FontBook
) -> None:
    data_dir, snapshot = wall
    settings = Settings(display=DisplaySettings(size=size))
    per_page = wall_layout(size).per_page
    surface = render_page(data_dir, settings, snapshot, NOW, fonts=fonts)
    found = sorted(r.text for r in zxingcpp.read_barcodes(as_array(surface)))
    expected = sorted(f"https://fk.example.cn/q?m={c.member.number}" for c in snapshot.cards[:per_page])
    assert found == expected
