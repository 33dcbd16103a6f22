"""Writing a roster into the store: one transaction replaces each village it carries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select, text
from sqlalchemy.orm import Session

from kiosk.roster import Roster, VillageRoster
from kiosk.store.db import write_transaction
from kiosk.store.models import (
    Base,
    Evaluation,
    Feedback,
    Member,
    Notice,
    Pledge,
    PledgeNote,
    Village,
)


@dataclass(frozen=True)
class WriteCounts:
    villages: int
    members: int
    pledges: int


def replace_villages(engine: Engine, roster: Roster) -> WriteCounts:
    """Replace every village in `roster` with its new contents, atomically.

    Readers keep seeing the previous data until the single commit; a crash before it leaves the
    old data untouched.
    """
    with write_transaction(engine) as session:
        return replace_villages_in(session, roster)


def replace_villages_in(session: Session, roster: Roster) -> WriteCounts:
    """The same, inside a transaction the caller owns (sync records its receipt in it too)."""
    members = pledges = 0
    for village_roster in roster.villages:
        _replace_village(session, village_roster)
        members += len(village_roster.members)
        pledges += len(village_roster.pledges)
    return WriteCounts(len(roster.villages), members, pledges)


def _replace_village(session: Session, roster: VillageRoster) -> None:
    record = roster.village
    village = session.scalars(select(Village).where(Village.code == record.code)).one_or_none()
    if village is None:
        village = Village(code=record.code)
        session.add(village)
    village.name = record.name
    village.branch = record.branch
    village.township = record.township
    village.feedback_url = record.feedback_url
    session.flush()
    kept_feedback = [] if roster.feedback else _feedback_of(session, village.id)
    # Bulk delete; ON DELETE CASCADE removes pledges, notes, evaluations, feedback.
    session.execute(delete(Member).where(Member.village_id == village.id))
    session.execute(delete(Notice).where(Notice.village_id == village.id))

    member_rows = [
        {
            "village_id": village.id,
            "number": m.number,
            "name": m.name,
            "post": m.post,
            "duty_post": m.duty_post,
            "status": str(m.status),
            "joined": m.joined,
            "photo": m.photo,
            "display_order": m.order or order,
        }
        for order, m in enumerate(roster.members)
    ]
    member_ids = dict(zip((m.number for m in roster.members), _insert_ids(session, Member, member_rows)))

    pledge_rows = [
        {
            "member_id": member_ids[p.member_number],
            "code": p.code,
            "year": p.year,
            "area": p.area,
            "text": p.text,
            "measures": p.measures,
            "due": p.due,
            "status": str(p.status),
            "progress": p.progress,
            "reason_not_kept": p.reason_not_kept,
            "display_order": order,
        }
        for order, p in enumerate(roster.pledges)
    ]
    pledge_ids = _insert_ids(session, Pledge, pledge_rows)
    note_rows = [
        {"pledge_id": pledge_id, "on": n.on, "text": n.text}
        for pledge_id, p in zip(pledge_ids, roster.pledges)
        for n in p.notes
    ]
    _insert(session, PledgeNote, note_rows)
    _insert(
        session,
        Evaluation,
        [
            {
                "member_id": member_ids[e.member_number],
                "year": e.year,
                "grade": str(e.grade),
                "satisfaction": e.satisfaction,
                "remarks": e.remarks,
                "published": e.published,
            }
            for e in roster.evaluations
        ],
    )
    _insert(
        session,
        Feedback,
        [
            {
                "member_id": member_ids[f.member_number],
                "pledge_code": f.pledge_code,
                "period": f.period,
                "count": f.count,
                "satisfaction": f.satisfaction,
                "source": f.source,
            }
            for f in roster.feedback
        ]
        + [{**row, "member_id": member_ids[number]} for number, row in kept_feedback if number in member_ids],
    )
    _insert(
        session,
        Notice,
        [{"village_id": village.id, "text": n.text, "start": n.start, "end": n.end} for n in roster.notices],
    )


def _feedback_of(session: Session, village_id: int) -> list[tuple[str, dict[str, object]]]:
    """Feedback results imported on their own (`feedback import`): a roster without a 反馈汇总
    sheet leaves them with the members who are still there."""
    rows = session.execute(
        select(Member.number, Feedback.pledge_code, Feedback.period, Feedback.count, Feedback.satisfaction, Feedback.source)
        .join(Member, Member.id == Feedback.member_id).where(Member.village_id == village_id)
    )
    return [(r.number, {"pledge_code": r.pledge_code, "period": r.period, "count": r.count,
                        "satisfaction": r.satisfaction, "source": r.source}) for r in rows]


def _insert(session: Session, model: type[Base], rows: list[dict[str, object]]) -> None:
    """Core executemany on the session's connection: the ORM's per-row bookkeeping is not needed."""
    if rows:
        session.connection().execute(insert(model.__table__), rows)  # type: ignore[attr-defined]


def _insert_ids(session: Session, model: type[Base], rows: list[dict[str, object]]) -> list[int]:
    """Insert rows with primary keys chosen here, and return them in the order of `rows`.

    RETURNING with ordered parameters makes SQLite run one statement per row (60,000 for a big
    roster); numbering the rows ourselves lets the driver's executemany do it in one go. It is
    safe because this runs inside the write transaction: SQLite holds its write lock from the
    delete before; on PostgreSQL the table is locked against other writers and its sequence is
    moved past the new ids, so rows inserted elsewhere without an id cannot collide.
    """
    if not rows:
        return []
    table = model.__table__  # type: ignore[attr-defined]
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text(f"LOCK TABLE {table.name} IN EXCLUSIVE MODE"))
    first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    ids = list(range(first, first + len(rows)))
    _insert(session, model, [{"id": i, **row} for i, row in zip(ids, rows)])
    if postgres:
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), {ids[-1]})"))
    return ids
