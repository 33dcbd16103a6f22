"""Finding USB sticks without blocking the display: a thread polls the removable drives.

Linux: mounted partitions whose disk is removable (/sys/block/<disk>/removable) or that are
mounted under /media, /run/media or /mnt (desktop and Raspberry Pi automounters). Windows:
drives psutil reports as removable. macOS: volumes under /Volumes. A stick is reported once
when a `pledgewall` folder is seen on it (also when the folder appears after a slow mount) and
once when it goes away; the display loop takes the events with a non-blocking `poll()`.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kiosk.sync.bundle import find_bundle_dir

log = logging.getLogger(__name__)

AUTOMOUNT_PARENTS = ("/media/", "/run/media/", "/mnt/")


@dataclass(frozen=True)
class StickEvent:
    kind: Literal["found", "removed"]
    root: Path
    bundle_dir: Path | None = None


def removable_roots(sys_block: Path = Path("/sys/block")) -> list[Path]:
    """Mount points of removable drives on this machine; never raises."""
    import psutil

    try:
        partitions = psutil.disk_partitions(all=False)
    except OSError:
        return []
    roots: list[Path] = []
    for partition in partitions:
        try:
            if _is_removable(partition.device, partition.mountpoint, partition.opts, sys_block):
                roots.append(Path(partition.mountpoint))
        except OSError:
            continue
    return [root for root in roots if root.is_dir()]


def _is_removable(device: str, mountpoint: str, opts: str, sys_block: Path) -> bool:
    if sys.platform == "win32":
        return "removable" in opts.split(",")
    if sys.platform == "darwin":
        return mountpoint.startswith("/Volumes/")
    if mountpoint in ("/", "/boot", "/boot/firmware"):
        return False
    return mountpoint.startswith(AUTOMOUNT_PARENTS) or linux_removable(device, sys_block)


def linux_removable(device: str, sys_block: Path = Path("/sys/block")) -> bool:
    """Whether the disk holding `device` (/dev/sdb1, /dev/mmcblk0p1, a /dev/disk/by-* link) is removable."""
    name = Path(os.path.realpath(device)).name
    for disk in _disk_candidates(name):
        flag = sys_block / disk / "removable"
        if flag.exists():
            return flag.read_text().strip() == "1"
    return False


def _disk_candidates(partition: str) -> list[str]:
    """sdb1 → sdb; mmcblk0p1 → mmcblk0; nvme0n1p2 → nvme0n1 (and the name itself first)."""
    candidates = [partition]
    stripped = partition.rstrip("0123456789")
    if stripped.endswith("p") and stripped[:-1] and stripped[-2].isdigit():
        candidates.append(stripped[:-1])
    candidates.append(stripped)
    return candidates


class UsbWatcher:
    """Polls `roots()` every `interval` seconds in a daemon thread; `poll()` hands over the events."""

    def __init__(self, roots: Callable[[], Iterable[Path]] = removable_roots, interval: float = 1.0) -> None:
        self.roots, self.interval = roots, interval
        self._events: queue.SimpleQueue[StickEvent] = queue.SimpleQueue()
        self._found: dict[Path, Path] = {}  # root → its pledgewall folder, for sticks reported found
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="pledgewall-usb", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
            self._thread = None

    def __enter__(self) -> UsbWatcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def poll(self) -> list[StickEvent]:
        events = []
        while True:
            try:
                events.append(self._events.get_nowait())
            except queue.Empty:
                return events

    def check_now(self) -> None:
        """One look at the drives (the thread does this every `interval`)."""
        try:
            present = {Path(root) for root in self.roots()}
        except Exception:  # noqa: BLE001 - a probing error must not end the watching
            log.warning("could not list removable drives", exc_info=True)
            return
        for root in sorted(present):
            if root not in self._found:
                bundle_dir = find_bundle_dir(root)
                if bundle_dir is not None:
                    self._found[root] = bundle_dir
                    self._events.put(StickEvent("found", root, bundle_dir))
        for root, bundle_dir in list(self._found.items()):
            if root not in present or not bundle_dir.is_dir():
                del self._found[root]
                self._events.put(StickEvent("removed", root))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.check_now()
            self._stop.wait(self.interval)
