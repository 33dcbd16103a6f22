"""SIGKILL during `pledgewall sync` leaves the old roster or the new one, never a mix.

A few runs here; `scripts/bench/sync_stress.py` runs hundreds.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.conftest import make_roster
from tests.sync.conftest import with_photos
from tests.sync.killing import KillLab


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_killed_sync_leaves_old_or_new(tmp_path: Path) -> None:
    lab = KillLab(tmp_path, with_photos(make_roster(30), 0), with_photos(make_roster(40, seed=3), 100))
    rng = random.Random(20261123)
    states = [lab.run_once(rng) for _ in range(6)]
    assert set(states) <= {"old", "new"}
    assert sum(lab.outcomes[k] for k in lab.outcomes if k.startswith("killed")) >= 3, lab.outcomes
