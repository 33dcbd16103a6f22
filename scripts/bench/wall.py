#!/usr/bin/env python3
"""Wall benchmarks: frame times while paging, idle CPU, start-up time and memory by roster size.

Run: .venv/bin/python scripts/bench/wall.py [--quick]
Targets (issue 2): p99 frame ≤ 4 ms at 1080p; idle CPU ≤ 2 % of one core;
start-up ≤ 1.5 s and RSS ≤ 150 MB at 20,000 members.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil  # noqa: E402
from synthetic import build_store  # noqa: E402

CHILD = """
import sys, time
from pathlib import Path
import psutil
from kiosk.app import display
first = []
present = display.Display.present
def timed_present(self, *args, **kwargs):
    present(self, *args, **kwargs)
    if not first:
        first.append(time.time())
display.Display.present = timed_present
import pygame
quit_display = pygame.display.quit
def measured_quit():  # the loop has ended; the wall, its caches and the display are still there
    first.append(psutil.Process().memory_info().rss)
    quit_display()
pygame.display.quit = measured_quit
from kiosk.app.loop import RunOptions, run_kiosk
from kiosk.config import DisplaySettings, Settings
display.open_video()
settings = Settings(display=DisplaySettings(fullscreen=False, size=(1920, 1080), page_seconds=float(sys.argv[3])))
run_kiosk(Path(sys.argv[1]), settings, RunOptions(max_frames=int(sys.argv[2])))
print(*first[:2])
"""


def startup(data_dir: Path) -> tuple[float, float, float]:
    """Seconds from process start to the first frame on screen; the peak RSS (MB) while starting;
    and the steady RSS some seconds later, with the whole roster loaded, the next page prepared
    and the display still open (sampled from outside while the kiosk runs, not after it closed)."""
    started = time.time()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), "48", "60"],
                             stdout=subprocess.PIPE, text=True)
    process = psutil.Process(child.pid)
    samples: list[float] = []
    while child.poll() is None:
        try:
            samples.append(process.memory_info().rss / 2**20)
        except psutil.Error:
            break
        time.sleep(0.1)
    out, _ = child.communicate()
    if child.returncode:
        raise SystemExit(f"the kiosk failed on {data_dir}")
    shown, steady = out.split()[-2:]
    return float(shown) - started, max(samples), int(steady) / 2**20


def idle_cpu(data_dir: Path, seconds: float) -> float:
    """CPU share of one core while the wall shows a page and nothing moves."""
    frames = int((seconds + 6) * 4)  # the loop runs at 4 fps when idle
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), str(frames), "3600"],
                             stdout=subprocess.DEVNULL)
    process = psutil.Process(child.pid)
    time.sleep(5)  # start-up and prepare-ahead of the next page are not idle
    before = process.cpu_times()
    time.sleep(seconds)
    after = process.cpu_times()
    child.wait()
    used = (after.user - before.user) + (after.system - before.system)
    return 100 * used / seconds


def frame_times(data_dir: Path, size: tuple[int, int], turns: int) -> tuple[float, float, float]:
    """Median and p99 of presented frames while paging (ms), and prepare-ahead per step (ms)."""
    from datetime import datetime

    from kiosk.app.display import Display, open_video
    from kiosk.app.loop import make_scene
    from kiosk.app.scenes.wall import Redraw
    from kiosk.config import DisplaySettings, Settings
    from kiosk.render.fonts import FontBook
    from kiosk.store.db import open_engine
    from kiosk.store.snapshot import load_snapshot

    open_video()
    display = Display(fullscreen=False, size=size, rotate=0)
    settings = Settings(display=DisplaySettings(fullscreen=False, size=size))
    scene = make_scene(display.size, settings, FontBook.default(), data_dir)
    engine = open_engine(data_dir)
    scene.set_snapshot(load_snapshot(engine), time.monotonic(), datetime.now())
    frames, prepares = [], []
    for _ in range(turns):
        while True:  # idle time between turns: the next page is prepared ahead
            started = time.perf_counter()
            if not scene.prepare_ahead():
                break
            prepares.append(time.perf_counter() - started)
        scene.turn(1, time.monotonic())
        end = time.monotonic() + settings.display.transition_ms / 1000 + 0.05
        while time.monotonic() < end:
            started = time.perf_counter()
            t, now = time.monotonic(), datetime.now()
            redraw = scene.update(t, now)
            if redraw != Redraw.NONE:
                scene.draw(display.canvas, t, now, redraw)
                display.present()
                frames.append(time.perf_counter() - started)
            time.sleep(max(0.0, 1 / 60 - (time.perf_counter() - started)))
    engine.dispose()
    frames.sort()
    p99 = frames[min(len(frames) - 1, int(len(frames) * 0.99))]
    return 1000 * statistics.median(frames), 1000 * p99, 1000 * statistics.median(prepares or [0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer turns, 5 s idle, 50/5,000 members")
    args = parser.parse_args()
    sizes = (50, 5000) if args.quick else (50, 5000, 20000)
    with tempfile.TemporaryDirectory() as tmp:
        stores = {}
        for members in sizes:
            stores[members] = Path(tmp) / f"m{members}"
            build_store(stores[members], members)
        print("frame time while paging (presented frames; the next page is prepared ahead):")
        for size in ((1920, 1080), (3840, 2160)):
            median, p99, prepare = frame_times(stores[50], size, 4 if args.quick else 12)
            print(f"  {size[0]}x{size[1]}: median {median:.2f} ms, p99 {p99:.2f} ms "
                  f"(prepare-ahead step median {prepare:.1f} ms, done between turns)")
        seconds = 5 if args.quick else 20
        print(f"idle CPU over {seconds} s at 1920x1080: {idle_cpu(stores[50], seconds):.2f} % of one core")
        print("start-up to first frame, and RSS while running (peak during start-up, then steady):")
        for members in sizes:
            elapsed, peak, steady = startup(stores[members])
            print(f"  {members:>6} members: {elapsed:.2f} s, RSS peak {peak:.0f} MB, steady {steady:.0f} MB")


if __name__ == "__main__":
    main()
