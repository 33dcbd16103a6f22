"""`pledgewall install` run for real: --dry-run prints, otherwise files are written."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from kiosk.commands.install import install
from kiosk.errors import PledgeWallError
from kiosk.unattended import service


def run(*args: str):
    return CliRunner().invoke(install, list(args), catch_exceptions=True)


def test_help_documents_both_platforms() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for words in ("--systemd", "--windows", "kmsdrm", "Startup", "schtasks"):
        assert words in result.output


def test_systemd_dry_run_writes_nothing(tmp_path: Path) -> None:
    result = run(
        "--systemd",
        "--dry-run",
        "--data-dir",
        str(tmp_path / "data"),
        "--unit-dir",
        str(tmp_path / "units"),
    )
    assert result.exit_code == 0, result.output
    assert "Type=notify" in result.output and "WatchdogSec=30" in result.output
    assert f"run --data-dir {tmp_path / 'data'}" in result.output
    assert "systemctl --user enable --now pledgewall.service" in result.output
    assert not (tmp_path / "units").exists()


def test_systemd_writes_the_unit(tmp_path: Path) -> None:
    units = tmp_path / "units"
    result = run(
        "--systemd",
        "--system",
        "--kmsdrm",
        "--user-name",
        "kiosk",
        "--data-dir",
        str(tmp_path / "d"),
        "--unit-dir",
        str(units),
    )
    assert result.exit_code == 0, result.output
    text = (units / service.UNIT_NAME).read_text(encoding="utf-8")
    assert "Environment=SDL_VIDEODRIVER=kmsdrm" in text.splitlines()
    assert "User=kiosk" in text.splitlines()
    assert "sudo systemctl enable --now pledgewall.service" in result.output
    assert not list(units.glob("*.tmp"))


def test_unwritable_unit_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("--systemd", "--unit-dir", str(blocker / "sub"), "--data-dir", str(tmp_path))
    assert isinstance(result.exception, PledgeWallError)
    assert str(blocker / "sub" / service.UNIT_NAME) in str(result.exception)


def test_windows_into_a_startup_dir(tmp_path: Path) -> None:
    startup = tmp_path / "Startup"
    result = run(
        "--windows",
        "--startup-dir",
        str(startup),
        "--python",
        r"C:\Py\python.exe",
        "--data-dir",
        str(tmp_path / "数据"),
    )
    assert result.exit_code == 0, result.output
    data = (startup / service.LAUNCHER_NAME).read_bytes()
    text = data[2:].decode("utf-16-le")
    assert data[:2] == b"\xff\xfe"
    assert "pythonw.exe" in text and "-m kiosk run" in text and "数据" in text
    assert "schtasks /Create" in result.output  # the Task Scheduler alternative


def test_windows_dry_run(tmp_path: Path) -> None:
    result = run("--windows", "--dry-run", "--startup-dir", str(tmp_path / "S"))
    assert result.exit_code == 0, result.output
    assert (
        "shell.Run(" in result.output
        and "--data-dir" not in result.output.split("Loop")[0].split("shell.Run(")[1]
    )
    assert not (tmp_path / "S").exists()


def test_windows_elsewhere_needs_dry_run_or_a_dir() -> None:
    result = run("--windows")
    if sys.platform == "win32":  # pragma: no cover
        return
    assert isinstance(result.exception, PledgeWallError)


def test_a_target_is_required() -> None:
    result = run("--dry-run")
    assert result.exit_code == 2 and "--systemd" in result.output
    result = run("--windows", "--kmsdrm", "--dry-run")
    assert result.exit_code == 2


def test_registered_in_the_cli() -> None:
    from kiosk.cli import main

    assert "install" in main.commands
