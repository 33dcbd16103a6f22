"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.paths import DATA_DIR_ENV

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=DATA_DIR_ENV,
    default=None,
    help=f"Data directory (default: ${DATA_DIR_ENV}, else the per-user data directory).",
)

db_option = click.option(
    "--db",
    "db_url",
    default=None,
    help="Database URL of a township store on a server, e.g. postgresql+psycopg://user@host/pledgewall "
    "(default: SQLite in the data directory; photos stay in the data directory).",
)
