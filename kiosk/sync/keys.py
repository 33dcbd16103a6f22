"""Ed25519 signing keys: the township/village admin signs bundles, the kiosk trusts public keys.

The private key stays on the admin's computer (PEM, owner-only permissions); the `.pub` file
goes into the kiosk's config. A fingerprint (first 16 hex digits of SHA-256 of the raw public
key) names a key in receipts and messages.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.errors import PledgeWallError

PRIVATE_NAME = "pledgewall-signing.key"
PUBLIC_NAME = "pledgewall-signing.pub"


class KeyFileError(PledgeWallError):
    """A key file that cannot be used (missing, not Ed25519, unreadable)."""


@dataclass(frozen=True)
class PublicKey:
    key: Ed25519PublicKey
    source: str  # the file it came from, for messages

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)

    def verifies(self, signature: bytes, message: bytes) -> bool:
        try:
            self.key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate_keys(out_dir: Path) -> tuple[Path, Path]:
    """A new key pair in `out_dir`; refuses to overwrite an existing private key."""
    out_dir.mkdir(parents=True, exist_ok=True)
    private_path, public_path = out_dir / PRIVATE_NAME, out_dir / PUBLIC_NAME
    if private_path.exists():
        raise KeyFileError(f"{private_path} 已存在；为免丢失旧密钥，请换一个文件夹或先手动移走它")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    # Created owner-only from the start (no window in which others could read it).
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public_path.write_bytes(private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private_path, public_path


def load_private_key(path: Path) -> Ed25519PrivateKey:
    data = _read(path, "私钥")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise KeyFileError(f"私钥文件 {path} 无法读取（{error}）；请用 pledgewall keys generate 生成的 .key 文件") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"私钥文件 {path} 不是 Ed25519 密钥；请用 pledgewall keys generate 生成")
    return key


def load_public_key(path: Path) -> PublicKey:
    data = _read(path, "公钥")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as error:
        raise KeyFileError(f"公钥文件 {path} 无法读取（{error}）；请用 pledgewall keys generate 生成的 .pub 文件") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"公钥文件 {path} 不是 Ed25519 公钥")
    return PublicKey(key, str(path))


def _read(path: Path, what: str) -> bytes:
    try:
        if path.stat().st_size > 64 * 1024:
            raise KeyFileError(f"{what}文件 {path} 太大，不是密钥文件")
        return path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"找不到{what}文件 {path}") from None
    except OSError as error:
        raise KeyFileError(f"{what}文件 {path} 无法读取：{error.strerror}") from None
