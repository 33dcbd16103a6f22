"""Feedback answers into the store: per member (all answers) and per pledge, for one period.

Only counts and the satisfied share are stored; a period imported again replaces itself for
the villages it touches and leaves other periods alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select

from kiosk.ingest.feedback import Answer
from kiosk.store.db import write_transaction
from kiosk.store.models import Feedback, Member, Village


@dataclass(frozen=True)
class FeedbackStored:
    members: int  # members with answers this period
    answers: int  # answers counted
    unknown: tuple[Answer, ...]  # answers naming a member number the store does not have


def store_feedback(engine: Engine, answers: Sequence[Answer], period: str, *, source: str = "") -> FeedbackStored:
    with write_transaction(engine) as session:
        ids = {number: (member_id, village_id) for number, member_id, village_id in
               session.execute(select(Member.number, Member.id, Member.village_id))}
        known = [a for a in answers if a.member_number in ids]
        unknown = tuple(a for a in answers if a.member_number not in ids)
        tally: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])  # (member, pledge) → [count, satisfied]
        for answer in known:
            member_id = ids[answer.member_number][0]
            for key in {(member_id, ""), (member_id, answer.pledge_code)}:
                tally[key][0] += 1
                tally[key][1] += answer.satisfied
        villages = {ids[a.member_number][1] for a in known}
        if villages:
            members_of = select(Member.id).join(Village).where(Village.id.in_(villages))
            session.execute(delete(Feedback).where(Feedback.period == period, Feedback.member_id.in_(members_of)))
        session.add_all(
            Feedback(member_id=member_id, pledge_code=pledge, period=period, count=count,
                     satisfaction=round(100 * satisfied / count, 1), source=source)
            for (member_id, pledge), (count, satisfied) in sorted(tally.items())
        )
    return FeedbackStored(len({ids[a.member_number][0] for a in known}), len(known), unknown)
