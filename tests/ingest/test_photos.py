"""The photo pipeline and the photo store, on real files built with Pillow / pillow-heif here.

Every test looks at the stored result — its pixels, its bytes, the files on disk — not only at
"no exception".
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms

import kiosk.ingest.photos as photos
from kiosk.ingest.photos import PHOTO_SIZE, NormalizedPhoto, PhotoError, normalize_many, normalize_photo
from kiosk.store.photos import PhotoStore

RED, GREEN, BLUE, WHITE = (220, 20, 20), (20, 200, 40), (30, 60, 200), (255, 255, 255)

# The transpose that turns an upright picture into the stored pixels for each EXIF orientation.
STORED = {
    1: None, 2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_270,
}


def decoded(photo: NormalizedPhoto) -> Image.Image:
    image = Image.open(io.BytesIO(photo.jpeg))
    assert image.format == "JPEG" and image.size == (photo.width, photo.height) == PHOTO_SIZE
    return image.convert("RGB")


def near(pixel: tuple[int, ...], colour: tuple[int, ...], tolerance: int = 30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def jpeg_markers(data: bytes) -> list[int]:
    """The marker of every segment up to the start of scan (SOI, APPn, DQT, SOFn, DHT, COM…)."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [0xD8], 2
    while at < len(data):
        assert data[at] == 0xFF
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        at += 2 + length
    raise AssertionError("no start of scan")


def upright_picture(size: tuple[int, int] = (1200, 1600)) -> Image.Image:
    """Blue, with a red band along the top and a green block in the top-right corner."""
    width, height = size
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, width, height // 8))
    image.paste(GREEN, (width * 3 // 4, 0, width, height // 8))
    return image


def assert_upright(image: Image.Image) -> None:
    assert near(image.getpixel((150, 20)), RED)  # top-left: red band
    assert near(image.getpixel((560, 20)), GREEN)  # top-right: green block (not mirrored)
    assert near(image.getpixel((300, 600)), BLUE)
    assert near(image.getpixel((300, 790)), BLUE)  # the band is not at the bottom


def gps_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Xiaomi"
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 12.5), 3: "E", 4: (114.0, 18.0, 3.0)}
    return exif


# --- orientation and metadata ------------------------------------------------------------------

@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied(tmp_path: Path, orientation: int) -> None:
    stored = upright_picture()
    if STORED[orientation] is not None:
        stored = stored.transpose(STORED[orientation])
    source = tmp_path / "phone.jpg"
    stored.save(source, "JPEG", quality=92, exif=gps_exif(orientation).tobytes())
    assert_upright(decoded(normalize_photo(source)))


def test_phone_photo_turned_by_exif_6_loses_exif_and_gps(tmp_path: Path) -> None:
    source = tmp_path / "IMG_0001.jpg"
    upright_picture((3000, 4000)).transpose(Image.Transpose.ROTATE_90).save(  # stored 4000×3000
        source, "JPEG", quality=90, exif=gps_exif(6).tobytes())
    assert b"GPS" in source.read_bytes() or Image.open(source).getexif().get_ifd(0x8825)
    photo = normalize_photo(source)
    image = Image.open(io.BytesIO(photo.jpeg))
    assert not image.getexif() and "exif" not in image.info
    assert b"Exif" not in photo.jpeg and b"GPS" not in photo.jpeg and b"Xiaomi" not in photo.jpeg
    assert 0xE1 not in jpeg_markers(photo.jpeg)  # no APP1 at all
    assert_upright(image.convert("RGB"))


def test_no_metadata_of_any_kind_survives(tmp_path: Path) -> None:
    source = tmp_path / "tagged.jpg"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    upright_picture().save(source, "JPEG", exif=gps_exif(1).tobytes(), icc_profile=srgb, comment=b"secret note",
                           xmp=xmp, dpi=(300, 300))
    photo = normalize_photo(source)
    # Only what a baseline JFIF needs: SOI, APP0 (JFIF), DQT, SOF0 (baseline), DHT, SOS.
    assert set(jpeg_markers(photo.jpeg)) <= {0xD8, 0xE0, 0xDB, 0xC0, 0xC4, 0xDA}
    for leak in (b"secret", b"xmpmeta", b"ICC_PROFILE", b"Exif"):
        assert leak not in photo.jpeg
    assert_upright(decoded(photo))  # an sRGB profile changes no colour


def test_progressive_jpeg_in_baseline_out(tmp_path: Path) -> None:
    source = tmp_path / "progressive.jpg"
    upright_picture().save(source, "JPEG", progressive=True, quality=90)
    assert 0xC2 in jpeg_markers(source.read_bytes())
    photo = normalize_photo(source)
    assert 0xC0 in jpeg_markers(photo.jpeg) and 0xC2 not in jpeg_markers(photo.jpeg)
    assert_upright(decoded(photo))


# --- colour modes ------------------------------------------------------------------------------

def test_cmyk_jpeg_keeps_its_colours(tmp_path: Path) -> None:
    source = tmp_path / "cmyk.jpg"
    image = Image.new("CMYK", (600, 800), (0, 255, 255, 0))  # red
    image.paste((255, 255, 0, 0), (0, 400, 600, 800))  # blue, bottom half
    image.save(source, "JPEG", quality=95)
    assert Image.open(source).mode == "CMYK"
    result = decoded(normalize_photo(source))
    assert near(result.getpixel((300, 100)), (255, 0, 0))
    assert near(result.getpixel((300, 700)), (0, 0, 255))


def test_alpha_is_composited_on_the_background_not_revealed(tmp_path: Path) -> None:
    source = tmp_path / "alpha.png"
    image = Image.new("RGBA", (600, 800), (255, 0, 0, 0))  # transparent, with red "under" it
    image.paste((30, 60, 200, 255), (0, 400, 600, 800))  # opaque blue, bottom half
    image.save(source)
    background = (10, 120, 30)
    result = decoded(normalize_photo(source, background=background))
    assert near(result.getpixel((300, 100)), background, 6)
    assert near(result.getpixel((300, 700)), BLUE, 6)
    assert near(decoded(normalize_photo(source)).getpixel((300, 100)), WHITE, 6)  # default background


def test_palette_png_with_transparency(tmp_path: Path) -> None:
    source = tmp_path / "palette.png"
    image = Image.new("P", (300, 400), 0)
    image.putpalette([255, 0, 0, 30, 60, 200] + [0] * 762)  # index 0 red (transparent), 1 blue
    image.paste(1, (0, 200, 300, 400))
    image.save(source, transparency=0)
    assert Image.open(source).mode == "P"
    result = decoded(normalize_photo(source))
    assert near(result.getpixel((300, 100)), WHITE, 6)
    assert near(result.getpixel((300, 700)), BLUE, 6)


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path: Path) -> None:
    source = tmp_path / "grey16.png"
    image = Image.new("I;16", (600, 800), 32768)  # mid-grey in 16 bits
    image.paste(Image.new("I;16", (600, 400), 8192), (0, 400))  # a quarter (paste(int) on I;16 writes 0)
    image.save(source)
    assert Image.open(source).mode.startswith("I")
    result = decoded(normalize_photo(source))
    assert near(result.getpixel((300, 100)), (128, 128, 128), 3)
    assert near(result.getpixel((300, 700)), (32, 32, 32), 3)


@pytest.mark.parametrize("kind", ["HEIF", "WEBP", "BMP", "PNG"])
def test_other_formats(tmp_path: Path, kind: str) -> None:
    if kind == "HEIF":
        pytest.importorskip("pillow_heif")
    source = tmp_path / f"photo.{kind.lower()}"
    upright_picture((900, 1200)).save(source, kind, **({"quality": 90} if kind in ("HEIF", "WEBP") else {}))
    assert Image.open(source).format == kind
    assert_upright(decoded(normalize_photo(source)))


def test_the_extension_does_not_matter_the_content_does(tmp_path: Path) -> None:
    source = tmp_path / "really_a_png.jpg"
    upright_picture().save(source, "PNG")
    assert_upright(decoded(normalize_photo(source)))


# --- refusals ----------------------------------------------------------------------------------

def test_truncated_jpeg_is_refused_by_name(tmp_path: Path) -> None:
    whole = tmp_path / "whole.jpg"
    noisy = Image.merge("RGB", [Image.effect_noise((800, 600), 40) for _ in range(3)])
    noisy.save(whole, "JPEG", quality=90)
    source = tmp_path / "QSC007.jpg"
    source.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(PhotoError, match="QSC007.jpg") as caught:
        normalize_photo(source)
    assert "不完整" in str(caught.value) and "重新拷贝" in str(caught.value)
    assert caught.value.path == source


@pytest.mark.parametrize("content", [b"hello, this is not a photo\n", b"", b"\xff\xd8\xff\xe0" + b"\x00" * 40])
def test_non_images_named_jpg_are_refused_by_name(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "QSC001.jpg"
    source.write_bytes(content)
    with pytest.raises(PhotoError, match="QSC001.jpg"):
        normalize_photo(source)


def test_formats_outside_the_list_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "anim.gif"
    upright_picture((300, 400)).save(source, "GIF")
    with pytest.raises(PhotoError, match="anim.gif"):
        normalize_photo(source)


def test_a_missing_file_is_a_photo_error(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match="gone.jpg"):
        normalize_photo(tmp_path / "gone.jpg")


def bomb_png(path: Path, width: int, height: int) -> None:
    """A valid 1-bit PNG of one colour: a few hundred kB on disk, width×height pixels declared."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", data) + chunk(b"IEND", b""))


@pytest.mark.parametrize("width, height", [(20000, 20000), (8000, 8000)])  # 400 MP (Pillow's own error), 64 MP (ours)
def test_decompression_bombs_are_refused_without_touching_global_state(tmp_path: Path, width: int, height: int) -> None:
    source = tmp_path / "bomb.png"
    bomb_png(source, width, height)
    assert source.stat().st_size < 1_000_000
    limit, filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)
    with pytest.raises(PhotoError, match="bomb.png") as caught:
        normalize_photo(source)
    assert "像素太多" in str(caught.value)
    assert Image.MAX_IMAGE_PIXELS == limit and warnings.filters == filters


def test_pillows_bomb_warning_is_escalated_locally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photos, "MAX_PIXELS", 10**12)  # only Pillow's warning (> ~89 MP) stands guard
    source = tmp_path / "warned.png"
    bomb_png(source, 10000, 10000)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with pytest.raises(PhotoError, match="warned.png"):
            normalize_photo(source)
    assert not [w for w in seen if issubclass(w.category, Image.DecompressionBombWarning)]
    with pytest.warns(Image.DecompressionBombWarning):  # outside, Pillow's behaviour is untouched
        Image.open(source).close()


def test_photo_error_is_a_user_error_and_crosses_processes() -> None:
    error = PhotoError(Path("/x/QSC003.heic"), "已损坏或不完整", "请重新拷贝")
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) == "照片“QSC003.heic”已损坏或不完整，请重新拷贝"
    assert again.path == error.path and again.exit_code == 1


# --- crop --------------------------------------------------------------------------------------

def test_tall_photo_keeps_its_upper_part(tmp_path: Path) -> None:
    source = tmp_path / "tall.png"
    image = Image.new("RGB", (600, 1600), BLUE)  # the 3:4 window is 800 high; 800 spare rows
    image.paste(RED, (0, 300, 600, 320))  # a marker a centred crop (rows 400–1200) would lose
    image.paste(GREEN, (0, 1100, 600, 1600))  # the bottom: cut away
    image.save(source)
    result = decoded(normalize_photo(source))
    top = round((1600 - 800) * photos.TOP_BIAS)
    assert near(result.getpixel((300, 310 - top)), RED)
    assert near(result.getpixel((300, 799)), BLUE)


def test_wide_photo_is_cut_around_the_centre(tmp_path: Path) -> None:
    source = tmp_path / "wide.png"
    image = Image.new("RGB", (1600, 800), GREEN)
    image.paste(BLUE, (500, 0, 1100, 800))  # exactly the centred 600×800 window
    image.save(source)
    result = decoded(normalize_photo(source))
    assert near(result.getpixel((5, 400)), BLUE) and near(result.getpixel((594, 400)), BLUE)


@settings(max_examples=60, deadline=None)
@given(width=st.integers(1, 400), height=st.integers(1, 400), orientation=st.integers(1, 8))
def test_any_size_and_orientation_gives_the_portrait_size(width: int, height: int, orientation: int) -> None:
    portrait = photos._crop_portrait(Image.new("RGB", (width, height), BLUE), PHOTO_SIZE, orientation)
    assert portrait.size == PHOTO_SIZE


# --- batches -----------------------------------------------------------------------------------

def batch(tmp_path: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        path = tmp_path / f"M{i:03d}.jpg"
        if i % 4 == 2:
            path.write_text("not a photo")
        else:
            Image.new("RGB", (300 + i, 400), (i * 20 % 256, 80, 160)).save(path, "JPEG")
        paths.append(path)
    return paths


def test_normalize_many_keeps_order_and_reports_errors_as_items(tmp_path: Path) -> None:
    paths = batch(tmp_path, 5)
    seen: list[tuple[int, int]] = []
    results = normalize_many(paths, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    for path, result in zip(paths, results):
        if path.name == "M002.jpg":
            assert isinstance(result, PhotoError) and result.path == path
        else:
            assert isinstance(result, NormalizedPhoto) and result == normalize_photo(path)


def test_normalize_many_in_processes_gives_the_same_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photos, "PARALLEL_FROM", 2)
    paths = batch(tmp_path, 7)
    serial = normalize_many(paths, workers=1)
    seen: list[int] = []
    parallel = normalize_many(paths, workers=2, progress=lambda done, total: seen.append(done))
    assert seen == list(range(1, 8))
    assert [type(r) for r in parallel] == [type(r) for r in serial]
    assert [r.sha256 for r in parallel if isinstance(r, NormalizedPhoto)] == \
        [r.sha256 for r in serial if isinstance(r, NormalizedPhoto)]
    assert [str(r) for r in parallel if isinstance(r, PhotoError)] == [str(r) for r in serial if isinstance(r, PhotoError)]


# --- store -------------------------------------------------------------------------------------

@pytest.fixture
def photo(tmp_path: Path) -> NormalizedPhoto:
    source = tmp_path / "p.jpg"
    upright_picture().save(source, "JPEG")
    return normalize_photo(source)


def test_store_writes_the_bytes_under_their_hash(tmp_path: Path, photo: NormalizedPhoto) -> None:
    store = PhotoStore(tmp_path / "photos")
    sha = store.put(photo)
    assert sha == photo.sha256
    target = tmp_path / "photos" / sha[:2] / f"{sha}.jpg"
    assert store.path(sha) == target and target.read_bytes() == photo.jpeg and store.has(sha)
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left


def test_store_is_idempotent(tmp_path: Path, photo: NormalizedPhoto, monkeypatch: pytest.MonkeyPatch) -> None:
    store = PhotoStore(tmp_path / "photos")
    sha = store.put(photo)
    replaced: list[object] = []
    monkeypatch.setattr(os, "replace", lambda *args: replaced.append(args))
    assert store.put(photo) == sha == store.put_bytes(photo.jpeg)
    assert not replaced and len(list((tmp_path / "photos").rglob("*"))) == 2  # one folder, one file


def test_store_writes_temp_then_renames(tmp_path: Path, photo: NormalizedPhoto, monkeypatch: pytest.MonkeyPatch) -> None:
    store = PhotoStore(tmp_path / "photos")
    renames: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def watch(src: str, dst: str) -> None:
        assert Path(src).read_bytes() == photo.jpeg and not Path(dst).exists()  # complete before it gets the name
        renames.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watch)
    sha = store.put(photo)
    assert renames and renames[0][1] == store.path(sha) and renames[0][0].parent == store.path(sha).parent


def test_a_failed_rename_leaves_no_photo_and_no_temp(tmp_path: Path, photo: NormalizedPhoto,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    store = PhotoStore(tmp_path / "photos")

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        store.put(photo)
    assert not store.has(photo.sha256) and not list((tmp_path / "photos").rglob("*.tmp"))


@pytest.mark.parametrize("bad", ["../../etc/passwd", "A" * 64, "a" * 63, "a" * 65, "a" * 64 + "\n",
                                 "g" * 64, "/" + "a" * 63, "", None, 12])
def test_store_refuses_anything_but_a_hash(tmp_path: Path, bad: object) -> None:
    store = PhotoStore(tmp_path / "photos")
    for call in (store.path, store.has):
        with pytest.raises(ValueError):
            call(bad)  # type: ignore[arg-type]


def test_store_refuses_a_photo_whose_hash_does_not_match(tmp_path: Path, photo: NormalizedPhoto) -> None:
    store = PhotoStore(tmp_path / "photos")
    with pytest.raises(ValueError):
        store.put(NormalizedPhoto("0" * 64, photo.jpeg, photo.width, photo.height))
    assert not (tmp_path / "photos").exists() or not list((tmp_path / "photos").rglob("*.jpg"))


def test_collect_orphans(tmp_path: Path, photo: NormalizedPhoto) -> None:
    store = PhotoStore(tmp_path / "photos")
    kept = store.put(photo)
    dropped = store.put_bytes(b"\xff\xd8 another photo")
    crashed = store.path(dropped).parent / f".{dropped}.abc123.tmp"  # what a crash mid-write leaves
    crashed.write_bytes(b"half")
    fresh = store.path(kept).parent / f".{kept}.def456.tmp"  # a writer at work right now
    fresh.write_bytes(b"writing")
    os.utime(crashed, (0, 0))
    stranger = tmp_path / "photos" / "README.txt"
    stranger.write_text("not ours")
    assert store.collect_orphans({kept}) == 2
    assert store.has(kept) and not store.has(dropped) and not crashed.exists()
    assert fresh.exists() and stranger.exists()
    assert not store.path(dropped).parent.exists() or store.path(dropped).parent == store.path(kept).parent
    assert store.collect_orphans({kept}) == 0
    assert PhotoStore(tmp_path / "nowhere").collect_orphans(set()) == 0


A98 = Path("/usr/share/color/icc/ghostscript/a98.icc")  # Adobe RGB (1998), shipped with Ghostscript


@pytest.mark.skipif(not A98.is_file(), reason="no Adobe RGB profile on this system (ghostscript)")
def test_a_wide_gamut_profile_is_applied_then_dropped(tmp_path: Path) -> None:
    source = tmp_path / "adobe.jpg"
    icc = A98.read_bytes()
    Image.new("RGB", (600, 800), (200, 100, 50)).save(source, "JPEG", quality=95, icc_profile=icc)
    photo = normalize_photo(source)
    expected = ImageCms.profileToProfile(Image.new("RGB", (1, 1), (200, 100, 50)), ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                         ImageCms.createProfile("sRGB")).getpixel((0, 0))
    assert expected != (200, 100, 50) and near(decoded(photo).getpixel((300, 400)), expected, 4)
    assert b"ICC_PROFILE" not in photo.jpeg and 0xE2 not in jpeg_markers(photo.jpeg)
