"""`pledgewall roster template|check` and `pledgewall import`, run for real; the store checked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rosterfiles import canonical, write_xlsx

from kiosk.store.db import open_engine
from kiosk.store.snapshot import load_snapshot

try:
    from kiosk.cli import main
except ModuleNotFoundError as missing:  # pragma: no cover - while a colleague's module is absent
    pytest.skip(f"the CLI cannot be imported yet ({missing})", allow_module_level=True)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def snapshot(data_dir: Path, code: str | None = None):  # type: ignore[no-untyped-def]
    engine = open_engine(data_dir)
    try:
        return load_snapshot(engine, code)
    finally:
        engine.dispose()


def test_template_has_every_sheet_and_passes_its_own_check(tmp_path: Path, data_dir: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "模板.xlsx"
    code, output = run("roster", "template", path)
    assert code == 0, output
    book = load_workbook(path)
    assert book.sheetnames == ["设置", "党员", "承诺", "评诺", "公告", "反馈汇总"]
    assert [c.value for c in book["承诺"][1]] == [
        "编号", "姓名", "年度", "方面", "承诺内容", "践诺措施", "完成时限", "状态", "进度", "未兑现原因", "践诺记录", "承诺编号"]
    assert book["党员"].freeze_panes == "A2"
    assert book["承诺"].column_dimensions["E"].width >= 30
    lists = {(ws.title, dv.formula1) for ws in book for dv in ws.data_validations.dataValidation}
    assert ("承诺", '"已完成,进行中,未开始,未完成"') in lists
    assert ("评诺", '"优秀,合格,基本合格,不合格"') in lists
    assert ("党员", '"正式,预备"') in lists
    assert ("评诺", '"是,否"') in lists
    code, output = run("roster", "check", path)
    assert code == 0, output
    assert output.strip().endswith("0 个错误，0 个警告，0 条提示")
    code, output = run("import", path, "--data-dir", data_dir)
    assert code == 0, output
    snap = snapshot(data_dir)
    assert snap.village is not None and snap.village.name == "青山村"
    assert [c.member.name for c in snap.cards] == ["王喆"]


def test_check_prints_every_problem_with_its_place_and_fails(tmp_path: Path) -> None:
    sheets = canonical()
    sheets["承诺"][4][7] = "搞定"
    sheets["承诺"][3][9] = None
    path = write_xlsx(tmp_path / "r.xlsx", sheets)
    code, output = run("roster", "check", path)
    assert code == 1
    lines = output.strip().splitlines()
    assert "错误 承诺!H5 (状态): 无法识别的状态“搞定”，应为 已完成/进行中/未开始/未完成" in lines
    assert any(line.startswith("警告 承诺!J4 (未兑现原因)") for line in lines)
    assert lines[-1] == "1 个错误，1 个警告，0 条提示"
    code, output = run("roster", "check", path, "--lang", "en")
    assert code == 1
    assert "ERROR 承诺!H5 (状态): unknown status “搞定”" in output
    assert output.strip().splitlines()[-1] == "1 errors, 1 warnings, 0 notes"


def test_unreadable_file_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    code, output = run("roster", "check", path)
    assert code == 1
    assert output.count("\n") == 1 and output.startswith("错误：无法读取 bad.xlsx")


def test_import_stores_the_roster_and_no_private_data(tmp_path: Path, data_dir: Path) -> None:
    sheets = canonical()
    sheets["党员"][0].append("身份证号")
    for row in sheets["党员"][1:]:
        row.append("110101199001011234")
    path = write_xlsx(tmp_path / "r.xlsx", sheets)
    code, output = run("import", path, "--data-dir", data_dir)
    assert code == 0, output
    assert "已导入 1 个村，党员 3 名，承诺 4 条" in output
    snap = snapshot(data_dir, "QSC")
    assert [c.member.number for c in snap.cards][:1] == ["M001"]
    assert snap.pledge_count == 4
    card = next(c for c in snap.cards if c.member.number == "M002")
    assert card.pledges[0].reason_not_kept == "资金未到位"
    for db_file in data_dir.glob("pledgewall.db*"):
        assert "110101199001011234".encode() not in db_file.read_bytes()


def test_refused_import_leaves_the_store_untouched(tmp_path: Path, data_dir: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", canonical())
    assert run("import", good, "--data-dir", data_dir)[0] == 0
    before = snapshot(data_dir, "QSC")
    sheets = canonical()
    sheets["党员"][2][0] = "M001"  # duplicate number
    sheets["党员"][1][1] = "改了名字"
    bad = write_xlsx(tmp_path / "bad.xlsx", sheets)
    code, output = run("import", bad, "--data-dir", data_dir)
    assert code == 1
    assert "未导入" in output
    assert snapshot(data_dir, "QSC") == before


def test_reimporting_the_same_file_gives_the_same_snapshot(tmp_path: Path, data_dir: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", canonical())
    assert run("import", path, "--data-dir", data_dir)[0] == 0
    first = snapshot(data_dir, "QSC")
    assert run("import", path, "--data-dir", data_dir)[0] == 0
    second = snapshot(data_dir, "QSC")
    assert (second.village, second.cards, second.notices) == (first.village, first.cards, first.notices)
    assert second.data_version == first.data_version + 1


def test_import_with_photos(tmp_path: Path, data_dir: Path) -> None:
    pytest.importorskip("kiosk.ingest.photos")
    pytest.importorskip("kiosk.store.photos")
    from PIL import Image

    photos = tmp_path / "photos"
    photos.mkdir()
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 120, 90)).save(buffer, "JPEG")
    (photos / "M001.jpg").write_bytes(buffer.getvalue())
    (photos / "M002.jpg").write_text("not a photo")
    sheets = canonical()
    sheets["党员"][3][6] = "张赟.png"  # named but missing
    path = write_xlsx(tmp_path / "r.xlsx", sheets)
    code, output = run("import", path, "--photos", photos, "--data-dir", data_dir)
    assert code == 0, output
    assert "警告 党员!G4 (照片): 照片“张赟.png”" in output
    assert "M002.jpg" in output  # the unreadable one is named
    cards = {c.member.number: c.member for c in snapshot(data_dir, "QSC").cards}
    assert len(cards["M001"].photo) == 64 and cards["M002"].photo == "" and cards["M003"].photo == ""
    assert list((data_dir / "photos").rglob(cards["M001"].photo + "*"))
    code, output = run("roster", "check", path, "--photos", photos)
    assert code == 0 and "M002.jpg" in output


def test_missing_photos_folder_is_a_clear_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", canonical())
    code, output = run("roster", "check", path, "--photos", tmp_path / "nope")
    assert code == 1 and "照片文件夹" in output
