"""A snapshot's members and pledges packed into columns: a few large objects, not 500,000 small.

A 20,000-member roster has some 80,000 pledges. As records with their own strings they took
about 45 MB of the kiosk's memory, twice over while a new snapshot replaced the old, and left
the heap fragmented after. Packed, each text column is one string and each number column one
array; records are made only for the cards being drawn (a page's worth), and the summary page
counts straight off the columns.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from kiosk.roster import (
    EvaluationRecord,
    FeedbackRecord,
    FulfilmentNote,
    MemberRecord,
    MemberStatus,
    PledgeRecord,
    PledgeStatus,
)

STATUSES = tuple(PledgeStatus)
MEMBER_STATUSES = tuple(MemberStatus)
_MEMBER_STATUS_CODE: dict[str, int] = {status: code for code, status in enumerate(MEMBER_STATUSES)}
_STATUS_CODE: dict[str, int] = {status: code for code, status in enumerate(STATUSES)}  # a StrEnum or its word
_DONE = _STATUS_CODE[PledgeStatus.DONE]
_BATCH = 2000  # strings joined per step while building: the parts never pile up


class TextColumn:
    """Many strings stored as one: the joined text and where each string ends."""

    __slots__ = ("_text", "_ends")

    def __init__(self, text: str, ends: array[int]) -> None:
        self._text = text
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        start = self._ends[index - 1] if index else 0
        return self._text[start : self._ends[index]]


class TextColumnBuilder:
    __slots__ = ("_joined", "_pending", "_ends", "_length")

    def __init__(self) -> None:
        self._joined: list[str] = []
        self._pending: list[str] = []
        self._ends = array("I")  # 4 bytes an end: up to 4 billion characters
        self._length = 0

    def append(self, value: str) -> None:
        self._pending.append(value)
        self._length += len(value)
        self._ends.append(self._length)
        if len(self._pending) >= _BATCH:
            self._joined.append("".join(self._pending))
            self._pending.clear()

    def build(self) -> TextColumn:
        return TextColumn("".join([*self._joined, *self._pending]), self._ends)


class PledgeColumns:
    """Every pledge of a snapshot; a card owns the rows `first <= i < end`."""

    __slots__ = ("text", "code", "area", "measures", "reason", "status", "progress", "year", "due", "notes")

    def __init__(self, *, text: TextColumn, code: TextColumn, area: TextColumn, measures: TextColumn,
                 reason: TextColumn, status: bytes, progress: array[int], year: array[int],
                 due: array[int], notes: dict[int, tuple[FulfilmentNote, ...]]) -> None:
        self.text, self.code, self.area, self.measures, self.reason = text, code, area, measures, reason
        self.status = status  # one byte per pledge: its index in STATUSES
        self.progress, self.year = progress, year
        self.due = due  # date ordinals, 0 for none
        self.notes = notes  # only the pledges that have notes

    def __len__(self) -> int:
        return len(self.status)

    def record(self, index: int, member_number: str) -> PledgeRecord:
        due = self.due[index]
        return PledgeRecord(
            member_number=member_number,
            text=self.text[index],
            status=STATUSES[self.status[index]],
            year=self.year[index],
            code=self.code[index],
            area=self.area[index],
            measures=self.measures[index],
            due=date.fromordinal(due) if due else None,
            progress=self.progress[index],
            reason_not_kept=self.reason[index],
            notes=self.notes.get(index, ()),
        )

    def count(self, status: PledgeStatus, first: int, end: int) -> int:
        return self.status.count(_STATUS_CODE[status], first, end)

    def overdue(self, today: date, first: int, end: int) -> int:
        """Pledges past their due date and not done."""
        day = today.toordinal()
        due, status = self.due, self.status
        return sum(1 for i in range(first, end) if 0 < due[i] < day and status[i] != _DONE)


class PledgeFields(Protocol):
    """What a pledge is packed from (the `pledge` table's rows and `PledgeRecord` alike)."""

    @property
    def text(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def area(self) -> str: ...
    @property
    def measures(self) -> str: ...
    @property
    def due(self) -> date | None: ...
    @property
    def progress(self) -> int: ...
    @property
    def reason_not_kept(self) -> str: ...


class PledgeColumnsBuilder:
    """Pledges appended one member after another; `mark()` tells where the next member starts."""

    def __init__(self) -> None:
        self._text, self._code, self._area = TextColumnBuilder(), TextColumnBuilder(), TextColumnBuilder()
        self._measures, self._reason = TextColumnBuilder(), TextColumnBuilder()
        self._status = bytearray()
        self._progress, self._year, self._due = array("q"), array("q"), array("i")
        self._notes: dict[int, tuple[FulfilmentNote, ...]] = {}

    def mark(self) -> int:
        return len(self._status)

    def append(self, pledge: PledgeFields, notes: tuple[FulfilmentNote, ...]) -> None:
        """One pledge: a `PledgeRecord`, or a store row, which has the same fields."""
        if notes:
            self._notes[len(self._status)] = notes
        self._status.append(_STATUS_CODE[pledge.status])
        self._text.append(pledge.text)
        self._code.append(pledge.code)
        self._area.append(pledge.area)
        self._measures.append(pledge.measures)
        self._reason.append(pledge.reason_not_kept)
        self._progress.append(pledge.progress)
        self._year.append(pledge.year)
        self._due.append(pledge.due.toordinal() if pledge.due else 0)

    def build(self) -> PledgeColumns:
        return PledgeColumns(
            text=self._text.build(), code=self._code.build(), area=self._area.build(),
            measures=self._measures.build(), reason=self._reason.build(), status=bytes(self._status),
            progress=self._progress, year=self._year, due=self._due, notes=self._notes,
        )


def pack(pledges: Iterable[PledgeRecord]) -> PledgeColumns:
    """Records → columns (one member's card built by hand, e.g. in tests and tools)."""
    builder = PledgeColumnsBuilder()
    for p in pledges:
        builder.append(p, p.notes)
    return builder.build()



class MemberColumns:
    """Every member of a snapshot in wall order, with where their pledges are in `PledgeColumns`."""

    __slots__ = ("number", "name", "post", "duty_post", "photo", "status", "joined", "order",
                 "first", "end", "evaluations", "feedback")

    def __init__(self, *, number: TextColumn, name: TextColumn, post: TextColumn, duty_post: TextColumn,
                 photo: TextColumn, status: bytes, joined: array[int], order: array[int], first: array[int],
                 end: array[int], evaluations: dict[int, tuple[EvaluationRecord, ...]],
                 feedback: dict[int, tuple[FeedbackRecord, ...]]) -> None:
        self.number, self.name, self.post, self.duty_post, self.photo = number, name, post, duty_post, photo
        self.status = status  # index in MEMBER_STATUSES
        self.joined, self.order = joined, order  # joined: date ordinal, 0 for none
        self.first, self.end = first, end  # the member's pledge rows
        self.evaluations, self.feedback = evaluations, feedback  # only members that have any

    def __len__(self) -> int:
        return len(self.status)

    def record(self, index: int) -> MemberRecord:
        joined = self.joined[index]
        return MemberRecord(
            number=self.number[index],
            name=self.name[index],
            post=self.post[index],
            duty_post=self.duty_post[index],
            status=MEMBER_STATUSES[self.status[index]],
            joined=date.fromordinal(joined) if joined else None,
            photo=self.photo[index],
            order=self.order[index],
        )

    def find(self, number: str) -> int | None:
        return next((i for i in range(len(self)) if self.number[i] == number), None)


class MemberColumnsBuilder:
    """Members appended in wall order; their pledge rows, grades and feedback set by index."""

    def __init__(self) -> None:
        self._number, self._name, self._post = TextColumnBuilder(), TextColumnBuilder(), TextColumnBuilder()
        self._duty_post, self._photo = TextColumnBuilder(), TextColumnBuilder()
        self._status = bytearray()
        self._joined, self._order = array("i"), array("q")
        self.first, self.end = array("I"), array("I")
        self.evaluations: dict[int, tuple[EvaluationRecord, ...]] = {}
        self.feedback: dict[int, tuple[FeedbackRecord, ...]] = {}

    def append(self, member: MemberRecord) -> None:
        self._number.append(member.number)
        self._name.append(member.name)
        self._post.append(member.post)
        self._duty_post.append(member.duty_post)
        self._photo.append(member.photo)
        self._status.append(_MEMBER_STATUS_CODE[member.status])
        self._joined.append(member.joined.toordinal() if member.joined else 0)
        self._order.append(member.order)
        self.first.append(0)
        self.end.append(0)

    def build(self) -> MemberColumns:
        return MemberColumns(
            number=self._number.build(), name=self._name.build(), post=self._post.build(),
            duty_post=self._duty_post.build(), photo=self._photo.build(), status=bytes(self._status),
            joined=self._joined, order=self._order, first=self.first, end=self.end,
            evaluations=self.evaluations, feedback=self.feedback,
        )
