"""`bundle make`: check a roster like `roster check`, normalise its photos, write a signed bundle.

The stick is written so that a bundle is only ever valid once complete: the old signature is
removed first and the new one written last, each file temp-then-rename with fsync. A stick
pulled out half-way therefore holds a bundle every kiosk refuses ("no signature"), never a
half-new one that verifies.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.durable import fsync_dir, write_atomic
from kiosk.errors import PledgeWallError
from kiosk.ingest.importer import CheckResult, check_photos, check_roster, with_photos
from kiosk.roster import Roster
from kiosk.sync.bundle import BUNDLE_DIR, DATABASE, MANIFEST, PHOTOS, RECEIPTS, SIGNATURE, FileEntry, Manifest, sign_manifest
from kiosk.sync.keys import fingerprint, load_private_key


@dataclass(frozen=True)
class MadeBundle:
    village: str
    dir: Path  # the pledgewall/ folder written
    manifest: Manifest

    @property
    def size(self) -> int:
        return sum(entry.size for entry in self.manifest.files.values())


@dataclass(frozen=True)
class MadeBundles:
    check: CheckResult | None  # the roster's problems (None when made from a store)
    bundles: tuple[MadeBundle, ...]  # empty when the roster had errors: nothing was written


def make_from_roster(roster_file: Path, photos_dir: Path | None, private_key: Path, out: Path, *,
                     village: str | None = None, version: int | None = None, now: datetime | None = None,
                     progress: Callable[..., object] | None = None) -> MadeBundles:
    """Check like `roster check` (refusing on errors), normalise photos, one bundle per village."""
    key = load_private_key(private_key)  # before any work: a wrong key file fails fast
    check = check_roster(roster_file, photos_dir)
    if check.roster is None:
        return MadeBundles(check, ())
    check, photos = check_photos(check, progress=progress)
    assert check.roster is not None
    roster = with_photos(check.roster, {member: photo.sha256 for member, photo in photos.items()})
    jpegs = {photo.sha256: photo.jpeg for photo in photos.values()}
    made = write_village_bundles(roster, jpegs.__getitem__, key, private_key, out, village=village, version=version, now=now)
    return MadeBundles(check, tuple(made))


def make_from_store(data_dir: Path, private_key: Path, out: Path, *, db: str | None = None, village: str | None = None,
                    version: int | None = None, now: datetime | None = None) -> MadeBundles:
    """Per-village bundles from a township store (photos already normalised there, not redone)."""
    from kiosk.store.db import open_engine
    from kiosk.store.photos import PhotoStore
    from kiosk.store.read import read_roster

    key = load_private_key(private_key)
    engine = open_engine(db or data_dir)
    try:
        roster = read_roster(engine, [village] if village else None)
        if not roster.villages:
            raise PledgeWallError(f"数据库里没有村 {village}" if village else "数据库里还没有任何村的数据，请先导入花名册")
        photos = PhotoStore(data_dir / "photos")
        made = write_village_bundles(roster, lambda sha: photos.path(sha).read_bytes(), key, private_key, out,
                                     village=village, version=version, now=now)
        _record_made(engine, made, fingerprint(key.public_key()))
    finally:
        engine.dispose()
    return MadeBundles(None, tuple(made))


def write_village_bundles(roster: Roster, photo: Callable[[str], bytes], key: Ed25519PrivateKey, key_path: Path,
                          out: Path, *, village: str | None = None, version: int | None = None,
                          now: datetime | None = None) -> list[MadeBundle]:
    """Each village alone in its bundle: OUT/pledgewall for one village, else OUT/<code>/pledgewall."""
    villages = [v for v in roster.villages if village in (None, v.village.code)]
    if not villages:
        raise PledgeWallError(f"花名册里没有村代码为“{village}”的村")
    stamp = now or datetime.now()
    versions = _VersionBook(key_path)
    made = []
    with tempfile.TemporaryDirectory(prefix="pledgewall-blank-") as tmp:
        blank = blank_database(Path(tmp) / "blank.db")
        for village_roster in villages:
            code = village_roster.village.code
            root = out if len(villages) == 1 else out / code
            jpegs = {m.photo: photo(m.photo) for m in village_roster.members if m.photo}
            number = versions.next(code, stamp, version)
            manifest = write_signed_bundle(Roster((village_roster,)), jpegs, key, root, version=number, now=stamp,
                                           blank=blank)
            versions.save(code, number)
            made.append(MadeBundle(code, root / BUNDLE_DIR, manifest))
    return made


class _VersionBook:
    """The last version signed per village, kept beside the private key: versions only grow,
    even for two bundles made in the same second or with the computer's clock set back."""

    def __init__(self, key_path: Path) -> None:
        self.path = key_path.with_name(key_path.stem + ".versions.json")
        try:
            self.last: dict[str, int] = {str(k): int(v) for k, v in json.loads(self.path.read_text("utf-8")).items()}
        except (OSError, ValueError, AttributeError):
            self.last = {}

    def next(self, code: str, stamp: datetime, explicit: int | None) -> int:
        if explicit is not None:
            return explicit
        return max(int(stamp.timestamp()), self.last.get(code, 0) + 1)

    def save(self, code: str, version: int) -> None:
        self.last[code] = max(version, self.last.get(code, 0))
        write_atomic(self.path, json.dumps(self.last, ensure_ascii=False, indent=1).encode("utf-8"))


def _record_made(engine, made: list[MadeBundle], signer: str) -> None:  # type: ignore[no-untyped-def]
    """The township store remembers what it sent out, for `township status`."""
    from sqlalchemy.orm import Session

    from kiosk.store.models import SyncRecord

    with Session(engine) as session, session.begin():
        for bundle in made:
            m = bundle.manifest
            session.add(SyncRecord(bundle_id=m.bundle_id, village_code=bundle.village, version=m.version, signer=signer,
                                   sha256=hashlib.sha256(m.to_bytes()).hexdigest(), applied_at=datetime.fromisoformat(m.created_at),
                                   outcome="made", counts=json.dumps({**m.counts, "bytes": bundle.size})))


def write_signed_bundle(roster: Roster, jpegs: dict[str, bytes], key: Ed25519PrivateKey, usb_root: Path, *,
                        version: int | None = None, now: datetime | None = None, blank: Path | None = None) -> Manifest:
    """A checked roster whose members' photo fields are the hashes of `jpegs`, as a bundle."""
    stamp = now or datetime.now()
    with tempfile.TemporaryDirectory(prefix="pledgewall-bundle-") as tmp:
        database = build_database(roster, Path(tmp) / DATABASE, blank)
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


def build_database(roster: Roster, path: Path, blank: Path | None = None) -> Path:
    """The roster as a one-file SQLite database in the store's schema, on disk when this returns.

    `blank` is an empty database made by `blank_database`: copying it saves creating the schema
    again for each of a township's hundreds of bundles.
    """
    from kiosk.store.db import open_engine
    from kiosk.store.write import replace_villages

    if blank is not None:
        shutil.copyfile(blank, path)
    engine = open_engine(path, create=blank is None, scratch=True)
    try:
        replace_villages(engine, roster)
    finally:
        engine.dispose()
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())
    return path


def blank_database(path: Path) -> Path:
    from kiosk.store.db import open_engine

    open_engine(path, scratch=True).dispose()
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
        write_atomic(path, content.read_bytes() if isinstance(content, Path) else content, sync_dir=False)
    for folder in {(target / name).parent for name in contents}:
        fsync_dir(folder)  # once per folder, before the manifest can make the bundle valid
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
