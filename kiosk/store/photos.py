"""Content-addressed photo files under the data directory: <root>/<sha[:2]>/<sha>.jpg.

Written temp-then-rename with fsync, so a crash leaves at most an orphan temp file.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Protocol

_SHA = re.compile(r"^[0-9a-f]{64}$")


class HasJpeg(Protocol):
    @property
    def jpeg(self) -> bytes: ...


class PhotoStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise ValueError(f"not a photo hash: {sha256!r}")
        return self.root / sha256[:2] / f"{sha256}.jpg"

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def put(self, photo: HasJpeg) -> str:
        return self.put_bytes(photo.jpeg)

    def put_bytes(self, jpeg: bytes) -> str:
        sha = hashlib.sha256(jpeg).hexdigest()
        target = self.path(sha)
        if target.exists():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{sha}.{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            handle.write(jpeg)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        return sha

    def collect_orphans(self, keep: set[str]) -> int:
        """Remove photos no roster refers to, and temp files a crash left behind."""
        removed = 0
        for file in self.root.glob("*/*"):
            stale_temp = file.name.startswith(".") and file.name.endswith(".tmp")
            if stale_temp or (file.suffix == ".jpg" and file.stem not in keep):
                file.unlink(missing_ok=True)
                removed += 1
        return removed
