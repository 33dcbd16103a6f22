"""The display goes away under the running kiosk (video subsystem lost, mode changed): the loop
re-creates the display and its surfaces and goes on showing the wall."""

from __future__ import annotations

import logging
from pathlib import Path

import pygame
import pytest
from conftest import make_roster

import kiosk.app.loop as loop
from kiosk.app.display import Display, open_video
from kiosk.config import DisplaySettings, Settings
from kiosk.store.db import open_engine
from kiosk.store.write import replace_villages


@pytest.mark.parametrize("trouble", ["video lost", "mode changed"])
def test_the_kiosk_survives_losing_its_display(data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture, trouble: str) -> None:
    engine = open_engine(data_dir)
    replace_villages(engine, make_roster(8))
    engine.dispose()
    shown: list[tuple[int, int]] = []
    present = Display.present

    def counting_present(self: Display, *args: object, **kwargs: object) -> None:
        present(self, *args, **kwargs)  # type: ignore[arg-type]
        shown.append(self.screen.get_size())

    monkeypatch.setattr(Display, "present", counting_present)
    frame = loop._frame
    turns = {"n": 0}

    def troubled_frame(*args: object) -> None:
        turns["n"] += 1
        if turns["n"] == 5:
            if trouble == "video lost":
                pygame.display.quit()  # what a dead X server or a KMS hiccup does to SDL
            else:
                pygame.display.set_mode((800, 600))  # another program (or a monitor) changed the mode
        frame(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(loop, "_frame", troubled_frame)
    open_video()
    settings = Settings(display=DisplaySettings(fullscreen=False, size=(1280, 720), page_seconds=2))
    with caplog.at_level(logging.WARNING, logger="kiosk.loop"):
        status = loop.run_kiosk(data_dir, settings, loop.RunOptions(max_frames=30))
    assert status == 0
    assert "re-creating it" in caplog.text
    assert turns["n"] >= 25  # it went on turning frames after the trouble
    assert shown and shown[-1] == (1280, 720)  # and shows the wall at its size again
