from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import Settings, load_settings, parse_grid, parse_size
from kiosk.errors import PledgeWallError


def test_defaults_without_a_file(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()


def test_file_values_are_read(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[display]\npage_seconds = 20\ngrid = "4x2"\nrotate = 90\ntheme = "contrast"\n'
        '[village]\ncode = "QSC"\nfeedback_url = "https://x.cn/?m={member_id}"\n',
        encoding="utf-8",
    )
    settings = load_settings(tmp_path)
    assert settings.display.page_seconds == 20
    assert settings.display.grid == (4, 2)
    assert settings.display.rotate == 90
    assert settings.display.theme == "contrast"
    assert settings.village == "QSC"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("[display]\nrotate = 45\n", "45"),
        ("[display]\ncolour = 1\n", "colour"),
        ("[display]\ngrid = 'big'\n", "big"),
        ("[display\n", "格式有误"),
        ("[display]\npage_seconds = 0.5\n", "page_seconds"),
    ],
)
def test_bad_values_name_the_file_and_the_key(tmp_path: Path, body: str, fragment: str) -> None:
    (tmp_path / "config.toml").write_text(body, encoding="utf-8")
    with pytest.raises(PledgeWallError) as error:
        load_settings(tmp_path)
    assert "config.toml" in str(error.value) and fragment in str(error.value)


def test_sizes_and_grids() -> None:
    assert parse_size("1920x1080") == (1920, 1080)
    assert parse_size("1080×1920") == (1080, 1920)
    assert parse_grid("auto") is None and parse_grid("3x2") == (3, 2)
    with pytest.raises(PledgeWallError):
        parse_size("huge")


def test_sync_settings_resolve_key_paths_beside_the_config(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[sync]\ntrusted_keys = ["keys/township.pub"]\nallow_unsigned = true\nkiosk_id = "青山村-1"\n'
        'watch_folders = ["/mnt/usb"]\n', encoding="utf-8")
    sync = load_settings(tmp_path).sync
    assert sync.trusted_keys == (tmp_path / "keys" / "township.pub",)
    assert (sync.allow_unsigned, sync.kiosk_id, sync.watch_folders) == (True, "青山村-1", (Path("/mnt/usb"),))


@pytest.mark.parametrize(("body", "fragment"), [
    ('[sync]\ntrusted_keys = "a.pub"\n', "trusted_keys"),
    ('[sync]\nallow_unsigned = "yes"\n', "allow_unsigned"),
    ('[sync]\ntrusted = []\n', "未知的设置"),
])
def test_bad_sync_settings_are_named(tmp_path: Path, body: str, fragment: str) -> None:
    (tmp_path / "config.toml").write_text(body, encoding="utf-8")
    with pytest.raises(PledgeWallError, match=fragment):
        load_settings(tmp_path)
