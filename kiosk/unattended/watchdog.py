"""systemd notifications without a dependency: READY=1, WATCHDOG=1, STATUS=…, STOPPING=1.

Under a `Type=notify` unit systemd sets $NOTIFY_SOCKET (a path, or '@name' for the abstract
namespace) and, with `WatchdogSec=`, $WATCHDOG_USEC (and $WATCHDOG_PID). Outside systemd every
call is a cheap no-op, so the render loop can call `ping()` every frame: it sends at most once
per half watchdog interval. A failing socket is logged once and never raises.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)


class Notifier:
    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        pid: int | None = None,
    ) -> None:
        env = os.environ if environ is None else environ
        self.address = _address(env.get("NOTIFY_SOCKET", ""))
        self.interval = _watchdog_interval(env, os.getpid() if pid is None else pid)
        self._clock = clock
        self._last_ping: float | None = None
        self._socket: socket.socket | None = None
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def watchdog(self) -> bool:
        """systemd expects pings (WatchdogSec= is set for this process)."""
        return self.enabled and self.interval is not None

    def ready(self, status: str | None = None) -> bool:
        """Tell systemd start-up is done (call after the first frame is on screen)."""
        lines = ["READY=1"] + ([f"STATUS={status}"] if status else [])
        return self.send("\n".join(lines))

    def ping(self) -> bool:
        """WATCHDOG=1, at most once per half of $WATCHDOG_USEC; True when sent."""
        if not self.watchdog:
            return False
        now = self._clock()
        assert self.interval is not None
        if self._last_ping is not None and now - self._last_ping < self.interval / 2:
            return False
        if self.send("WATCHDOG=1"):
            self._last_ping = now
            return True
        return False

    def status(self, text: str) -> bool:
        """A one-line status shown by `systemctl status`."""
        return self.send("STATUS=" + " ".join(text.split()))

    def stopping(self) -> bool:
        return self.send("STOPPING=1")

    def send(self, message: str) -> bool:
        if self.address is None:
            return False
        try:
            if self._socket is None:
                self._socket = socket.socket(
                    socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                )
            self._socket.sendto(message.encode("utf-8"), self.address)
            return True
        except OSError as error:
            if not self._warned:
                log.warning("systemd notify to %r failed: %s", self.address, error)
                self._warned = True
            self.close()
            return False

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _address(value: str) -> str | bytes | None:
    if not value:
        return None
    if value.startswith("@"):
        return b"\0" + value[1:].encode()  # abstract namespace
    if value.startswith("/"):
        return value
    return None  # vsock:… and other forms are not used for a local service


def _watchdog_interval(env: Mapping[str, str], pid: int) -> float | None:
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    owner = env.get("WATCHDOG_PID", "")
    if owner and owner != str(pid):
        return None  # meant for another process (e.g. our parent shell)
    return usec / 1_000_000


_default: Notifier | None = None


def notifier() -> Notifier:
    """The process-wide notifier, created from the environment on first use."""
    global _default
    if _default is None:
        _default = Notifier()
    return _default


def ready(status: str | None = None) -> bool:
    return notifier().ready(status)


def ping() -> bool:
    return notifier().ping()


def status(text: str) -> bool:
    return notifier().status(text)


def stopping() -> bool:
    return notifier().stopping()
