"""The snapshot's packed columns give back exactly the records that went in, and the card list
behaves as the sequence of cards the wall, summary, search and detail scenes use."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import make_roster
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.roster import FulfilmentNote, MemberRecord, PledgeRecord, PledgeStatus
from kiosk.store.columns import TextColumnBuilder, pack
from kiosk.store.db import open_engine
from kiosk.store.snapshot import POST_RANK, MemberCard, load_snapshot, post_rank
from kiosk.store.write import replace_villages

texts = st.text(max_size=40)  # any characters: CJK, astral (𠀀), empty
notes = st.lists(st.builds(FulfilmentNote, st.none() | st.dates(), texts), max_size=3).map(tuple)
pledges = st.builds(
    PledgeRecord,
    member_number=st.just("QSC001"),
    text=texts,
    status=st.sampled_from(list(PledgeStatus)),
    year=st.integers(1900, 2200),
    code=texts,
    area=texts,
    measures=texts,
    due=st.none() | st.dates(),
    progress=st.integers(-5, 1000),  # whatever the store holds comes back unchanged
    reason_not_kept=texts,
    notes=notes,
)


@given(st.lists(texts, max_size=5000))
@settings(max_examples=30, deadline=None)
def test_text_column_gives_back_every_string(values: list[str]) -> None:
    builder = TextColumnBuilder()
    for value in values:
        builder.append(value)
    column = builder.build()
    assert len(column) == len(values)
    assert [column[i] for i in range(len(values))] == values


@given(st.lists(pledges, max_size=30), st.dates())
@settings(max_examples=60, deadline=None)
def test_packed_pledges_round_trip_and_count(records: list[PledgeRecord], today: date) -> None:
    card = MemberCard.of(MemberRecord("QSC001", "王喆"), records)
    assert card.pledges == tuple(records)
    assert card.pledge_count == len(records)
    for status in PledgeStatus:
        assert card.count(status) == sum(1 for p in records if p.status == status)
    assert card.overdue(today) == sum(
        1 for p in records if p.due is not None and p.due < today and p.status != PledgeStatus.DONE
    )


def test_a_card_of_no_pledges() -> None:
    card = MemberCard.of(MemberRecord("QSC001", "王喆"))
    assert card.pledges == () and card.pledge_count == 0 and card.count(PledgeStatus.DONE) == 0
    assert len(pack([])) == 0


@pytest.fixture
def snapshot(data_dir: Path):  # type: ignore[no-untyped-def]
    engine = open_engine(data_dir)
    replace_villages(engine, make_roster(30))
    yield load_snapshot(engine)
    engine.dispose()


def test_card_list_is_a_sequence_of_cards(snapshot) -> None:  # type: ignore[no-untyped-def]
    roster = make_roster(30).villages[0]
    cards = snapshot.cards
    assert len(cards) == 30 and len(list(cards)) == 30
    assert cards[-1] == cards[29] and cards[0] == list(cards)[0]
    assert cards[5:11] == list(cards)[5:11] and cards[::7] == list(cards)[::7]
    with pytest.raises(IndexError):
        cards[30]
    by_number = {c.member.number: c for c in cards}
    for member in roster.members:  # every member, with their own pledges in their order
        card = by_number[member.number]
        assert card.member == replace(member, order=card.member.order)  # the store numbers the order
        assert card.pledges == tuple(p for p in roster.pledges if p.member_number == member.number)
    assert snapshot.pledge_count == len(roster.pledges)
    assert snapshot.pledge_year(date(2030, 1, 1)) == 2026


def test_card_lookup_and_reordering(snapshot) -> None:  # type: ignore[no-untyped-def]
    cards = snapshot.cards
    assert snapshot.card("QSC017") == next(c for c in cards if c.member.number == "QSC017")
    assert snapshot.card("NOBODY") is None
    by_done = cards.sorted_by(lambda c: -c.count(PledgeStatus.DONE))
    assert sorted(list(cards), key=lambda c: -c.count(PledgeStatus.DONE)) == list(by_done)  # stable
    assert by_done[by_done.index_of("QSC017")].member.number == "QSC017"
    assert by_done != cards and by_done.sorted_by(lambda c: 0) == by_done
    for field in ("number", "name", "post"):
        assert list(by_done.member_texts(field)) == [getattr(c.member, field) for c in by_done]


def test_wall_order_from_the_database_is_post_rank_then_roster_order(data_dir: Path) -> None:
    """The database sorts (post_rank_sql); post_rank says the same rule in Python."""
    posts = [*POST_RANK, "支部书记兼村委会主任", "书记员", "副书记（主持工作）", "党员", "村民代表", "委", ""]
    village = make_roster(len(posts) * 2).villages[0]
    shuffled = random.Random(7).sample(posts * 2, len(posts) * 2)
    members = tuple(replace(m, post=post, order=len(shuffled) - i)
                    for i, (m, post) in enumerate(zip(village.members, shuffled)))
    engine = open_engine(data_dir)
    replace_villages(engine, type(make_roster())((replace(village, members=members),)))
    got = [c.member.number for c in load_snapshot(engine).cards]
    engine.dispose()
    expected = sorted(members, key=lambda m: (post_rank(m.post), m.order, m.number))
    assert got == [m.number for m in expected]
