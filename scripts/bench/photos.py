"""Photo import benchmark: 12-megapixel phone JPEGs through the pipeline vs a naive full decode.

    .venv/bin/python scripts/bench/photos.py [--count 20] [--workers 2]

Writes `--count` phone-like 4000×3000 JPEGs (gradients, shapes and sensor noise so they are
3–4 MB like real ones; EXIF orientation 6 or 8 on a third of them, camera tags and GPS) to a temp
folder, then times in the same run:
  naive   Image.open(p).convert("RGB").resize(PHOTO_SIZE)   (full decode, no crop, no encode)
  ours    normalize_photo(p) one by one                     (decode+orient+crop+resize+encode)
  many    normalize_many(paths, workers=N)                  (processes, including their start-up)
Target: ours ≥ 3× the naive baseline in photos per second.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image, ImageDraw  # noqa: E402

from kiosk.ingest.photos import PHOTO_SIZE, normalize_many, normalize_photo  # noqa: E402


def phone_jpeg(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    width, height = 4000, 3000
    top = [rng.randint(60, 200) for _ in range(3)]
    bottom = [rng.randint(20, 160) for _ in range(3)]
    ramp = Image.linear_gradient("L").resize((width, height))
    channels = [Image.eval(ramp, lambda v, a=a, b=b: a + (b - a) * v // 255) for a, b in zip(top, bottom)]
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image)
    for _ in range(12):  # furniture, a window, a person: large soft shapes with edges
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randint(200, 1400), rng.randint(200, 1400)
        fill = tuple(rng.randint(0, 255) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x, y, x + w, y + h), fill=fill)
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 18) for _ in range(3)])
    image = Image.blend(image, noise, 0.3)
    exif = Image.Exif()
    exif[0x010F] = "Xiaomi"
    exif[0x0110] = "Redmi Note 12"
    if seed % 3 == 1:
        exif[0x0112] = 6 if seed % 2 else 8  # held upright: stored landscape, shown portrait
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 12.5), 3: "E", 4: (114.0, 18.0, 3.0)}
    image.save(path, "JPEG", quality=92, exif=exif.tobytes())


def naive(path: Path) -> None:
    Image.open(path).convert("RGB").resize(PHOTO_SIZE)


def timed(label: str, count: int, run) -> float:
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    rate = count / seconds
    print(f"{label:<44} {seconds:7.2f} s  {rate:6.1f} photos/s  ({seconds / count * 1000:6.1f} ms/photo)")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"IMG_{i:04d}.jpg" for i in range(args.count)]
        for i, path in enumerate(paths):
            phone_jpeg(path, i)
        sizes = [p.stat().st_size for p in paths]
        print(f"{args.count} phone JPEGs 4000×3000, median {statistics.median(sizes) / 1e6:.1f} MB; "
              f"{os.cpu_count()} CPUs; Pillow {Image.__version__}")
        naive(paths[0]), normalize_photo(paths[0])  # warm caches and lazy imports
        base = timed("naive open().convert().resize()", args.count, lambda: [naive(p) for p in paths])
        ours = timed("normalize_photo, one by one", args.count, lambda: [normalize_photo(p) for p in paths])
        many = timed(f"normalize_many, {args.workers} worker processes", args.count,
                     lambda: normalize_many(paths, workers=args.workers))
        print(f"speed-up vs naive: one by one {ours / base:.1f}×, normalize_many {many / base:.1f}×  (target ≥ 3×)")


if __name__ == "__main__":
    main()
