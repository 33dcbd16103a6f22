"""The wall's read model: one immutable snapshot per data version.

The display loads it once when the data version changes and renders only from it; rendering
never touches ORM objects or the database. Only public fields are read here, and only
published evaluations.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, Engine, SQLColumnExpression, case, func, select

from kiosk.roster import (
    EvaluationRecord,
    FeedbackRecord,
    FulfilmentNote,
    Grade,
    MemberRecord,
    NoticeRecord,
    PledgeRecord,
    PledgeStatus,
    VillageRecord,
)
from kiosk.store.db import read_meta
from kiosk.store.columns import MemberColumns, MemberColumnsBuilder, PledgeColumns, PledgeColumnsBuilder, pack
from kiosk.store.models import Evaluation, Feedback, Member, Notice, Pledge, PledgeNote, Village

# Leaders first, in the order a branch lists them on paper.
POST_RANK = ("支部书记", "书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员", "党小组长")


# Dict lookups, not Enum() calls: these run 100,000 times for a big roster.
_GRADE = {grade.value: grade for grade in Grade}


def post_rank(post: str) -> int:
    """Where a post comes on the wall: the first word of POST_RANK it starts with."""
    for rank, word in enumerate(POST_RANK):
        if post.startswith(word):
            return rank
    return len(POST_RANK)


def post_rank_sql(post: SQLColumnExpression[str]) -> ColumnElement[int]:
    """`post_rank` as an SQL expression (SQLite and PostgreSQL), for ORDER BY."""
    return case(*((func.substr(post, 1, len(word)) == word, rank) for rank, word in enumerate(POST_RANK)),
                else_=len(POST_RANK))


class MemberCard:
    """One member with everything the wall may show about them.

    The pledges live in the snapshot's shared `PledgeColumns` (rows `first` to `end`): `pledges`
    makes their records when a card is drawn; counts are read off the columns.
    """

    __slots__ = ("member", "evaluations", "feedback", "_columns", "_first", "_end")

    def __init__(
        self,
        member: MemberRecord,
        evaluations: tuple[EvaluationRecord, ...],  # published only, newest year first
        feedback: tuple[FeedbackRecord, ...],
        columns: PledgeColumns,
        first: int,
        end: int,
    ) -> None:
        self.member, self.evaluations, self.feedback = member, evaluations, feedback
        self._columns, self._first, self._end = columns, first, end

    @classmethod
    def of(
        cls,
        member: MemberRecord,
        pledges: Iterable[PledgeRecord] = (),
        evaluations: tuple[EvaluationRecord, ...] = (),
        feedback: tuple[FeedbackRecord, ...] = (),
    ) -> MemberCard:
        """A card from records (tests, tools): its pledges packed on their own."""
        columns = pack(pledges)
        return cls(member, evaluations, feedback, columns, 0, len(columns))

    @property
    def pledges(self) -> tuple[PledgeRecord, ...]:
        number = self.member.number
        return tuple(self._columns.record(i, number) for i in range(self._first, self._end))

    @property
    def pledge_count(self) -> int:
        return self._end - self._first

    @property
    def latest_evaluation(self) -> EvaluationRecord | None:
        return self.evaluations[0] if self.evaluations else None

    def count(self, status: PledgeStatus) -> int:
        return self._columns.count(status, self._first, self._end)

    def overdue(self, today: date) -> int:
        """Pledges past their due date and not done (shown as a warning, not a status)."""
        return self._columns.overdue(today, self._first, self._end)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MemberCard):
            return NotImplemented
        return (self.member, self.pledges, self.evaluations, self.feedback) == (
            other.member, other.pledges, other.evaluations, other.feedback)

    __hash__ = None  # type: ignore[assignment]  # equal by content, like the records

    def __repr__(self) -> str:
        return f"MemberCard({self.member.number} {self.member.name}, {self.pledge_count} pledges)"


class CardList(Sequence[MemberCard]):
    """A snapshot's member cards in wall order (or another order), made when asked for.

    The members are kept in columns; a `MemberCard` exists only while a page, a summary row or
    a search uses it, so memory follows the pages drawn, not the roster.
    """

    __slots__ = ("_members", "_pledges", "_rows")

    def __init__(self, members: MemberColumns, pledges: PledgeColumns, rows: array[int] | None = None) -> None:
        self._members, self._pledges = members, pledges
        self._rows = rows  # an order of member indexes; None: wall order

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else len(self._members)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return [self._card(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._card(index)

    def __iter__(self) -> Iterator[MemberCard]:
        return (self._card(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CardList({len(self)} members, {self.pledge_count} pledges)"

    @property
    def pledge_count(self) -> int:
        return len(self._pledges)

    def pledge_year(self) -> int | None:
        """The newest year among all pledges."""
        return max(self._pledges.year, default=None)

    def member_texts(self, field: str) -> Iterator[str]:
        """One text field of every member in this list's order ("number", "name", "post", …),
        without making cards: a search index of 20,000 names builds in half the time."""
        column = getattr(self._members, field)
        return (column[self._row(i)] for i in range(len(self)))

    def index_of(self, number: str) -> int | None:
        """Where the member with this number is in this list."""
        at = self._members.find(number)
        if at is None or self._rows is None:
            return at
        return next((i for i, row in enumerate(self._rows) if row == at), None)

    def sorted_by(self, key) -> CardList:  # type: ignore[no-untyped-def]
        """The same cards in the order of `key(card)`; ties keep this list's order."""
        order = sorted(range(len(self)), key=lambda i: key(self._card(i)))
        return CardList(self._members, self._pledges, array("I", (self._row(i) for i in order)))

    def _row(self, index: int) -> int:
        return self._rows[index] if self._rows is not None else index

    def _card(self, index: int) -> MemberCard:
        row, members = self._row(index), self._members
        return MemberCard(members.record(row), members.evaluations.get(row, ()), members.feedback.get(row, ()),
                          self._pledges, members.first[row], members.end[row])


def _no_cards() -> CardList:
    return CardList(MemberColumnsBuilder().build(), PledgeColumnsBuilder().build())


@dataclass(frozen=True, slots=True)
class WallSnapshot:
    village: VillageRecord | None
    cards: CardList = field(default_factory=_no_cards)
    notices: tuple[NoticeRecord, ...] = ()
    data_version: int = 0
    updated_at: datetime | None = None
    complete: bool = True  # False: only the first cards carry pledges (the fast first frame)

    def active_notices(self, today: date) -> tuple[NoticeRecord, ...]:
        return tuple(
            n
            for n in self.notices
            if (n.start is None or n.start <= today) and (n.end is None or today <= n.end)
        )

    @property
    def pledge_count(self) -> int:
        return self.cards.pledge_count

    def pledge_year(self, today: date) -> int:
        """The year the wall is about: the newest year among all pledges (this year when none)."""
        year = self.cards.pledge_year()
        return today.year if year is None else year

    def card(self, number: str) -> MemberCard | None:
        index = self.cards.index_of(number)
        return None if index is None else self.cards[index]


EMPTY_SNAPSHOT = WallSnapshot(None)


def village_codes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(Village.code).order_by(Village.id)).scalars())


def load_snapshot(engine: Engine, village_code: str | None = None, *, first: int | None = None) -> WallSnapshot:
    """Read one village (the first one when no code is given) into a snapshot.

    Core queries rather than ORM objects: an order of magnitude faster for 20,000 members; rows
    are streamed in batches straight into columns, so memory follows the data, not the driver's
    buffers. With `first`, only the first `first` cards (in wall order) get their pledges, grades
    and feedback: the kiosk shows its first page from that at once, and the full snapshot
    follows from the store watcher (`complete` is False until then).
    """
    meta = read_meta(engine)
    version = int(meta.get("data_version", "0"))
    updated = meta.get("updated_at")
    updated_at = datetime.fromisoformat(updated) if updated else None
    with engine.connect() as conn:
        query = select(Village).order_by(Village.id).limit(1)
        if village_code:
            query = select(Village).where(Village.code == village_code)
        v = conn.execute(query).one_or_none()
        if v is None:
            return WallSnapshot(None, data_version=version, updated_at=updated_at)
        village = VillageRecord(v.code, v.name, v.branch, v.township, v.feedback_url)

        # The database sorts, so that rows stream straight into the columns: holding 20,000 rows
        # to sort them here cost 20 MB of heap that stayed with the process.
        members = MemberColumnsBuilder()
        index_of: dict[int, int] = {}
        number_of: dict[int, str] = {}
        for m in _rows(conn, select(Member.id, Member.number, Member.name, Member.post, Member.duty_post,
                                    Member.status, Member.joined, Member.photo, Member.display_order)
                       .where(Member.village_id == v.id)
                       .order_by(post_rank_sql(Member.post), Member.display_order, Member.number)):
            index_of[m.id], number_of[m.id] = len(index_of), m.number
            members.append(MemberRecord(m.number, m.name, m.post, m.duty_post, m.status, m.joined, m.photo,
                                        m.display_order))
        complete = first is None or first >= len(index_of)
        wanted = (select(Member.id).where(Member.village_id == v.id) if complete else list(index_of)[:first])

        notes_by_pledge: dict[int, list[FulfilmentNote]] = defaultdict(list)
        for n in _rows(conn, select(PledgeNote.pledge_id, PledgeNote.on, PledgeNote.text)
                       .join(Pledge, PledgeNote.pledge_id == Pledge.id)
                       .where(Pledge.member_id.in_(wanted))
                       .order_by(PledgeNote.on, PledgeNote.id)):
            notes_by_pledge[n.pledge_id].append(FulfilmentNote(n.on, n.text))

        # One member's pledges after another, so that each card owns a run of rows.
        pledges = PledgeColumnsBuilder()
        for p in _rows(conn, select(Pledge).where(Pledge.member_id.in_(wanted))
                       .order_by(Pledge.member_id, Pledge.display_order, Pledge.id)):
            index = index_of[p.member_id]
            if members.end[index] == 0:
                members.first[index] = pledges.mark()
            pledges.append(p, tuple(notes_by_pledge.get(p.id, ())))
            members.end[index] = pledges.mark()
        del notes_by_pledge

        evaluations: dict[int, list[EvaluationRecord]] = defaultdict(list)
        for e in _rows(conn, select(Evaluation)
                       .where(Evaluation.member_id.in_(wanted), Evaluation.published.is_(True))
                       .order_by(Evaluation.year.desc())):
            evaluations[index_of[e.member_id]].append(
                EvaluationRecord(number_of[e.member_id], e.year, _GRADE[e.grade], e.satisfaction, e.remarks)
            )
        members.evaluations = {index: tuple(records) for index, records in evaluations.items()}

        feedback: dict[int, list[FeedbackRecord]] = defaultdict(list)
        for f in _rows(conn, select(Feedback).where(Feedback.member_id.in_(wanted)).order_by(Feedback.period.desc())):
            feedback[index_of[f.member_id]].append(
                FeedbackRecord(number_of[f.member_id], f.period, f.count, f.satisfaction, f.pledge_code, f.source)
            )
        members.feedback = {index: tuple(records) for index, records in feedback.items()}

        notices = tuple(
            NoticeRecord(n.text, n.start, n.end)
            for n in conn.execute(select(Notice).where(Notice.village_id == v.id).order_by(Notice.id))
        )

    cards = CardList(members.build(), pledges.build())
    return WallSnapshot(village, cards, notices, version, updated_at, complete)


def _rows(conn, query):  # type: ignore[no-untyped-def]
    """Rows in batches of 2,000: neither one driver call per row nor every row at once."""
    for batch in conn.execute(query).partitions(2000):
        yield from batch
