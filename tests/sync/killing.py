"""Killing `pledgewall sync` at random moments and checking what is left (fault injection).

Used by tests/sync/test_kill.py (a few runs) and scripts/bench/sync_stress.py (hundreds).
Each run: a kiosk data dir showing the old roster, a stick with a signed newer bundle, the real
command in a child process, SIGKILL after a random delay, then the store must pass
`PRAGMA integrity_check` and hold exactly the old or exactly the new roster; and a second,
unkilled run must then finish the job.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.roster import Roster
from kiosk.store.db import open_engine
from kiosk.store.read import read_roster
from kiosk.sync.apply import Trust
from kiosk.sync.keys import PublicKey
from kiosk.sync.make import write_signed_bundle
from kiosk.sync.stick import sync_stick

REPO = Path(__file__).resolve().parents[2]


@dataclass
class KillLab:
    root: Path
    old: tuple[Roster, dict[str, bytes]]
    new: tuple[Roster, dict[str, bytes]]
    outcomes: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        key = Ed25519PrivateKey.generate()
        self.pubkey = self.root / "trusted.pub"
        self.pubkey.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                              serialization.PublicFormat.SubjectPublicKeyInfo))
        trust = Trust((PublicKey(key.public_key(), str(self.pubkey)),), kiosk_id="lab")
        write_signed_bundle(*self.old, key, self.root / "old-stick", version=1)
        self.template = self.root / "template"
        assert sync_stick(self.root / "old-stick", self.template, trust)[0].applied
        self.stick = self.root / "stick"
        write_signed_bundle(*self.new, key, self.stick, version=2)
        self.expected_old = self._shown(self.template)
        scratch = self.root / "scratch"
        shutil.copytree(self.template, scratch)
        self.trust = trust
        started = time.perf_counter()
        self._run(scratch)  # one whole run: how long the window to kill in is
        self.full_run = time.perf_counter() - started
        self.expected_new = self._shown(scratch)
        assert self.expected_new != self.expected_old
        started = time.perf_counter()
        self._run(scratch, args=["--help"])  # start-up alone: killing inside it proves little
        self.start_up = time.perf_counter() - started
        shutil.rmtree(scratch)

    def _command(self, data_dir: Path, args: list[str] | None) -> list[str]:
        return [sys.executable, "-m", "kiosk.cli", "sync", *(args if args is not None else
                [str(self.stick), "--data-dir", str(data_dir), "--pubkey", str(self.pubkey)])]

    def _run(self, data_dir: Path, args: list[str] | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(self._command(data_dir, args), cwd=REPO, capture_output=True, env=_env(), check=False)

    def run_once(self, rng: random.Random) -> str:
        """Kill one sync at a random moment; return 'old' or 'new' (what the store then held)."""
        data_dir = self.root / "run"
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.copytree(self.template, data_dir)
        shutil.rmtree(self.stick / "pledgewall" / "receipts", ignore_errors=True)
        delay = rng.uniform(self.start_up * 0.7, self.full_run * 1.05)
        child = subprocess.Popen(self._command(data_dir, None), cwd=REPO, env=_env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            killed = "killed"
        else:
            killed = "finished"
        state = self.check(data_dir)
        self.outcomes[f"{killed}, {state}"] += 1
        finished = self._run(data_dir)  # the admin plugs the stick in again
        assert self.check(data_dir) == "new", finished.stdout.decode() + finished.stderr.decode()
        return state

    def check(self, data_dir: Path) -> str:
        with sqlite3.connect(data_dir / "pledgewall.db") as connection:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        connection.close()
        assert integrity == "ok", integrity
        shown = self._shown(data_dir)
        if shown == self.expected_old:
            return "old"
        if shown == self.expected_new:
            return "new"
        raise AssertionError("the store holds neither the old nor the new roster")

    @staticmethod
    def _shown(data_dir: Path) -> Roster:
        engine = open_engine(data_dir, create=False)
        try:
            return read_roster(engine)
        finally:
            engine.dispose()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
