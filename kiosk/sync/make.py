"""`bundle make`: check a roster like `roster check`, normalise its photos, write a signed bundle.

The stick is written so that a bundle is only ever valid once complete: the old signature is
removed first and the new one written last, each file temp-then-rename with fsync. A stick
pulled out half-way therefore holds a bundle every kiosk refuses ("no signature"), never a
half-new one that verifies.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.durable import fsync_dir, write_atomic
from kiosk.ingest.importer import CheckResult, check_photos, check_roster, with_photos
from kiosk.roster import Roster
from kiosk.sync.bundle import BUNDLE_DIR, DATABASE, MANIFEST, PHOTOS, RECEIPTS, SIGNATURE, FileEntry, Manifest, sign_manifest
from kiosk.sync.keys import load_private_key


@dataclass(frozen=True)
class MadeBundle:
    check: CheckResult  # the roster's problems, photo warnings included
    manifest: Manifest | None  # None when the roster had errors (nothing written)
    dir: Path | None


def make_bundle(roster_file: Path, photos_dir: Path | None, private_key: Path, usb_root: Path, *,
                version: int | None = None, now: datetime | None = None,
                progress: Callable[..., object] | None = None) -> MadeBundle:
    key = load_private_key(private_key)  # before any work: a wrong key file fails fast
    check = check_roster(roster_file, photos_dir)
    if check.roster is None:
        return MadeBundle(check, None, None)
    check, photos = check_photos(check, progress=progress)
    assert check.roster is not None
    roster = with_photos(check.roster, {member: photo.sha256 for member, photo in photos.items()})
    jpegs = {photo.sha256: photo.jpeg for photo in photos.values()}
    manifest = write_signed_bundle(roster, jpegs, key, usb_root, version=version, now=now)
    return MadeBundle(check, manifest, usb_root / BUNDLE_DIR)


def write_signed_bundle(roster: Roster, jpegs: dict[str, bytes], key: Ed25519PrivateKey, usb_root: Path, *,
                        version: int | None = None, now: datetime | None = None) -> Manifest:
    """A checked roster whose members' photo fields are the hashes of `jpegs`, as a bundle."""
    stamp = now or datetime.now()
    with tempfile.TemporaryDirectory(prefix="pledgewall-bundle-") as tmp:
        database = build_database(roster, Path(tmp) / DATABASE)
        contents: dict[str, bytes | Path] = {DATABASE: database}
        contents.update({f"{PHOTOS}/{sha}.jpg": jpeg for sha, jpeg in jpegs.items()})
        files = {name: _entry(content) for name, content in contents.items()}
        manifest = Manifest(
            bundle_id=uuid.uuid4().hex,
            version=version if version is not None else int(stamp.timestamp()),
            villages=tuple(v.village.code for v in roster.villages),
            created_at=stamp.isoformat(timespec="seconds"),
            files=files,
            counts=_counts(roster, len(jpegs)),
        )
        manifest_bytes, signature = sign_manifest(manifest, key)
        _write_bundle(usb_root / BUNDLE_DIR, contents, files, manifest_bytes, signature)
    return manifest


def build_database(roster: Roster, path: Path) -> Path:
    """The roster as a one-file SQLite database in the store's schema."""
    from kiosk.store.db import open_engine
    from kiosk.store.write import replace_villages

    engine = open_engine(path)
    try:
        replace_villages(engine, roster)
    finally:
        engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")  # no -wal/-shm beside it on the stick
        connection.execute("VACUUM")
    connection.close()
    return path


def _counts(roster: Roster, photos: int) -> dict[str, int]:
    return {
        "villages": len(roster.villages),
        "members": sum(len(v.members) for v in roster.villages),
        "pledges": sum(len(v.pledges) for v in roster.villages),
        "photos": photos,
    }


def _entry(content: bytes | Path) -> FileEntry:
    data = content.read_bytes() if isinstance(content, Path) else content
    return FileEntry(hashlib.sha256(data).hexdigest(), len(data))


def _write_bundle(target: Path, contents: dict[str, bytes | Path], files: dict[str, FileEntry],
                  manifest: bytes, signature: bytes) -> None:
    target.mkdir(parents=True, exist_ok=True)
    (target / SIGNATURE).unlink(missing_ok=True)  # from here until the end the bundle is invalid
    fsync_dir(target)
    _remove_unlisted(target, set(files))
    for name, content in contents.items():
        path = target / name
        if path.is_file() and path.stat().st_size == files[name].size and _entry(path) == files[name]:
            continue  # photos are content-addressed: an unchanged one is not written again
        write_atomic(path, content.read_bytes() if isinstance(content, Path) else content)
    write_atomic(target / MANIFEST, manifest)
    write_atomic(target / SIGNATURE, signature)


def _remove_unlisted(target: Path, keep: set[str]) -> None:
    """Files of an older bundle would make every kiosk refuse this one (not in the manifest)."""
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if relative.split("/")[0] == RECEIPTS or relative in keep or relative in (MANIFEST, SIGNATURE):
            continue
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir() and relative != PHOTOS:
            shutil.rmtree(path)
