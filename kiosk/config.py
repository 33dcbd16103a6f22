"""Kiosk settings: defaults, then `config.toml` in the data directory (or --config), then flags.

One frozen object; every field has a default, so a kiosk runs without any file. A bad value is
refused with a sentence that names the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from kiosk.errors import PledgeWallError
from kiosk.unattended.schedule import ScreenSchedule, parse_schedule

CONFIG_FILENAME = "config.toml"
ROTATIONS = (0, 90, 180, 270)
THEMES = ("red", "contrast")


@dataclass(frozen=True)
class DisplaySettings:
    page_seconds: float = 12.0  # how long a page stays before turning
    summary_every: int = 3  # a summary page after every N wall pages; 0 = never
    grid: tuple[int, int] | None = None  # (columns, rows); None = computed for the screen
    rotate: int = 0  # panel mounted sideways: 90, 180, 270 (clockwise)
    theme: str = "red"
    fullscreen: bool = True
    size: tuple[int, int] | None = None  # window or render size; None = the whole screen
    transition_ms: int = 450
    idle_seconds: float = 60.0  # search/detail left alone this long go back to the wall
    pixel_shift: int = 3  # move everything by up to this many pixels, slowly, against burn-in
    summary_order: str = "post"  # "post": as on the wall; "result": best grade and most kept first


@dataclass(frozen=True)
class SyncSettings:
    trusted_keys: tuple[Path, ...] = ()  # .pub files whose signed bundles this kiosk applies
    allow_unsigned: bool = False  # a plain Excel roster on a stick, after the admin PIN
    kiosk_id: str = ""  # names this kiosk in receipts; "" = the computer's name
    watch_folders: tuple[Path, ...] = ()  # looked into like sticks (odd mount points, network drops)


@dataclass(frozen=True)
class Settings:
    display: DisplaySettings = DisplaySettings()
    sync: SyncSettings = SyncSettings()
    village: str = ""  # which village this kiosk shows ("" = the first in the store)
    feedback_url: str = ""  # overrides the roster's 反馈链接 template when set
    schedule: ScreenSchedule = parse_schedule(None)  # screen lit hours; always on by default


def parse_size(text: str) -> tuple[int, int]:
    """'1920x1080' → (1920, 1080)."""
    try:
        width, height = (int(part) for part in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise PledgeWallError(f"尺寸“{text}”无法识别，应写成 宽x高，例如 1920x1080") from None
    if not (200 <= width <= 10000 and 200 <= height <= 10000):
        raise PledgeWallError(f"尺寸“{text}”超出范围（每边 200–10000 像素）")
    return width, height


def parse_grid(text: str) -> tuple[int, int] | None:
    """'auto' → None, '3x2' → (3, 2) columns × rows."""
    if text.strip().lower() in ("", "auto"):
        return None
    try:
        cols, rows = (int(part) for part in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise PledgeWallError(f"网格“{text}”无法识别，应写成 列x行，例如 3x2，或 auto") from None
    if not (1 <= cols <= 12 and 1 <= rows <= 12):
        raise PledgeWallError(f"网格“{text}”超出范围（每边 1–12）")
    return cols, rows


def check_rotation(value: int) -> int:
    if value not in ROTATIONS:
        raise PledgeWallError(f"旋转角度 {value} 无效，只能是 0、90、180 或 270")
    return value


def load_settings(data_dir: Path, config_file: Path | None = None) -> Settings:
    """Read config.toml (explicit file, else the data directory's, else defaults)."""
    path = config_file or data_dir / CONFIG_FILENAME
    if not path.exists():
        if config_file is not None:
            raise PledgeWallError(f"找不到配置文件 {path}")
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PledgeWallError(f"配置文件 {path} 格式有误：{error}") from None
    return _settings_from(raw, path)


def _settings_from(raw: dict[str, Any], path: Path) -> Settings:
    display_raw = raw.get("display", {})
    known = {f.name for f in fields(DisplaySettings)}
    unknown = set(display_raw) - known
    if unknown:
        raise PledgeWallError(f"配置文件 {path} 的 [display] 里有未知的设置：{', '.join(sorted(unknown))}")
    display = DisplaySettings()
    try:
        for key, value in display_raw.items():
            display = replace(display, **{key: _display_value(key, value)})
        village_raw = raw.get("village", {})
        return Settings(
            display=display,
            village=str(village_raw.get("code", "")),
            feedback_url=str(village_raw.get("feedback_url", "")),
            schedule=parse_schedule(raw.get("schedule"), "[schedule]"),
            sync=_sync_settings(raw.get("sync", {}), path.parent),
        )
    except PledgeWallError as error:
        raise PledgeWallError(f"配置文件 {path}：{error}") from None
    except (TypeError, ValueError) as error:
        raise PledgeWallError(f"配置文件 {path} 里有无效的值：{error}") from None


def _sync_settings(raw: dict[str, Any], base: Path) -> SyncSettings:
    """Key paths are relative to the config file's folder, so a kiosk folder can be copied whole."""
    unknown = set(raw) - {f.name for f in fields(SyncSettings)}
    if unknown:
        raise PledgeWallError(f"[sync] 里有未知的设置：{', '.join(sorted(unknown))}")
    keys = raw.get("trusted_keys", [])
    if isinstance(keys, str) or not all(isinstance(k, str) for k in keys):
        raise PledgeWallError('[sync] trusted_keys 应写成文件列表，例如 ["keys/township.pub"]')
    allow = raw.get("allow_unsigned", False)
    if not isinstance(allow, bool):
        raise PledgeWallError("[sync] allow_unsigned 只能是 true 或 false")
    folders = raw.get("watch_folders", [])
    if isinstance(folders, str) or not all(isinstance(f, str) for f in folders):
        raise PledgeWallError('[sync] watch_folders 应写成文件夹列表，例如 ["/mnt/usb"]')
    return SyncSettings(tuple(base / k for k in keys), allow, str(raw.get("kiosk_id", "")),
                        tuple(Path(f) for f in folders))


def _display_value(key: str, value: Any) -> Any:
    if key == "grid":
        return parse_grid(str(value))
    if key == "size":
        return parse_size(str(value))
    if key == "rotate":
        return check_rotation(int(value))
    if key == "theme":
        if value not in THEMES:
            raise PledgeWallError(f"主题“{value}”不存在，可选：{'、'.join(THEMES)}")
        return value
    if key == "summary_order":
        if value not in ("post", "result"):
            raise PledgeWallError(f"summary_order“{value}”无效，可选：post（按职务）或 result（按评诺结果）")
        return value
    if key == "fullscreen":
        return bool(value)
    if key in ("summary_every", "transition_ms", "pixel_shift"):
        number = int(value)
        if number < 0:
            raise PledgeWallError(f"{key} 不能是负数")
        return number
    seconds = float(value)
    if seconds < 2:
        raise PledgeWallError(f"{key} 至少 2 秒")
    return seconds
