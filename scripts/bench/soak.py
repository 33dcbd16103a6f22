#!/usr/bin/env python3
"""Accelerated soak: page, search and open members for many frames; report RSS and open files.

Run: .venv/bin/python scripts/bench/soak.py [--frames 100000]
Target (issue 7): RSS growth ≤ 5 MB over 100,000 frames; open file handles constant.
Time is simulated (each frame advances 0.25 s), so a day of kiosk life runs in minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil  # noqa: E402
import pygame  # noqa: E402
from synthetic import build_store  # noqa: E402

from kiosk.app.display import Display, open_video  # noqa: E402
from kiosk.app.heap import HeapTrim  # noqa: E402
from kiosk.app.kiosk import Kiosk, KioskOptions  # noqa: E402
from kiosk.app.loop import make_scene  # noqa: E402
from kiosk.app.scenes.base import Action  # noqa: E402
from kiosk.config import DisplaySettings, Settings  # noqa: E402
from kiosk.render.fonts import FontBook  # noqa: E402
from kiosk.store.db import open_engine  # noqa: E402
from kiosk.store.snapshot import load_snapshot  # noqa: E402


# Every kind of event has happened once by then (searches, details, a data reload at 5003):
# caches are full and the allocator has seen the biggest temporary objects.
WARM_UP = 6000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=300)
    args = parser.parse_args()
    process = psutil.Process()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        build_store(data_dir, args.members)
        open_video()
        display = Display(fullscreen=False, size=(1920, 1080), rotate=0)
        settings = Settings(display=DisplaySettings(fullscreen=False, size=(1920, 1080), page_seconds=5))
        kiosk = Kiosk(make_scene(display.size, settings, FontBook.default(), data_dir), KioskOptions(locked=True))
        engine = open_engine(data_dir)
        snapshot = load_snapshot(engine)
        numbers = [c.member.number for c in snapshot.cards]
        kiosk.set_snapshot(snapshot, 0.0, datetime(2026, 11, 23, 8, 0))
        heap = HeapTrim()
        started = time.perf_counter()
        base_rss = base_files = 0
        searches = opened = 0
        for frame in range(args.frames):
            t = frame * 0.25
            now = datetime(2026, 11, 23, 8, 0) + timedelta(seconds=t)
            if frame % 997 == 0:
                kiosk.act(Action("search", "w"), t)
                kiosk.text("z", t)
                searches += 1
            elif frame % 997 == 40:
                kiosk.act(Action("detail", numbers[frame % len(numbers)]), t)
                opened += 1
            elif frame % 997 == 80:
                kiosk.act(Action("back"), t)
            elif frame % 5003 == 0:
                kiosk.set_snapshot(load_snapshot(engine), t, now)  # a sync landed
                heap.data_changed()
            dirty = kiosk.frame(display.canvas, t, now)
            if dirty is not False:
                display.present(dirty if dirty else None)
            elif not kiosk.moving and not kiosk.prepare_ahead():  # as the kiosk's loop does
                heap.quiet()
            pygame.event.pump()
            if frame == WARM_UP:
                base_rss, base_files = process.memory_info().rss, len(process.open_files())
            if frame and frame % (args.frames // 10) == 0:  # a leak climbs steadily; bounded caches level off
                print(f"  frame {frame:>7}: RSS {process.memory_info().rss / 2**20:.1f} MB", flush=True)
        end_rss, end_files = process.memory_info().rss, len(process.open_files())
        elapsed = time.perf_counter() - started
        engine.dispose()
    print(f"frames {args.frames} in {elapsed:.0f} s ({args.frames / elapsed:.0f} frames/s), "
          f"{searches} searches, {opened} member details")
    print(f"RSS after warm-up {base_rss / 2**20:.1f} MB, at end {end_rss / 2**20:.1f} MB, "
          f"growth {(end_rss - base_rss) / 2**20:+.1f} MB (target ≤ 5 MB)")
    print(f"open files after warm-up {base_files}, at end {end_files}; fds {process.num_fds()}")


if __name__ == "__main__":
    main()
