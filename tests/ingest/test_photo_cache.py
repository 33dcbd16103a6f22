"""Photos are normalised once per content: shared files in one import, and again never on re-import."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image
from rosterfiles import canonical, write_xlsx

import kiosk.ingest.photos as photos_module
from kiosk.ingest.importer import import_roster


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many photos went through the real normaliser (a spy; the work itself is real)."""
    calls: list[int] = []
    real = photos_module.normalize_many

    def spy(sources, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(sources))
        return real(sources, **kwargs)

    monkeypatch.setattr(photos_module, "normalize_many", spy)
    return calls


def test_shared_photos_once_and_reimports_not_at_all(tmp_path: Path, counted: list[int]) -> None:
    roster = write_xlsx(tmp_path / "roster.xlsx", canonical())
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.new("RGB", (600, 800), (120, 40, 40)).save(photos / "M001.jpg")
    shutil.copy(photos / "M001.jpg", photos / "M002.jpg")  # the same picture under two names
    Image.new("RGB", (600, 800), (40, 120, 40)).save(photos / "M003.jpg")
    data = tmp_path / "data"

    first = import_roster(roster, data, photos)
    assert first.counts is not None and first.photos == 2
    assert counted == [2]
    index = json.loads((data / "photos" / "sources.json").read_text())
    assert len(index) == 2

    again = import_roster(roster, data, photos)
    assert again.photos == 2 and counted == [2, 0]  # nothing normalised the second time

    Image.new("RGB", (600, 800), (40, 40, 120)).save(photos / "M003.jpg")  # a new photo for one member
    third = import_roster(roster, data, photos)
    assert third.photos == 2 and counted == [2, 0, 1]


def test_a_damaged_stored_photo_is_normalised_again(tmp_path: Path, counted: list[int]) -> None:
    roster = write_xlsx(tmp_path / "roster.xlsx", canonical())
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.new("RGB", (600, 800), (120, 40, 40)).save(photos / "M001.jpg")
    data = tmp_path / "data"
    import_roster(roster, data, photos)
    stored = next((data / "photos").glob("*/*.jpg"))
    stored.write_bytes(b"\xff\xd8 damaged")
    import_roster(roster, data, photos)
    assert counted == [1, 1]
