"""A township: one roster folder for three villages, a township store (SQLite and PostgreSQL),
one signed bundle per village holding only that village, receipts read back, the rollout view."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from kiosk.cli import main
from kiosk.ingest.importer import check_roster
from kiosk.store.db import open_engine
from kiosk.sync.apply import Trust
from kiosk.sync.keys import load_public_key
from kiosk.sync.rollout import rollout_rows
from kiosk.sync.stick import sync_stick
from tests.ingest.rosterfiles import write_xlsx

VILLAGES = {"QSC": ("青山村", 4), "HSC": ("红石村", 3), "LSC": ("柳树村", 5)}
runner = CliRunner()


def invoke(*args: object, code: int = 0) -> str:
    result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def write_township(folder: Path, photos: Path, *, clash: bool = False) -> None:
    """One workbook per village; photos in one folder per village, named by member number."""
    folder.mkdir(parents=True)
    for v, (code, (name, count)) in enumerate(VILLAGES.items()):
        numbers = [f"{'M' if clash else code}{i + 1:03d}" for i in range(count)]
        sheets = {
            "设置": [["村代码", "村名", "党支部", "乡镇"], [code, name, f"{name}党支部", "云溪镇"]],
            "党员": [["编号", "姓名", "职务"], *[[n, f"党员{code}{i}", "党员"] for i, n in enumerate(numbers)]],
            "承诺": [["编号", "年度", "承诺内容", "状态", "进度"],
                     *[[n, 2026, f"{name}第{i + 1}项承诺：修路", "已完成" if i % 2 else "进行中", 100 if i % 2 else 50]
                       for i, n in enumerate(numbers)]],
        }
        write_xlsx(folder / f"{name}.xlsx", sheets)
        (photos / code).mkdir(parents=True, exist_ok=True)
        for i, number in enumerate(numbers):
            Image.new("RGB", (300, 400), (30 * v + 10, 20 * i, 120)).save(photos / code / f"{number}.jpg")


def test_numbers_must_be_unique_across_the_township(tmp_path: Path) -> None:
    write_township(tmp_path / "rosters", tmp_path / "photos", clash=True)
    result = check_roster(tmp_path / "rosters", tmp_path / "photos")
    assert result.roster is None
    clashes = [p for p in result.problems if p.code == "member.duplicate_township"]
    assert clashes and "M001" in str(clashes[0]) and "全镇" in str(clashes[0])
    assert clashes[0].location.sheet == "党员" and clashes[0].location.row is not None


def test_township_to_kiosks(tmp_path: Path, store_target: Path | str) -> None:
    rosters, photos, township = tmp_path / "rosters", tmp_path / "photos", tmp_path / "township"
    write_township(rosters, photos)
    db = [] if isinstance(store_target, Path) else ["--db", store_target]
    out = invoke("import", rosters, "--photos", photos, "--data-dir", township, *db)
    assert "已导入 3 个村，党员 12 名" in out
    invoke("keys", "generate", "--out", tmp_path / "keys")
    key = tmp_path / "keys" / "pledgewall-signing.key"

    out = invoke("bundle", "make", "--township", township, *db, "--key", key, "--out", tmp_path / "out")
    assert "共 3 个村的更新包" in out
    for code, (name, count) in VILLAGES.items():
        assert_only_village(tmp_path / "out" / code / "pledgewall", code, count, township)

    # A kiosk configured for 青山村 refuses 红石村's bundle and takes its own.
    trust = Trust((load_public_key(tmp_path / "keys" / "pledgewall-signing.pub"),), village="QSC", kiosk_id="青山村-1")
    kiosk = tmp_path / "kiosk"
    refused, _ = sync_stick(tmp_path / "out" / "HSC", kiosk, trust)
    assert (refused.applied, refused.code) == (False, "village.other")
    applied, _ = sync_stick(tmp_path / "out" / "QSC", kiosk, trust)
    assert applied.applied, applied.message

    # Back at the office: the stick's receipts go into the township store.
    out = invoke("receipts", "import", tmp_path / "out" / "QSC", "--data-dir", township, *db)
    assert "新回执 1 份" in out
    assert "已读过 1 份" in invoke("receipts", "import", tmp_path / "out" / "QSC", "--data-dir", township, *db)
    engine = open_engine(store_target if db else township)
    try:
        rows = {row.code: row for row in rollout_rows(engine)}
    finally:
        engine.dispose()
    assert rows["QSC"].up_to_date == "是" and rows["QSC"].kiosk == "青山村-1"
    assert rows["HSC"].up_to_date == "未收到回执"
    assert (rows["LSC"].members, rows["LSC"].pledges, rows["LSC"].done) == (5, 5, 2)

    # The next round: versions only grow, per village, even within the same second.
    first = rows["QSC"].made_version
    invoke("bundle", "make", "--township", township, *db, "--village", "QSC", "--key", key, "--out", tmp_path / "stick2")
    engine = open_engine(store_target if db else township)
    try:
        again = {row.code: row for row in rollout_rows(engine)}["QSC"]
    finally:
        engine.dispose()
    assert first is not None and again.made_version is not None and again.made_version > first
    assert again.up_to_date == "否"
    assert (tmp_path / "stick2" / "pledgewall" / "manifest.json").exists()

    table = invoke("township", "status", "--data-dir", township, *db, "--xlsx", tmp_path / "rollout.xlsx")
    assert "柳树村" in table and "40%" in table
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "rollout.xlsx").active
    assert sheet["A1"].value == "村代码" and sheet.max_row == 4


def assert_only_village(bundle: Path, code: str, members: int, township: Path) -> None:
    """Opened, not trusted: the bundle's own data holds this village and nothing of the others."""
    with sqlite3.connect(bundle / "roster.db") as db:
        assert [r[0] for r in db.execute("SELECT code FROM village")] == [code]
        numbers = [r[0] for r in db.execute("SELECT number FROM member")]
        photos = {r[0] for r in db.execute("SELECT photo FROM member WHERE photo != ''")}
        texts = [r[0] for r in db.execute("SELECT text FROM pledge")]
    db.close()
    assert len(numbers) == members and all(n.startswith(code) for n in numbers)
    assert all(t.startswith(VILLAGES[code][0]) for t in texts)
    carried = {p.stem for p in (bundle / "photos").iterdir()}
    assert carried == photos and len(carried) == members
