"""The systemd unit and the Windows launcher say what they must."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.unattended import service

DATA = Path("/srv/pledge wall/数据")


def unit(**kwargs) -> str:
    return service.systemd_unit(
        service.pledgewall_command(DATA, script="/opt/pw/bin/pledgewall"), **kwargs
    )


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_user_unit() -> None:
    text = lines(unit())
    for line in [
        "Type=notify",
        "Restart=always",
        "RestartSec=3",
        "WatchdogSec=30",
        f"RestartPreventExitStatus={service.ADMIN_EXIT_STATUS}",
        'ExecStart=/opt/pw/bin/pledgewall run --data-dir "/srv/pledge wall/数据"',
        "After=graphical-session.target",
        "WantedBy=graphical-session.target",
    ]:
        assert line in text
    assert not any(line.startswith("Environment=SDL_VIDEODRIVER") for line in text)
    assert not any(line.startswith("User=") for line in text)


def test_system_unit_with_kmsdrm() -> None:
    text = lines(unit(system=True, kmsdrm=True, user="kiosk"))
    assert "After=display-manager.service network.target" in text
    assert "Environment=SDL_VIDEODRIVER=kmsdrm" in text
    assert "User=kiosk" in text
    assert "WantedBy=multi-user.target" in text
    assert any("kmsdrm" in line and line.startswith("#") for line in text)  # documented


def test_system_unit_for_a_desktop() -> None:
    text = lines(unit(system=True, user="kiosk"))
    assert "Environment=DISPLAY=:0" in text
    assert "WantedBy=graphical.target" in text
    assert not any("SDL_VIDEODRIVER" in line and not line.startswith("#") for line in text)


def test_python_fallback_and_quoting() -> None:
    command = service.pledgewall_command(Path("/tmp/a%b$c"), python="/usr/bin/python3")
    assert command[:3] == ["/usr/bin/python3", "-m", "kiosk"]
    exec_line = next(x for x in lines(service.systemd_unit(command)) if x.startswith("ExecStart="))
    assert exec_line == "ExecStart=/usr/bin/python3 -m kiosk run --data-dir /tmp/a%%b$$c"
    assert service.systemd_quote('say "hi"\\') == '"say \\"hi\\"\\\\"'


def test_commands_to_enable() -> None:
    assert "systemctl --user enable --now pledgewall.service" in service.systemd_commands(
        system=False
    )
    assert "sudo systemctl enable --now pledgewall.service" in service.systemd_commands(system=True)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"system": True, "user": "root"},
        {"system": True, "kmsdrm": True, "user": "root"},
        {"kmsdrm": True},
    ],
)
def test_systemd_analyze_verify(tmp_path: Path, options) -> None:
    executable = tmp_path / "pledgewall"
    executable.write_text("#!/bin/sh\n")
    executable.chmod(0o755)
    path = tmp_path / "pledgewall.service"
    path.write_text(
        service.systemd_unit(
            service.pledgewall_command(tmp_path, script=str(executable)), **options
        )
    )
    result = subprocess.run(
        ["systemd-analyze", "verify", str(path)], capture_output=True, text=True, timeout=60
    )
    if "Failed to initialize manager" in result.stderr:
        pytest.skip("systemd-analyze cannot start a manager here")
    complaints = [
        line for line in (result.stdout + result.stderr).splitlines() if path.name in line
    ]
    assert result.returncode == 0 and complaints == [], result.stderr


def test_windows_launcher() -> None:
    text = service.windows_launcher(r"C:\Python311\pythonw.exe", r"D:\党员 数据")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert (
        'shell.Run("""C:\\Python311\\pythonw.exe"" -m kiosk run --data-dir ""D:\\党员 数据""", 0, True)'
        in text
    )
    assert "Do" in lines(text) and "Loop" in lines(text)
    assert f"    If status = {service.ADMIN_EXIT_STATUS} Then Exit Do" in lines(text)
    assert "    WScript.Sleep 5000" in lines(text)
    data = service.launcher_bytes(text)
    assert data[:2] == b"\xff\xfe" and data[2:].decode("utf-16-le") == text


def test_windows_locations() -> None:
    env = {"APPDATA": r"C:\Users\张三\AppData\Roaming"}
    startup = service.startup_dir(env)
    assert startup.parts[-4:] == ("Microsoft", "Windows", "Start Menu", "Programs", "Startup")[-4:]
    assert service.pythonw_path("/x/python.exe").endswith("pythonw.exe")
    assert "wscript.exe" in service.task_scheduler_command(r"C:\s\pledgewall.vbs")
