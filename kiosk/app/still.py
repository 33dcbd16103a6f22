"""One page of the wall as a still picture: what `pledgewall render` and golden tests use.

It goes through the same scene, cache and renderer as the running kiosk, so the picture is
exactly what the screen shows.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

import pygame

from kiosk.app.loop import make_scene
from kiosk.config import Settings
from kiosk.errors import PledgeWallError
from kiosk.render.fonts import FontBook
from kiosk.render.layout import Size
from kiosk.store.snapshot import WallSnapshot

DEFAULT_SIZE: Size = (1920, 1080)


def still_size(settings: Settings) -> Size:
    if settings.display.size:
        return settings.display.size
    return (1080, 1920) if settings.display.rotate in (90, 270) else DEFAULT_SIZE


def render_page(
    data_dir: Path,
    settings: Settings,
    snapshot: WallSnapshot,
    now: datetime,
    *,
    kind: Literal["wall", "summary"] = "wall",
    number: int = 1,
    fonts: FontBook | None = None,
) -> pygame.Surface:
    size = still_size(settings)
    scene = make_scene(size, settings, fonts or FontBook.default(), data_dir)
    scene.set_snapshot(snapshot, 0.0, now)
    positions = {ref.index: i for i, ref in enumerate(scene.sequence) if ref.kind == kind}
    if not positions:
        raise PledgeWallError("没有总览页：名册是空的" if kind == "summary" else "没有这一页")
    if number - 1 not in positions:
        raise PledgeWallError(f"第 {number} 页不存在：共 {len(positions)} 页")
    scene.show(positions[number - 1], 0.0)
    surface = pygame.Surface(size)
    scene.draw(surface, 0.0, now)
    return surface
