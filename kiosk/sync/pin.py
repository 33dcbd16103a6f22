"""The admin PIN: stored as a scrypt hash, wrong tries slowed down, the slow-down survives restarts.

`admin-pin.json` holds the hash (salt and scrypt parameters beside it, so they can change);
`admin-pin-tries.json` holds the failure count and the locked-until time. They are separate so
a damaged tries file can never lose the PIN: it only resets the count.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.durable import write_atomic
from kiosk.errors import PledgeWallError

PIN_FILE = "admin-pin.json"
TRIES_FILE = "admin-pin-tries.json"
FREE_TRIES = 3  # wrong tries before the first lock-out
FIRST_LOCK = 30.0  # seconds; doubles with every further wrong try
MAX_LOCK = 15 * 60.0
SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class PinStore:
    def __init__(self, data_dir: Path, *, clock: Callable[[], float] = time.time,
                 scrypt: dict[str, int] | None = None) -> None:
        self.pin_path, self.tries_path = Path(data_dir) / PIN_FILE, Path(data_dir) / TRIES_FILE
        self.clock, self.scrypt = clock, scrypt or SCRYPT

    def is_set(self) -> bool:
        return self.pin_path.exists()

    def set(self, pin: str) -> None:
        check_strength(pin)
        salt = secrets.token_bytes(16)
        record = {"scrypt": self.scrypt, "salt": salt.hex(), "hash": _hash(pin, salt, self.scrypt).hex()}
        self.pin_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.pin_path, json.dumps(record).encode())
        if os.name == "posix":
            os.chmod(self.pin_path, 0o600)
        self.tries_path.unlink(missing_ok=True)

    def clear(self) -> None:
        self.pin_path.unlink(missing_ok=True)
        self.tries_path.unlink(missing_ok=True)

    def locked_for(self) -> float:
        """Seconds until the next try is allowed (0 when it is allowed now)."""
        return max(0.0, self._tries()[1] - self.clock())

    def check(self, pin: str) -> tuple[bool, str]:
        """(ok, why not). Never raises: it runs on the display thread's behalf."""
        if not self.pin_path.exists():
            return False, "尚未设置管理员PIN：请在这台电脑上运行 pledgewall pin set"
        wait = self.locked_for()
        if wait > 0:
            return False, f"PIN错误次数过多，请 {int(wait + 0.999)} 秒后再试"
        try:
            record = json.loads(self.pin_path.read_text("utf-8"))
            expected = bytes.fromhex(record["hash"])
            actual = _hash(pin, bytes.fromhex(record["salt"]), record["scrypt"])
        except (OSError, ValueError, KeyError, TypeError):
            return False, f"PIN文件 {self.pin_path} 已损坏：请运行 pledgewall pin set 重新设置"
        if hmac.compare_digest(actual, expected):
            self.tries_path.unlink(missing_ok=True)
            return True, ""
        failures = self._tries()[0] + 1
        lock = 0.0 if failures < FREE_TRIES else min(MAX_LOCK, FIRST_LOCK * 2 ** (failures - FREE_TRIES))
        self._save_tries(failures, self.clock() + lock)
        return False, "PIN不正确" + (f"，请 {int(lock)} 秒后再试" if lock else f"（还可再试 {FREE_TRIES - failures} 次）")

    def _tries(self) -> tuple[int, float]:
        try:
            body = json.loads(self.tries_path.read_text("utf-8"))
            return int(body["failures"]), float(body["locked_until"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0, 0.0

    def _save_tries(self, failures: int, locked_until: float) -> None:
        try:
            write_atomic(self.tries_path, json.dumps({"failures": failures, "locked_until": locked_until}).encode())
        except OSError:
            pass  # a read-only disk must not let the admin in; it only loses the slow-down


def _hash(pin: str, salt: bytes, params: dict[str, int]) -> bytes:
    n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r + (1 << 20), dklen=32)


def check_strength(pin: str) -> None:
    """4–12 ASCII digits, not one digit repeated and not a straight run (1234, 9876)."""
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        raise PledgeWallError("PIN 应为 4 到 12 位数字")
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:])}
    if steps in ({0}, {1}, {-1}):
        raise PledgeWallError(f"PIN “{pin}” 太容易猜到（重复或连续的数字），请换一个")
