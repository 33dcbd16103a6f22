"""The stick watcher: folders standing in for mount points, a real thread, a non-blocking poll."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from kiosk.sync.usb import (
    StickEvent,
    UsbWatcher,
    _is_removable,
    find_bundle_dir,
    linux_removable,
    removable_roots,
)

INTERVAL = 0.05


def events_within(watcher: UsbWatcher, count: int, limit: float = 5.0) -> list[StickEvent]:
    """Collect events until `count` have come or `limit` seconds have passed."""
    got: list[StickEvent] = []
    deadline = time.monotonic() + limit
    while len(got) < count and time.monotonic() < deadline:
        got += watcher.poll()
        time.sleep(0.01)
    return got


def quiet_for(watcher: UsbWatcher, seconds: float = 4 * INTERVAL) -> list[StickEvent]:
    """What arrives over a few polling rounds (expected: nothing)."""
    time.sleep(seconds)
    return watcher.poll()


@pytest.fixture
def mounted() -> list[Path]:
    return []


@pytest.fixture
def watcher(mounted: list[Path]) -> Iterator[UsbWatcher]:
    with UsbWatcher(roots=lambda: list(mounted), interval=INTERVAL) as running:
        yield running


def test_found_once_then_removed(tmp_path: Path, mounted: list[Path], watcher: UsbWatcher) -> None:
    stick = tmp_path / "stick"
    (stick / "pledgewall").mkdir(parents=True)
    mounted.append(stick)
    assert events_within(watcher, 1) == [StickEvent("found", stick, stick / "pledgewall")]
    assert quiet_for(watcher) == []  # reported once, not every poll
    mounted.remove(stick)
    assert events_within(watcher, 1) == [StickEvent("removed", stick)]
    assert quiet_for(watcher) == []


def test_a_stick_without_the_folder_is_silent_until_it_appears(tmp_path: Path, mounted: list[Path],
                                                               watcher: UsbWatcher) -> None:
    stick, camera_card = tmp_path / "stick", tmp_path / "camera-card"
    stick.mkdir()
    (camera_card / "DCIM").mkdir(parents=True)
    mounted += [stick, camera_card]
    assert quiet_for(watcher) == []
    (stick / "pledgewall").mkdir()  # a slow mount, or the admin copying it over
    assert events_within(watcher, 1) == [StickEvent("found", stick, stick / "pledgewall")]
    mounted.remove(camera_card)
    assert quiet_for(watcher) == []  # never reported found, so never reported removed


def test_the_folder_going_away_counts_as_removed(tmp_path: Path, mounted: list[Path],
                                                 watcher: UsbWatcher) -> None:
    stick = tmp_path / "stick"
    (stick / "pledgewall").mkdir(parents=True)
    mounted.append(stick)
    assert [e.kind for e in events_within(watcher, 1)] == ["found"]
    (stick / "pledgewall").rmdir()
    assert events_within(watcher, 1) == [StickEvent("removed", stick)]
    (stick / "pledgewall").mkdir()
    assert events_within(watcher, 1) == [StickEvent("found", stick, stick / "pledgewall")]


@pytest.mark.parametrize("name", ["PledgeWall", "PLEDGEWALL"])
def test_fat_capitals_are_found(tmp_path: Path, mounted: list[Path], watcher: UsbWatcher,
                                name: str) -> None:
    stick = tmp_path / "stick"
    (stick / name).mkdir(parents=True)
    mounted.append(stick)
    assert events_within(watcher, 1) == [StickEvent("found", stick, stick / name)]


def test_a_symlinked_folder_is_ignored(tmp_path: Path, mounted: list[Path],
                                       watcher: UsbWatcher) -> None:
    elsewhere, stick = tmp_path / "elsewhere", tmp_path / "stick"
    elsewhere.mkdir()
    stick.mkdir()
    (stick / "pledgewall").symlink_to(elsewhere, target_is_directory=True)
    assert find_bundle_dir(stick) is None
    mounted.append(stick)
    assert quiet_for(watcher) == []


def test_find_bundle_dir(tmp_path: Path) -> None:
    assert find_bundle_dir(tmp_path) is None
    (tmp_path / "pledgewall").write_text("a file, not a folder")
    assert find_bundle_dir(tmp_path) is None
    assert find_bundle_dir(tmp_path / "not-mounted") is None


def test_errors_from_roots_are_logged_and_the_thread_keeps_going(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    stick = tmp_path / "stick"
    (stick / "pledgewall").mkdir(parents=True)
    calls = 0

    def roots() -> list[Path]:
        nonlocal calls
        calls += 1
        if calls <= 2:
            raise OSError("device busy")
        return [stick]

    with UsbWatcher(roots=roots, interval=INTERVAL) as watcher:
        found = events_within(watcher, 1)
    assert found == [StickEvent("found", stick, stick / "pledgewall")]
    assert calls > 2
    assert sum("could not list removable drives" in r.message for r in caplog.records) == 2


def test_check_now_runs_one_poll_synchronously(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    (stick / "pledgewall").mkdir(parents=True)
    mounted = [stick, stick]  # the same drive twice (removable_roots plus a watch folder)
    watcher = UsbWatcher(roots=lambda: mounted)
    watcher.check_now()
    assert watcher.poll() == [StickEvent("found", stick, stick / "pledgewall")]
    watcher.check_now()
    assert watcher.poll() == []
    mounted.clear()
    watcher.check_now()
    assert watcher.poll() == [StickEvent("removed", stick)]


def test_poll_never_blocks(tmp_path: Path) -> None:
    probing, probed = threading.Event(), threading.Event()

    def slow_roots() -> list[Path]:
        probing.set()
        time.sleep(0.3)  # a drive taking its time to answer
        probed.set()
        return [tmp_path]

    def assert_quick_polls() -> None:
        for _ in range(50):
            started = time.perf_counter()
            assert watcher.poll() == []
            assert time.perf_counter() - started < 0.01

    with UsbWatcher(roots=slow_roots, interval=10) as watcher:
        assert probing.wait(5)
        assert_quick_polls()  # while the thread is inside the slow probe
        assert probed.wait(5)
        time.sleep(0.05)
        assert_quick_polls()  # while the thread sleeps out its 10 s interval


def test_stop_is_idempotent() -> None:
    watcher = UsbWatcher(roots=list, interval=INTERVAL)
    watcher.stop()  # never started
    watcher.start()
    watcher.stop()
    watcher.stop()


def test_this_machines_drives() -> None:
    roots = removable_roots()
    assert isinstance(roots, list)
    assert all(isinstance(root, Path) and root.is_dir() for root in roots)
    assert Path(os.path.abspath(os.sep)) not in roots


def fake_sysfs(tmp_path: Path) -> Path:
    """/sys/block as the kernel lays it out: the removable flag on the disk, partitions below it."""
    sys_block = tmp_path / "sys" / "block"
    for disk, flag, partitions in (("sdb", "1", ["sdb1"]), ("mmcblk0", "1", ["mmcblk0p1"]),
                                   ("nvme0n1", "0", ["nvme0n1p2"]), ("sda", "0", ["sda1"])):
        (sys_block / disk).mkdir(parents=True)
        (sys_block / disk / "removable").write_text(flag + "\n")
        for partition in partitions:
            (sys_block / disk / partition).mkdir()
    return sys_block


def test_sysfs_resolution(tmp_path: Path) -> None:
    sys_block = fake_sysfs(tmp_path)
    assert linux_removable("/dev/sdb1", sys_block)
    assert linux_removable("/dev/sdb", sys_block)  # a stick formatted without a partition table
    assert linux_removable("/dev/mmcblk0p1", sys_block)
    assert not linux_removable("/dev/nvme0n1p2", sys_block)
    assert not linux_removable("/dev/sda1", sys_block)
    assert not linux_removable("/dev/sdz1", sys_block)  # unknown to sysfs
    assert not linux_removable("/dev/root", sys_block)


@pytest.mark.skipif(sys.platform == "win32", reason="device symlinks as under /dev/disk")
def test_sysfs_resolution_follows_by_uuid_links(tmp_path: Path) -> None:
    sys_block = fake_sysfs(tmp_path)
    dev = tmp_path / "dev"
    (dev / "disk" / "by-uuid").mkdir(parents=True)
    (dev / "sdb1").touch()
    (dev / "sda1").touch()
    (dev / "disk" / "by-uuid" / "1A2B-3C4D").symlink_to("../../sdb1")
    (dev / "disk" / "by-uuid" / "cafe").symlink_to("../../sda1")
    assert linux_removable(str(dev / "disk" / "by-uuid" / "1A2B-3C4D"), sys_block)
    assert not linux_removable(str(dev / "disk" / "by-uuid" / "cafe"), sys_block)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux partition table")
def test_linux_partitions_are_filtered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys_block = fake_sysfs(tmp_path)
    (sys_block / "sdc").mkdir()
    (sys_block / "sdc" / "removable").mkdir()  # unreadable flag: OSError, that entry is skipped
    stick, data, broken = tmp_path / "stick", tmp_path / "data", tmp_path / "broken"
    for folder in (stick, data, broken):
        folder.mkdir()

    def part(device: str, mountpoint: str) -> SimpleNamespace:
        return SimpleNamespace(device=device, mountpoint=mountpoint, fstype="vfat", opts="rw")

    monkeypatch.setattr(psutil, "disk_partitions", lambda all=False: [
        part("/dev/sda1", "/"),
        part("/dev/sdb1", "/"),  # even a removable root filesystem (a Pi booted from a stick)
        part("/dev/mmcblk0p1", "/boot/firmware"),
        part("/dev/sdb1", str(stick)),
        part("/dev/sda1", str(data)),
        part("/dev/sdc1", str(broken)),
        part("/dev/sdb1", str(tmp_path / "not-a-folder")),
    ])
    assert removable_roots(sys_block=sys_block) == [stick]


def test_linux_automount_folders_count_without_sysfs(tmp_path: Path) -> None:
    empty = tmp_path / "sys" / "block"
    for mountpoint in ("/media/pi/STICK", "/run/media/admin/STICK", "/mnt/usb"):
        assert _is_removable("/dev/sda1", mountpoint, "vfat", "rw", empty, "linux")
    assert not _is_removable("/dev/sda1", "/home", "ext4", "rw", empty, "linux")
    assert not _is_removable("/dev/mmcblk0p1", "/boot", "vfat", "rw", empty, "linux")


def test_windows_and_macos_rules(tmp_path: Path) -> None:
    empty = tmp_path / "sys" / "block"
    assert _is_removable("E:\\", "E:\\", "FAT32", "rw,removable", empty, "win32")
    assert not _is_removable("C:\\", "C:\\", "NTFS", "rw,fixed", empty, "win32")
    assert not _is_removable("F:\\", "F:\\", "", "rw,removable", empty, "win32")  # empty card slot
    assert _is_removable("/dev/disk4s1", "/Volumes/STICK", "msdos", "rw", empty, "darwin")
    assert not _is_removable("/dev/disk3s1", "/System/Volumes/Data", "apfs", "rw", empty, "darwin")
    assert not _is_removable("/dev/disk3s1", "/", "apfs", "rw", empty, "darwin")
