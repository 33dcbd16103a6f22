"""Signed USB bundles: what `bundle make` writes on a stick and what the kiosk checks.

    USBROOT/pledgewall/
      manifest.json     format, bundle id, version, villages, created-at, counts, and the
                        SHA-256 and size of every file below
      manifest.sig      {"key": fingerprint, "signature": base64 Ed25519 over manifest.json}
      roster.db         a SQLite file in the store's own schema (journal mode DELETE: one file)
      photos/<sha256>.jpg   normalised photos, named by their content hash
      receipts/         written by kiosks: what was applied or refused, and why

Nothing is read from the stick that the manifest does not list, and the list itself is only
trusted once its signature checks out. File names are a fixed whitelist, so `..`, absolute
paths and look-alike names cannot appear; symlinks and unlisted files are refused outright.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from kiosk.errors import PledgeWallError

if TYPE_CHECKING:  # the kiosk's USB watcher imports this module; OpenSSL loads with the first stick
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.sync.keys import PublicKey

FORMAT = 1
BUNDLE_DIR = "pledgewall"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATABASE = "roster.db"
PHOTOS = "photos"
RECEIPTS = "receipts"

MAX_MANIFEST = 8 << 20
MAX_SIGNATURE = 4 << 10
MAX_DATABASE = 512 << 20
MAX_PHOTO = 4 << 20

_PHOTO_NAME = re.compile(rf"{PHOTOS}/[0-9a-f]{{64}}\.jpg")
_CHUNK = 1 << 20

Progress = Callable[[int, int], object]  # (bytes done, bytes in all)


class SyncRefused(PledgeWallError):
    """A bundle the kiosk will not apply. `code` is stable (tests, receipts); str() is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    version: int  # only grows per village; a kiosk refuses one not newer than it has applied
    villages: tuple[str, ...]
    created_at: str  # ISO 8601, the maker's clock
    files: dict[str, FileEntry] = field(hash=False)
    counts: dict[str, int] = field(hash=False, default_factory=dict)
    format: int = FORMAT

    def to_bytes(self) -> bytes:
        body = {
            "format": self.format,
            "bundle_id": self.bundle_id,
            "version": self.version,
            "villages": list(self.villages),
            "created_at": self.created_at,
            "counts": self.counts,
            "files": {name: {"sha256": e.sha256, "size": e.size} for name, e in sorted(self.files.items())},
        }
        return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        try:
            body = json.loads(data.decode("utf-8"))
            if body["format"] != FORMAT:
                raise SyncRefused("format.unsupported",
                                  f"更新包格式版本 {body['format']} 不受本程序支持（支持 {FORMAT}）；请升级公示屏程序或用同版本重新制作")
            files = {str(name): FileEntry(_hex64(e["sha256"]), _count(e["size"])) for name, e in body["files"].items()}
            villages = tuple(str(code) for code in body["villages"])
            manifest = cls(str(body["bundle_id"]), _count(body["version"]), villages, str(body["created_at"]),
                           files, {str(k): _count(v) for k, v in body.get("counts", {}).items()})
        except SyncRefused:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
            raise SyncRefused("manifest.invalid", f"更新包清单 {MANIFEST} 内容不完整或格式错误（{error}）") from None
        if not villages:
            raise SyncRefused("manifest.invalid", f"更新包清单 {MANIFEST} 没有写明是哪个村的数据")
        return manifest


def _hex64(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value):
        raise ValueError(f"不是 SHA-256：{value!r}")
    return value


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"不是非负整数：{value!r}")
    return value


@dataclass(frozen=True)
class Bundle:
    """A bundle whose manifest is authentic and whose folder holds exactly the listed files.

    The files' contents are checked when they are read (`check_files`), so a stick swapped or
    rewritten in between is caught at the copy that is actually used.
    """

    dir: Path
    manifest: Manifest
    signer: PublicKey
    manifest_sha256: str


def sign_manifest(manifest: Manifest, private_key: Ed25519PrivateKey) -> tuple[bytes, bytes]:
    """(manifest.json bytes, manifest.sig bytes)."""
    return sign_bytes(manifest.to_bytes(), private_key)


def sign_bytes(data: bytes, private_key: Ed25519PrivateKey) -> tuple[bytes, bytes]:
    from kiosk.sync.keys import fingerprint

    signature = {"key": fingerprint(private_key.public_key()),
                 "signature": base64.b64encode(private_key.sign(data)).decode("ascii")}
    return data, json.dumps(signature).encode("ascii")


def open_bundle(bundle_dir: Path, trusted: Sequence[PublicKey]) -> Bundle:
    """Check the signature, the manifest and the folder's shape; raise SyncRefused with why."""
    if bundle_dir.is_symlink():
        raise SyncRefused("path.symlink", f"{bundle_dir} 是一个符号链接，不是文件夹；为安全起见不予读取")
    data = _read_small(bundle_dir / MANIFEST, MAX_MANIFEST, "manifest.missing",
                       f"U盘的 {BUNDLE_DIR} 文件夹里没有清单文件 {MANIFEST}，不是有效的更新包")
    raw_signature = _read_small(bundle_dir / SIGNATURE, MAX_SIGNATURE, "signature.missing",
                                f"更新包没有签名文件 {SIGNATURE}：无法确认来源，不予更新")
    signer = _check_signature(data, raw_signature, trusted)
    manifest = Manifest.from_bytes(data)
    for name, entry in manifest.files.items():
        _check_name(name)
        limit = MAX_DATABASE if name == DATABASE else MAX_PHOTO
        if entry.size > limit:
            raise SyncRefused("file.oversized", f"更新包里的 {name} 有 {entry.size:,} 字节，超过上限 {limit:,} 字节")
    if DATABASE not in manifest.files:
        raise SyncRefused("manifest.invalid", f"更新包清单里没有数据文件 {DATABASE}")
    _check_tree(bundle_dir, manifest)
    return Bundle(bundle_dir, manifest, signer, hashlib.sha256(data).hexdigest())


def _read_small(path: Path, limit: int, code: str, missing: str) -> bytes:
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise SyncRefused(code, missing) from None
    except OSError as error:
        raise _stick_error(path, error) from None
    if not stat.S_ISREG(info.st_mode):
        raise SyncRefused("path.symlink", f"{path} 不是普通文件（可能是符号链接），为安全起见不予读取")
    if info.st_size > limit:
        raise SyncRefused("file.oversized", f"{path.name} 有 {info.st_size:,} 字节，超过上限 {limit:,} 字节")
    try:
        return path.read_bytes()[: limit + 1]
    except OSError as error:
        raise _stick_error(path, error) from None


def _check_signature(data: bytes, raw: bytes, trusted: Sequence[PublicKey]) -> PublicKey:
    if not trusted:
        raise SyncRefused("keys.none", "这台公示屏还没有配置信任的公钥（config.toml 的 [sync] trusted_keys），不能接受签名更新包")
    try:
        body = json.loads(raw.decode("ascii"))
        claimed = str(body["key"])
        signature = base64.b64decode(body["signature"], validate=True)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, binascii.Error):
        raise SyncRefused("signature.invalid", f"签名文件 {SIGNATURE} 已损坏，无法读取") from None
    key = next((k for k in trusted if k.fingerprint == claimed), None)
    if key is None:
        raise SyncRefused("key.untrusted",
                          f"更新包由密钥 {claimed[:16]} 签名，它不在这台公示屏信任的公钥中；不予更新")
    if not key.verifies(signature, data):
        raise SyncRefused("signature.bad", "签名与清单不符：更新包在签名后被改动过，或不是由该密钥签名；不予更新")
    return key


def _check_name(name: str) -> None:
    if name != DATABASE and not _PHOTO_NAME.fullmatch(name):
        raise SyncRefused("path.unsafe", f"更新包清单里有不允许的文件路径“{name[:120]}”；不予更新")


def _check_tree(bundle_dir: Path, manifest: Manifest) -> None:
    """Exactly the listed files (plus manifest, signature and receipts/), no links, no devices."""
    allowed = set(manifest.files) | {MANIFEST, SIGNATURE}
    seen: set[str] = set()
    for relative, entry in _walk(bundle_dir, ""):
        if entry.is_symlink():
            raise SyncRefused("path.symlink", f"更新包里的 {relative} 是符号链接；为安全起见不予更新")
        if entry.is_dir(follow_symlinks=False):
            continue
        if not entry.is_file(follow_symlinks=False):
            raise SyncRefused("file.extra", f"更新包里的 {relative} 不是普通文件；不予更新")
        if relative.split("/")[0] == RECEIPTS:
            continue
        if relative not in allowed:
            raise SyncRefused("file.extra", f"{BUNDLE_DIR} 文件夹里有清单之外的文件 {relative}；请删除它或重新制作更新包")
        seen.add(relative)
    missing = sorted(set(manifest.files) - seen)
    if missing:
        raise SyncRefused("file.missing", f"更新包缺少文件 {missing[0]}" + (f" 等 {len(missing)} 个" if len(missing) > 1 else ""))


def _walk(root: Path, prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as error:
        raise _stick_error(root, error) from None
    for entry in entries:
        relative = f"{prefix}{entry.name}"
        yield relative, entry
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), relative + "/")


def check_files(bundle: Bundle, stage_dir: Path | None = None, progress: Progress | None = None) -> None:
    """Hash every listed file (copying it into `stage_dir`, fsynced, when given).

    Reads at most `size + 1` bytes of each, so a file that grew is caught without reading it all.
    """
    total = sum(e.size for e in bundle.manifest.files.values())
    done = 0
    for name, entry in sorted(bundle.manifest.files.items()):
        source = bundle.dir / name
        target = stage_dir / name if stage_dir is not None else None
        digest, size = _copy_hashing(source, target, entry.size)
        if size != entry.size:
            raise SyncRefused("file.size", f"更新包里的 {name} 大小与清单不符（{size:,} ≠ {entry.size:,} 字节）：文件被改动或损坏")
        if digest != entry.sha256:
            raise SyncRefused("file.hash", f"更新包里的 {name} 内容与清单不符（SHA-256 不同）：文件被改动或损坏；不予更新")
        done += size
        if progress is not None:
            progress(done, total)


def _copy_hashing(source: Path, target: Path | None, expected: int) -> tuple[str, int]:
    """Read errors are the stick's (pulled out: SyncRefused); write errors are the kiosk's (OSError)."""
    digest = hashlib.sha256()
    size = 0
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise _stick_error(source, error) from None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(fd, "rb") as reader, (open(target, "wb") if target else nullcontext()) as writer:
        while size <= expected:
            try:
                chunk = reader.read(min(_CHUNK, expected + 1 - size))
            except OSError as error:
                raise _stick_error(source, error) from None
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            if writer is not None:
                writer.write(chunk)
        if writer is not None:
            writer.flush()
            os.fsync(writer.fileno())
    return digest.hexdigest(), size


def _stick_error(path: Path, error: OSError) -> SyncRefused:
    return SyncRefused("stick.read", f"读取U盘上的 {path.name} 时出错（{error.strerror}）：U盘可能被拔出；数据没有改动")


def find_bundle_dir(root: Path) -> Path | None:
    """The stick's pledgewall/ folder (any letter case: FAT sticks), given the stick's root or
    that folder itself; never through a symlink."""
    candidates = [root] if root.name.lower() == BUNDLE_DIR else []
    try:
        candidates += [Path(e.path) for e in os.scandir(root) if e.name.lower() == BUNDLE_DIR]
    except OSError:
        pass
    return next((c for c in candidates if c.is_dir() and not c.is_symlink()), None)
