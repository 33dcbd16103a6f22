"""Freed heap goes back to the system once after new data, at a quiet moment, and never twice."""

from __future__ import annotations

import sys

import pytest

from kiosk.app import heap


def test_trims_once_per_new_data_and_only_when_quiet() -> None:
    real = heap._malloc_trim()
    if real is None:
        pytest.skip(f"no glibc malloc_trim on {sys.platform}: the kiosk skips trimming there too")
    calls: list[int] = []

    def counted(pad: int) -> int:
        calls.append(pad)
        return real(pad)  # the real glibc call: it must accept what we hand it

    trim = heap.HeapTrim(counted)
    trim.quiet()
    assert calls == []  # nothing new was loaded
    trim.data_changed()
    trim.quiet()
    trim.quiet()
    assert calls == [0]
    trim.data_changed()
    trim.data_changed()
    trim.quiet()
    assert calls == [0, 0]


def test_without_malloc_trim_nothing_happens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap.sys, "platform", "win32")
    assert heap._malloc_trim() is None
    trim = heap.HeapTrim()
    trim.data_changed()
    trim.quiet()  # no error, no call
