"""`pledgewall pin set|status|clear`: the admin PIN for the locked kiosk and unsigned rosters."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click

from kiosk.commands.options import data_dir_option
from kiosk.paths import data_dir as resolve_data_dir


@click.group()
def pin() -> None:
    """The admin PIN (opens the admin menu; authorises unsigned rosters on a stick)."""


@pin.command("set")
@data_dir_option
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Read the PIN from one line of standard input (for scripts).")
def set_pin(data_dir: Path | None, from_stdin: bool) -> None:
    """Set or change the PIN (4–12 digits; asked twice, not shown). Earlier wrong tries are forgotten."""
    from kiosk.sync.pin import PinStore

    if from_stdin:
        value = sys.stdin.readline().strip()
    else:
        value = click.prompt("新的管理员PIN", hide_input=True, confirmation_prompt="再输入一次")
    store = PinStore(resolve_data_dir(data_dir))
    store.set(value)
    click.echo(f"管理员PIN已设置（{store.pin_path} 里只存散列值）")


@pin.command()
@data_dir_option
def status(data_dir: Path | None) -> None:
    """Say whether a usable PIN is set and whether wrong tries have locked it for now."""
    from kiosk.sync.pin import NO_PIN, PinStore

    store = PinStore(resolve_data_dir(data_dir))
    if not store.is_set():
        click.echo(NO_PIN)
        return
    problem = store.problem()  # set, but unreadable or damaged
    if problem:
        click.echo(problem)
        raise click.exceptions.Exit(1)
    wait = store.locked_for()
    click.echo("管理员PIN已设置" + (f"；因多次输错，{math.ceil(wait)} 秒内不能再试" if wait else ""))


@pin.command()
@data_dir_option
def clear(data_dir: Path | None) -> None:
    """Remove the PIN: the admin menu cannot be opened until a new one is set."""
    from kiosk.sync.pin import PinStore

    PinStore(resolve_data_dir(data_dir)).clear()
    click.echo("管理员PIN已清除")


COMMANDS = [pin]
