"""Watching the store for a new data version without ever blocking the display."""

from __future__ import annotations

import logging
import queue
import threading

from sqlalchemy import Engine

from kiosk.store.db import data_version
from kiosk.store.snapshot import WallSnapshot, load_snapshot

log = logging.getLogger("kiosk.store")


class StoreWatcher:
    """A thread polls the data version; a new one is loaded into a snapshot and handed over.

    Any error (a locked or damaged file, a half-copied stick) is logged and the wall keeps
    showing the last good snapshot.
    """

    def __init__(self, engine: Engine, village: str, *, interval: float = 2.0) -> None:
        self.engine = engine
        self.village = village
        self.interval = interval
        self.last_error = ""
        self._seen = -1
        self._complete = True
        self._ready: queue.Queue[WallSnapshot] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def load_now(self, first: int | None = None) -> WallSnapshot:
        """The first snapshot, loaded before the first frame. With `first`, only that many cards
        carry their pledges (a big roster's first page appears at once); the thread then loads
        the whole snapshot straight away."""
        snapshot = load_snapshot(self.engine, self.village or None, first=first)
        self._seen, self._complete = snapshot.data_version, snapshot.complete
        return snapshot

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="store-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def poll(self) -> WallSnapshot | None:
        try:
            return self._ready.get_nowait()
        except queue.Empty:
            return None

    def _run(self) -> None:
        if not self._complete:
            self.check_once()
        while not self._stop.wait(self.interval):
            self.check_once()

    def check_once(self) -> None:
        try:
            version = data_version(self.engine)
            if version == self._seen and self._complete:
                return
            snapshot = load_snapshot(self.engine, self.village or None)
        except Exception as error:  # noqa: BLE001 - keep showing the last good data
            self.last_error = str(error)
            log.warning("store unreadable, keeping the last good data: %s", error)
            return
        self.last_error = ""
        self._seen, self._complete = snapshot.data_version, True
        try:
            self._ready.get_nowait()  # an older, unseen snapshot is superseded
        except queue.Empty:
            pass
        self._ready.put(snapshot)
