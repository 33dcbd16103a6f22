"""Plain roster records: what ingest produces and the store writes.

These are the hand-off between the outside world (Excel files, USB bundles) and the local
store. They hold only public fields; private columns never make it this far.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class PledgeStatus(StrEnum):
    """A pledge's state, in the words shown on the wall."""

    NOT_STARTED = "未开始"
    IN_PROGRESS = "进行中"
    DONE = "已完成"
    NOT_KEPT = "未完成"


class Grade(StrEnum):
    """Year-end evaluation (评诺) grades."""

    EXCELLENT = "优秀"
    PASS = "合格"
    BASIC_PASS = "基本合格"
    FAIL = "不合格"


class MemberStatus(StrEnum):
    FULL = "正式"
    PROBATIONARY = "预备"


@dataclass(frozen=True, slots=True)
class FulfilmentNote:
    """A dated record of what was done for a pledge (践诺记录)."""

    on: date | None
    text: str


@dataclass(frozen=True, slots=True)
class PledgeRecord:
    member_number: str
    text: str
    status: PledgeStatus
    year: int
    code: str = ""  # stable id for feedback links; ingest fills "<member>-<n>" when blank
    area: str = ""  # 学习 / 工作 / 自律 / 服务
    measures: str = ""
    due: date | None = None
    progress: int = 0  # 0..100
    reason_not_kept: str = ""
    notes: tuple[FulfilmentNote, ...] = ()


@dataclass(frozen=True, slots=True)
class MemberRecord:
    number: str
    name: str
    post: str = "党员"
    duty_post: str = ""
    status: MemberStatus = MemberStatus.FULL
    joined: date | None = None
    photo: str = ""  # content hash of the normalised photo in the photo store, "" for none
    order: int = 0


@dataclass(frozen=True, slots=True)
class EvaluationRecord:
    member_number: str
    year: int
    grade: Grade
    satisfaction: float | None = None  # percent 0..100
    remarks: str = ""
    published: bool = True


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """Aggregated villagers' feedback for a member (or one of their pledges)."""

    member_number: str
    period: str
    count: int
    satisfaction: float | None  # percent 0..100
    pledge_code: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class NoticeRecord:
    text: str
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class VillageRecord:
    code: str
    name: str
    branch: str = ""  # 党支部 name
    township: str = ""
    feedback_url: str = ""  # template with {village} {member_id} {pledge_id}


@dataclass(frozen=True, slots=True)
class VillageRoster:
    """Everything one village's wall shows."""

    village: VillageRecord
    members: tuple[MemberRecord, ...] = ()
    pledges: tuple[PledgeRecord, ...] = ()
    evaluations: tuple[EvaluationRecord, ...] = ()
    feedback: tuple[FeedbackRecord, ...] = ()
    notices: tuple[NoticeRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class Roster:
    """One import: a single village, or a township's worth."""

    villages: tuple[VillageRoster, ...] = field(default_factory=tuple)
