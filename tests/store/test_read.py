"""The store reads back exactly what was written: the base of sync, rollback and export."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.roster import FeedbackRecord, Roster
from kiosk.store.db import open_engine
from kiosk.store.read import read_roster
from kiosk.store.snapshot import village_codes
from kiosk.store.write import replace_villages
from tests.conftest import make_roster


def with_feedback(roster: Roster) -> Roster:
    village = roster.villages[0]
    first = village.members[0].number
    feedback = (FeedbackRecord(first, "2026Q3", 12, 91.5, f"{first}-1", "问卷星"),
                FeedbackRecord(first, "2026Q3", 30, None))
    return Roster((dataclasses.replace(village, feedback=feedback),))


def stored_orders(roster: Roster) -> Roster:
    """The writer numbers members that carry no explicit order by their position."""
    return Roster(tuple(
        dataclasses.replace(v, members=tuple(dataclasses.replace(m, order=m.order or i)
                                             for i, m in enumerate(v.members)))
        for v in roster.villages
    ))


def test_read_gives_back_what_was_written(store_target: Path | str) -> None:
    engine = open_engine(store_target)
    roster = with_feedback(make_roster(6))
    replace_villages(engine, roster)
    assert read_roster(engine) == stored_orders(roster)


def test_one_village_of_several(data_dir: Path) -> None:
    engine = open_engine(data_dir)
    qsc, hsc = make_roster(3), make_roster(4, code="HSC", name="红石村", seed=1)
    replace_villages(engine, Roster(qsc.villages + hsc.villages))
    assert sorted(village_codes(engine)) == ["HSC", "QSC"]
    assert read_roster(engine, ["HSC"]) == stored_orders(hsc)
    assert read_roster(engine, []) == Roster(())


@settings(max_examples=15, deadline=None)
@given(members=st.integers(0, 12), seed=st.integers(0, 40))
def test_write_read_write_is_a_fixed_point(tmp_path_factory, members: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    engine = open_engine(tmp_path_factory.mktemp("store"))
    replace_villages(engine, make_roster(members, seed=seed))
    once = read_roster(engine)
    replace_villages(engine, once)
    assert read_roster(engine) == once
