"""Applying a stick to the kiosk: verify → stage → check → one transaction → receipt.

    prepare()   checks the signature, copies every file into data/sync/staging while hashing
                it (the copy that is used is the copy that was checked), opens the staged
                database read-only (quick_check, schema version), reads its roster and compares
                it with what the kiosk shows (the preview). Nothing of the kiosk is changed.
    apply()     stores the photos (content-addressed, temp-then-rename), keeps the current data
                as data/sync/previous.db for rollback, then replaces the villages and records
                the sync in ONE database transaction. The live WAL database is never swapped
                by rename (open connections would keep reading the old file).

A process killed at any moment leaves the old roster or the new one: before the commit only
staging files, orphan photos and previous.db changed, none of which the wall reads.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.config import Settings
from kiosk.durable import fsync_dir
from kiosk.roster import Roster
from kiosk.store.db import SCHEMA_VERSION, open_engine, write_transaction
from kiosk.store.models import SyncRecord
from kiosk.store.photos import PhotoStore
from kiosk.store.read import read_roster, read_roster_in
from kiosk.store.snapshot import village_codes
from kiosk.store.write import replace_villages_in
from kiosk.sync.bundle import DATABASE, PHOTOS, Bundle, SyncRefused, check_files, open_bundle
from kiosk.sync.change import Change, compare
from kiosk.sync.keys import PublicKey, load_public_key
from kiosk.sync.make import build_database

log = logging.getLogger(__name__)

SYNC_DIR = "sync"
STAGING = "staging"
PREVIOUS = "previous.db"

Progress = Callable[[str, float], object]  # (what is happening, 0..1)


@dataclass(frozen=True)
class Trust:
    """What this kiosk accepts: its keys, its village, whether unsigned rosters may come with a PIN."""

    keys: tuple[PublicKey, ...]
    village: str = ""  # the configured village; "" = whatever villages the store holds
    allow_unsigned: bool = False
    kiosk_id: str = field(default_factory=socket.gethostname)


def trust_from(settings: Settings, extra_keys: Iterable[Path] = ()) -> Trust:
    keys = tuple(load_public_key(path) for path in (*settings.sync.trusted_keys, *extra_keys))
    return Trust(keys, settings.village, settings.sync.allow_unsigned, settings.sync.kiosk_id or socket.gethostname())


@dataclass(frozen=True)
class Prepared:
    """A checked bundle, staged on the kiosk's disk, ready to apply."""

    roster: Roster
    change: Change
    villages: tuple[str, ...]
    version: int  # 0 for an unsigned roster (no version to protect against replay)
    bundle_id: str
    signer: str  # key fingerprint, or "PIN" for an unsigned roster
    staging: Path
    sha256: str = ""
    created_at: str = ""  # when the bundle was made (the maker's clock), "" for an unsigned roster

    def describe(self) -> str:
        """'青山村（QSC），2026-11-23 09:30 制作' — what an admin recognises, not a version number."""
        names = "、".join(f"{v.village.name}（{v.village.code}）" for v in self.roster.villages)
        if not self.version:
            return f"{names}，未签名的花名册（管理员PIN已确认）"
        return f"{names}，{self.created_at.replace('T', ' ')[:16]} 制作"


@dataclass(frozen=True)
class SyncResult:
    applied: bool
    code: str  # "applied", "rolled-back", or the refusal's code
    message: str  # one or two sentences for the screen, the terminal and the receipt
    counts: dict[str, int] = field(default_factory=dict)
    change: Change | None = None


def prepare(bundle_dir: Path, data_dir: Path, trust: Trust, *, force_older: bool = False,
            progress: Progress | None = None) -> Prepared:
    """Everything that can refuse a bundle, without changing anything the wall reads."""
    report = progress or (lambda _what, _fraction: None)
    report("检查签名", 0.0)
    bundle = open_bundle(bundle_dir, trust.keys)

    def stage(staging: Path) -> Prepared:
        check_files(bundle, staging, lambda done, total: report("复制并校验文件", done / max(total, 1)))
        report("检查数据库", 1.0)
        roster = read_bundle_database(staging / DATABASE)
        if sorted(v.village.code for v in roster.villages) != sorted(bundle.manifest.villages):
            raise SyncRefused("manifest.mismatch", "更新包清单写的村与数据库里的村不一致；请重新制作更新包")
        _check_photos_present(roster, bundle, data_dir)
        return _against_kiosk(data_dir, trust, roster, bundle, staging, force_older=force_older)

    return _in_staging(data_dir, stage)


def prepare_roster(roster: Roster, photos: dict[str, bytes], data_dir: Path, trust: Trust) -> Prepared:
    """An unsigned roster (already checked and PIN-authorised by the caller), staged like a bundle."""

    def stage(staging: Path) -> Prepared:
        (staging / PHOTOS).mkdir()
        for sha, jpeg in photos.items():
            (staging / PHOTOS / f"{sha}.jpg").write_bytes(jpeg)
        return _against_kiosk(data_dir, trust, roster, None, staging, force_older=False)

    return _in_staging(data_dir, stage)


def _in_staging(data_dir: Path, stage: Callable[[Path], Prepared]) -> Prepared:
    """A fresh staging folder (a killed run's leftovers were only ever a copy), removed on refusal."""
    staging = data_dir / SYNC_DIR / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        return stage(staging)
    except OSError as error:
        discard(staging)
        raise disk_error(error) from None
    except BaseException:
        discard(staging)
        raise


def disk_error(error: OSError) -> SyncRefused:
    return SyncRefused("kiosk.disk", f"公示屏磁盘写入失败（{error.strerror or error}）：可能已满；数据没有改动")


def discard(staging: Path) -> None:
    """Throw away a prepared bundle that will not be applied (refused, or cancelled on screen)."""
    shutil.rmtree(staging, ignore_errors=True)


def read_bundle_database(path: Path) -> Roster:
    """Open the staged database read-only, check it, and read its roster."""
    uri = f"{path.resolve().as_uri()}?mode=ro"  # percent-encoded, and right on Windows too
    try:
        with sqlite3.connect(uri, uri=True) as connection:
            status = connection.execute("PRAGMA quick_check").fetchone()[0]
            if status != "ok":
                raise SyncRefused("database.corrupt", f"更新包里的数据库已损坏（{status[:80]}）；请重新制作更新包")
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        connection.close()
    except sqlite3.DatabaseError as error:
        raise SyncRefused("database.invalid", f"更新包里的 {DATABASE} 不是有效的数据库（{error}）；请重新制作更新包") from None
    if row is None or not str(row[0]).isdigit():
        raise SyncRefused("database.invalid", f"更新包里的 {DATABASE} 缺少结构版本；请用 pledgewall bundle make 重新制作")
    if int(row[0]) != SCHEMA_VERSION:
        raise SyncRefused("database.schema", f"更新包的数据结构版本 {row[0]} 与本程序（{SCHEMA_VERSION}）不同；请用同一版本的程序制作更新包")
    engine = create_engine(f"sqlite:///{uri}&uri=true")
    try:
        return read_roster(engine)
    except (ValueError, KeyError) as error:  # a status or grade the records do not know
        raise SyncRefused("database.invalid", f"更新包里的数据有无法识别的内容（{error}）") from None
    finally:
        engine.dispose()


def _check_photos_present(roster: Roster, bundle: Bundle, data_dir: Path) -> None:
    store = PhotoStore(data_dir / "photos")
    for village in roster.villages:
        for member in village.members:
            if member.photo and f"{PHOTOS}/{member.photo}.jpg" not in bundle.manifest.files and not store.has(member.photo):
                raise SyncRefused("photo.missing", f"数据里党员 {member.name}（{member.number}）的照片不在更新包里；请重新制作更新包")


def _against_kiosk(data_dir: Path, trust: Trust, roster: Roster, bundle: Bundle | None, staging: Path, *,
                   force_older: bool) -> Prepared:
    villages = tuple(v.village.code for v in roster.villages)
    engine = open_engine(data_dir)
    try:
        shown = {trust.village} if trust.village else set(village_codes(engine))
        if shown and not shown <= set(villages):
            raise SyncRefused("village.other",
                              f"更新包是“{'、'.join(villages)}”的数据，这台公示屏显示的是“{'、'.join(sorted(shown))}”；不予更新")
        with Session(engine) as session:
            current = read_roster_in(session, villages)
            if bundle is not None:
                _check_version(session, bundle, force_older)
    finally:
        engine.dispose()
    return Prepared(
        roster=roster,
        change=compare(current, roster),
        villages=villages,
        version=bundle.manifest.version if bundle else 0,
        bundle_id=bundle.manifest.bundle_id if bundle else "",
        signer=bundle.signer.fingerprint if bundle else "PIN",
        staging=staging,
        sha256=bundle.manifest_sha256 if bundle else "",
        created_at=bundle.manifest.created_at if bundle else "",
    )


def _check_version(session: Session, bundle: Bundle, force_older: bool) -> None:
    """Replay and rollback protection: a bundle must be newer than every one applied before."""
    manifest = bundle.manifest
    applied = session.execute(
        select(func.max(SyncRecord.version)).where(
            SyncRecord.outcome == "applied", SyncRecord.village_code.in_(manifest.villages)
        )
    ).scalar_one_or_none()
    if applied is None or manifest.version > applied or force_older:
        return
    same = session.scalar(select(SyncRecord.applied_at).where(
        SyncRecord.bundle_id == manifest.bundle_id, SyncRecord.outcome == "applied").limit(1))
    if same is not None:
        raise SyncRefused("bundle.already", f"这个更新包已在 {same:%Y-%m-%d %H:%M} 更新过，数据没有改动")
    raise SyncRefused("version.old", f"更新包版本 {manifest.version} 不比已更新的版本 {applied} 新（可能是旧的U盘）；"
                                     "不予更新。确需退回旧数据时，请用 pledgewall sync --force-older")


def apply(prepared: Prepared, data_dir: Path, *, progress: Progress | None = None) -> SyncResult:
    """Photos first (the wall does not see them yet), then the one transaction that switches."""
    try:
        return _apply(prepared, data_dir, progress)
    except OSError as error:
        raise disk_error(error) from None
    except (SQLAlchemyError, sqlite3.Error) as error:  # the transaction rolled back: old data stays
        raise SyncRefused("kiosk.store", f"写入公示屏数据库失败（{type(error).__name__}）；数据没有改动") from error
    finally:
        discard(prepared.staging)


def _apply(prepared: Prepared, data_dir: Path, progress: Progress | None) -> SyncResult:
    report = progress or (lambda _what, _fraction: None)
    store = PhotoStore(data_dir / "photos")
    staged = sorted((prepared.staging / PHOTOS).glob("*.jpg"))
    stored = store.put_many(path.read_bytes() for path in staged)
    for path, sha in zip(staged, stored):
        if f"{sha}.jpg" != path.name:  # the staged copy was hashed when copied; this catches a bad disk
            raise SyncRefused("file.hash", f"照片 {path.name} 在公示屏磁盘上校验失败；请检查磁盘")
    report("保存照片", 1.0)
    report("更新数据", 0.0)
    engine = open_engine(data_dir)
    try:
        _keep_previous(engine, prepared.villages, data_dir)
        with write_transaction(engine) as session:
            counts = replace_villages_in(session, prepared.roster)
            for code in prepared.villages:
                session.add(SyncRecord(
                    bundle_id=prepared.bundle_id, village_code=code, version=prepared.version,
                    signer=prepared.signer, sha256=prepared.sha256, applied_at=datetime.now(),
                    outcome="applied", counts=json.dumps(prepared.change.as_dict()),
                ))
        report("清理", 1.0)
        _collect_photos(engine, data_dir)
    finally:
        engine.dispose()
    numbers = {"villages": counts.villages, "members": counts.members, "pledges": counts.pledges}
    return SyncResult(True, "applied", f"已更新：党员 {counts.members} 名，承诺 {counts.pledges} 条",
                      numbers, prepared.change)


def previous_path(data_dir: Path) -> Path:
    return data_dir / SYNC_DIR / PREVIOUS


def _keep_previous(engine, villages: Iterable[str], data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The data about to be replaced, as a database file beside the store (for rollback)."""
    current = read_roster(engine, villages)
    if not current.villages:
        return
    target = previous_path(data_dir)
    temporary = target.with_name(".previous.tmp.db")  # open_engine wants a .db name
    temporary.unlink(missing_ok=True)
    build_database(current, temporary)
    temporary.replace(target)
    fsync_dir(target.parent)


def _collect_photos(engine, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Photos neither the current data nor the kept previous data refers to."""
    keep = {m.photo for v in read_roster(engine).villages for m in v.members}
    previous = previous_path(data_dir)
    if previous.exists():
        try:
            keep |= {m.photo for v in read_bundle_database(previous).villages for m in v.members}
        except SyncRefused:
            return  # an unreadable previous.db: keep every photo rather than guess
    PhotoStore(data_dir / "photos").collect_orphans(keep - {""})


def rollback(data_dir: Path) -> SyncResult:
    """Put the previous data back (and keep what was replaced, so a rollback can be undone)."""
    previous = previous_path(data_dir)
    if not previous.exists():
        return SyncResult(False, "rollback.none", "没有可回滚的上一版本数据（还没有通过U盘更新过）")
    try:
        roster = read_bundle_database(previous)
    except SyncRefused as refusal:
        return SyncResult(False, "rollback.bad", f"上一版本数据无法读取：{refusal}")
    villages = tuple(v.village.code for v in roster.villages)
    engine = open_engine(data_dir)
    try:
        current = read_roster(engine, villages)
        _keep_previous(engine, villages, data_dir)
        with write_transaction(engine) as session:
            counts = replace_villages_in(session, roster)
            change = compare(current, roster)
            for code in villages:
                session.add(SyncRecord(bundle_id="rollback", village_code=code, version=0, applied_at=datetime.now(),
                                       outcome="rolled-back", counts=json.dumps(change.as_dict())))
    finally:
        engine.dispose()
    return SyncResult(True, "rolled-back", f"已回滚到上一版本：党员 {counts.members} 名，承诺 {counts.pledges} 条",
                      {"members": counts.members, "pledges": counts.pledges}, change)


def record_refusal(data_dir: Path, refusal: SyncRefused, bundle_id: str = "", villages: Iterable[str] = ()) -> None:
    """Keep the refusal in the store's history too (best effort: the old data stays either way)."""
    try:
        engine = open_engine(data_dir)
        try:
            with Session(engine) as session, session.begin():
                session.add(SyncRecord(bundle_id=bundle_id or "-", village_code=",".join(villages), version=0,
                                       applied_at=datetime.now(), outcome="refused",
                                       reason=f"{refusal.code}: {refusal}"))
        finally:
            engine.dispose()
    except Exception:  # noqa: BLE001 - a history line must never turn a refusal into a crash
        log.warning("could not record the refusal in the store", exc_info=True)
