"""SQLAlchemy 2.0 typed models of the local store (one file per kiosk or township)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about the store: schema version, data version, last update."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Village(Base):
    __tablename__ = "village"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    branch: Mapped[str] = mapped_column(String(200), default="")
    township: Mapped[str] = mapped_column(String(200), default="")
    feedback_url: Mapped[str] = mapped_column(String(500), default="")
    members: Mapped[list[Member]] = relationship(
        back_populates="village", cascade="all, delete-orphan", passive_deletes=True
    )
    notices: Mapped[list[Notice]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class Member(Base):
    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("village_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    post: Mapped[str] = mapped_column(String(100), default="党员")
    duty_post: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(10), default="正式")
    joined: Mapped[date | None] = mapped_column(Date)
    photo: Mapped[str] = mapped_column(String(80), default="")
    display_order: Mapped[int] = mapped_column(Integer, default=0)
    village: Mapped[Village] = relationship(back_populates="members")
    pledges: Mapped[list[Pledge]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    evaluations: Mapped[list[Evaluation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    feedback: Mapped[list[Feedback]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class Pledge(Base):
    __tablename__ = "pledge"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    year: Mapped[int] = mapped_column(Integer)
    area: Mapped[str] = mapped_column(String(20), default="")
    text: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    progress: Mapped[int] = mapped_column(Integer, default=0)
    reason_not_kept: Mapped[str] = mapped_column(Text, default="")
    display_order: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[list[PledgeNote]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class PledgeNote(Base):
    """践诺记录: a dated line of what was done."""

    __tablename__ = "pledge_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    on: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)


class Evaluation(Base):
    """评诺: the branch's year-end grade for a member."""

    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("member_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(10))
    satisfaction: Mapped[float | None] = mapped_column(Float)
    remarks: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=True)


class Feedback(Base):
    """Aggregated villagers' feedback; who said what never reaches this table."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    pledge_code: Mapped[str] = mapped_column(String(80), default="")
    period: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)
    satisfaction: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(100), default="")


class Notice(Base):
    __tablename__ = "notice"
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)


class SyncRecord(Base):
    """One USB bundle seen by this store: applied or refused, and why."""

    __tablename__ = "sync_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(80))
    village_code: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer)
    signer: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    applied_at: Mapped[datetime] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(20))  # applied / refused / rolled-back
    reason: Mapped[str] = mapped_column(Text, default="")
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON


class Receipt(Base):
    """A kiosk's receipt read back from a stick at the township office (`receipts import`)."""

    __tablename__ = "receipt"
    __table_args__ = (UniqueConstraint("kiosk_id", "at", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(100))
    village_code: Mapped[str] = mapped_column(String(64), default="", index=True)
    bundle_id: Mapped[str] = mapped_column(String(80), default="")
    version: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime)
    applied: Mapped[bool] = mapped_column(default=False)
    code: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")
