"""Import → export → import changes nothing; formula-like text is never a formula."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from kiosk.cli import main
from kiosk.paths import demo_files
from kiosk.store.db import open_engine
from kiosk.store.read import read_roster
from kiosk.store.snapshot import load_snapshot
from kiosk.store.write import replace_villages

runner = CliRunner()
FORMULAS = ["=1+1", "+86 139 0000 0000", "-5 分", "@SUM(A1)", "=HYPERLINK(\"http://evil\",\"点我\")"]


def invoke(*args: object) -> str:
    result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def stored(data: Path):  # type: ignore[no-untyped-def]
    engine = open_engine(data)
    try:
        return read_roster(engine), load_snapshot(engine)
    finally:
        engine.dispose()


def test_demo_round_trip_changes_nothing(tmp_path: Path) -> None:
    demo = Path(str(demo_files()))
    data = tmp_path / "data"
    invoke("import", demo / "roster.xlsx", "--photos", demo / "photos", "--data-dir", data)
    before, snapshot_before = stored(data)
    out = invoke("export", "--data-dir", data, "--out", tmp_path / "export.xlsx", "--photos-out", tmp_path / "photos")
    assert "党员 18 名" in out and "照片 17 张" in out
    invoke("import", tmp_path / "export.xlsx", "--photos", tmp_path / "photos", "--data-dir", data)
    after, snapshot_after = stored(data)
    assert after == before
    assert snapshot_after.cards == snapshot_before.cards and snapshot_after.notices == snapshot_before.notices


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    from tests.conftest import make_roster

    roster = make_roster(3)
    village = roster.villages[0]
    pledges = tuple(dataclasses.replace(p, text=FORMULAS[i % len(FORMULAS)], measures=FORMULAS[(i + 1) % len(FORMULAS)])
                    for i, p in enumerate(village.pledges))
    data = tmp_path / "data"
    engine = open_engine(data)
    replace_villages(engine, type(roster)((dataclasses.replace(village, pledges=pledges),)))
    engine.dispose()
    before, _ = stored(data)
    invoke("export", "--data-dir", data, "--out", tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")["承诺"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.value in FORMULAS]
    assert len(cells) == 2 * len(pledges)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)  # text, shown as typed, never run
    fresh = tmp_path / "fresh"
    invoke("import", tmp_path / "out.xlsx", "--data-dir", fresh)
    after, _ = stored(fresh)
    assert [p.text for p in after.villages[0].pledges] == [p.text for p in before.villages[0].pledges]
    assert after == before


def test_a_township_exports_with_a_village_column(tmp_path: Path) -> None:
    from tests.conftest import make_roster

    data = tmp_path / "data"
    engine = open_engine(data)
    numbered = make_roster(2, code="HSC", name="红石村", seed=2)
    replace_villages(engine, type(numbered)(make_roster(3).villages + numbered.villages))
    engine.dispose()
    before, _ = stored(data)
    invoke("export", "--data-dir", data, "--out", tmp_path / "town.xlsx")
    assert load_workbook(tmp_path / "town.xlsx")["党员"]["H1"].value == "村"
    shutil.rmtree(data)
    invoke("import", tmp_path / "town.xlsx", "--data-dir", data)
    assert stored(data)[0] == before
