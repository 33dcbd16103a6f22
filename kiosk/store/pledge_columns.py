"""A snapshot's pledges packed into columns: a few large objects instead of 80,000 small ones.

A 20,000-member roster has some 80,000 pledges. As `PledgeRecord` objects with their own strings
they took about 30 MB of the kiosk's memory, twice over while a new snapshot replaced the old.
Packed, each text column is one string and each number column one array; records are made only
for the cards being drawn (a page's worth), and the summary page counts straight off the columns.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import date

from kiosk.roster import FulfilmentNote, PledgeRecord, PledgeStatus

STATUSES = tuple(PledgeStatus)
_STATUS_CODE = {status: code for code, status in enumerate(STATUSES)}
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

    def latest_year(self, first: int, end: int) -> int | None:
        return max(self.year[first:end], default=None)


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

    def append(self, *, text: str, code: str, status: PledgeStatus, year: int, area: str = "",
               measures: str = "", due: date | None = None, progress: int = 0, reason_not_kept: str = "",
               notes: tuple[FulfilmentNote, ...] = ()) -> None:
        if notes:
            self._notes[len(self._status)] = notes
        self._status.append(_STATUS_CODE[status])
        self._text.append(text)
        self._code.append(code)
        self._area.append(area)
        self._measures.append(measures)
        self._reason.append(reason_not_kept)
        self._progress.append(progress)
        self._year.append(year)
        self._due.append(due.toordinal() if due else 0)

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
        builder.append(text=p.text, code=p.code, status=p.status, year=p.year, area=p.area,
                       measures=p.measures, due=p.due, progress=p.progress,
                       reason_not_kept=p.reason_not_kept, notes=p.notes)
    return builder.build()
