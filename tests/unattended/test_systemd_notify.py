"""systemd notify: datagrams arrive on a real AF_UNIX socket; no-ops outside systemd."""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest

from kiosk.unattended.watchdog import Notifier


@pytest.fixture
def listener(tmp_path: Path):
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(2)
    yield str(path), sock
    sock.close()


def receive(sock: socket.socket) -> str:
    return sock.recv(4096).decode("utf-8")


def nothing_waiting(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        sock.recv(4096)
    except BlockingIOError:
        return True
    finally:
        sock.settimeout(2)
    return False


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_ready_status_stopping(listener) -> None:
    path, sock = listener
    notifier = Notifier({"NOTIFY_SOCKET": path})
    assert notifier.enabled and not notifier.watchdog
    assert notifier.ready("第一帧已显示")
    assert receive(sock) == "READY=1\nSTATUS=第一帧已显示"
    assert notifier.status("数据版本 7\n同步正常")
    assert receive(sock) == "STATUS=数据版本 7 同步正常"
    assert notifier.stopping()
    assert receive(sock) == "STOPPING=1"
    notifier.close()


def test_ping_is_rate_limited_to_half_the_interval(listener) -> None:
    path, sock = listener
    clock = Clock()
    notifier = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"}, clock=clock)
    assert notifier.interval == 30.0
    assert notifier.ping()
    assert receive(sock) == "WATCHDOG=1"
    sent = 0
    for _ in range(600):  # 60 fps for 10 s
        clock.now += 1 / 60
        sent += notifier.ping()
    assert sent == 0 and nothing_waiting(sock)
    clock.now += 5.01  # past 15 s
    assert notifier.ping()
    assert receive(sock) == "WATCHDOG=1"
    notifier.close()


def test_watchdog_for_another_pid_is_ignored(listener) -> None:
    path, sock = listener
    notifier = Notifier(
        {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, pid=os.getpid()
    )
    assert not notifier.watchdog
    assert not notifier.ping()
    assert nothing_waiting(sock)


def test_abstract_namespace_socket() -> None:
    name = f"pledgewall-test-{uuid.uuid4().hex}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        sock.bind(b"\0" + name.encode())
    except OSError:  # pragma: no cover - platforms without abstract sockets
        pytest.skip("no abstract AF_UNIX namespace here")
    sock.settimeout(2)
    try:
        notifier = Notifier({"NOTIFY_SOCKET": "@" + name})
        assert notifier.ready()
        assert receive(sock) == "READY=1"
        notifier.close()
    finally:
        sock.close()


def test_no_op_outside_systemd() -> None:
    notifier = Notifier({})
    assert not notifier.enabled
    assert not notifier.ready() and not notifier.ping() and not notifier.status("x")


def test_a_vanished_socket_is_logged_once_and_never_raises(tmp_path, caplog) -> None:
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone.sock"), "WATCHDOG_USEC": "1000"})
    for _ in range(3):
        assert not notifier.ready()
        assert not notifier.ping()
    assert len([r for r in caplog.records if "notify" in r.getMessage()]) == 1


def test_module_functions_use_the_environment(listener, monkeypatch) -> None:
    import kiosk.unattended.watchdog as watchdog

    path, sock = listener
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    monkeypatch.setattr(watchdog, "_default", None)
    assert watchdog.ready()
    assert receive(sock) == "READY=1"
    watchdog.notifier().close()
