"""The admin PIN: stored as a scrypt hash, wrong tries slowed down, the slow-down survives restarts.

`admin-pin.json` holds the hash (salt and scrypt parameters beside it, so they can change);
`admin-pin-tries.json` holds the failure count and the locked-until time. They are separate so
a damaged tries file can never lose the PIN: it only resets the count.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import math
import os
import secrets
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from kiosk.durable import fsync_dir, write_atomic
from kiosk.errors import PledgeWallError

PIN_FILE = "admin-pin.json"
TRIES_FILE = "admin-pin-tries.json"
MIN_DIGITS, MAX_DIGITS = 4, 12
FREE_TRIES = 3  # wrong tries before the first lock-out
FIRST_LOCK = 30.0  # seconds; doubles with every further wrong try
MAX_LOCK = 15 * 60.0
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MAX_SCRYPT_MEMORY = 2**28  # bytes; a damaged file must not make the kiosk allocate gigabytes
HASH_BYTES = 32
NO_PIN = "尚未设置管理员PIN：请在这台电脑上运行 pledgewall pin set"
MALFORMED = f"PIN应为 {MIN_DIGITS} 到 {MAX_DIGITS} 位数字（0–9）"


class _Stored(NamedTuple):
    hash: bytes
    salt: bytes
    params: dict[str, int]


class PinStore:
    """The admin PIN of one data directory.

    `clock` decides every lock-out (tests pass a fake one). `scrypt` sets the cost parameters of
    PINs stored from now on (tests pass a small n for speed); checking always uses the
    parameters stored with the hash, so raising the cost later does not break old PINs.
    """

    def __init__(self, data_dir: Path, *, clock: Callable[[], float] = time.time,
                 scrypt: Mapping[str, int] | None = None) -> None:
        self.pin_path, self.tries_path = Path(data_dir) / PIN_FILE, Path(data_dir) / TRIES_FILE
        self.clock, self.scrypt = clock, dict(scrypt or SCRYPT)

    def is_set(self) -> bool:
        return self.pin_path.exists()

    def set(self, pin: str) -> None:
        """Store a new PIN (refusing weak ones) and forget earlier wrong tries."""
        check_strength(pin)
        salt = secrets.token_bytes(16)
        params = _valid_params(self.scrypt)
        record = {"scrypt": params, "salt": salt.hex(), "hash": _hash(pin, salt, params).hex()}
        try:
            write_atomic(self.pin_path, json.dumps(record).encode())
            if os.name == "posix":
                os.chmod(self.pin_path, 0o600)  # mkstemp already makes it so; owner-only is the rule
            self.tries_path.unlink(missing_ok=True)
        except OSError as error:
            raise PledgeWallError(f"无法保存管理员PIN文件 {self.pin_path}：{_why(error)}") from None

    def clear(self) -> None:
        """Remove the PIN: the admin menu stays shut until a new one is set."""
        try:
            self.pin_path.unlink(missing_ok=True)
            self.tries_path.unlink(missing_ok=True)
            if self.pin_path.parent.is_dir():
                fsync_dir(self.pin_path.parent)
        except OSError as error:
            raise PledgeWallError(f"无法删除管理员PIN文件 {self.pin_path}：{_why(error)}") from None

    def problem(self) -> str | None:
        """Why the stored PIN cannot be used (not set, unreadable, damaged), or None when it can."""
        try:
            self._load()
        except PledgeWallError as error:
            return str(error)
        return None

    def locked_for(self) -> float:
        """Seconds until the next try is allowed (0: now).

        A wait longer than any lock-out means the clock was put back (or the file edited): it
        is ignored rather than shutting the admin out for days; the count of wrong tries stays.
        """
        wait = self._tries()[1] - self.clock()
        return wait if 0 < wait <= MAX_LOCK else 0.0

    def check(self, pin: str) -> tuple[bool, str]:
        """(ok, why not in Chinese). Never raises: the kiosk's display loop calls it."""
        wait = self.locked_for()
        if wait > 0:
            return False, f"PIN错误次数过多，请 {math.ceil(wait)} 秒后再试"
        try:
            stored = self._load()
        except PledgeWallError as error:
            return False, str(error)
        if not _well_formed(pin):
            # It can never match: no hash and no strike, so a stray tap on 确定 locks no one out.
            return False, MALFORMED
        try:
            actual = _hash(pin, stored.salt, stored.params)
        except ValueError:  # parameters _valid_params let through but this OpenSSL refuses
            return False, self._damaged()
        if hmac.compare_digest(actual, stored.hash):
            self._forget_tries()
            return True, ""
        return False, self._strike()

    def _load(self) -> _Stored:
        try:
            record = json.loads(self.pin_path.read_bytes())
            stored = _Stored(bytes.fromhex(record["hash"]), bytes.fromhex(record["salt"]),
                             _valid_params(record["scrypt"]))
        except FileNotFoundError:
            raise PledgeWallError(NO_PIN) from None
        except OSError as error:
            raise PledgeWallError(f"无法读取管理员PIN文件 {self.pin_path}：{_why(error)}") from None
        except (ValueError, KeyError, TypeError):
            stored = None
        if stored is None or len(stored.hash) != HASH_BYTES or not stored.salt:
            raise PledgeWallError(self._damaged())
        return stored

    def _damaged(self) -> str:
        return f"管理员PIN文件 {self.pin_path} 已损坏：请运行 pledgewall pin set 重新设置"

    def _strike(self) -> str:
        """Count one wrong try, start the lock-out it earns, and say so."""
        failures = self._tries()[0] + 1
        lock = lock_seconds(failures)
        self._save_tries(failures, self.clock() + lock)
        if lock:
            return f"PIN不正确，请 {math.ceil(lock)} 秒后再试"
        return f"PIN不正确（还可再试 {FREE_TRIES - failures} 次）"

    def _tries(self) -> tuple[int, float]:
        """(consecutive wrong tries, locked until); a missing or damaged file counts as none."""
        try:
            body = json.loads(self.tries_path.read_bytes())
            failures, until = int(body["failures"]), float(body["locked_until"])
        except (OSError, ValueError, KeyError, TypeError, OverflowError):
            return 0, 0.0
        if failures < 0 or not math.isfinite(until):
            return 0, 0.0
        return failures, until

    def _save_tries(self, failures: int, locked_until: float) -> None:
        try:
            body = {"failures": failures, "locked_until": locked_until}
            write_atomic(self.tries_path, json.dumps(body).encode())
        except OSError:
            pass  # a read-only disk loses only the slow-down; it never lets anyone in

    def _forget_tries(self) -> None:
        try:
            self.tries_path.unlink(missing_ok=True)
        except OSError:
            pass  # the count stays; the admin is in either way


def lock_seconds(failures: int) -> float:
    """No wait before the FREE_TRIES-th wrong try, then FIRST_LOCK, doubling, at most MAX_LOCK."""
    if failures < FREE_TRIES:
        return 0.0
    return min(MAX_LOCK, FIRST_LOCK * 2 ** min(failures - FREE_TRIES, 32))


def check_strength(pin: str) -> None:
    """4–12 ASCII digits, not one digit repeated and not a straight run (1234, 9876, 7890 — the
    pad's order wraps from 9 to 0): the first PINs anyone standing at the screen would try."""
    if not _well_formed(pin):
        raise PledgeWallError(MALFORMED)
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({0}, {1}, {9}):
        raise PledgeWallError(f"PIN“{pin}”太容易猜到（重复或连续的数字），请换一个")


def _well_formed(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS


def _why(error: OSError) -> str:
    return error.strerror or str(error)


def _valid_params(raw: Mapping[str, object]) -> dict[str, int]:
    """n, r, p as scrypt needs them; TypeError or ValueError for a damaged or hostile file."""
    n, r, p = raw["n"], raw["r"], raw["p"]
    if not (isinstance(n, int) and isinstance(r, int) and isinstance(p, int)):
        raise TypeError(f"scrypt parameters must be integers: {raw!r}")
    memory = 128 * r * (n + p + 2)  # what OpenSSL allocates; it also wants n < 2**(16·r)
    if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or memory > MAX_SCRYPT_MEMORY \
            or n.bit_length() > 16 * r:
        raise ValueError(f"scrypt parameters out of range: {raw!r}")
    return {"n": n, "r": r, "p": p}


def _hash(pin: str, salt: bytes, params: dict[str, int]) -> bytes:
    """scrypt; `maxmem` only has to admit what _valid_params lets through, with room to spare."""
    return hashlib.scrypt(pin.encode(), salt=salt, n=params["n"], r=params["r"], p=params["p"],
                          maxmem=2 * MAX_SCRYPT_MEMORY, dklen=HASH_BYTES)
