"""A stick at the kiosk, step by step, off the display thread: check → preview → apply → result.

The sync scene only reads `state` and calls `confirm` / `cancel` / `pin_accepted` /
`stick_removed`; the slow work (hashing, copying, the transaction) runs in a worker thread so
the wall never freezes. A signed bundle applies by itself after the preview has been shown
for `preview_seconds` (nobody needs to be at the screen); an unsigned roster waits for the PIN.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.errors import PledgeWallError
from kiosk.sync.apply import Prepared, SyncResult, Trust, apply, discard, record_refusal
from kiosk.sync.bundle import SyncRefused
from kiosk.sync.stick import StickContents, look_at, prepare_stick, receipt_note

log = logging.getLogger(__name__)

PREVIEW_SECONDS = 10.0


@dataclass(frozen=True)
class SyncState:
    phase: str  # checking / pin / preview / applying / done / refused / cancelled
    step: str = ""  # what the worker is doing, for the progress line
    fraction: float = 0.0
    message: str = ""  # the result or the refusal, in full
    change_lines: tuple[str, ...] = ()
    receipt: str = ""  # where the receipt went, or why it could not be written
    countdown: float | None = None  # seconds until a previewed bundle applies by itself
    safe_to_remove: bool = False  # nothing more will be read from or written to the stick
    applied: bool = False

    @property
    def busy(self) -> bool:
        return self.phase in ("checking", "applying")


class SyncController:
    def __init__(self, root: Path, data_dir: Path, trust: Callable[[], Trust], *, preview_seconds: float = PREVIEW_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.root, self.data_dir, self._trust_source = root, data_dir, trust
        self.trust = Trust(())  # until the worker has read the keys (a bad key file is a refusal)
        self.preview_seconds, self.clock = preview_seconds, clock
        self._lock = threading.Lock()
        self._state = SyncState("checking", "读取U盘")
        self._contents: StickContents | None = None
        self._prepared: Prepared | None = None
        self._preview_until = 0.0
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> SyncState:
        with self._lock:
            state = self._state
        if state.phase == "preview" and self._auto_applies:
            return replace(state, countdown=max(0.0, self._preview_until - self.clock()))
        return state

    @property
    def _auto_applies(self) -> bool:
        """Signed bundles apply by themselves; an unsigned roster waits for a person to confirm."""
        return self._prepared is not None and self._prepared.signer != "PIN"

    def tick(self) -> None:
        """Called every frame: applies a previewed signed bundle once its countdown has run out."""
        if self.state.countdown == 0.0:
            self.confirm()

    def start(self) -> None:
        self._work(self._check)

    def confirm(self) -> None:
        """Apply the previewed bundle now."""
        with self._lock:
            if self._state.phase != "preview":
                return
            self._state = SyncState("applying", "更新数据", change_lines=self._state.change_lines)
        self._work(self._apply)

    def cancel(self) -> None:
        with self._lock:
            if self._state.phase not in ("preview", "pin"):
                return
            prepared, self._prepared = self._prepared, None
            self._state = SyncState("cancelled", message="已取消，数据没有改动", safe_to_remove=True)
        if prepared is not None:
            discard(prepared.staging)

    def pin_accepted(self) -> None:
        with self._lock:
            if self._state.phase != "pin":
                return
            self._state = SyncState("checking", "读取花名册")
        self._work(lambda: self._prepare(pin_ok=True))

    def stick_removed(self) -> None:
        """Before the preview is applied, pulling the stick out cancels; later it changes nothing."""
        with self._lock:
            phase = self._state.phase
        if phase in ("preview", "pin"):
            self.cancel()
            with self._lock:
                self._state = SyncState("refused", message="U盘已拔出，没有更新；公示屏继续显示原来的数据",
                                        safe_to_remove=True)

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # --- the worker -----------------------------------------------------------------------
    def _work(self, job: Callable[[], None]) -> None:
        self._thread = threading.Thread(target=self._guarded(job), name="pledgewall-sync", daemon=True)
        self._thread.start()

    def _guarded(self, job: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                job()
            except PledgeWallError as error:
                refusal = error if isinstance(error, SyncRefused) else SyncRefused("kiosk.store", str(error))
                self._refuse(refusal)
            except Exception as error:  # noqa: BLE001 - the display thread must hear about it, not die
                log.exception("sync failed")
                self._refuse(SyncRefused("internal", f"更新时出现内部错误（{type(error).__name__}）；数据没有改动"))
        return run

    def _progress(self, step: str, fraction: float) -> None:
        with self._lock:
            if self._state.busy:
                self._state = replace(self._state, step=step, fraction=fraction)

    def _check(self) -> None:
        self.trust = self._trust_source()
        contents = look_at(self.root)
        if contents is None:
            raise SyncRefused("stick.empty", "U盘上没有 pledgewall 文件夹")
        self._contents = contents
        if not contents.signed and self.trust.allow_unsigned:
            with self._lock:
                self._state = SyncState("pin", message=f"U盘上是未签名的花名册 {contents.roster_file.name if contents.roster_file else ''}，"
                                                        "请输入管理员PIN后更新")
            return
        self._prepare(pin_ok=False)

    def _prepare(self, *, pin_ok: bool) -> None:
        assert self._contents is not None
        prepared = prepare_stick(self._contents, self.data_dir, self.trust, pin_ok=pin_ok, progress=self._progress)
        with self._lock:
            self._prepared = prepared
            self._preview_until = self.clock() + self.preview_seconds
            self._state = SyncState("preview", change_lines=tuple(prepared.change.lines()), message=prepared.describe())

    def _apply(self) -> None:
        prepared = self._prepared
        assert prepared is not None and self._contents is not None
        result = apply(prepared, self.data_dir, progress=self._progress)
        self._finish(result, prepared)

    def _refuse(self, refusal: SyncRefused) -> None:
        prepared = self._prepared
        record_refusal(self.data_dir, refusal, prepared.bundle_id if prepared else "", prepared.villages if prepared else ())
        self._finish(SyncResult(False, refusal.code, str(refusal)), prepared)

    def _finish(self, result: SyncResult, prepared: Prepared | None) -> None:
        note = receipt_note(self._contents.bundle_dir, result, self.trust, prepared) if self._contents else ""
        with self._lock:
            self._state = SyncState("done" if result.applied else "refused", message=result.message,
                                    change_lines=self._state.change_lines, receipt=note, safe_to_remove=True,
                                    applied=result.applied)
