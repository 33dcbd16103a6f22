"""The admin PIN: real scrypt files, lock-outs on a fake clock, the command line."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import kiosk.sync.pin as pin_module
from kiosk.app.scenes.admin import store_pin_gate
from kiosk.cli import main
from kiosk.errors import PledgeWallError
from kiosk.sync.pin import FIRST_LOCK, MAX_LOCK, NO_PIN, PinStore, check_strength, lock_seconds

FAST = {"n": 2**8, "r": 8, "p": 1}  # the stored parameters travel with the hash


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_default_parameters_round_trip(tmp_path: Path) -> None:
    store = PinStore(tmp_path / "new-dir")
    store.set("5820")
    assert store.check("5820") == (True, "")
    assert store.check("5821")[0] is False
    record = json.loads(store.pin_path.read_text())
    assert record["scrypt"] == {"n": 2**14, "r": 8, "p": 1}
    assert len(bytes.fromhex(record["salt"])) == 16 and "5820" not in store.pin_path.read_text()
    assert sorted(p.name for p in store.pin_path.parent.iterdir()) == ["admin-pin-tries.json", "admin-pin.json"]


@pytest.mark.skipif(os.name != "posix", reason="owner-only modes are POSIX")
def test_both_files_are_owner_only(tmp_path: Path) -> None:
    store = PinStore(tmp_path, scrypt=FAST)
    store.set("5820")
    store.check("0000")
    assert mode(store.pin_path) == 0o600 and mode(store.tries_path) == 0o600


def test_the_same_pin_gets_a_new_salt_and_old_parameters_still_check(tmp_path: Path) -> None:
    PinStore(tmp_path, scrypt=FAST).set("5820")
    first = json.loads((tmp_path / "admin-pin.json").read_text())
    assert PinStore(tmp_path).check("5820") == (True, "")  # default cost, FAST file: the file decides
    PinStore(tmp_path, scrypt=FAST).set("5820")
    second = json.loads((tmp_path / "admin-pin.json").read_text())
    assert first["salt"] != second["salt"] and first["hash"] != second["hash"]


def test_lock_out_grows_from_the_third_wrong_try_to_at_most_a_quarter_hour() -> None:
    assert [lock_seconds(f) for f in range(1, 10)] == [0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert lock_seconds(10**9) == MAX_LOCK  # no overflow, whatever the file says


def test_wrong_tries_lock_out_longer_and_longer_and_survive_a_restart(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    PinStore(tmp_path, scrypt=FAST).set("7391")
    store = PinStore(tmp_path, clock=clock)
    assert store.check("0000") == (False, "PIN不正确（还可再试 2 次）")
    assert store.check("1111") == (False, "PIN不正确（还可再试 1 次）")
    assert store.check("2222") == (False, f"PIN不正确，请 {int(FIRST_LOCK)} 秒后再试")

    restarted = PinStore(tmp_path, clock=clock)
    clock.now += 10.5
    with monkeypatch.context() as patch:
        patch.setattr(pin_module, "_hash", lambda *a: pytest.fail("hashed during a lock-out"))
        assert restarted.check("7391") == (False, "PIN错误次数过多，请 20 秒后再试")  # even the right PIN

    clock.now += 20
    assert restarted.check("3333") == (False, f"PIN不正确，请 {int(2 * FIRST_LOCK)} 秒后再试")
    assert restarted.locked_for() == 2 * FIRST_LOCK
    clock.now += 2 * FIRST_LOCK
    assert restarted.check("7391") == (True, "")
    assert restarted.locked_for() == 0 and not restarted.tries_path.exists()
    assert restarted.check("0000") == (False, "PIN不正确（还可再试 2 次）")  # the count started again


def test_lock_out_stops_at_the_maximum(tmp_path: Path) -> None:
    clock = Clock()
    store = PinStore(tmp_path, clock=clock, scrypt=FAST)
    store.set("7391")
    for _ in range(12):
        clock.now += MAX_LOCK
        store.check("0001")
    assert store.locked_for() == MAX_LOCK


def test_a_clock_put_back_does_not_shut_the_admin_out_for_days(tmp_path: Path) -> None:
    clock = Clock()
    store = PinStore(tmp_path, clock=clock, scrypt=FAST)
    store.set("7391")
    for _ in range(3):
        store.check("0000")
    clock.now -= 86_400  # someone fixes a clock that ran a day fast
    assert store.locked_for() == 0
    assert store.check("0000") == (False, "PIN不正确，请 60 秒后再试")  # the count was kept


def test_malformed_input_is_refused_without_a_strike(tmp_path: Path) -> None:
    store = PinStore(tmp_path, scrypt=FAST)
    store.set("7391")
    for typed in ["", "12", "1234567890123", "73a1", "７３９１"]:
        ok, message = store.check(typed)
        assert not ok and "4 到 12 位数字" in message
    assert not store.tries_path.exists()


def test_no_pin_yet(tmp_path: Path) -> None:
    assert PinStore(tmp_path).check("1357") == (False, NO_PIN)
    assert PinStore(tmp_path / "missing").check("1357") == (False, NO_PIN)


@pytest.mark.parametrize("body", [
    "{broken", "[]", "\x00\xff", '{"failures": "x", "locked_until": 0}', '{"failures": 1e400, "locked_until": 0}',
    '{"failures": 5, "locked_until": Infinity}', '{"failures": -4, "locked_until": 0}',
])
def test_a_damaged_tries_file_only_resets_the_count(tmp_path: Path, body: str) -> None:
    store = PinStore(tmp_path, scrypt=FAST)
    store.set("1357")
    store.tries_path.write_text(body)
    assert store.locked_for() == 0
    assert store.check("0000") == (False, "PIN不正确（还可再试 2 次）")
    assert store.check("1357") == (True, "")


@pytest.mark.parametrize("body", [
    "{broken", "[]", "\x00\xff", '{"hash": "00"}',
    '{"scrypt": {"n": 256, "r": 8, "p": 1}, "salt": "abcd", "hash": ""}',  # an empty hash must not match ""
    '{"scrypt": {"n": 256, "r": 8, "p": 1}, "salt": "zz", "hash": "%s"}' % ("00" * 32),
    '{"scrypt": {"n": 1000, "r": 8, "p": 1}, "salt": "abcd", "hash": "%s"}' % ("00" * 32),
    '{"scrypt": {"n": 1099511627776, "r": 8, "p": 1}, "salt": "abcd", "hash": "%s"}' % ("00" * 32),
    '{"scrypt": {"n": 256.0, "r": 8, "p": 1}, "salt": "abcd", "hash": "%s"}' % ("00" * 32),
    '{"scrypt": {"n": 65536, "r": 1, "p": 1}, "salt": "abcd", "hash": "%s"}' % ("00" * 32),  # OpenSSL says no
])
def test_a_damaged_pin_file_is_named_and_never_raises(tmp_path: Path, body: str) -> None:
    store = PinStore(tmp_path)
    store.pin_path.write_text(body)
    ok, message = store.check("1357")
    assert not ok and str(store.pin_path) in message and "已损坏" in message
    assert store.problem() == message and not store.tries_path.exists()


def test_an_unreadable_pin_file_is_named(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.pin_path.mkdir()  # reading it fails whoever runs the tests (root ignores modes)
    ok, message = store.check("1357")
    assert not ok and message.startswith(f"无法读取管理员PIN文件 {store.pin_path}")


@pytest.mark.parametrize("weak", ["123", "1234", "4321", "0000", "999999", "123456789012", "987654", "7890", "2109",
                                  "12a4", "１２３５", "1234567890123", "", " 2580"])
def test_weak_or_malformed_pins_are_refused(tmp_path: Path, weak: str) -> None:
    with pytest.raises(PledgeWallError, match="PIN"):
        PinStore(tmp_path, scrypt=FAST).set(weak)
    assert not (tmp_path / "admin-pin.json").exists()


repeats = st.builds(lambda digit, k: str(digit) * k, st.integers(0, 9), st.integers(4, 12))
runs = st.builds(lambda start, k: "".join(str((start + i) % 10) for i in range(k)),
                 st.integers(0, 9), st.integers(4, 12))


@given(st.one_of(repeats, runs, runs.map(lambda run: run[::-1])))
def test_repeats_and_runs_of_any_length_are_refused(pin: str) -> None:
    with pytest.raises(PledgeWallError, match="太容易猜到"):
        check_strength(pin)


@settings(max_examples=30, deadline=None)
@given(st.text("0123456789", min_size=4, max_size=12))
def test_any_acceptable_pin_round_trips(tmp_path_factory: pytest.TempPathFactory, pin: str) -> None:
    try:
        check_strength(pin)
    except PledgeWallError:
        return
    store = PinStore(tmp_path_factory.mktemp("pin"), scrypt=FAST)
    store.set(pin)
    assert store.check(pin) == (True, "")
    assert not store.check(pin[:-1] + str((int(pin[-1]) + 1) % 10))[0]


def test_setting_a_new_pin_forgets_wrong_tries(tmp_path: Path) -> None:
    store = PinStore(tmp_path, clock=Clock(), scrypt=FAST)
    store.set("7391")
    for _ in range(3):
        store.check("0000")
    store.set("8264")
    assert store.locked_for() == 0 and store.check("8264") == (True, "")


def test_the_admin_pin_pad_uses_the_store(tmp_path: Path) -> None:
    gate = store_pin_gate(tmp_path)
    assert gate.check("8642").message == NO_PIN
    PinStore(tmp_path, scrypt=FAST).set("8642")
    assert gate.check("8642").ok
    answer = gate.check("8641")
    assert not answer.ok and answer.message.startswith("PIN不正确")


def test_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    assert runner.invoke(main, ["pin", "status", *data]).output.strip() == NO_PIN
    weak = runner.invoke(main, ["pin", "set", "--stdin", *data], input="1234\n")
    assert weak.exit_code == 1 and "容易猜到" in weak.output
    result = runner.invoke(main, ["pin", "set", "--stdin", *data], input="2580\n")
    assert result.exit_code == 0, result.output
    assert PinStore(tmp_path).check("2580") == (True, "")
    status = runner.invoke(main, ["pin", "status", *data])
    assert status.exit_code == 0 and status.output.strip() == "管理员PIN已设置"
    for _ in range(3):
        PinStore(tmp_path).check("0000")
    locked = runner.invoke(main, ["pin", "status", *data]).output
    assert "30 秒内不能再试" in locked and json.loads((tmp_path / "admin-pin.json").read_text())["hash"] not in locked
    assert runner.invoke(main, ["pin", "clear", *data]).exit_code == 0
    assert not PinStore(tmp_path).is_set()


def test_command_line_asks_twice_without_echo(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["pin", "set", "--data-dir", str(tmp_path)], input="2580\n2580\n")
    assert result.exit_code == 0, result.output
    assert "2580" not in result.output and "再输入一次" in result.output
    assert PinStore(tmp_path).check("2580") == (True, "")


def test_command_line_names_a_damaged_pin_file(tmp_path: Path) -> None:
    (tmp_path / "admin-pin.json").write_text("{broken")
    result = CliRunner().invoke(main, ["pin", "status", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "admin-pin.json 已损坏" in result.output
