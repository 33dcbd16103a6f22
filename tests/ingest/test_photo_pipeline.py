"""Real photo files through the pipeline: upright, no metadata, bombs and non-images refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from kiosk.ingest.photos import PHOTO_SIZE, PhotoError, normalize_many, normalize_photo
from kiosk.store.photos import PhotoStore


def phone_jpeg(path: Path) -> None:
    """Landscape pixels with EXIF orientation 6 (rotate 90° CW to view) and GPS; red at the viewed top."""
    image = Image.new("RGB", (1600, 1200), (40, 90, 160))
    image.paste((220, 20, 20), (0, 0, 200, 1200))  # left edge becomes the top after rotating
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}
    image.save(path, "JPEG", exif=exif.tobytes())


def test_orientation_applied_and_metadata_stripped(tmp_path: Path) -> None:
    source = tmp_path / "p.jpg"
    phone_jpeg(source)
    photo = normalize_photo(source)
    image = Image.open(io.BytesIO(photo.jpeg))
    assert image.size == PHOTO_SIZE
    assert not image.getexif() and b"Exif" not in photo.jpeg and b"GPS" not in photo.jpeg
    top = image.getpixel((300, 5))
    assert top[0] > 180 and top[2] < 80  # the red edge is at the top: upright


def test_alpha_is_composited_on_the_background(tmp_path: Path) -> None:
    source = tmp_path / "a.png"
    Image.new("RGBA", (300, 400), (255, 0, 0, 0)).save(source)
    image = Image.open(io.BytesIO(normalize_photo(source).jpeg))
    assert min(image.getpixel((300, 400))) > 245  # white, not the red under the transparency


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path: Path) -> None:
    source = tmp_path / "g.png"
    Image.new("I;16", (300, 400), 32768).save(source)
    value = Image.open(io.BytesIO(normalize_photo(source).jpeg)).convert("L").getpixel((300, 400))
    assert 110 < value < 145


@pytest.mark.parametrize("content", [b"hello, not a photo", b"\xff\xd8\xff\xe0" + b"\x00" * 40])
def test_non_images_and_broken_files_are_refused_by_name(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "QSC001.jpg"
    source.write_bytes(content)
    with pytest.raises(PhotoError, match="QSC001.jpg"):
        normalize_photo(source)


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(source)
    with pytest.raises(PhotoError, match="bomb.png"):
        normalize_photo(source)


def test_store_is_content_addressed_and_batches_keep_order(tmp_path: Path) -> None:
    good = tmp_path / "p.jpg"
    phone_jpeg(good)
    bad = tmp_path / "x.jpg"
    bad.write_text("nope")
    results = normalize_many([good, bad, good])
    assert isinstance(results[1], PhotoError) and results[0] == results[2]
    store = PhotoStore(tmp_path / "photos")
    sha = store.put(results[0])  # type: ignore[arg-type]
    assert store.put(results[0]) == sha and store.has(sha)  # type: ignore[arg-type]
    assert store.collect_orphans(keep=set()) == 1 and not store.has(sha)
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")
