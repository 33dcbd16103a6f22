"""The window or full screen, and the turn for panels mounted sideways."""

from __future__ import annotations

import os

import pygame
from pygame import Rect, Surface

from kiosk.errors import PledgeWallError
from kiosk.render.layout import Size, physical_size, to_logical

HEADLESS_DRIVERS = {"offscreen", "dummy"}


class NoDisplayError(PledgeWallError):
    pass


def open_video() -> None:
    """Start SDL video; refuse when only a headless driver is there and nobody asked for one."""
    try:
        pygame.display.init()
    except pygame.error as error:
        raise NoDisplayError(str(error)) from None
    if pygame.display.get_driver() in HEADLESS_DRIVERS and "SDL_VIDEODRIVER" not in os.environ:
        pygame.display.quit()
        raise NoDisplayError("no display")


def windowed_size() -> Size:
    """A 16:9 window that fits comfortably on the desktop."""
    info = pygame.display.Info()
    width, height = info.current_w or 1600, info.current_h or 900
    width = min(width * 85 // 100, (height * 85 // 100) * 16 // 9)
    return max(640, width), max(360, width * 9 // 16)


class Display:
    """Draw on `canvas` (upright, logical size); `present` shows it on the (maybe turned) panel."""

    def __init__(self, *, fullscreen: bool, size: Size | None, rotate: int) -> None:
        self.rotate, self.fullscreen, self.requested = rotate, fullscreen, size
        self._open()

    def reopen(self) -> None:
        """The display was lost (video subsystem gone, monitor replugged): start it again."""
        pygame.display.quit()
        pygame.display.init()
        self._open()

    @property
    def changed(self) -> bool:
        """The panel's mode changed under us (a new monitor or resolution): surfaces must follow."""
        return physical_size(self.screen.get_size(), self.rotate) != self.size

    def _open(self) -> None:
        fullscreen, size, rotate = self.fullscreen, self.requested, self.rotate
        if fullscreen:
            requested = physical_size(size, rotate) if size else (0, 0)
            self.screen = pygame.display.set_mode(requested, pygame.FULLSCREEN)
            pygame.mouse.set_visible(False)
        else:
            logical = size or windowed_size()
            self.screen = pygame.display.set_mode(physical_size(logical, rotate))
        pygame.display.set_caption("党员承诺公示屏 Pledge Wall")
        physical = self.screen.get_size()
        self.size: Size = physical_size(physical, rotate)
        # A separate canvas: the picture can be turned and nudged (burn-in) when shown.
        self.canvas = Surface(self.size)
        self.offset = (0, 0)

    def present(self, region: Rect | None = None, offset: tuple[int, int] = (0, 0)) -> None:
        """Show the canvas (or only `region` of it) on the panel, shifted by `offset` pixels."""
        if offset != self.offset:
            self.offset, region = offset, None
            self.screen.fill((0, 0, 0))
        if self.rotate:
            self.screen.blit(pygame.transform.rotate(self.canvas, self.rotate), offset)
            pygame.display.flip()
        elif region is None:
            self.screen.blit(self.canvas, offset)
            pygame.display.flip()
        else:
            self.screen.blit(self.canvas, region.move(offset), region)
            pygame.display.update(region.move(offset))

    def blank(self) -> None:
        """Screen off hours: black (the cheapest panels have no power control we can reach)."""
        self.screen.fill((0, 0, 0))
        pygame.display.flip()

    def logical_pos(self, pos: tuple[int, int]) -> tuple[int, int]:
        return to_logical(pos, self.size, self.rotate)
