"""Files that survive a crash or power cut whole or not at all: temp file, fsync, rename, fsync folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, temp_prefix: str | None = None, sync_dir: bool = True) -> None:
    """Write `data` to `path` so that `path` holds either the old or the new content, never a part.

    The temp file sits beside the target (same filesystem, so the rename is atomic); its name
    starts with `temp_prefix` (default ".<name>.") so an orphan can be recognised and collected.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=temp_prefix or f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink itself durable (POSIX); Windows cannot open folders and needs no such step."""
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
