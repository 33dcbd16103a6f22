"""One stick from start to end: what it holds, prepare, apply, and the receipt written back.

Used by `pledgewall sync` and by the kiosk's sync scene (which shows the preview between
`prepare` and `apply`). Whatever happens, the result is also written to the stick's
`pledgewall/receipts/` — and a failure to write it never undoes an apply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.durable import write_atomic
from kiosk.errors import PledgeWallError
from kiosk.sync.apply import Prepared, Progress, SyncResult, Trust, apply, prepare, prepare_roster, record_refusal
from kiosk.sync.bundle import MANIFEST, RECEIPTS, SyncRefused, find_bundle_dir

ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class StickContents:
    bundle_dir: Path
    signed: bool  # a manifest (signed bundle) rather than a plain roster file
    roster_file: Path | None = None  # the plain roster, when not signed


def look_at(root: Path) -> StickContents | None:
    """What a stick (or a pledgewall folder) holds; None when it holds nothing for the wall."""
    bundle_dir = find_bundle_dir(root)
    if bundle_dir is None:
        return None
    if (bundle_dir / MANIFEST).exists() or (bundle_dir / "manifest.sig").exists():
        return StickContents(bundle_dir, signed=True)
    rosters = sorted(p for p in bundle_dir.iterdir()
                     if p.is_file() and p.suffix.lower() in ROSTER_SUFFIXES and not p.name.startswith((".", "~$")))
    return StickContents(bundle_dir, signed=False, roster_file=rosters[0] if len(rosters) == 1 else None)


def prepare_stick(contents: StickContents, data_dir: Path, trust: Trust, *, force_older: bool = False,
                  pin_ok: bool = False, progress: Progress | None = None) -> Prepared:
    if contents.signed:
        return prepare(contents.bundle_dir, data_dir, trust, force_older=force_older, progress=progress)
    if not trust.allow_unsigned:
        raise SyncRefused("unsigned.disallowed", "U盘上是未签名的花名册，这台公示屏只接受签名的更新包（pledgewall bundle make 制作）")
    if not pin_ok:
        raise SyncRefused("unsigned.pin", "未签名的花名册需要先输入管理员PIN")
    if contents.roster_file is None:
        raise SyncRefused("unsigned.roster", f"{contents.bundle_dir} 里应当正好有一个花名册文件（.xlsx/.xls/.csv）")
    return _prepare_unsigned(contents, data_dir, trust)


def _prepare_unsigned(contents: StickContents, data_dir: Path, trust: Trust) -> Prepared:
    from kiosk.ingest.importer import check_photos, check_roster, with_photos
    from kiosk.ingest.problems import Severity

    assert contents.roster_file is not None
    photos_dir = next((contents.bundle_dir / n for n in ("photos", "照片") if (contents.bundle_dir / n).is_dir()), None)
    try:
        checked = check_roster(contents.roster_file, photos_dir)
    except OSError as error:
        raise SyncRefused("stick.read", f"读取U盘上的 {contents.roster_file.name} 出错（{error.strerror}）：U盘可能被拔出") from None
    if checked.roster is None:
        errors = [p for p in checked.problems if p.severity == Severity.ERROR]
        shown = "；".join(str(p) for p in errors[:3]) + ("……" if len(errors) > 3 else "")
        raise SyncRefused("roster.errors", f"花名册有 {len(errors)} 个错误，未更新：{shown}")
    checked, photos = check_photos(checked)
    assert checked.roster is not None
    roster = with_photos(checked.roster, {member: photo.sha256 for member, photo in photos.items()})
    return prepare_roster(roster, {p.sha256: p.jpeg for p in photos.values()}, data_dir, trust)


def sync_stick(root: Path, data_dir: Path, trust: Trust, *, force_older: bool = False, pin_ok: bool = False,
               progress: Progress | None = None) -> tuple[SyncResult, str]:
    """Prepare and apply, then write the receipt; returns (result, what happened to the receipt)."""
    contents = look_at(root)
    if contents is None:
        return SyncResult(False, "stick.empty", f"{root} 上没有 pledgewall 文件夹"), ""
    prepared: Prepared | None = None
    try:
        prepared = prepare_stick(contents, data_dir, trust, force_older=force_older, pin_ok=pin_ok, progress=progress)
        result = apply(prepared, data_dir, progress=progress)
    except PledgeWallError as error:  # a refusal, or a kiosk store that cannot be opened
        refusal = error if isinstance(error, SyncRefused) else SyncRefused("kiosk.store", str(error))
        record_refusal(data_dir, refusal, prepared.bundle_id if prepared else "", prepared.villages if prepared else ())
        result = SyncResult(False, refusal.code, str(refusal))
    return result, receipt_note(contents.bundle_dir, result, trust, prepared)


def receipt_note(bundle_dir: Path, result: SyncResult, trust: Trust, prepared: Prepared | None) -> str:
    """Write the receipt; say where, or why not (the data stays as the result says either way)."""
    try:
        path = write_receipt(bundle_dir, result, trust.kiosk_id, prepared)
    except OSError as error:
        return f"回执未能写入U盘（{error.strerror or error}）；数据{'已更新' if result.applied else '没有改动'}"
    return f"回执已写入U盘：{path.relative_to(bundle_dir.parent)}"


def write_receipt(bundle_dir: Path, result: SyncResult, kiosk_id: str, prepared: Prepared | None,
                  now: datetime | None = None) -> Path:
    """A .txt for people (UTF-8 with BOM, so old Notepad shows Chinese) and a .json for tools."""
    moment = now or datetime.now()
    folder = bundle_dir / RECEIPTS
    if folder.is_symlink():
        raise OSError(f"{folder} 是符号链接")
    outcome = "applied" if result.applied else "refused"
    stem = f"{_safe(kiosk_id)}-{moment:%Y%m%d-%H%M%S}-{outcome}"
    body = {
        "outcome": result.code if result.applied else "refused",
        "code": result.code,
        "message": result.message,
        "kiosk_id": kiosk_id,
        "at": moment.isoformat(timespec="seconds"),
        "bundle_id": prepared.bundle_id if prepared else "",
        "version": prepared.version if prepared else None,
        "villages": list(prepared.villages) if prepared else [],
        "signer": prepared.signer if prepared else "",
        "counts": result.counts,
        "change": result.change.as_dict() if result.change else None,
    }
    text = "\n".join([
        f"公示屏 {kiosk_id}  {moment:%Y-%m-%d %H:%M:%S}",
        "结果：" + ("已更新" if result.applied else "未更新（原数据不变）"),
        result.message,
        *(result.change.lines() if result.change else []),
        *(["版本：" + str(prepared.version), "村：" + "、".join(prepared.villages)] if prepared else []),
        "",
    ])
    write_atomic(folder / f"{stem}.json", json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))
    write_atomic(folder / f"{stem}.txt", text.encode("utf-8-sig"))
    return folder / f"{stem}.txt"


def _safe(name: str) -> str:
    """A kiosk id as part of a file name on FAT (no : \\ / * ? " < > |)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:40] or "kiosk"
