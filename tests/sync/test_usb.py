"""The stick watcher: folders standing in for mount points, a real thread, a non-blocking poll."""

from __future__ import annotations

import time
from pathlib import Path

from kiosk.sync.usb import StickEvent, UsbWatcher, linux_removable, removable_roots


def events_within(watcher: UsbWatcher, count: int, limit: float = 5.0) -> list[StickEvent]:
    got: list[StickEvent] = []
    deadline = time.monotonic() + limit
    while len(got) < count and time.monotonic() < deadline:
        got += watcher.poll()
        time.sleep(0.01)
    return got


def test_found_once_late_folder_removed(tmp_path: Path) -> None:
    mounted: list[Path] = []
    stick, other = tmp_path / "stick", tmp_path / "camera-card"
    stick.mkdir()
    (other / "DCIM").mkdir(parents=True)
    with UsbWatcher(roots=lambda: list(mounted), interval=0.02) as watcher:
        mounted += [stick, other]
        time.sleep(0.1)
        assert watcher.poll() == []  # mounted, but nothing for the wall yet
        (stick / "PledgeWall").mkdir()  # a slow copy, or FAT's capitals
        assert events_within(watcher, 1) == [StickEvent("found", stick, stick / "PledgeWall")]
        time.sleep(0.1)
        assert watcher.poll() == []  # reported once, not every poll
        mounted.remove(stick)
        assert events_within(watcher, 1) == [StickEvent("removed", stick)]


def test_symlinked_folder_is_ignored_and_errors_do_not_stop_the_thread(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir()
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "pledgewall").symlink_to(real)
    calls = {"n": 0}

    def roots() -> list[Path]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("device busy")
        return [stick]

    with UsbWatcher(roots=roots, interval=0.02) as watcher:
        time.sleep(0.2)
        assert watcher.poll() == []
    assert calls["n"] > 2


def test_poll_never_blocks(tmp_path: Path) -> None:
    with UsbWatcher(roots=lambda: [tmp_path], interval=10) as watcher:
        started = time.perf_counter()
        for _ in range(100):
            watcher.poll()
        assert time.perf_counter() - started < 0.05


def test_this_machines_drives_and_sysfs(tmp_path: Path) -> None:
    assert all(root.is_dir() for root in removable_roots())
    for disk, flag in (("sdb", "1"), ("mmcblk0", "1"), ("nvme0n1", "0")):
        (tmp_path / disk).mkdir()
        (tmp_path / disk / "removable").write_text(flag + "\n")
    assert linux_removable("/dev/sdb1", tmp_path)
    assert linux_removable("/dev/mmcblk0p1", tmp_path)
    assert not linux_removable("/dev/nvme0n1p2", tmp_path)
    assert not linux_removable("/dev/sdz1", tmp_path)
