"""Loading stored photos for cards (I/O, at the edge): lazily, one at a time, never fatal."""

from __future__ import annotations

import logging
from pathlib import Path

import pygame

log = logging.getLogger("kiosk.photos")


class PhotoLoader:
    """Decodes content-addressed JPEGs from the photo store; a bad file means a placeholder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def load(self, sha256: str) -> pygame.Surface | None:
        if not sha256:
            return None
        path = self.root / sha256[:2] / f"{sha256}.jpg"
        try:
            image = pygame.image.load(path)
        except (pygame.error, FileNotFoundError, OSError) as error:
            log.warning("photo %s cannot be shown (%s); placeholder used", path.name, error)
            return None
        if image.get_bitsize() >= 24:
            return image
        rgb = pygame.Surface(image.get_size(), depth=24)  # smoothscale needs 24/32-bit pixels
        rgb.blit(image, (0, 0))
        return rgb
