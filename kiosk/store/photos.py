"""Content-addressed photo files under the data directory: <root>/<sha[:2]>/<sha>.jpg.

A file is written to a temp file in the same folder, fsynced, renamed into place and the folder
fsynced, so a crash leaves at most an orphan temp file (collected later), never a half photo
under a real name. Hash arguments are validated, so no path can be smuggled in through one.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk.durable import fsync_dir, write_atomic

if TYPE_CHECKING:
    from kiosk.ingest.photos import NormalizedPhoto

_SHA = re.compile(r"[0-9a-f]{64}")
_TEMP = re.compile(r"\.[0-9a-f]{64}\..*\.tmp")
STALE_TEMP_SECONDS = 3600.0  # a temp file this old belongs to no running writer


class HasJpeg(Protocol):
    @property
    def sha256(self) -> str: ...

    @property
    def jpeg(self) -> bytes: ...


def check_sha256(value: object) -> str:
    """`value` if it is a lowercase 64-digit hex SHA-256, else ValueError."""
    if not isinstance(value, str) or not _SHA.fullmatch(value):
        raise ValueError(f"not a photo hash (64 lowercase hex digits): {value!r}")
    return value


class PhotoStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        sha = check_sha256(sha256)
        return self.root / sha[:2] / f"{sha}.jpg"

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, photo: HasJpeg) -> str:
        actual = hashlib.sha256(photo.jpeg).hexdigest()
        if actual != photo.sha256:
            raise ValueError(f"photo hash {photo.sha256!r} does not match its bytes ({actual})")
        return self.put_bytes(photo.jpeg)

    def put_bytes(self, jpeg: bytes) -> str:
        """Store `jpeg` under its SHA-256 and return the hash; storing it again changes nothing."""
        return self.put_many([jpeg])[0]

    def put_many(self, jpegs: Iterable[bytes]) -> list[str]:
        """Store several; each file is fsynced, each shard folder once at the end (not per file)."""
        hashes, written = [], set()
        for jpeg in jpegs:
            sha = hashlib.sha256(jpeg).hexdigest()
            hashes.append(sha)
            target = self.path(sha)
            try:
                if target.stat().st_size == len(jpeg):
                    continue
            except FileNotFoundError:
                pass
            write_atomic(target, jpeg, temp_prefix=f".{sha}.", sync_dir=False)
            written.add(target.parent)
        for folder in written:
            fsync_dir(folder)
        return hashes

    def collect_orphans(self, keep: set[str], *, stale_after: float = STALE_TEMP_SECONDS) -> int:
        """Remove photos not in `keep` and temp files older than `stale_after` seconds; return the count.

        Files the store did not write (other names) are left alone.
        """
        if not self.root.is_dir():
            return 0
        removed = 0
        now = time.time()
        for shard in self.root.iterdir():
            if not (shard.is_dir() and len(shard.name) == 2):
                continue
            for file in shard.iterdir():
                name = file.name
                if _TEMP.fullmatch(name):
                    try:
                        stale = now - file.stat().st_mtime >= stale_after
                    except FileNotFoundError:
                        continue
                    if not stale:
                        continue
                elif not (name.endswith(".jpg") and _SHA.fullmatch(name[:-4]) and name[:-4] not in keep):
                    continue
                file.unlink(missing_ok=True)
                removed += 1
            try:
                shard.rmdir()  # only when empty
            except OSError:
                pass
        return removed


class SourceIndex:
    """Which stored photo each source file (by its SHA-256) became, so re-imports skip the work.

    Kept as `sources.json` beside the photos; a lost or damaged index only costs time.
    """

    FILE = "sources.json"

    def __init__(self, store: PhotoStore) -> None:
        self.store = store
        self.path = store.root / self.FILE
        try:
            self.index: dict[str, list[object]] = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.index = {}
        self._changed = False

    def get(self, digest: str) -> NormalizedPhoto | None:
        from kiosk.ingest.photos import NormalizedPhoto

        entry = self.index.get(digest)
        if not entry and self.store.has(digest):
            return self._stored(digest)  # the file is one of our own photos (an export's copy)
        if not entry:
            return None
        try:
            sha, width, height = str(entry[0]), int(entry[1]), int(entry[2])  # type: ignore[call-overload]
            jpeg = self.store.path(sha).read_bytes()
        except (OSError, ValueError, IndexError, TypeError):
            return None
        if hashlib.sha256(jpeg).hexdigest() != sha:
            return None  # a damaged file is normalised again rather than shown
        return NormalizedPhoto(sha, jpeg, width, height)

    def _stored(self, sha: str) -> NormalizedPhoto | None:
        from PIL import Image

        from kiosk.ingest.photos import NormalizedPhoto

        path = self.store.path(sha)
        try:
            jpeg = path.read_bytes()
            with Image.open(path) as image:
                width, height = image.size
        except OSError:
            return None
        return NormalizedPhoto(sha, jpeg, width, height) if hashlib.sha256(jpeg).hexdigest() == sha else None

    def put(self, digest: str, photo: NormalizedPhoto) -> None:
        self.index[digest] = [photo.sha256, photo.width, photo.height]
        self._changed = True

    def save(self) -> None:
        if self._changed:
            self.store.root.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(self.index).encode("utf-8"))
            self._changed = False


__all__ = ["PhotoStore", "SourceIndex", "check_sha256"]
