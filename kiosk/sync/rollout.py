"""The township office's view of its kiosks: bundles made, receipts read back from sticks.

`import_receipts` reads the `.json` receipts kiosks wrote onto a stick; `rollout_rows` puts each
village's counts next to the last bundle made for it and the last receipt seen from its kiosk,
so the office sees which walls are up to date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kiosk.store.models import Member, Pledge, Receipt, SyncRecord, Village
from kiosk.sync.bundle import BUNDLE_DIR, RECEIPTS


@dataclass(frozen=True)
class ReceiptImport:
    added: int
    already: int
    unreadable: tuple[str, ...]  # file names that are not receipts


def import_receipts(engine: Engine, usb_root: Path) -> ReceiptImport:
    """Every receipt on the stick (USBROOT/pledgewall/receipts, or one folder per village)."""
    files = sorted({*usb_root.glob(f"{BUNDLE_DIR}/{RECEIPTS}/*.json"), *usb_root.glob(f"*/{BUNDLE_DIR}/{RECEIPTS}/*.json"),
                    *usb_root.glob(f"{RECEIPTS}/*.json")})
    added = already = 0
    unreadable: list[str] = []
    with Session(engine) as session, session.begin():
        for file in files:
            try:
                body = json.loads(file.read_text("utf-8-sig"))
                receipt = Receipt(
                    kiosk_id=str(body["kiosk_id"])[:100], village_code=",".join(body.get("villages") or [])[:64],
                    bundle_id=str(body.get("bundle_id") or ""), version=body.get("version"),
                    at=datetime.fromisoformat(body["at"]), applied=body["outcome"] != "refused",
                    code=str(body["code"])[:40], message=str(body.get("message", "")),
                )
            except (OSError, ValueError, KeyError, TypeError):
                unreadable.append(file.name)
                continue
            seen = session.scalar(select(Receipt.id).where(
                Receipt.kiosk_id == receipt.kiosk_id, Receipt.at == receipt.at, Receipt.code == receipt.code))
            if seen is None:
                session.add(receipt)
                session.flush()
                added += 1
            else:
                already += 1
    return ReceiptImport(added, already, tuple(unreadable))


@dataclass(frozen=True)
class RolloutRow:
    code: str
    name: str
    members: int
    pledges: int
    done: int
    made_version: int | None
    made_at: datetime | None
    kiosk: str
    receipt_at: datetime | None
    receipt_applied: bool | None
    receipt_version: int | None
    receipt_message: str

    @property
    def completion(self) -> float | None:
        return self.done / self.pledges if self.pledges else None

    @property
    def up_to_date(self) -> str:
        if self.made_version is None:
            return "未制作更新包"
        if self.receipt_at is None:
            return "未收到回执"
        if self.receipt_applied and self.receipt_version == self.made_version:
            return "是"
        return "否"


HEADERS = ("村代码", "村名", "党员", "承诺", "已完成", "完成率", "最新更新包版本", "制作时间",
           "公示屏", "最近回执时间", "回执结果", "回执版本", "已是最新", "回执说明")


def rollout_rows(engine: Engine) -> list[RolloutRow]:
    with Session(engine) as session:
        members = dict(session.execute(select(Member.village_id, func.count()).group_by(Member.village_id)).all())
        pledges: dict[int, int] = {}
        done: dict[int, int] = {}
        for village_id, status, count in session.execute(
            select(Member.village_id, Pledge.status, func.count()).join(Member).group_by(Member.village_id, Pledge.status)
        ):
            pledges[village_id] = pledges.get(village_id, 0) + count
            if status == "已完成":
                done[village_id] = done.get(village_id, 0) + count
        rows = []
        for village in session.scalars(select(Village).order_by(Village.code)):
            made = session.execute(
                select(SyncRecord.version, SyncRecord.applied_at)
                .where(SyncRecord.outcome == "made", SyncRecord.village_code == village.code)
                .order_by(SyncRecord.version.desc()).limit(1)
            ).first()
            receipt = session.scalars(
                select(Receipt).where(Receipt.village_code == village.code).order_by(Receipt.at.desc()).limit(1)
            ).first()
            rows.append(RolloutRow(
                village.code, village.name, members.get(village.id, 0), pledges.get(village.id, 0), done.get(village.id, 0),
                made.version if made else None, made.applied_at if made else None,
                receipt.kiosk_id if receipt else "", receipt.at if receipt else None,
                receipt.applied if receipt else None, receipt.version if receipt else None,
                receipt.message if receipt else "",
            ))
    return rows


def row_cells(row: RolloutRow) -> list[object]:
    """One row as the table and the workbook show it."""
    return [
        row.code, row.name, row.members, row.pledges, row.done,
        f"{row.completion:.0%}" if row.completion is not None else "—",
        row.made_version or "—", f"{row.made_at:%Y-%m-%d %H:%M}" if row.made_at else "—",
        row.kiosk or "—", f"{row.receipt_at:%Y-%m-%d %H:%M}" if row.receipt_at else "—",
        {True: "已更新", False: "未更新", None: "—"}[row.receipt_applied], row.receipt_version or "—",
        row.up_to_date, row.receipt_message,
    ]
