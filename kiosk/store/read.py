"""Reading the store back into plain roster records: what `replace_villages` wrote, unchanged.

Sync uses it to read a bundle's database and to keep the previous data for rollback; export
writes it back to Excel. `read_roster(write(roster)) == roster` (orders included).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

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
    Roster,
    VillageRecord,
    VillageRoster,
)
from kiosk.store.models import Evaluation, Feedback, Member, Notice, Pledge, PledgeNote, Village


def read_roster(engine: Engine, codes: Iterable[str] | None = None) -> Roster:
    """Every village in the store (or only those in `codes`), in one read transaction."""
    with Session(engine) as session, session.begin():
        return read_roster_in(session, codes)


def read_roster_in(session: Session, codes: Iterable[str] | None = None) -> Roster:
    query = select(Village).order_by(Village.code)
    if codes is not None:
        query = query.where(Village.code.in_(list(codes)))
    return Roster(tuple(_read_village(session, village) for village in session.scalars(query)))


def _read_village(session: Session, village: Village) -> VillageRoster:
    members = session.execute(
        select(Member.id, Member.number, Member.name, Member.post, Member.duty_post, Member.status,
               Member.joined, Member.photo, Member.display_order)
        .where(Member.village_id == village.id)
        .order_by(Member.display_order, Member.id)
    ).all()
    number_of = {row.id: row.number for row in members}
    notes: dict[int, list[FulfilmentNote]] = defaultdict(list)
    for row in session.execute(
        select(PledgeNote.pledge_id, PledgeNote.on, PledgeNote.text)
        .join(Pledge, Pledge.id == PledgeNote.pledge_id)
        .join(Member, Member.id == Pledge.member_id)
        .where(Member.village_id == village.id)
        .order_by(PledgeNote.id)
    ):
        notes[row.pledge_id].append(FulfilmentNote(row.on, row.text))
    pledges = tuple(
        PledgeRecord(
            member_number=number_of[p.member_id], text=p.text, status=PledgeStatus(p.status),
            year=p.year, code=p.code, area=p.area, measures=p.measures, due=p.due,
            progress=p.progress, reason_not_kept=p.reason_not_kept, notes=tuple(notes[p.id]),
        )
        for p in session.scalars(
            select(Pledge).join(Member).where(Member.village_id == village.id).order_by(Pledge.display_order, Pledge.id)
        )
    )
    evaluations = tuple(
        EvaluationRecord(number_of[e.member_id], e.year, Grade(e.grade), e.satisfaction, e.remarks, e.published)
        for e in session.scalars(
            select(Evaluation).join(Member).where(Member.village_id == village.id).order_by(Evaluation.id)
        )
    )
    feedback = tuple(
        FeedbackRecord(number_of[f.member_id], f.period, f.count, f.satisfaction, f.pledge_code, f.source)
        for f in session.scalars(select(Feedback).join(Member).where(Member.village_id == village.id).order_by(Feedback.id))
    )
    notices = tuple(
        NoticeRecord(n.text, n.start, n.end)
        for n in session.scalars(select(Notice).where(Notice.village_id == village.id).order_by(Notice.id))
    )
    return VillageRoster(
        village=VillageRecord(village.code, village.name, village.branch, village.township, village.feedback_url),
        members=tuple(
            MemberRecord(m.number, m.name, m.post, m.duty_post, MemberStatus(m.status), m.joined, m.photo,
                         m.display_order)
            for m in members
        ),
        pledges=pledges,
        evaluations=evaluations,
        feedback=feedback,
        notices=notices,
    )
