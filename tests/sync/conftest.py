"""Sync fixtures: real keys, real bundles written on a folder standing in for a USB stick."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from kiosk.roster import Roster
from kiosk.store.db import open_engine
from kiosk.store.read import read_roster
from kiosk.sync.apply import Trust
from kiosk.sync.keys import PublicKey
from kiosk.sync.make import write_signed_bundle
from tests.conftest import make_roster


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), colour).save(out, "JPEG")
    return out.getvalue()


def with_photos(roster: Roster, colour_seed: int) -> tuple[Roster, dict[str, bytes]]:
    """Give every member a distinct real JPEG; return the roster and the photo bytes by hash."""
    import hashlib

    village = roster.villages[0]
    jpegs: dict[str, bytes] = {}
    members = []
    for i, member in enumerate(village.members):
        data = jpeg(((40 * i + colour_seed) % 256, (i // 7 * 11 + colour_seed) % 256, 160))
        sha = hashlib.sha256(data).hexdigest()
        jpegs[sha] = data
        members.append(replace(member, photo=sha))
    return Roster((replace(village, members=tuple(members)),)), jpegs


@dataclass
class Kit:
    """A signing key the kiosk trusts, a kiosk data dir and a stick."""

    key: Ed25519PrivateKey
    trust: Trust
    data_dir: Path
    stick: Path

    def bundle(self, roster: Roster, jpegs: dict[str, bytes], version: int, *, key: Ed25519PrivateKey | None = None,
               stick: Path | None = None) -> Path:
        write_signed_bundle(roster, jpegs, key or self.key, stick or self.stick, version=version)
        return (stick or self.stick) / "pledgewall"

    def shown(self) -> Roster:
        engine = open_engine(self.data_dir)
        try:
            return read_roster(engine)
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def kit(tmp_path: Path, signing_key: Ed25519PrivateKey) -> Kit:
    trust = Trust((PublicKey(signing_key.public_key(), "test.pub"),), kiosk_id="kiosk-1")
    return Kit(signing_key, trust, tmp_path / "data", tmp_path / "usb")


@pytest.fixture
def old_and_new() -> tuple[tuple[Roster, dict[str, bytes]], tuple[Roster, dict[str, bytes]]]:
    """Two versions of the same village: 4 members, then 6 with other photos and statuses."""
    return with_photos(make_roster(4), 0), with_photos(make_roster(6, seed=1), 100)
