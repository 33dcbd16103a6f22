"""`pledgewall run`, `demo` and `render`: the wall on a screen, or as a picture."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING

import click

from kiosk.commands.options import data_dir_option
from kiosk.config import Settings, check_rotation, load_settings, parse_grid, parse_size
from kiosk.errors import PledgeWallError
from kiosk.paths import data_dir as resolve_data_dir
from kiosk.paths import demo_data_dir, demo_files
from kiosk.unattended.logs import setup_logging

if TYPE_CHECKING:  # the display stack is imported by the commands that show something
    from kiosk.app.loop import RunOptions


def display_options(command):  # type: ignore[no-untyped-def]
    """Flags that override the [display] settings of config.toml."""
    for option in reversed(
        [
            click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Settings file (default: config.toml in the data directory)."),
            click.option("--size", help="Window or picture size, e.g. 1920x1080 or 1080x1920."),
            click.option("--rotate", type=click.Choice(["0", "90", "180", "270"]), help="Panel turned clockwise by this many degrees."),
            click.option("--grid", help="Cards per page as columns x rows, e.g. 3x2 (default: auto)."),
            click.option("--page-seconds", type=float, help="Seconds before the page turns."),
            click.option("--theme", type=click.Choice(["red", "contrast"]), help="Colour theme."),
        ]
    ):
        command = option(command)
    return command


def settings_for(data_dir: Path, config_file: Path | None, *, size: str | None, rotate: str | None,
                 grid: str | None, page_seconds: float | None, theme: str | None) -> Settings:
    settings = load_settings(data_dir, config_file)
    display = settings.display
    if size:
        display = replace(display, size=parse_size(size))
    if rotate is not None:
        display = replace(display, rotate=check_rotation(int(rotate)))
    if grid:
        display = replace(display, grid=parse_grid(grid))
    if page_seconds is not None:
        display = replace(display, page_seconds=max(2.0, page_seconds))
    if theme:
        display = replace(display, theme=theme)
    return replace(settings, display=display)


def _start(data_dir: Path, settings: Settings, options: RunOptions) -> None:
    from kiosk.app.display import NoDisplayError, open_video
    from kiosk.app.loop import run_kiosk

    try:
        open_video()
    except NoDisplayError:
        raise PledgeWallError(
            f"这里没有可用的显示器（no display）。可以把公示屏画成图片：pledgewall render --data-dir {data_dir} --out wall.png"
        ) from None
    status = run_kiosk(data_dir, settings, options)
    if status:
        raise click.exceptions.Exit(status)


@click.command()
@data_dir_option
@display_options
@click.option("--windowed", is_flag=True, help="A window instead of full screen (development).")
@click.option("--max-frames", type=int, hidden=True)
def run(data_dir: Path | None, config_file: Path | None, size: str | None, rotate: str | None, grid: str | None,
        page_seconds: float | None, theme: str | None, windowed: bool, max_frames: int | None) -> None:
    """Show the wall (full screen: the kiosk mode)."""
    from kiosk.unattended import stop

    stop.install()  # before anything slow: `systemctl stop` may come at any moment
    directory = resolve_data_dir(data_dir)
    settings = settings_for(directory, config_file, size=size, rotate=rotate, grid=grid,
                            page_seconds=page_seconds, theme=theme)
    if windowed:
        settings = replace(settings, display=replace(settings.display, fullscreen=False))
    setup_logging(directory)
    from kiosk.app.loop import RunOptions

    # Full screen is the kiosk: villagers cannot close it. A window (development) closes with Esc.
    _start(directory, settings, RunOptions(locked=settings.display.fullscreen, max_frames=max_frames))


@click.command()
@data_dir_option
@display_options
@click.option("--fullscreen", is_flag=True, help="Full screen instead of a window.")
@click.option("--max-frames", type=int, hidden=True)
def demo(data_dir: Path | None, config_file: Path | None, size: str | None, rotate: str | None, grid: str | None,
         page_seconds: float | None, theme: str | None, fullscreen: bool, max_frames: int | None) -> None:
    """Load the bundled demo village (青山村) and show it; Esc closes the window."""
    directory = data_dir or demo_data_dir()
    load_demo(directory)
    settings = settings_for(directory, config_file, size=size, rotate=rotate, grid=grid,
                            page_seconds=page_seconds, theme=theme)
    settings = replace(settings, display=replace(settings.display, fullscreen=fullscreen))
    click.echo(f"演示数据已载入 {directory}（按 Esc 退出，方向键翻页）")
    from kiosk.app.loop import RunOptions

    _start(directory, settings, RunOptions(locked=False, max_frames=max_frames))


def load_demo(directory: Path) -> None:
    """Import the bundled demo roster and photos; importing again changes nothing."""
    from importlib.resources import as_file

    from kiosk.ingest.importer import import_roster

    with as_file(demo_files()) as demo_root:
        import_roster(Path(demo_root) / "roster.xlsx", directory, Path(demo_root) / "photos")


@click.command()
@data_dir_option
@display_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="PNG file to write.")
@click.option("--page", "page_number", type=int, default=1, show_default=True, help="Which page (1-based).")
@click.option("--summary", is_flag=True, help="Render a summary page instead of a wall page.")
@click.option("--at", "at_time", help="Clock shown in the header, e.g. '2026-11-23 09:30' (default: now).")
def render(data_dir: Path | None, config_file: Path | None, size: str | None, rotate: str | None, grid: str | None,
           page_seconds: float | None, theme: str | None, out: Path, page_number: int, summary: bool,
           at_time: str | None) -> None:
    """Render exactly what the kiosk shows to a PNG (no display needed)."""
    import pygame

    from kiosk.app.still import render_page
    from kiosk.store.db import open_engine
    from kiosk.store.snapshot import load_snapshot

    directory = resolve_data_dir(data_dir)
    settings = settings_for(directory, config_file, size=size, rotate=rotate, grid=grid,
                            page_seconds=page_seconds, theme=theme)
    now = _parse_time(at_time) if at_time else datetime.now()
    engine = open_engine(directory, create=False)
    try:
        snapshot = load_snapshot(engine, settings.village or None)
    finally:
        engine.dispose()
    surface = render_page(directory, settings, snapshot, now, kind="summary" if summary else "wall", number=page_number)
    out.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(surface, str(out))
    click.echo(f"已写入 {out}（{surface.get_width()}×{surface.get_height()}）")


def _parse_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise PledgeWallError(f"时间“{text}”无法识别，应写成 2026-11-23 09:30") from None


COMMANDS = [run, demo, render]
