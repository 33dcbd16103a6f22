"""Logs rotate, stay bounded, are UTF-8, and setting up twice does not double the handlers."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.unattended.logs import LOG_NAME, setup_logging


@pytest.fixture(autouse=True)
def restore_root_logger():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def ours(root: logging.Logger) -> list[logging.Handler]:
    return [h for h in root.handlers if getattr(h, "_pledgewall_handler", False)]


def test_rotates_and_stays_bounded(tmp_path: Path) -> None:
    path = setup_logging(tmp_path, max_bytes=10_000, backups=3)
    assert path == tmp_path / "logs" / LOG_NAME
    log = logging.getLogger("kiosk.test")
    for i in range(5_000):
        log.info("第 %d 行：党员承诺公示屏 %s", i, "x" * 40)
    files = sorted((tmp_path / "logs").iterdir())
    assert [f.name for f in files] == [LOG_NAME] + [f"{LOG_NAME}.{n}" for n in (1, 2, 3)]
    assert all(f.stat().st_size <= 10_000 for f in files)
    assert sum(f.stat().st_size for f in files) <= 4 * 10_000
    assert "第 4999 行：党员承诺公示屏" in path.read_text(encoding="utf-8")


def test_idempotent(tmp_path: Path) -> None:
    root = logging.getLogger()
    setup_logging(tmp_path)
    first = len(root.handlers)
    setup_logging(tmp_path)
    setup_logging(tmp_path, verbose=True)
    assert len(root.handlers) == first
    assert len([h for h in ours(root) if isinstance(h, logging.FileHandler)]) == 1
    logging.getLogger("kiosk.test").debug("once")
    assert (tmp_path / "logs" / LOG_NAME).read_text(encoding="utf-8").count("once") == 1


def test_levels(tmp_path: Path) -> None:
    setup_logging(tmp_path)
    log = logging.getLogger("kiosk.test")
    log.debug("hidden detail")
    log.info("kept info")
    text = (tmp_path / "logs" / LOG_NAME).read_text(encoding="utf-8")
    assert "kept info" in text and "hidden detail" not in text


def test_unwritable_log_dir_falls_back_to_stderr(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data directory should be")
    assert setup_logging(blocker) is None
    assert not [h for h in ours(logging.getLogger()) if isinstance(h, logging.FileHandler)]
