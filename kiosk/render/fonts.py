"""Fonts: a chain of faces with per-character fallback, for text that must never show tofu.

The chain starts with the bundled Noto Sans CJK SC (Regular and Bold, extracted from Debian's
collection by scripts/extract_fonts.py), then CJK fonts of the system found at run time
(Windows, Linux, macOS), then pygame's own default font. Text is split into runs by the first face
that has each character and the runs are drawn on one baseline.

One engine draws everything: pygame.font (SDL_ttf), which is several times faster than
pygame.freetype at rendering. SDL_ttf opens only face 0 of a collection (.ttc), which for Noto CJK
is the Japanese face; for another face we hand it the collection's bytes with that face's table
directory written over the collection header. Table offsets in a collection are absolute, so the
result is a valid single-face font without copying anything but the first few hundred bytes.

Coverage comes from each face's cmap, read with fontTools' lazy reader and decoded here (format 12
or 4); that takes ~20 ms where fontTools' own decoding takes ~0.17 s for a CJK font because it
names all 65,000 glyphs. Fallback faces are only opened when the faces before them lack a
character.
"""

from __future__ import annotations

import io
import logging
import os
import re
import struct
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import as_file
from importlib.resources.abc import Traversable
from pathlib import Path

import pygame

from kiosk import paths

log = logging.getLogger("kiosk.fonts")

# Drawn for a character no face has: the geta mark, the typesetter's sign for a missing glyph.
REPLACEMENT = "〓"
# SDL refuses very wide surfaces, and nothing on a screen needs them.
MAX_RENDER_WIDTH = 16384

BUNDLED_REGULAR = "NotoSansCJKsc-Regular.otf"
BUNDLED_BOLD = "NotoSansCJKsc-Bold.otf"


@dataclass(frozen=True)
class FaceFile:
    """One face in a font file; in a collection, the first face whose name contains `prefer`."""

    path: Path
    prefer: str = ""

    @property
    def index(self) -> int:
        return _face_index(self.path, self.prefer)

    def chars(self) -> Coverage:
        """Every character the face maps to a glyph (controls excluded). Cached per file."""
        return _coverage(self.path, self.index)


@dataclass(frozen=True)
class FontFace:
    """A family in the chain: a regular face and, if there is one, its real bold."""

    name: str
    regular: FaceFile
    bold: FaceFile | None = None
    bundled: bool = False

    def covers(self, ch: str) -> bool:
        return ch in self.regular.chars()


@dataclass(frozen=True)
class _Slot:
    file: FaceFile
    embolden: bool  # synthetic bold: a face without a real bold, used in bold text


class FontBook:
    """The chain of faces, and a TextFont per (px, bold), made on first use."""

    def __init__(self, faces: Iterable[FontFace]) -> None:
        self.faces: tuple[FontFace, ...] = tuple(faces)
        if not self.faces:
            raise ValueError("a FontBook needs at least one face")
        self._fonts: dict[tuple[int, bool], TextFont] = {}

    @classmethod
    def default(cls) -> FontBook:
        """Bundled faces first, then the system's CJK fonts, then pygame's default font."""
        bundled = bundled_faces()
        system = [f for f in system_faces() if f.name not in {b.name for b in bundled}]
        return cls([*bundled, *system, *_pygame_face()])

    @classmethod
    def bundled(cls) -> FontBook:
        """Only the fonts shipped in assets/fonts: the same result on every machine."""
        return cls(bundled_faces())

    def font(self, px: int, bold: bool = False) -> TextFont:
        key = (max(1, int(px)), bool(bold))
        font = self._fonts.get(key)
        if font is None:
            font = self._fonts[key] = TextFont(self._chain(key[1]), key[0], key[1])
        return font

    def uncovered(self, text: str) -> set[str]:
        """Characters of `text` no face can show (whitespace, controls, format marks ignored)."""
        missing = set()
        primary = self.faces[0].regular.chars()
        for ch in primary.missing(text):
            if not _ignorable(ch) and not any(face.covers(ch) for face in self.faces[1:]):
                missing.add(ch)
        return missing

    def _chain(self, bold: bool) -> tuple[_Slot, ...]:
        if not bold:
            return tuple(_Slot(face.regular, False) for face in self.faces)
        slots = []
        for face in self.faces:
            if face.bold is not None:
                slots.append(_Slot(face.bold, False))
            slots.append(_Slot(face.regular, True))
        return tuple(slots)


class TextFont:
    """One size (and weight) of the chain: measures and draws a single line of text."""

    def __init__(self, chain: tuple[_Slot, ...], px: int, bold: bool) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self.px = px
        self.bold = bold
        self._chain = chain
        self._engines: dict[int, pygame.font.Font | None] = {}
        self._primary_index = next(i for i in range(len(chain)) if self._engine(i) is not None)
        primary = self._engine(self._primary_index)
        assert primary is not None
        self._primary_chars = chain[self._primary_index].file.chars()
        self._width = lru_cache(maxsize=8192)(self._measure)
        self.ascent: int = primary.get_ascent()
        self.line_height: int = primary.get_height()

    def width(self, text: str) -> int:
        """Advance width in pixels of `text` drawn on one line (what `render` will draw)."""
        return self._width(text)

    def _measure(self, text: str) -> int:
        # SDL_ttf spends ~2-3 µs per CJK character here (HarfBuzz shaping, glyph cache misses),
        # and pages re-wrap the same pledges, so results are kept (see __init__).
        total = 0
        for slot, run in self._runs(text):
            engine = self._engine(slot)
            if engine is not None:
                try:
                    total += engine.size(run)[0]
                except (pygame.error, ValueError, UnicodeError):
                    log.exception("cannot measure %r", run)
        return total

    def render(self, text: str, color: tuple[int, int, int]) -> pygame.Surface:
        """`text` on one line, anti-aliased, on a transparent surface `line_height` tall."""
        runs = self._runs(text)
        if sum(len(run) for _, run in runs) > 64 and self.width(text) > MAX_RENDER_WIDTH:
            runs = self._runs(_prefix_within(text, MAX_RENDER_WIDTH, self.width))
        if not runs:
            return pygame.Surface((0, self.line_height), pygame.SRCALPHA)
        pieces = []
        for slot, run in runs:
            engine = self._engine(slot)
            if engine is None:
                continue
            try:
                pieces.append((engine, engine.render(run, True, color), engine.size(run)[0]))
            except (pygame.error, ValueError, UnicodeError):
                log.exception("cannot draw %r", run)
        if len(pieces) == 1:
            engine, piece, _ = pieces[0]
            if (
                engine.get_ascent() == self.ascent
                and piece.get_height() == self.line_height
                and piece.get_flags() & pygame.SRCALPHA
            ):
                return piece
        width = min(MAX_RENDER_WIDTH, sum(advance for _, _, advance in pieces))
        surface = pygame.Surface((width, self.line_height), pygame.SRCALPHA)
        x = 0
        for engine, piece, advance in pieces:
            surface.blit(piece, (x, self.ascent - engine.get_ascent()))
            x += advance
        return surface

    # -- runs

    def _runs(self, text: str) -> list[tuple[int, str]]:
        """(chain slot, text) runs; characters cleaned, uncovered ones replaced."""
        if not isinstance(text, str):
            text = str(text)
        if self._primary_chars.covers_all(text):
            return [(self._primary_index, text)] if text else []
        runs: list[tuple[int, list[str]]] = []
        for ch in text:
            slot = self._primary_index
            if ch not in self._primary_chars:
                if _ignorable(ch):
                    if not ch.isspace():
                        continue
                    ch = " " if " " in self._primary_chars else ""
                    if not ch:
                        continue
                else:
                    found = self._slot_for(ch)
                    if found is None:
                        _warn_uncovered(ch)
                        ch = REPLACEMENT if REPLACEMENT in self._primary_chars else "?"
                    else:
                        slot = found
            if runs and runs[-1][0] == slot:
                runs[-1][1].append(ch)
            else:
                runs.append((slot, [ch]))
        return [(slot, "".join(chars)) for slot, chars in runs]

    def _slot_for(self, ch: str) -> int | None:
        for i in range(self._primary_index + 1, len(self._chain)):
            if ch in self._chain[i].file.chars() and self._engine(i) is not None:
                return i
        return None

    def _engine(self, i: int) -> pygame.font.Font | None:
        if i in self._engines:
            return self._engines[i]
        slot = self._chain[i]
        engine: pygame.font.Font | None
        try:
            engine = pygame.font.Font(_font_source(slot.file), self.px)
            if slot.embolden:
                engine.bold = True
        except (OSError, ValueError, pygame.error, struct.error):
            log.warning("cannot open font %s (face %r); skipped", slot.file.path, slot.file.prefer, exc_info=True)
            engine = None
        self._engines[i] = engine
        return engine


def uncovered_chars(text: str) -> set[str]:
    """Characters of `text` that no font of the default chain can show."""
    return _default_book().uncovered(text)


@cache
def _default_book() -> FontBook:
    return FontBook.default()  # coverage only: never opens a pygame font


# -- where the faces are

_assets = ExitStack()  # keeps real paths to packaged fonts alive (zip installs extract to temp)


def _assets_fonts() -> Traversable:
    try:
        return paths.assets() / "fonts"
    except ModuleNotFoundError:
        # An editable install made before `pledgewall_assets` was mapped: use the checkout.
        log.debug("package pledgewall_assets not installed; using the repository's assets/")
        return Path(__file__).resolve().parents[2] / "assets" / "fonts"


@cache
def bundled_faces() -> tuple[FontFace, ...]:
    """The fonts shipped in assets/fonts (normally Noto Sans CJK SC Regular and Bold)."""
    folder = _assets_fonts()
    regular, bold = folder / BUNDLED_REGULAR, folder / BUNDLED_BOLD
    if not regular.is_file():
        log.error("bundled font %s is missing; falling back to system fonts", BUNDLED_REGULAR)
        return ()
    bold_file = FaceFile(_assets.enter_context(as_file(bold))) if bold.is_file() else None
    return (FontFace("Noto Sans CJK SC", FaceFile(_assets.enter_context(as_file(regular))), bold_file, True),)


# (family, regular file names, bold file names, face to pick in a collection). Lower-case names.
SYSTEM_FONTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    ("Noto Sans CJK SC", ("notosanscjksc-regular.otf", "notosanscjk-regular.ttc"),
     ("notosanscjksc-bold.otf", "notosanscjk-bold.ttc"), "Sans CJK SC"),
    ("Microsoft YaHei", ("msyh.ttc", "msyh.ttf"), ("msyhbd.ttc", "msyhbd.ttf"), "Microsoft YaHei"),
    ("DengXian", ("deng.ttf",), ("dengb.ttf",), ""),
    ("SimHei", ("simhei.ttf",), (), ""),
    ("SimSun", ("simsun.ttc",), (), "SimSun"),
    ("SimSun-ExtB", ("simsunb.ttf",), (), ""),  # CJK Extension B, for rare name characters
    ("SimSun-ExtG", ("simsunextg.ttf",), (), ""),
    ("PingFang SC", ("pingfang.ttc",), (), "PingFang SC"),
    ("Heiti SC", ("stheiti light.ttc",), ("stheiti medium.ttc",), "Heiti SC"),
    ("WenQuanYi Zen Hei", ("wqy-zenhei.ttc",), (), "Zen Hei"),
    ("WenQuanYi Micro Hei", ("wqy-microhei.ttc",), (), "Micro Hei"),
    ("Droid Sans Fallback", ("droidsansfallbackfull.ttf", "droidsansfallback.ttf"), (), ""),
    ("AR PL UMing", ("uming.ttc",), (), "UMing CN"),
    ("AR PL UKai", ("ukai.ttc",), (), "UKai CN"),
)


def font_dirs() -> list[Path]:
    """Where this platform keeps fonts, system-wide and per user."""
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = os.environ.get("LOCALAPPDATA")
        return [windir / "Fonts", *([Path(local) / "Microsoft" / "Windows" / "Fonts"] if local else [])]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/System/Library/Fonts/Supplemental"),
                Path("/Library/Fonts"), home / "Library" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
            home / ".local" / "share" / "fonts", home / ".fonts"]


def _font_files(dirs: Iterable[Path], limit: int = 20000) -> Iterator[Path]:
    seen = 0
    for top in dirs:
        for root, _, files in os.walk(top):
            for name in files:
                seen += 1
                if seen > limit:
                    return
                yield Path(root) / name


@cache
def system_faces() -> tuple[FontFace, ...]:
    """CJK families installed on this machine, in SYSTEM_FONTS order (no file is opened)."""
    found: dict[str, Path] = {}
    for path in _font_files(font_dirs()):
        found.setdefault(path.name.lower(), path)
    faces = []
    for family, regulars, bolds, prefer in SYSTEM_FONTS:
        regular = next((found[n] for n in regulars if n in found), None)
        if regular is None:
            continue
        bold = next((found[n] for n in bolds if n in found), None)
        faces.append(FontFace(family, FaceFile(regular, prefer), FaceFile(bold, prefer) if bold else None))
    log.debug("system CJK fonts: %s", ", ".join(f.name for f in faces) or "none")
    return tuple(faces)


def _pygame_face() -> tuple[FontFace, ...]:
    path = Path(pygame.font.__file__).parent / pygame.font.get_default_font()
    return (FontFace("pygame default", FaceFile(path)),) if path.is_file() else ()


# -- reading font files


def _is_collection(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"ttcf"


@lru_cache(maxsize=64)
def _face_index(path: Path, prefer: str) -> int:
    """Index of the first face whose family or full name contains `prefer`; 0 if none does."""
    if not prefer or not _is_collection(path):
        return 0
    from fontTools.ttLib import TTCollection

    try:
        with TTCollection(path, lazy=True) as collection:
            for i, font in enumerate(collection.fonts):
                names = font["name"]
                for name_id in (16, 1, 4):
                    name = names.getDebugName(name_id)
                    if name and prefer.lower() in name.lower():
                        return i
    except Exception:  # a damaged system font must not stop the wall
        log.warning("cannot read the faces of %s; using the first", path, exc_info=True)
    return 0


class Coverage:
    """The characters a face maps to glyphs, kept as one compiled pattern of what is missing.

    A CJK face covers ~45,000 characters: as a set of strings that was 5 MB of the kiosk's memory
    per face; as ~2,000 code-point ranges in a regular expression it is a few kB, compiles in
    ~10 ms, and checks a line of text ten times faster than `set.issuperset`.
    """

    __slots__ = ("_missing", "_ranges")

    def __init__(self, codes: Iterable[int]) -> None:
        ranges: list[tuple[int, int]] = []
        for code in sorted(set(codes)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
        self._ranges = tuple(ranges)
        spans = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
        self._missing = re.compile(f"[^{spans}]" if spans else "(?s).")

    def __contains__(self, ch: object) -> bool:
        return isinstance(ch, str) and len(ch) == 1 and self._missing.match(ch) is None

    def __len__(self) -> int:
        return sum(b - a + 1 for a, b in self._ranges)

    def __iter__(self) -> Iterator[str]:
        return (chr(code) for a, b in self._ranges for code in range(a, b + 1))

    def covers_all(self, text: str) -> bool:
        return self._missing.search(text) is None

    def missing(self, text: str) -> set[str]:
        return set(self._missing.findall(text))


@lru_cache(maxsize=64)
def _coverage(path: Path, index: int) -> Coverage:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            codes = _cmap_codes(font.reader["cmap"])
            if codes is None:  # an unusual cmap format: let fontTools decode it (slower)
                codes = set(font.getBestCmap() or {})
    except Exception:
        log.warning("cannot read the character map of %s; not used", path, exc_info=True)
        return Coverage(())
    return Coverage(codes.difference(_NEVER_DRAWN))


def _cmap_codes(data: bytes) -> set[int] | None:
    """Code points mapped to a real glyph by the best Unicode subtable (format 12 or 4)."""
    _, count = struct.unpack_from(">HH", data, 0)
    fmt12 = fmt4 = None
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, offset)[0]
        unicode = platform == 0 or (platform == 3 and encoding in (1, 10))
        if unicode and fmt == 12 and fmt12 is None:
            fmt12 = offset
        elif unicode and fmt == 4 and fmt4 is None:
            fmt4 = offset
    codes: set[int] = set()
    if fmt12 is not None:
        groups = struct.unpack_from(">I", data, fmt12 + 12)[0]
        start = fmt12 + 16
        for first, last, glyph in struct.iter_unpack(">III", data[start : start + 12 * groups]):
            codes.update(range(first + (glyph == 0), min(last, 0x10FFFF) + 1))
        return codes
    if fmt4 is not None:
        seg = struct.unpack_from(">H", data, fmt4 + 6)[0] // 2
        ends = struct.unpack_from(f">{seg}H", data, fmt4 + 14)
        starts = struct.unpack_from(f">{seg}H", data, fmt4 + 16 + 2 * seg)
        deltas = struct.unpack_from(f">{seg}h", data, fmt4 + 16 + 4 * seg)
        range_at = fmt4 + 16 + 6 * seg
        offsets = struct.unpack_from(f">{seg}H", data, range_at)
        for i in range(seg):
            for c in range(starts[i], min(ends[i], 0xFFFE) + 1):
                if offsets[i] == 0:
                    glyph = (c + deltas[i]) & 0xFFFF
                else:
                    at = range_at + 2 * i + offsets[i] + 2 * (c - starts[i])
                    glyph = struct.unpack_from(">H", data, at)[0] if at + 2 <= len(data) else 0
                    glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
                if glyph:
                    codes.add(c)
        return codes
    return None


def _font_source(file: FaceFile) -> str | io.BytesIO:
    """What pygame.font.Font opens: the path, or a single-face view of a collection's face."""
    index = file.index
    if index == 0:
        return str(file.path)
    return io.BytesIO(_single_face(file.path, index))


@lru_cache(maxsize=4)
def _single_face(path: Path, index: int) -> bytes:
    """Face `index` of a .ttc as a standalone font: its table directory over the TTC header."""
    data = path.read_bytes()
    tag, _, faces = struct.unpack_from(">4sII", data, 0)
    if tag != b"ttcf" or not 0 <= index < faces:
        raise ValueError(f"{path} has no face {index}")
    at = struct.unpack_from(">I", data, 12 + 4 * index)[0]
    tables = struct.unpack_from(">H", data, at + 4)[0]
    size = 12 + 16 * tables
    first = min(struct.unpack_from(">I", data, at + 12 + 16 * i + 8)[0] for i in range(tables))
    if first < size:
        raise ValueError(f"{path}: face {index} cannot be viewed on its own")
    return data[at : at + size] + data[size:]


# -- characters


# Controls and surrogates: whatever a cmap says, these are never handed to SDL_ttf as glyphs.
_NEVER_DRAWN = frozenset([*range(0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000)])


def _ignorable(ch: str) -> bool:
    """Whitespace, controls and invisible format marks (joiners, variation selectors)."""
    if ch.isspace():
        return True
    o = ord(ch)
    if 0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF:
        return True
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


_warned: set[str] = set()


def _warn_uncovered(ch: str) -> None:
    if ch not in _warned:
        _warned.add(ch)
        log.warning("no font can draw %r (U+%04X); drawn as %s", ch, ord(ch), REPLACEMENT)


def _prefix_within(text: str, width: int, measure: object) -> str:
    """Longest prefix of `text` whose width is within `width` (for absurdly long strings)."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid]) <= width:  # type: ignore[operator]
            lo = mid
        else:
            hi = mid - 1
    return text[:lo]
