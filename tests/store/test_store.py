from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import make_roster
from sqlalchemy import text

from kiosk.roster import PledgeStatus, Roster
from kiosk.store.db import SCHEMA_VERSION, StoreError, data_version, open_engine, read_meta
from kiosk.store.snapshot import load_snapshot, post_rank, village_codes
from kiosk.store.write import replace_villages


def test_new_store_has_schema_wal_and_foreign_keys(data_dir: Path) -> None:
    engine = open_engine(data_dir)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert read_meta(engine)["schema_version"] == str(SCHEMA_VERSION)
    assert data_version(engine) == 0
    assert (data_dir / "pledgewall.db").exists()


def test_roster_round_trips_through_the_store(store_target: Path | str) -> None:
    roster = make_roster(5)
    engine = open_engine(store_target)
    counts = replace_villages(engine, roster)
    assert (counts.villages, counts.members) == (1, 5)
    snap = load_snapshot(engine)
    village = roster.villages[0]
    assert snap.village == village.village
    assert snap.data_version == 1
    assert {c.member.number for c in snap.cards} == {m.number for m in village.members}
    by_number = {c.member.number: c for c in snap.cards}
    for pledge in village.pledges:
        stored = [p for p in by_number[pledge.member_number].pledges if p.code == pledge.code]
        assert stored == [pledge]
    assert snap.notices == village.notices
    assert snap.pledge_count == len(village.pledges)


def test_only_published_evaluations_reach_the_snapshot(store_target: Path | str) -> None:
    engine = open_engine(store_target)
    replace_villages(engine, make_roster(4))
    snap = load_snapshot(engine)
    unpublished = next(c for c in snap.cards if c.member.number == "QSC002")
    assert unpublished.evaluations == ()
    assert all(e.published for c in snap.cards for e in c.evaluations)


def test_cards_are_ordered_by_post_then_roster_order(store_target: Path | str) -> None:
    engine = open_engine(store_target)
    replace_villages(engine, make_roster(8))
    posts = [c.member.post for c in load_snapshot(engine).cards]
    assert posts == sorted(posts, key=post_rank)
    assert posts[0] == "支部书记"


def test_reimport_replaces_and_bumps_version(store_target: Path | str) -> None:
    engine = open_engine(store_target)
    replace_villages(engine, make_roster(6))
    first = load_snapshot(engine)
    replace_villages(engine, make_roster(6))
    second = load_snapshot(engine)
    assert second.cards == first.cards
    assert second.data_version == first.data_version + 1
    replace_villages(engine, make_roster(3))
    assert len(load_snapshot(engine).cards) == 3


def test_failed_write_leaves_the_old_roster(store_target: Path | str) -> None:
    engine = open_engine(store_target)
    replace_villages(engine, make_roster(4))
    before = load_snapshot(engine)
    village = make_roster(4).villages[0]
    orphan = replace(village.pledges[0], member_number="NOBODY")
    broken = Roster((replace(village, pledges=village.pledges + (orphan,)),))
    with pytest.raises(KeyError):
        replace_villages(engine, broken)
    assert load_snapshot(engine) == before


def test_two_villages_are_kept_apart(store_target: Path | str) -> None:
    engine = open_engine(store_target)
    replace_villages(engine, make_roster(3, code="AAA", name="甲村"))
    replace_villages(engine, make_roster(2, code="BBB", name="乙村"))
    assert village_codes(engine) == ["AAA", "BBB"]
    assert len(load_snapshot(engine, "BBB").cards) == 2
    assert len(load_snapshot(engine).cards) == 3
    assert load_snapshot(engine, "ZZZ").village is None


def test_store_written_by_a_newer_program_is_refused(data_dir: Path) -> None:
    open_engine(data_dir).dispose()
    with sqlite3.connect(data_dir / "pledgewall.db") as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="99"):
        open_engine(data_dir)


def test_overdue_counts_only_unfinished_past_due(store_target: Path | str) -> None:
    engine = open_engine(store_target)
    replace_villages(engine, make_roster(4))
    card = load_snapshot(engine).cards[0]
    late = [p for p in card.pledges if p.status != PledgeStatus.DONE and p.due and p.due < date(2026, 8, 1)]
    assert card.overdue(date(2026, 8, 1)) == len(late)
    assert card.overdue(date(2000, 1, 1)) == 0
