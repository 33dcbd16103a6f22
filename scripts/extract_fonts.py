#!/usr/bin/env python3
"""Make assets/fonts/: Noto Sans CJK SC Regular and Bold, and their licence.

Debian's fonts-noto-cjk ships the fonts as collections (.ttc) whose face 0 is Japanese; the wall
needs the Simplified Chinese face (骨 直 门 differ). This script finds that face by its name table,
saves it as a standalone .otf with fontTools (glyphs and tables unchanged, timestamps kept, so the
output is byte-for-byte reproducible), checks the characters the wall cares about, and writes the
SIL Open Font License next to the fonts.

    sudo apt-get install fonts-noto-cjk      # Debian 12: 1:20220127+repack1-1 (font version 2.004)
    .venv/bin/python scripts/extract_fonts.py [--source /usr/share/fonts/opentype/noto]

The bundled files (2.004, from fonts-noto-cjk 1:20220127+repack1-1) have these SHA-256 sums:
    fb3b8d574150df2fb21d13554d20aae3dc316062e24d34fe3d1ae136d7b4f71f  NotoSansCJKsc-Regular.otf
    9023d55873ce84a6fcbc8d5ade547ab571563091654a5e854c64e04e0a44f8c5  NotoSansCJKsc-Bold.otf
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "fonts"
FAMILY = "Noto Sans CJK SC"
WEIGHTS = {"Regular": "NotoSansCJK-Regular.ttc", "Bold": "NotoSansCJK-Bold.ttc"}
# Rare characters of real names; the wall must draw them (䶮: CJK Ext A, 𠇔: Ext B).
MUST_COVER = "喆堃赟䶮𠇔门直骨〓"
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
BUDGET = 40 * 1024 * 1024


def sc_index(collection: TTCollection) -> int:
    for i, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == FAMILY:
            return i
    raise SystemExit(f"no face named {FAMILY!r} in the collection")


def extract(source: Path, weight: str) -> Path:
    collection = TTCollection(source, lazy=True)
    index = sc_index(collection)
    font = collection.fonts[index]
    font.recalcTimestamp = False  # reproducible output
    font.recalcBBoxes = False
    target = OUT / f"NotoSansCJKsc-{weight}.otf"
    font.save(target)
    print(f"{source.name} face {index} ({FAMILY} {weight}) -> {target.relative_to(ROOT)}")
    return target


def check(path: Path) -> None:
    font = TTFont(path, lazy=True)
    family = font["name"].getDebugName(1)
    assert family == FAMILY, f"{path.name}: family is {family!r}"
    cmap = font.getBestCmap()
    missing = [ch for ch in MUST_COVER if ord(ch) not in cmap]
    if missing:
        print(f"{path.name}: NOT covered: {' '.join(missing)}", file=sys.stderr)
    else:
        print(f"{path.name}: covers {MUST_COVER}")


def ofl_text(copyright_line: str) -> str:
    """The SIL OFL 1.1 as Debian's copyright file quotes it, with the fonts' own copyright."""
    lines = DEBIAN_COPYRIGHT.read_text(encoding="utf-8").splitlines()
    start = lines.index("License: SIL-1.1", lines.index("License: SIL-1.1") + 1)
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        body.append("" if line == " ." else line[1:])
    header = [
        f"Noto Sans CJK SC (NotoSansCJKsc-Regular.otf, NotoSansCJKsc-Bold.otf): {copyright_line}",
        "Extracted unchanged from Debian's fonts-noto-cjk collections by scripts/extract_fonts.py.",
        "Upstream: https://github.com/notofonts/noto-cjk",
        "",
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.",
        "",
    ]
    return "\n".join(header + body).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/usr/share/fonts/opentype/noto"))
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    made = [extract(args.source / name, weight) for weight, name in WEIGHTS.items()]
    for path in made:
        check(path)
    copyright_line = TTFont(made[0], lazy=True)["name"].getDebugName(0)
    (OUT / "LICENSE-OFL.txt").write_text(ofl_text(copyright_line), encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT.iterdir() if p.is_file())
    for path in made:
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")
    print(f"assets/fonts: {total / 1e6:.1f} MB")
    if total > BUDGET:
        raise SystemExit(f"assets/fonts is {total / 1e6:.1f} MB, over the {BUDGET / 1e6:.0f} MB budget")


if __name__ == "__main__":
    main()
