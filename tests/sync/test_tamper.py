"""Every way a stick can be wrong is refused with its own reason, and the wall keeps the old data.

Each case starts from a kiosk showing the old roster (applied from a signed bundle, version 1)
and a stick with a new signed bundle (version 2), then spoils the stick in one way.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.sync.apply import Trust
from kiosk.sync.bundle import MANIFEST, SIGNATURE, sign_bytes
from kiosk.sync.make import write_signed_bundle
from kiosk.sync.stick import sync_stick
from tests.conftest import make_roster
from tests.sync.conftest import Kit, with_photos

OTHER_KEY = Ed25519PrivateKey.generate()


def resign(bundle: Path, key: Ed25519PrivateKey, edit: Callable[[dict], None] = lambda m: None) -> None:
    """Rewrite the manifest (after `edit`) and sign it, as an admin with that key could."""
    manifest = json.loads((bundle / MANIFEST).read_bytes())
    edit(manifest)
    data, signature = sign_bytes(json.dumps(manifest).encode(), key)
    (bundle / MANIFEST).write_bytes(data)
    (bundle / SIGNATURE).write_bytes(signature)


def relist(key: Ed25519PrivateKey, name: str) -> Callable[[Path, Kit], None]:
    """After changing `name`, list its new hash and size and sign again (a trusted but bad bundle)."""
    def edit(bundle: Path, kit: Kit) -> None:
        data = (bundle / name).read_bytes()
        resign(bundle, key, lambda m: m["files"].__setitem__(name, {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}))
    return edit


def first_photo(bundle: Path) -> Path:
    return sorted((bundle / "photos").iterdir())[0]


def flip_byte(path: Path, at: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def then(*steps: Callable[[Path, Kit], None]) -> Callable[[Path, Kit], None]:
    def run(bundle: Path, kit: Kit) -> None:
        for step in steps:
            step(bundle, kit)
    return run


def truncate_database(bundle: Path, kit: Kit) -> None:
    db = bundle / "roster.db"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])


def other_bundle_manifest(keep_signature: bool) -> Callable[[Path, Kit], None]:
    def swap(bundle: Path, kit: Kit) -> None:
        roster, jpegs = with_photos(make_roster(3, seed=7), 50)
        other = write_signed_bundle(roster, jpegs, kit.key, bundle.parent.parent / "other", version=9)
        source = bundle.parent.parent / "other" / "pledgewall"
        (bundle / MANIFEST).write_bytes((source / MANIFEST).read_bytes())
        if not keep_signature:
            (bundle / SIGNATURE).write_bytes((source / SIGNATURE).read_bytes())
        assert other.version == 9
    return swap


def symlink_photo_to_passwd(bundle: Path, kit: Kit) -> None:
    photo = first_photo(bundle)
    photo.unlink()
    photo.symlink_to("/etc/passwd")


def oversized_photo(bundle: Path, kit: Kit) -> None:
    photo = first_photo(bundle)
    with open(photo, "ab") as handle:
        handle.truncate(5 << 20)  # sparse: 5 MB without writing them
    relist(kit.key, f"photos/{photo.name}")(bundle, kit)


def path_escape(bundle: Path, kit: Kit) -> None:
    resign(bundle, kit.key, lambda m: m["files"].__setitem__("../../evil.jpg", {"sha256": "0" * 64, "size": 1}))


def absolute_path(bundle: Path, kit: Kit) -> None:
    resign(bundle, kit.key, lambda m: m["files"].__setitem__("/etc/passwd", {"sha256": "0" * 64, "size": 1}))


def database_without_photo(bundle: Path, kit: Kit) -> None:
    """A signed bundle whose data names a photo it does not carry."""
    photo = first_photo(bundle)
    photo.unlink()
    resign(bundle, kit.key, lambda m: m["files"].pop(f"photos/{photo.name}"))


def older_format(bundle: Path, kit: Kit) -> None:
    resign(bundle, kit.key, lambda m: m.__setitem__("format", 99))


CASES: dict[str, tuple[Callable[[Path, Kit], None], str, str]] = {
    # name: (spoil the stick, refusal code, words the message must contain)
    "changed photo byte": (lambda b, k: flip_byte(first_photo(b)), "file.hash", "photos/"),
    "changed data": (lambda b, k: flip_byte(b / "roster.db", 3000), "file.hash", "roster.db"),
    "grown file": (lambda b, k: open(b / "roster.db", "ab").write(b"x"), "file.size", "roster.db"),
    "edited manifest": (lambda b, k: (b / MANIFEST).write_bytes((b / MANIFEST).read_bytes().replace(b'"version": 2', b'"version": 3')),
                        "signature.bad", "改动"),
    "manifest of another bundle": (other_bundle_manifest(keep_signature=True), "signature.bad", "签名"),
    "manifest and signature of another bundle": (other_bundle_manifest(keep_signature=False), "file.extra", "清单之外"),
    "signed by an untrusted key": (lambda b, k: resign(b, OTHER_KEY), "key.untrusted", "信任"),
    "untrusted key posing as the trusted one": (
        lambda b, k: (b / SIGNATURE).write_text(json.dumps({**json.loads((b / SIGNATURE).read_text()),
                                                            "signature": json.loads(sign_bytes((b / MANIFEST).read_bytes(), OTHER_KEY)[1])["signature"]})),
        "signature.bad", "签名"),
    "no signature": (lambda b, k: (b / SIGNATURE).unlink(), "signature.missing", SIGNATURE),
    "garbled signature": (lambda b, k: (b / SIGNATURE).write_bytes(b"\x00garbage"), "signature.invalid", SIGNATURE),
    "extra file": (lambda b, k: (b / "photos" / "autorun.inf").write_text("x"), "file.extra", "photos/autorun.inf"),
    "missing file": (lambda b, k: first_photo(b).unlink(), "file.missing", "photos/"),
    "../ path": (path_escape, "path.unsafe", "../../evil.jpg"),
    "absolute path": (absolute_path, "path.unsafe", "/etc/passwd"),
    "symlink to /etc/passwd": (symlink_photo_to_passwd, "path.symlink", "符号链接"),
    "oversized file": (oversized_photo, "file.oversized", "超过上限"),
    "truncated SQLite": (then(truncate_database, relist(OTHER_KEY, "roster.db"), lambda b, k: relist(k.key, "roster.db")(b, k)),
                         "database", "数据库"),
    "non-SQLite file named roster.db": (then(lambda b, k: (b / "roster.db").write_bytes(b"PK\x03\x04 not a database" * 50),
                                             lambda b, k: relist(k.key, "roster.db")(b, k)),
                                        "database.invalid", "roster.db"),
    "data names a photo the bundle lacks": (database_without_photo, "photo.missing", "照片"),
    "unknown format version": (older_format, "format.unsupported", "格式版本"),
}


@pytest.fixture
def kiosk_with_old(kit: Kit, old_and_new, tmp_path: Path):  # type: ignore[no-untyped-def]
    (old, old_photos), (new, new_photos) = old_and_new
    first = kit.bundle(old, old_photos, version=1, stick=tmp_path / "first-stick")
    result, _ = sync_stick(first.parent, kit.data_dir, kit.trust)
    assert result.applied, result.message
    before = kit.shown()
    bundle = kit.bundle(new, new_photos, version=2)
    return before, bundle


@pytest.mark.parametrize("case", list(CASES))
def test_spoiled_stick_is_refused_and_the_old_data_stays(kit: Kit, kiosk_with_old, case: str) -> None:  # type: ignore[no-untyped-def]
    before, bundle = kiosk_with_old
    spoil, code, words = CASES[case]
    spoil(bundle, kit)
    result, receipt = sync_stick(kit.stick, kit.data_dir, kit.trust)
    assert not result.applied
    assert result.code.startswith(code), (result.code, result.message)
    assert words in result.message, result.message
    assert kit.shown() == before
    assert "回执已写入U盘" in receipt
    written = json.loads(next((bundle / "receipts").glob("*.json")).read_text("utf-8"))
    assert written["outcome"] == "refused" and written["code"] == result.code
    assert not any((kit.data_dir / "sync" / "staging").glob("*")), "staging is cleaned after a refusal"


def test_the_unspoiled_bundle_applies(kit: Kit, kiosk_with_old, old_and_new) -> None:  # type: ignore[no-untyped-def]
    before, _bundle = kiosk_with_old
    result, _ = sync_stick(kit.stick, kit.data_dir, kit.trust)
    assert result.applied, result.message
    assert kit.shown() != before
    assert len(kit.shown().villages[0].members) == 6


def test_replayed_older_bundle_is_refused(kit: Kit, kiosk_with_old, tmp_path: Path, old_and_new) -> None:  # type: ignore[no-untyped-def]
    _before, _bundle = kiosk_with_old
    assert sync_stick(kit.stick, kit.data_dir, kit.trust)[0].applied
    after = kit.shown()
    (old, old_photos), _new = old_and_new
    kit.bundle(old, old_photos, version=1, stick=tmp_path / "kept-stick")  # an old stick found in a drawer
    result, _ = sync_stick(tmp_path / "kept-stick", kit.data_dir, kit.trust)
    assert (result.applied, result.code) == (False, "version.old")
    assert "--force-older" in result.message
    first, _ = sync_stick(tmp_path / "first-stick", kit.data_dir, kit.trust)  # the very bundle applied first
    assert (first.applied, first.code) == (False, "bundle.already")
    again, _ = sync_stick(kit.stick, kit.data_dir, kit.trust)  # the same version 2 again
    assert (again.applied, again.code) == (False, "bundle.already")
    assert kit.shown() == after


def test_force_older_applies_a_deliberate_rollback(kit: Kit, kiosk_with_old, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before, _bundle = kiosk_with_old
    assert sync_stick(kit.stick, kit.data_dir, kit.trust)[0].applied
    result, _ = sync_stick(tmp_path / "first-stick", kit.data_dir, kit.trust, force_older=True)
    assert result.applied, result.message
    assert kit.shown() == before


def test_another_village_is_refused(kit: Kit, kiosk_with_old) -> None:  # type: ignore[no-untyped-def]
    before, _bundle = kiosk_with_old
    roster, jpegs = with_photos(make_roster(3, code="HSC", name="红石村"), 9)
    kit.bundle(roster, jpegs, version=5)
    result, _ = sync_stick(kit.stick, kit.data_dir, kit.trust)
    assert (result.applied, result.code) == (False, "village.other")
    assert "HSC" in result.message and "QSC" in result.message
    assert kit.shown() == before


def test_a_kiosk_without_trusted_keys_refuses(kit: Kit, kiosk_with_old) -> None:  # type: ignore[no-untyped-def]
    before, _bundle = kiosk_with_old
    result, _ = sync_stick(kit.stick, kit.data_dir, Trust((), kiosk_id="k"))
    assert (result.applied, result.code) == (False, "keys.none")
    assert kit.shown() == before


@pytest.mark.skipif(os.name != "posix", reason="a symlinked folder needs POSIX symlinks")
def test_a_symlinked_pledgewall_folder_is_not_followed(kit: Kit, kiosk_with_old, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before, bundle = kiosk_with_old
    elsewhere = tmp_path / "elsewhere"
    bundle.rename(elsewhere)
    bundle.symlink_to(elsewhere)
    result, _ = sync_stick(kit.stick, kit.data_dir, kit.trust)
    assert not result.applied
    assert kit.shown() == before
