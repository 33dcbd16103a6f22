"""The admin's commands end to end: keys, bundle make/verify from a real Excel roster, sync, rollback,
and an unsigned roster accepted only with the PIN."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

from click.testing import CliRunner

from kiosk.cli import main
from kiosk.paths import demo_files
from kiosk.store.db import open_engine
from kiosk.store.read import read_roster
from kiosk.sync.pin import PinStore

runner = CliRunner()


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def demo_copy(tmp_path: Path) -> tuple[Path, Path]:
    demo = Path(str(demo_files()))
    shutil.copytree(demo, tmp_path / "demo")
    return tmp_path / "demo" / "roster.xlsx", tmp_path / "demo" / "photos"


def members(data_dir: Path) -> int:
    engine = open_engine(data_dir)
    try:
        return sum(len(v.members) for v in read_roster(engine).villages)
    finally:
        engine.dispose()


def test_keys_bundle_verify_sync_rollback(tmp_path: Path) -> None:
    roster, photos = demo_copy(tmp_path)
    keys, usb, data = tmp_path / "keys", tmp_path / "usb", tmp_path / "data"
    made = invoke("keys", "generate", "--out", keys)
    assert made.exit_code == 0 and "指纹" in made.output
    private, public = keys / "pledgewall-signing.key", keys / "pledgewall-signing.pub"
    if os.name == "posix":
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert invoke("keys", "generate", "--out", keys).exit_code == 1  # never overwrites a private key

    bundle = invoke("bundle", "make", "--roster", roster, "--photos", photos, "--key", private, "--out", usb, "--version", "5")
    assert bundle.exit_code == 0, bundle.output
    assert "党员 18 名" in bundle.output and "照片 17 张" in bundle.output
    verified = invoke("bundle", "verify", usb, "--pubkey", public)
    assert verified.exit_code == 0 and "更新包有效" in verified.output and "版本 5" in verified.output

    (data).mkdir()
    shutil.copy(public, data / "township.pub")
    (data / "config.toml").write_text('[sync]\ntrusted_keys = ["township.pub"]\nkiosk_id = "青山村-1"\n', "utf-8")
    applied = invoke("sync", usb, "--data-dir", data)
    assert applied.exit_code == 0, applied.output
    assert "已更新：党员 18 名" in applied.output and "回执已写入U盘" in applied.output
    receipt = next((usb / "pledgewall" / "receipts").glob("*.json"))
    assert receipt.name.startswith("青山村-1-") and json.loads(receipt.read_text("utf-8"))["outcome"] == "applied"
    assert members(data) == 18

    # A second roster with one member fewer: the township removes a member who moved away.
    from openpyxl import load_workbook

    book = load_workbook(roster)
    for sheet in book:
        for row in range(sheet.max_row, 1, -1):
            if sheet.cell(row, 1).value == "QSC018":
                sheet.delete_rows(row)
    book.save(roster)
    assert invoke("bundle", "make", "--roster", roster, "--photos", photos, "--key", private, "--out", usb, "--version", "6").exit_code == 0
    assert invoke("sync", usb, "--data-dir", data).exit_code == 0
    assert members(data) == 17
    assert invoke("sync", usb, "--data-dir", data).exit_code == 1  # already applied: refused, unchanged

    rolled = invoke("sync", "--rollback", "--data-dir", data)
    assert rolled.exit_code == 0 and "已回滚" in rolled.output
    assert members(data) == 18
    assert invoke("sync", "--rollback", "--data-dir", data).exit_code == 0  # undoing the rollback
    assert members(data) == 17


def test_bundle_make_refuses_a_roster_with_errors_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,承诺内容\n王喆,\n", "utf-8")
    invoke("keys", "generate", "--out", tmp_path / "keys")
    result = invoke("bundle", "make", "--roster", bad, "--key", tmp_path / "keys" / "pledgewall-signing.key", "--out", tmp_path / "usb")
    assert result.exit_code == 1 and "未制作更新包" in result.output
    assert not (tmp_path / "usb").exists()


def test_unsigned_roster_needs_permission_and_the_pin(tmp_path: Path) -> None:
    roster, photos = demo_copy(tmp_path)
    stick = tmp_path / "usb" / "pledgewall"
    stick.mkdir(parents=True)
    shutil.copy(roster, stick / "花名册.xlsx")
    shutil.copytree(photos, stick / "photos")
    data = tmp_path / "data"
    data.mkdir()

    refused = invoke("sync", tmp_path / "usb", "--data-dir", data)
    assert refused.exit_code == 1 and "只接受签名的更新包" in refused.output

    (data / "config.toml").write_text("[sync]\nallow_unsigned = true\n", "utf-8")
    PinStore(data, scrypt={"n": 2**8, "r": 8, "p": 1}).set("2580")
    wrong = invoke("sync", tmp_path / "usb", "--data-dir", data, input="1111\n")
    assert wrong.exit_code == 1 and "PIN不正确" in wrong.output
    assert members(data) == 0
    right = invoke("sync", tmp_path / "usb", "--data-dir", data, input="2580\n")
    assert right.exit_code == 0, right.output
    assert members(data) == 18
    assert any((stick / "receipts").glob("*-applied.txt"))
