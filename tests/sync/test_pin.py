"""The admin PIN: real scrypt files, lock-outs on a fake clock, the command line."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.app.scenes.admin import store_pin_gate
from kiosk.cli import main
from kiosk.errors import PledgeWallError
from kiosk.sync.pin import FIRST_LOCK, MAX_LOCK, PinStore, check_strength

FAST = {"n": 2**8, "r": 8, "p": 1}  # the stored parameters travel with the hash


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_default_parameters_round_trip_and_the_file_holds_no_pin(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set("5820")
    assert store.check("5820") == (True, "")
    text = (tmp_path / "admin-pin.json").read_text()
    assert "5820" not in text and '"n": 16384' in text
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "admin-pin.json").stat().st_mode) == 0o600


def test_wrong_tries_lock_out_longer_and_longer_and_survive_a_restart(tmp_path: Path) -> None:
    clock = Clock()
    PinStore(tmp_path, clock=clock, scrypt=FAST).set("7391")
    store = PinStore(tmp_path, clock=clock)
    assert store.check("0000")[1].endswith("还可再试 2 次）")
    assert not store.check("1111")[0]
    ok, message = store.check("2222")
    assert not ok and f"{int(FIRST_LOCK)} 秒" in message
    restarted = PinStore(tmp_path, clock=clock)
    ok, message = restarted.check("7391")  # even the right PIN waits
    assert not ok and "秒后再试" in message
    clock.now += FIRST_LOCK
    assert not restarted.check("3333")[0]  # the 4th wrong try: twice as long
    assert restarted.locked_for() == 2 * FIRST_LOCK
    clock.now += 2 * FIRST_LOCK
    assert restarted.check("7391") == (True, "")
    assert restarted.locked_for() == 0
    for _ in range(30):
        clock.now += MAX_LOCK
        restarted.check("0001")
    assert restarted.locked_for() == MAX_LOCK


def test_no_pin_and_damaged_files(tmp_path: Path) -> None:
    store = PinStore(tmp_path, scrypt=FAST)
    ok, message = store.check("1357")
    assert not ok and "pin set" in message
    store.set("1357")
    (tmp_path / "admin-pin-tries.json").write_text("{broken")
    assert store.check("1357") == (True, "")  # a damaged tries file only resets the count
    (tmp_path / "admin-pin.json").write_text("{broken")
    ok, message = store.check("1357")
    assert not ok and "admin-pin.json" in message


@pytest.mark.parametrize("weak", ["123", "1234", "4321", "0000", "999999", "12a4", "１２３５", "1234567890123"])
def test_weak_or_malformed_pins_are_refused(weak: str) -> None:
    with pytest.raises(PledgeWallError):
        check_strength(weak)


@settings(max_examples=25, deadline=None)
@given(st.text("0123456789", min_size=4, max_size=12))
def test_any_acceptable_pin_round_trips(tmp_path_factory, pin: str) -> None:  # type: ignore[no-untyped-def]
    try:
        check_strength(pin)
    except PledgeWallError:
        return
    store = PinStore(tmp_path_factory.mktemp("pin"), scrypt=FAST)
    store.set(pin)
    assert store.check(pin)[0]
    assert not store.check(pin[::-1] + "0")[0]


def test_the_admin_pin_pad_uses_the_store(tmp_path: Path) -> None:
    PinStore(tmp_path, scrypt=FAST).set("8642")
    gate = store_pin_gate(tmp_path)
    assert gate.check("8642").ok
    answer = gate.check("8641")
    assert not answer.ok and "PIN不正确" in answer.message


def test_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    assert "尚未设置" in runner.invoke(main, ["pin", "status", *data]).output
    weak = runner.invoke(main, ["pin", "set", "--stdin", *data], input="1234\n")
    assert weak.exit_code == 1 and "容易猜到" in weak.output
    result = runner.invoke(main, ["pin", "set", "--stdin", *data], input="2580\n")
    assert result.exit_code == 0, result.output
    assert PinStore(tmp_path).check("2580")[0]
    assert "已设置" in runner.invoke(main, ["pin", "status", *data]).output
    assert runner.invoke(main, ["pin", "clear", *data]).exit_code == 0
    assert not PinStore(tmp_path).is_set()
