"""The wall commands run for real: render a PNG, status as JSON, run a few frames headless."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest
from click.testing import CliRunner
from conftest import make_roster

from kiosk.cli import main
from kiosk.store.db import open_engine
from kiosk.store.write import replace_villages


@pytest.fixture
def filled(data_dir: Path) -> Path:
    engine = open_engine(data_dir)
    replace_villages(engine, make_roster(9))
    engine.dispose()
    return data_dir


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_render_writes_the_page_at_the_asked_size(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "wall.png"
    code, output = run("render", "--data-dir", str(filled), "--out", str(out), "--size", "1366x768",
                       "--at", "2026-11-23 09:30")
    assert code == 0, output
    assert pygame.image.load(str(out)).get_size() == (1366, 768)


def test_render_summary_and_rotated_portrait(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.png"
    assert run("render", "--data-dir", str(filled), "--out", str(out), "--summary")[0] == 0
    assert pygame.image.load(str(out)).get_size() == (1920, 1080)
    out = tmp_path / "portrait.png"
    assert run("render", "--data-dir", str(filled), "--out", str(out), "--rotate", "90")[0] == 0
    assert pygame.image.load(str(out)).get_size() == (1080, 1920)


def test_render_a_missing_page_is_one_clear_line(filled: Path, tmp_path: Path) -> None:
    code, output = run("render", "--data-dir", str(filled), "--out", str(tmp_path / "x.png"), "--page", "9")
    assert code == 1
    assert "第 9 页不存在" in output and "Traceback" not in output


def test_render_without_a_store_says_so(tmp_path: Path) -> None:
    code, output = run("render", "--data-dir", str(tmp_path / "nothing"), "--out", str(tmp_path / "x.png"))
    assert code == 1 and "没有找到数据库" in output


def test_status_json_counts(filled: Path) -> None:
    code, output = run("status", "--data-dir", str(filled), "--json")
    assert code == 0
    facts = json.loads(output)
    assert (facts["villages"], facts["members"]) == (1, 9)
    assert facts["pledges"] == sum(2 + i % 3 for i in range(9))
    assert facts["data_version"] == 1 and facts["last_update"]


def test_data_dir_from_the_environment(filled: Path) -> None:
    result = CliRunner().invoke(main, ["status", "--json"], env={"PLEDGEWALL_DATA_DIR": str(filled)})
    assert json.loads(result.output)["members"] == 9


def test_run_shows_frames_headless_and_stops(filled: Path) -> None:
    code, output = run("run", "--data-dir", str(filled), "--windowed", "--size", "800x600", "--max-frames", "3")
    assert code == 0, output


def test_bad_config_is_one_line_naming_the_file(filled: Path, tmp_path: Path) -> None:
    (filled / "config.toml").write_text("[display]\nrotate = 45\n", encoding="utf-8")
    code, output = run("render", "--data-dir", str(filled), "--out", str(tmp_path / "x.png"))
    assert code == 1 and "config.toml" in output and "45" in output


def test_demo_loads_the_village_and_runs_headless(tmp_path: Path) -> None:
    code, output = run("demo", "--data-dir", str(tmp_path / "demo"), "--size", "800x600", "--max-frames", "2")
    assert code == 0, output
    facts = json.loads(run("status", "--data-dir", str(tmp_path / "demo"), "--json")[1])
    assert facts["members"] == 18 and facts["pledges"] >= 40
    from kiosk.store.snapshot import load_snapshot

    cards = load_snapshot(open_engine(tmp_path / "demo")).cards
    with_photo = [c for c in cards if c.member.photo]
    assert len(with_photo) == 17  # one member has none: the placeholder shows
    assert all((tmp_path / "demo" / "photos" / c.member.photo[:2] / f"{c.member.photo}.jpg").exists() for c in with_photo)
