"""Admins' photos (phone JPEGs, PNG, WebP, HEIC, BMP) into small upright portraits with no metadata.

decode (refusing non-images and decompression bombs) → JPEG draft for speed → EXIF orientation →
16-bit scaled, CMYK converted, alpha composited on the card background → 3:4 crop around the
upper centre → 600×800 baseline JPEG written without EXIF, GPS, XMP or comments.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from kiosk.errors import PledgeWallError

try:  # HEIC from iPhones
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is a dependency; a broken wheel must not stop imports
    pass

PHOTO_SIZE = (600, 800)
MAX_PIXELS = 50_000_000  # far below Pillow's default; a 48 MP phone photo still fits
PARALLEL_FROM = 8


class PhotoError(PledgeWallError):
    pass


@dataclass(frozen=True)
class NormalizedPhoto:
    sha256: str
    jpeg: bytes
    width: int
    height: int


def normalize_photo(source: Path, *, size: tuple[int, int] = PHOTO_SIZE,
                    background: tuple[int, int, int] = (255, 255, 255)) -> NormalizedPhoto:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise PhotoError(f"照片 {source.name} 太大（{image.width}×{image.height}），请换一张普通照片")
                if image.format == "JPEG":
                    image.draft("RGB", (size[0] * 2, size[1] * 2))
                image.load()
                upright = ImageOps.exif_transpose(image)
                rgb = _to_rgb(upright, background)
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"照片 {source.name} 不是可以识别的图片（或尺寸异常），请换成 JPG/PNG 照片") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise PhotoError(f"照片 {source.name} 已损坏或不完整（{error}），请重新拷贝") from None
    portrait = _crop_portrait(rgb, size)
    buffer = io.BytesIO()
    portrait.save(buffer, "JPEG", quality=88, optimize=True)  # no exif=, icc_profile=: nothing personal survives
    data = buffer.getvalue()
    return NormalizedPhoto(hashlib.sha256(data).hexdigest(), data, *portrait.size)


def _to_rgb(image: Image.Image, background: tuple[int, int, int]) -> Image.Image:
    if image.mode.startswith("I"):  # 16-bit grey: scale to 8 bits (a plain convert clips to white)
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        image = image.convert("RGBA")
        base = Image.new("RGB", image.size, background)
        base.paste(image, mask=image.getchannel("A"))
        return base
    return image.convert("RGB")


def _crop_portrait(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Cut to the size's ratio; a tall photo keeps its upper part, where the face is."""
    width, height = image.size
    target = size[0] / size[1]
    if width / height > target:
        new_w = round(height * target)
        box = ((width - new_w) // 2, 0, (width - new_w) // 2 + new_w, height)
    else:
        new_h = round(width / target)
        top = round((height - new_h) * 0.2)
        box = (0, top, width, top + new_h)
    return image.crop(box).resize(size, Image.Resampling.LANCZOS)


def _normalize_or_error(source: Path) -> NormalizedPhoto | PhotoError:
    try:
        return normalize_photo(source)
    except PhotoError as error:
        return error


def normalize_many(sources: Sequence[Path], *, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None) -> list[NormalizedPhoto | PhotoError]:
    """The same order as `sources`; processes for large batches, serial for a few."""
    total = len(sources)
    results: list[NormalizedPhoto | PhotoError] = []
    if total < PARALLEL_FROM or (workers or os.cpu_count() or 1) <= 1:
        for source in sources:
            results.append(_normalize_or_error(source))
            if progress:
                progress(len(results), total)
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for outcome in pool.map(_normalize_or_error, sources, chunksize=4):
            results.append(outcome)
            if progress:
                progress(len(results), total)
    return results
