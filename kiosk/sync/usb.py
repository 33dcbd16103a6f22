"""Finding USB sticks without blocking the display: a thread polls the removable drives.

Linux: mounted partitions whose disk is removable (/sys/block/<disk>/removable) or that are
mounted under /media, /run/media or /mnt (desktop and Raspberry Pi automounters). Windows:
drives psutil reports as removable. macOS: volumes under /Volumes. A stick is reported once
when a `pledgewall` folder is seen on it (also when the folder appears after a slow mount) and
once when it goes away; the display loop takes the events with a non-blocking `poll()`.
Probing a drive can be slow or fail (a stick pulled mid-read gives EIO), which is why it
happens on the watcher's thread and why every error there is swallowed and logged.
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
from typing import Literal, Self

import psutil

from kiosk.sync.bundle import find_bundle_dir  # the one definition, shared with `pledgewall sync`

__all__ = ["StickEvent", "UsbWatcher", "find_bundle_dir", "linux_removable", "removable_roots"]

log = logging.getLogger(__name__)

AUTOMOUNT_PARENTS = ("/media/", "/run/media/", "/mnt/")
SYS_BLOCK = Path("/sys/block")


@dataclass(frozen=True)
class StickEvent:
    """"found": `root` holds a pledgewall folder (`bundle_dir`); "removed": it no longer does."""

    kind: Literal["found", "removed"]
    root: Path
    bundle_dir: Path | None = None


def removable_roots(*, sys_block: Path = SYS_BLOCK) -> list[Path]:
    """Mount points of removable drives on this machine; never raises.

    An entry that errors while being probed is skipped. `sys_block` stands in for /sys/block
    so tests can use a fake sysfs tree.
    """
    try:
        partitions = psutil.disk_partitions(all=False)
    except OSError:
        log.warning("could not list the mounted drives", exc_info=True)
        return []
    roots: list[Path] = []
    for partition in partitions:
        try:
            device, mountpoint = partition.device, partition.mountpoint
            if (_is_removable(device, mountpoint, partition.fstype, partition.opts, sys_block,
                              sys.platform)
                    and os.path.isdir(mountpoint)):
                roots.append(Path(mountpoint))
        except OSError:
            continue
    return roots


def _is_removable(device: str, mountpoint: str, fstype: str, opts: str, sys_block: Path,
                  platform: str) -> bool:
    if platform == "win32":
        # No fstype: a card reader slot with no card; touching it can hang or show a dialog.
        return bool(fstype) and "removable" in opts.split(",")
    if os.path.realpath(mountpoint) == "/":  # the system volume, also when reached via a link
        return False
    if platform == "darwin":
        return mountpoint.startswith("/Volumes/")
    if mountpoint == "/boot" or mountpoint.startswith("/boot/"):  # the Pi's firmware
        return False
    return mountpoint.startswith(AUTOMOUNT_PARENTS) or linux_removable(device, sys_block)


def linux_removable(device: str, sys_block: Path = SYS_BLOCK) -> bool:
    """Whether the disk holding `device` is removable.

    `device` is /dev/sdb1, /dev/mmcblk0p1, a /dev/disk/by-* link…; the flag lives on the whole
    disk only (/sys/block/sdb/removable), so a partition is mapped to its disk.
    """
    name = Path(os.path.realpath(device)).name
    for disk in _disk_candidates(name):
        flag = sys_block / disk / "removable"
        if flag.exists():
            return flag.read_text().strip() == "1"
    return False


def _disk_candidates(partition: str) -> list[str]:
    """sdb1 → sdb; mmcblk0p1 → mmcblk0; nvme0n1p2 → nvme0n1 (the name itself first: a disk)."""
    candidates = [partition]
    stripped = partition.rstrip("0123456789")
    if stripped.endswith("p") and len(stripped) > 1 and stripped[-2].isdigit():
        candidates.append(stripped[:-1])
    candidates.append(stripped)
    return candidates


class UsbWatcher:
    """Polls `roots()` every `interval` seconds in a daemon thread; `poll()` hands over the events.

    Only the watcher's thread (or `check_now`) touches the drives, so the display loop's
    `poll()` is a queue read and can never stall on a slow or dying stick.
    """

    def __init__(self, roots: Callable[[], Iterable[Path]] = removable_roots,
                 interval: float = 1.0) -> None:
        self.roots, self.interval = roots, interval
        self._events: queue.SimpleQueue[StickEvent] = queue.SimpleQueue()
        self._found: set[Path] = set()  # roots reported found and not yet removed
        self._checking = threading.Lock()  # check_now from the main thread vs. the watcher's thread
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="pledgewall-usb", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop and join the thread; safe to call twice. A probe hung on a dead drive is left behind
        (the thread is a daemon) rather than holding up the kiosk's exit."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
            self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def poll(self) -> list[StickEvent]:
        """The events since the last call, oldest first; never blocks."""
        events: list[StickEvent] = []
        while True:
            try:
                events.append(self._events.get_nowait())
            except queue.Empty:
                return events

    def check_now(self) -> None:
        """One look at the drives, synchronously (the thread does this every `interval`)."""
        with self._checking:
            try:
                present = {Path(root) for root in self.roots()}
            except Exception:  # a probing error must not end the watching
                log.warning("could not list removable drives", exc_info=True)
                return
            bundles = {root: bundle_dir for root in sorted(present)
                       if (bundle_dir := _bundle_dir(root)) is not None}
            for root in sorted(self._found - bundles.keys()):
                self._events.put(StickEvent("removed", root))
            for root in sorted(bundles.keys() - self._found):
                self._events.put(StickEvent("found", root, bundles[root]))
            self._found = set(bundles)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.check_now()
            self._stopping.wait(self.interval)


def _bundle_dir(root: Path) -> Path | None:
    """`find_bundle_dir`, with a drive that errors (pulled mid-read, EIO) counting as gone."""
    try:
        return find_bundle_dir(root)
    except OSError:
        log.info("could not look at %s", root, exc_info=True)
        return None
