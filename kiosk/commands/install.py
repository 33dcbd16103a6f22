"""`pledgewall install`: start the kiosk by itself at boot/logon and restart it after a crash."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from kiosk.commands.options import data_dir_option
from kiosk.errors import PledgeWallError
from kiosk.paths import data_dir as resolve_data_dir
from kiosk.unattended import service

HELP = f"""Start the kiosk automatically and restart it when it stops.

\b
Linux (systemd):
  pledgewall install --systemd            user unit in ~/.config/systemd/user (desktop auto-login)
  pledgewall install --systemd --system  /etc/systemd/system (run with sudo; add --user-name)
  pledgewall install --systemd --system --kmsdrm
                                          Raspberry Pi without a desktop: SDL draws straight to
                                          the screen (SDL_VIDEODRIVER=kmsdrm); the user needs the
                                          video, render and input groups
  The unit uses Type=notify, Restart=always (after {service.RESTART_SEC} s) and a {service.WATCHDOG_SEC} s watchdog.

\b
Windows:
  pledgewall install --windows            pledgewall.vbs in the Startup folder
                                          (%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup):
                                          starts the kiosk hidden at logon, restarts it if it exits.
  Task Scheduler alternative (same launcher, no Startup folder):
    schtasks /Create /TN "PledgeWall" /SC ONLOGON /RL LIMITED /F /TR "wscript.exe \\"<launcher>\\""

--dry-run prints the file and the commands without writing anything.
"""


@click.command(help=HELP)
@click.option("--systemd", "target", flag_value="systemd", help="Install a systemd unit (Linux).")
@click.option(
    "--windows", "target", flag_value="windows", help="Install a Startup-folder launcher (Windows)."
)
@click.option(
    "--system",
    is_flag=True,
    help="systemd: a system unit in /etc/systemd/system instead of a user unit.",
)
@click.option(
    "--kmsdrm",
    is_flag=True,
    help="systemd: set SDL_VIDEODRIVER=kmsdrm (Raspberry Pi without X/Wayland).",
)
@click.option(
    "--user-name",
    help="systemd --system: the account the kiosk runs as (default: you, or $SUDO_USER).",
)
@click.option(
    "--unit-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="systemd: write the unit here instead.",
)
@click.option(
    "--startup-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Windows: write the launcher here instead of the Startup folder.",
)
@click.option(
    "--python",
    "python",
    help="Windows: the python.exe whose pythonw.exe runs the kiosk (default: this one).",
)
@data_dir_option
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
def install(
    target: str | None,
    system: bool,
    kmsdrm: bool,
    user_name: str | None,
    unit_dir: Path | None,
    startup_dir: Path | None,
    python: str | None,
    data_dir: Path | None,
    dry_run: bool,
) -> None:
    if target is None:
        raise click.UsageError("请选择 --systemd（Linux）或 --windows。")
    directory = resolve_data_dir(data_dir).absolute()
    if target == "systemd":
        _install_systemd(
            directory,
            system=system,
            kmsdrm=kmsdrm,
            user_name=user_name,
            unit_dir=unit_dir,
            dry_run=dry_run,
        )
    else:
        if system or kmsdrm or unit_dir:
            raise click.UsageError("--system、--kmsdrm、--unit-dir 只用于 --systemd。")
        _install_windows(
            directory,
            explicit_data_dir=data_dir is not None,
            startup_dir=startup_dir,
            python=python,
            dry_run=dry_run,
        )


def _install_systemd(
    directory: Path,
    *,
    system: bool,
    kmsdrm: bool,
    user_name: str | None,
    unit_dir: Path | None,
    dry_run: bool,
) -> None:
    user = None
    if system:
        user = user_name or _invoking_user()
    text = service.systemd_unit(
        service.pledgewall_command(directory), system=system, kmsdrm=kmsdrm, user=user
    )
    folder = unit_dir or (service.SYSTEM_UNIT_DIR if system else service.user_unit_dir())
    path = folder / service.UNIT_NAME
    commands = service.systemd_commands(system=system)
    if dry_run:
        click.echo(f"# {path}（--dry-run：未写入）")
        click.echo(text)
    else:
        _write(
            path,
            text.encode("utf-8"),
            hint="系统服务需要管理员权限：请用 sudo 运行，或去掉 --system 安装用户服务。",
        )
        click.echo(f"已写入 {path}")
    click.echo("然后运行：")
    for command in commands:
        click.echo(f"  {command}")
    click.echo(
        f"查看状态：{'sudo systemctl' if system else 'systemctl --user'} status {service.UNIT_NAME}；"
        f"日志：journalctl {'' if system else '--user '}-u {service.UNIT_NAME}，以及 {directory / 'logs'}"
    )
    if not system:
        click.echo(
            "用户服务随桌面会话（graphical-session.target）启动：请为这个账户开启桌面自动登录。"
        )


def _install_windows(
    directory: Path,
    *,
    explicit_data_dir: bool,
    startup_dir: Path | None,
    python: str | None,
    dry_run: bool,
) -> None:
    if sys.platform != "win32" and not dry_run and startup_dir is None:
        raise PledgeWallError(
            "--windows 要在 Windows 上运行；在其他系统上只能配合 --dry-run 或 --startup-dir 使用。"
        )
    pythonw = service.pythonw_path(python)
    # Only pin the data directory when asked: on Windows the default is per user anyway.
    text = service.windows_launcher(pythonw, str(directory) if explicit_data_dir else None)
    folder = startup_dir or service.startup_dir()
    path = folder / service.LAUNCHER_NAME
    if dry_run:
        click.echo(f"# {path}（--dry-run：未写入）")
        click.echo(text.replace("\r\n", "\n"))
    else:
        _write(path, service.launcher_bytes(text), hint="请检查“启动”文件夹是否可写。")
        click.echo(f"已写入 {path}")
    click.echo(
        service.WINDOWS_NOTES.format(
            pause=5, schtasks=service.task_scheduler_command(str(path)), launcher=path
        )
    )


def _write(path: Path, data: bytes, *, hint: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(path.name + ".tmp")
        temp.write_bytes(data)
        temp.replace(path)
    except PermissionError:
        raise PledgeWallError(f"没有权限写入 {path}。{hint}") from None
    except OSError as error:
        raise PledgeWallError(f"无法写入 {path}：{error.strerror or error}。{hint}") from None


def _invoking_user() -> str:
    import os

    return os.environ.get("SUDO_USER") or getpass.getuser()


COMMANDS = [install]
