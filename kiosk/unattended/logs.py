"""Logs for a kiosk nobody watches: a rotating UTF-8 file in the data directory, bounded in size,
plus warnings on stderr (which systemd's journal or a console keeps)."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "pledgewall.log"
MAX_BYTES = 1_000_000
BACKUPS = 5  # so at most 6 files, ~6 MB
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_MARK = "_pledgewall_handler"


def log_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "logs"


def setup_logging(
    data_dir: Path,
    *,
    verbose: bool = False,
    max_bytes: int = MAX_BYTES,
    backups: int = BACKUPS,
) -> Path | None:
    """Route the root logger to data_dir/logs/pledgewall.log (rotating) and stderr (warnings).

    Idempotent: calling it again replaces the handlers it added before. An existing plain
    stderr handler (e.g. from logging.basicConfig) is reused rather than doubled. Returns the
    log file, or None when the log directory cannot be written (stderr only then).
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    file_level = logging.DEBUG if verbose else logging.INFO
    stderr_level = logging.INFO if verbose else logging.WARNING
    root.setLevel(file_level)

    path: Path | None = log_dir(data_dir) / LOG_NAME
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
        )
    except OSError as error:
        file_handler = None
        problem = f"cannot write logs to {path}: {error}"
        path = None
    else:
        problem = None
        file_handler.setLevel(file_level)
        file_handler.setFormatter(logging.Formatter(FORMAT))
        setattr(file_handler, _MARK, True)
        root.addHandler(file_handler)

    existing = [
        h
        for h in root.handlers
        if type(h) is logging.StreamHandler and h.stream in (sys.stderr, sys.__stderr__)
    ]
    if existing:
        for handler in existing:
            handler.setLevel(stderr_level)
    else:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(stderr_level)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        setattr(console, _MARK, True)
        root.addHandler(console)
    logging.captureWarnings(True)
    if problem:
        logging.getLogger(__name__).warning(problem)
    return path
