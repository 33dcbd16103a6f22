"""Where things live: the data directory, and the files the package ships."""

from __future__ import annotations

import os
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from platformdirs import user_data_path

DATA_DIR_ENV = "PLEDGEWALL_DATA_DIR"


def data_dir(explicit: Path | str | None = None) -> Path:
    """--data-dir, else $PLEDGEWALL_DATA_DIR, else the per-user data directory."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env)
    return user_data_path("pledgewall", appauthor=False)


def demo_data_dir() -> Path:
    """The demo village gets its own directory so it never touches a real kiosk's data."""
    return user_data_path("pledgewall", appauthor=False) / "demo"


def assets() -> Traversable:
    """assets/ (fonts, icons), shipped inside the package as `pledgewall_assets`."""
    return files("pledgewall_assets")


def demo_files() -> Traversable:
    """data/demo/ (the demo roster and photos), shipped as `pledgewall_demo`."""
    return files("pledgewall_demo")
