"""The font chain: the bundled face is really SC, rare name characters are covered, rendering
never raises and never shows tofu silently."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pygame
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.render import fonts
from kiosk.render.fonts import FaceFile, FontBook, FontFace, TextFont, uncovered_chars

RARE = "喆堃赟䶮𠇔"  # 䶮 U+4DAE is CJK Ext A, 𠇔 U+201D4 Ext B
DEBIAN_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.fixture(scope="module")
def book() -> FontBook:
    return FontBook.bundled()


def pixels(surface: pygame.Surface) -> bytes:
    return pygame.image.tobytes(surface, "RGBA")


def test_default_chain_starts_with_the_bundled_sc_faces_and_is_quick() -> None:
    fonts.bundled_faces.cache_clear()
    fonts.system_faces.cache_clear()
    start = time.perf_counter()
    book = FontBook.default()
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    book.font(24)
    first_font = time.perf_counter() - start
    print(f"FontBook.default(): {elapsed * 1000:.1f} ms; first font(24): {first_font * 1000:.1f} ms")
    assert book.faces[0].bundled and book.faces[0].name == "Noto Sans CJK SC"
    assert book.faces[0].bold is not None
    assert elapsed < 0.5 and first_font < 0.5


def test_bundled_font_is_the_simplified_chinese_face(book: FontBook) -> None:
    from fontTools.ttLib import TTFont

    for file in (book.faces[0].regular, book.faces[0].bold):
        assert file is not None
        names = TTFont(file.path, lazy=True)["name"]
        assert names.getDebugName(1) == "Noto Sans CJK SC"


@pytest.mark.skipif(not DEBIAN_TTC.exists(), reason="Debian's fonts-noto-cjk is not installed")
def test_sc_glyphs_differ_from_the_japanese_face_zero(book: FontBook) -> None:
    """门 直 骨 take other forms in the JP face, which a plain Font(.ttc) would open."""
    pygame.font.init()
    ours = book.font(48)
    japanese = pygame.font.Font(str(DEBIAN_TTC), 48)
    sc_in_collection = pygame.font.Font(fonts._font_source(FaceFile(DEBIAN_TTC, "Sans CJK SC")), 48)
    for ch in "门直骨":
        drawn = pixels(ours.render(ch, (0, 0, 0)))
        assert drawn != pixels(japanese.render(ch, True, (0, 0, 0))), ch
        assert drawn == pixels(sc_in_collection.render(ch, True, (0, 0, 0))), ch


def test_collection_face_is_picked_by_name() -> None:
    if not DEBIAN_TTC.exists():
        pytest.skip("Debian's fonts-noto-cjk is not installed")
    assert FaceFile(DEBIAN_TTC, "Sans CJK SC").index == 2
    assert FaceFile(DEBIAN_TTC, "").index == 0
    assert len(FaceFile(DEBIAN_TTC, "Sans CJK SC").chars()) > 40000


@pytest.mark.parametrize("make", [FontBook.bundled, FontBook.default], ids=["bundled", "default"])
def test_rare_name_characters_are_covered(make) -> None:  # type: ignore[no-untyped-def]
    assert make().uncovered("王喆 李堃 张赟 刘䶮 " + RARE) == set()


def test_uncovered_reports_private_use_and_ignores_whitespace_and_controls(book: FontBook) -> None:
    assert book.uncovered("王\ue000喆") == {"\ue000"}
    assert uncovered_chars("刘\U0010fffd") == {"\U0010fffd"}
    assert book.uncovered(" \t\n\r\x00\u200b\u200d\ufe0f\u3000") == set()
    assert book.uncovered("\ud800") == {"\ud800"}  # a lone surrogate cannot be drawn


def test_cmap_coverage_matches_fonttools(book: FontBook) -> None:
    from fontTools.ttLib import TTFont

    ours = book.faces[0].regular.chars()
    theirs = {chr(c) for c in TTFont(book.faces[0].regular.path, lazy=True).getBestCmap()}
    assert set(ours) == theirs - set(map(chr, range(0x20))) - set(map(chr, range(0x7F, 0xA0)))


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("text", ["党员承诺公示屏", "门直骨", RARE, "2026年完成60%（约3.5公里）", "a", " "])
def test_render_has_line_height_and_the_measured_width(book: FontBook, text: str, bold: bool) -> None:
    font = book.font(30, bold)
    surface = font.render(text, (20, 20, 20))
    assert surface.get_height() == font.line_height
    assert surface.get_width() == font.width(text)
    assert surface.get_flags() & pygame.SRCALPHA
    if text.strip():
        assert surface.get_bounding_rect().width > 0


def test_render_empty_text(book: FontBook) -> None:
    font = book.font(20)
    surface = font.render("", (0, 0, 0))
    assert surface.get_width() in (0, 1) and surface.get_height() == font.line_height
    assert font.width("") == 0


def test_uncovered_character_is_logged_once_and_drawn_visibly(book: FontBook, caplog: pytest.LogCaptureFixture) -> None:
    fonts._warned.discard("\ue001")
    font = book.font(28)
    with caplog.at_level(logging.WARNING, logger="kiosk.fonts"):
        a = font.render("王\ue001", (0, 0, 0))
        font.render("\ue001李", (0, 0, 0))
    assert sum("U+E001" in r.getMessage() for r in caplog.records) == 1
    assert pixels(a) == pixels(font.render("王" + fonts.REPLACEMENT, (0, 0, 0)))


def test_runs_from_two_faces_share_one_baseline(book: FontBook) -> None:
    """Latin-only primary, CJK fallback: one surface, the primary's height, widths add up."""
    latin = fonts._pygame_face()
    if not latin:
        pytest.skip("pygame has no default font file")
    mixed = FontBook([*latin, *book.faces])
    font = mixed.font(32)
    surface = font.render("Wall 公示屏 2026", (0, 0, 0))
    assert surface.get_height() == font.line_height
    assert surface.get_width() == font.width("Wall 公示屏 2026")
    assert surface.get_bounding_rect().width > 0
    assert mixed.uncovered("公示屏") == set()


def test_a_face_without_bold_is_emboldened(book: FontBook) -> None:
    plain = FontBook([FontFace("regular only", book.faces[0].regular)])
    regular, bold = plain.font(30), plain.font(30, bold=True)
    assert bold.width("党员承诺") >= regular.width("党员承诺")
    assert pixels(bold.render("党", (0, 0, 0))) != pixels(regular.render("党", (0, 0, 0)))


def test_fonts_are_cached_per_size_and_weight(book: FontBook) -> None:
    assert book.font(22) is book.font(22)
    assert book.font(22) is not book.font(22, bold=True)
    assert isinstance(book.font(22), TextFont) and book.font(22).px == 22


def test_very_long_text_is_drawn_within_the_surface_limit(book: FontBook) -> None:
    font = book.font(40)
    surface = font.render("承诺" * 5000, (0, 0, 0))
    assert 0 < surface.get_width() <= fonts.MAX_RENDER_WIDTH
    assert surface.get_height() == font.line_height


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(exclude_categories=()), max_size=60))
def test_render_never_raises(book: FontBook, text: str) -> None:
    font = book.font(18)
    surface = font.render(text, (0, 0, 0))
    assert surface.get_height() == font.line_height
    assert surface.get_width() == min(font.width(text), fonts.MAX_RENDER_WIDTH)


@given(st.sets(st.integers(0, 0x10FFFF).filter(lambda c: not 0xD800 <= c < 0xE000), max_size=300),
       st.text(max_size=30))
@settings(max_examples=200, deadline=None)
def test_coverage_answers_as_the_set_of_its_characters(codes: set[int], text: str) -> None:
    covered = {chr(c) for c in codes}
    probe = text + "".join(sorted(covered)[:5])
    coverage = fonts.Coverage(codes)
    assert set(coverage) == covered and len(coverage) == len(covered)
    assert coverage.covers_all(probe) == covered.issuperset(probe)
    assert coverage.missing(probe) == set(probe) - covered
    assert all((ch in coverage) == (ch in covered) for ch in probe)
    assert "" not in coverage and "ab" not in coverage


def test_coverage_of_a_cjk_face_keeps_little_memory(book: FontBook) -> None:
    """~45,000 characters: a set of them held 5 MB per face; the kiosk keeps one per face."""
    import tracemalloc

    face = book.faces[0].regular
    tracemalloc.start()
    try:
        coverage = fonts._coverage.__wrapped__(face.path, face.index)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(coverage) > 40000
    assert held < 1 << 20
