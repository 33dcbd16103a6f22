"""The wall's read model: one immutable snapshot per data version.

The display loads it once when the data version changes and renders only from it; rendering
never touches ORM objects or the database. Only public fields are read here, and only
published evaluations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime

from sqlalchemy import Engine, select

from kiosk.roster import (
    EvaluationRecord,
    FeedbackRecord,
    FulfilmentNote,
    Grade,
    MemberRecord,
    MemberStatus,
    NoticeRecord,
    PledgeRecord,
    PledgeStatus,
    VillageRecord,
)
from kiosk.store.db import read_meta
from kiosk.store.pledge_columns import PledgeColumns, PledgeColumnsBuilder, pack
from kiosk.store.models import Evaluation, Feedback, Member, Notice, Pledge, PledgeNote, Village

# Leaders first, in the order a branch lists them on paper.
POST_RANK = ("支部书记", "书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员", "党小组长")


# Dict lookups, not Enum() calls: these run 100,000 times for a big roster.
_MEMBER_STATUS = {status.value: status for status in MemberStatus}
_GRADE = {grade.value: grade for grade in Grade}


@lru_cache(maxsize=512)  # a village has a handful of distinct posts; 20,000 members ask again and again
def post_rank(post: str) -> int:
    for rank, word in enumerate(POST_RANK):
        if post.startswith(word) or post == word:
            return rank
    return len(POST_RANK)


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
    def latest_year(self) -> int | None:
        """The newest year among this member's pledges."""
        return self._columns.latest_year(self._first, self._end)

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


@dataclass(frozen=True, slots=True)
class WallSnapshot:
    village: VillageRecord | None
    cards: tuple[MemberCard, ...]
    notices: tuple[NoticeRecord, ...]
    data_version: int
    updated_at: datetime | None
    complete: bool = True  # False: only the first cards carry pledges (the fast first frame)

    def active_notices(self, today: date) -> tuple[NoticeRecord, ...]:
        return tuple(
            n
            for n in self.notices
            if (n.start is None or n.start <= today) and (n.end is None or today <= n.end)
        )

    @property
    def pledge_count(self) -> int:
        return sum(c.pledge_count for c in self.cards)


EMPTY_SNAPSHOT = WallSnapshot(None, (), (), 0, None)


def village_codes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(Village.code).order_by(Village.id)).scalars())


def load_snapshot(engine: Engine, village_code: str | None = None, *, first: int | None = None) -> WallSnapshot:
    """Read one village (the first one when no code is given) into a snapshot.

    Core queries rather than ORM objects: an order of magnitude faster for 20,000 members; rows
    are streamed in batches and repeated small values shared, so memory follows the data, not
    the driver's buffers. With `first`, only the first `first` cards (in wall order) get their
    pledges, grades and feedback: the kiosk shows its first page from that at once, and the
    full snapshot follows from the store watcher (`complete` is False until then).
    """
    meta = read_meta(engine)
    version = int(meta.get("data_version", "0"))
    updated = meta.get("updated_at")
    updated_at = datetime.fromisoformat(updated) if updated else None
    share: dict[object, object] = {}
    same = lambda value: share.setdefault(value, value)  # noqa: E731 - one object per repeated value
    with engine.connect() as conn:
        query = select(Village).order_by(Village.id).limit(1)
        if village_code:
            query = select(Village).where(Village.code == village_code)
        v = conn.execute(query).one_or_none()
        if v is None:
            return WallSnapshot(None, (), (), version, updated_at)
        village = VillageRecord(v.code, v.name, v.branch, v.township, v.feedback_url)

        members = [
            (m.id, MemberRecord(m.number, m.name, same(m.post), same(m.duty_post), _MEMBER_STATUS[m.status],
                                same(m.joined), m.photo, m.display_order))
            for m in _rows(conn, select(Member.id, Member.number, Member.name, Member.post, Member.duty_post,
                                        Member.status, Member.joined, Member.photo, Member.display_order)
                           .where(Member.village_id == v.id))
        ]
        members.sort(key=lambda item: (post_rank(item[1].post), item[1].order, item[1].number))
        number_of = {member_id: record.number for member_id, record in members}
        complete = first is None or first >= len(members)
        wanted = (select(Member.id).where(Member.village_id == v.id) if complete
                  else [member_id for member_id, _ in members[:first]])

        notes_by_pledge: dict[int, list[FulfilmentNote]] = defaultdict(list)
        for n in _rows(conn, select(PledgeNote.pledge_id, PledgeNote.on, PledgeNote.text)
                       .join(Pledge, PledgeNote.pledge_id == Pledge.id)
                       .where(Pledge.member_id.in_(wanted))
                       .order_by(PledgeNote.on, PledgeNote.id)):
            notes_by_pledge[n.pledge_id].append(FulfilmentNote(n.on, n.text))

        # One member's pledges after another, so that each card owns a run of rows.
        columns = PledgeColumnsBuilder()
        pledge_rows: dict[int, tuple[int, int]] = {}
        member_id, first = None, 0
        for p in _rows(conn, select(Pledge).where(Pledge.member_id.in_(wanted))
                       .order_by(Pledge.member_id, Pledge.display_order, Pledge.id)):
            if p.member_id != member_id:
                if member_id is not None:
                    pledge_rows[member_id] = (first, columns.mark())
                member_id, first = p.member_id, columns.mark()
            columns.append(text=p.text, code=p.code, status=p.status, year=p.year, area=p.area,
                           measures=p.measures, due=p.due, progress=p.progress,
                           reason_not_kept=p.reason_not_kept, notes=tuple(notes_by_pledge.get(p.id, ())))
        if member_id is not None:
            pledge_rows[member_id] = (first, columns.mark())
        del notes_by_pledge

        evaluations_by_member: dict[int, list[EvaluationRecord]] = defaultdict(list)
        for e in _rows(conn, select(Evaluation)
                       .where(Evaluation.member_id.in_(wanted), Evaluation.published.is_(True))
                       .order_by(Evaluation.year.desc())):
            evaluations_by_member[e.member_id].append(
                EvaluationRecord(number_of[e.member_id], e.year, _GRADE[e.grade], e.satisfaction, e.remarks)
            )

        feedback_by_member: dict[int, list[FeedbackRecord]] = defaultdict(list)
        for f in _rows(conn, select(Feedback).where(Feedback.member_id.in_(wanted)).order_by(Feedback.period.desc())):
            feedback_by_member[f.member_id].append(
                FeedbackRecord(number_of[f.member_id], f.period, f.count, f.satisfaction, f.pledge_code, f.source)
            )

        notices = tuple(
            NoticeRecord(n.text, n.start, n.end)
            for n in conn.execute(select(Notice).where(Notice.village_id == v.id).order_by(Notice.id))
        )

    packed = columns.build()
    no_rows = (0, 0)
    cards = tuple(
        MemberCard(
            record,
            tuple(evaluations_by_member.get(member_id, ())),
            tuple(feedback_by_member.get(member_id, ())),
            packed,
            *pledge_rows.get(member_id, no_rows),
        )
        for member_id, record in members
    )
    return WallSnapshot(village, cards, notices, version, updated_at, complete)


def _rows(conn, query):  # type: ignore[no-untyped-def]
    """Rows in batches of 2,000: neither one driver call per row nor every row at once."""
    for batch in conn.execute(query).partitions(2000):
        yield from batch
