"""Start by itself, restart after a crash: a systemd unit (Linux) or a Startup-folder launcher
(Windows). Pure: these functions return file text; `pledgewall install` writes the files."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

UNIT_NAME = "pledgewall.service"
LAUNCHER_NAME = "pledgewall.vbs"
SYSTEM_UNIT_DIR = Path("/etc/systemd/system")
WATCHDOG_SEC = 30
RESTART_SEC = 3
# `pledgewall run` exits with this status when an admin chooses 退出 (exit) on the kiosk:
# systemd (RestartPreventExitStatus=) and the Windows launcher then do not restart it.
ADMIN_EXIT_STATUS = 10


# --- Linux: systemd ---------------------------------------------------------------------------


def user_unit_dir(environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def systemd_quote(arg: str) -> str:
    """One ExecStart= word: quoted when needed; % and $ escaped (systemd.service(5))."""
    text = arg.replace("%", "%%").replace("$", "$$")
    if text and not any(c in text for c in " \t\"'\\;"):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def pledgewall_command(
    data_dir: Path, *, python: str | None = None, script: str | None = None
) -> list[str]:
    """The absolute command that starts the kiosk: the `pledgewall` script if it is installed
    next to this Python, else `<python> -m kiosk`; then `run --data-dir <absolute dir>`."""
    if script is None and python is None:
        script = find_script()
    if script:
        head = [str(Path(script).absolute())]
    else:
        head = [str(Path(python or sys.executable).absolute()), "-m", "kiosk"]
    return [*head, "run", "--data-dir", str(Path(data_dir).absolute())]


def find_script() -> str | None:
    """The `pledgewall` console script of this environment, if there is one."""
    here = Path(sys.executable).parent
    for name in ("pledgewall", "pledgewall.exe"):
        if (here / name).is_file():
            return str(here / name)
    found = shutil.which("pledgewall")
    return str(Path(found).absolute()) if found else None


def systemd_unit(
    command: Sequence[str],
    *,
    system: bool = False,
    kmsdrm: bool = False,
    user: str | None = None,
    working_dir: Path | None = None,
) -> str:
    """The text of pledgewall.service: Type=notify, Restart=always, a 30 s watchdog."""
    exec_start = " ".join(systemd_quote(part) for part in command)
    lines = [
        "# Pledge Wall (党员承诺公示屏) kiosk — written by `pledgewall install --systemd`.",
        "# The kiosk sends READY=1 after its first frame and WATCHDOG=1 from the render loop;",
        f"# if it hangs for {WATCHDOG_SEC} s systemd kills and restarts it. An admin exit from the",
        f"# kiosk's menu (exit status {ADMIN_EXIT_STATUS}) is not restarted.",
    ]
    if kmsdrm:
        lines += [
            "# SDL_VIDEODRIVER=kmsdrm: no X or Wayland; the kiosk draws straight to the display",
            "# (Raspberry Pi OS Lite). Keep the console free (no desktop running), and run as a",
            "# user in the video, render and input groups: sudo usermod -aG video,render,input USER",
        ]
    lines += [
        "",
        "[Unit]",
        "Description=Pledge Wall (党员承诺公示屏) kiosk",
    ]
    if system:
        lines.append("After=display-manager.service network.target")
        if not kmsdrm:
            lines.append("Wants=display-manager.service")
    else:
        lines += ["After=graphical-session.target", "PartOf=graphical-session.target"]
    lines += [
        "StartLimitIntervalSec=0",  # never give up restarting
        "",
        "[Service]",
        "Type=notify",
        "NotifyAccess=main",
        f"ExecStart={exec_start}",
        "Restart=always",
        f"RestartSec={RESTART_SEC}",
        f"RestartPreventExitStatus={ADMIN_EXIT_STATUS}",
        f"WatchdogSec={WATCHDOG_SEC}",
        "TimeoutStartSec=120",
        "Environment=PYTHONUNBUFFERED=1",
    ]
    if working_dir is not None:
        lines.append(f"WorkingDirectory={systemd_quote(str(working_dir))}")
    if kmsdrm:
        lines.append("Environment=SDL_VIDEODRIVER=kmsdrm")
    if system:
        if user:
            lines.append(f"User={user}")
        if kmsdrm:
            lines.append("SupplementaryGroups=video render input")
        else:
            lines += [
                "# An X desktop on display :0; if it refuses the connection, also set",
                "# Environment=XAUTHORITY=/home/USER/.Xauthority",
                "Environment=DISPLAY=:0",
            ]
    lines += [
        "",
        "[Install]",
        "WantedBy="
        + (
            ("multi-user.target" if kmsdrm else "graphical.target")
            if system
            else "graphical-session.target"
        ),
        "",
    ]
    return "\n".join(lines)


def systemd_commands(*, system: bool) -> list[str]:
    """What to run after writing the unit."""
    ctl = "sudo systemctl" if system else "systemctl --user"
    commands = [f"{ctl} daemon-reload", f"{ctl} enable --now {UNIT_NAME}"]
    if not system:
        # start at boot without anyone at the keyboard (with desktop auto-login)
        commands.append("sudo loginctl enable-linger $USER")
    return commands


# --- Windows: Startup folder ------------------------------------------------------------------


def startup_dir(environ: dict[str, str] | None = None) -> Path:
    """%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup"""
    env = os.environ if environ is None else environ
    appdata = env.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    return Path(appdata) / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup"


def pythonw_path(python: str | None = None) -> str:
    """pythonw.exe next to python.exe (no console window)."""
    return str(Path(python or sys.executable).with_name("pythonw.exe"))


def _vbs_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def windows_command_line(pythonw: str, data_dir: str | None = None) -> str:
    """`"C:\\…\\pythonw.exe" -m kiosk run [--data-dir "D:\\…"]` as one Windows command line."""
    line = f'"{pythonw}" -m kiosk run'
    if data_dir:
        line += f' --data-dir "{data_dir}"'
    return line


def windows_launcher(pythonw: str, data_dir: str | None = None, *, pause_seconds: int = 5) -> str:
    """A .vbs for the Startup folder: starts the kiosk hidden and starts it again whenever it
    exits, after a pause, unless an admin closed it (exit status ADMIN_EXIT_STATUS).

    Write it as UTF-16 with a BOM (see `launcher_bytes`) so Chinese paths survive.
    """
    command = windows_command_line(pythonw, data_dir)
    lines = [
        "' Pledge Wall (党员承诺公示屏) kiosk — written by `pledgewall install --windows`.",
        "' Starts the kiosk at logon without a console window, and restarts it if it stops.",
        f"' An admin exit from the kiosk's menu (exit status {ADMIN_EXIT_STATUS}) ends the loop.",
        "' To stop autostart, delete this file from the Startup folder.",
        "Option Explicit",
        "Dim shell, status",
        'Set shell = CreateObject("WScript.Shell")',
        "Do",
        f"    status = shell.Run({_vbs_string(command)}, 0, True)",
        f"    If status = {ADMIN_EXIT_STATUS} Then Exit Do",
        f"    WScript.Sleep {pause_seconds * 1000}",
        "Loop",
        "",
    ]
    return "\r\n".join(lines)


def launcher_bytes(text: str) -> bytes:
    """UTF-16 LE with BOM: the Unicode encoding Windows Script Host reads."""
    return b"\xff\xfe" + text.encode("utf-16-le")


def task_scheduler_command(launcher: str) -> str:
    """The Task Scheduler alternative: run the same launcher at logon (no Startup folder)."""
    return f'schtasks /Create /TN "PledgeWall" /SC ONLOGON /RL LIMITED /F /TR "wscript.exe \\"{launcher}\\""'


WINDOWS_NOTES = """\
自动启动（Windows）：
  登录时，“启动”文件夹里的 pledgewall.vbs 在后台（无窗口）启动公示屏；程序退出后 {pause} 秒自动重启，
  管理员从菜单退出时不再重启。要取消自动启动，删除该文件即可。
  无人值守时请设置开机自动登录（运行 netplwiz，取消“要使用本计算机，用户必须输入用户名和密码”）。
另一种方式（任务计划程序，不用“启动”文件夹）：
  {schtasks}
  或在“任务计划程序”里新建任务：触发器“登录时”，操作“启动程序” wscript.exe，参数为 "{launcher}"；
  在“设置”里勾选“如果任务失败，按以下频率重新启动：1 分钟”。"""
