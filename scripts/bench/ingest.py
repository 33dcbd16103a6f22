"""Roster ingest benchmark: a 10,000-member / 50,000-pledge workbook, check + import end to end.

    .venv/bin/python scripts/bench/ingest.py [--members 10000] [--pledges-per-member 5]

Prints the time of each step and rows per second. Target: ≤ 5 s end to end on 2 cores.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from synthetic import GIVEN, PLEDGES, SURNAMES  # noqa: E402 - the same names as the other benchmarks

from kiosk.ingest.importer import check_roster, import_roster  # noqa: E402

STATUSES = ["已完成", "进行中", "未开始", "未完成"]


def write_workbook(path: Path, members: int, per_member: int, seed: int = 1, villages: int = 1) -> None:
    """One workbook; with several villages the members are spread evenly (村 column)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    settings = book.create_sheet("设置")
    settings.append(["村代码", "村名", "党支部", "乡镇", "反馈链接"])
    codes = ["BIG"] if villages == 1 else [f"V{v + 1:03d}" for v in range(villages)]
    for v, code in enumerate(codes):
        name = "大村" if villages == 1 else f"第{v + 1}村"
        settings.append([code, name, f"{name}党支部", "某某镇", "https://fk.example.cn/q?m={member_id}&p={pledge_id}"])
    ws = book.create_sheet("党员")
    ws.append(["编号", "姓名", "职务", "设岗定责", "党员类别", "入党时间", "照片", "村", "排序"])
    for i in range(members):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        ws.append([f"M{i + 1:06d}", name, "党员", "政策宣传岗" if i % 4 == 0 else None,
                   "预备" if i % 17 == 0 else "正式", date(1970, 1, 1) + timedelta(days=rng.randrange(20000)),
                   None, None if villages == 1 else codes[i * villages // members], i + 1])
    ws = book.create_sheet("承诺")
    ws.append(["编号", "姓名", "年度", "方面", "承诺内容", "践诺措施", "完成时限", "状态", "进度", "未兑现原因",
               "践诺记录", "承诺编号"])
    for i in range(members):
        for j in range(per_member):
            status = STATUSES[(i + j) % 4]
            progress = {"已完成": 100, "进行中": rng.randrange(10, 90), "未开始": 0, "未完成": 30}[status]
            ws.append([f"M{i + 1:06d}", None, 2026, "服务", PLEDGES[(i + j) % len(PLEDGES)], "组织党员义务投工",
                       "2026年9月底" if j % 2 else date(2026, 12, 31), status, progress,
                       "资金未到位" if status == "未完成" else None,
                       "2026-03-05 已完成选址" if j == 0 else None, None])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--pledges-per-member", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of check")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xlsx"
        t = time.perf_counter()
        write_workbook(path, args.members, args.pledges_per_member)
        made = time.perf_counter() - t
        rows = args.members * (1 + args.pledges_per_member)
        print(f"workbook: {args.members} members, {args.members * args.pledges_per_member} pledges, "
              f"{path.stat().st_size / 1e6:.1f} MB, written in {made:.1f} s (not timed below)")

        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            check_roster(path)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)

        t = time.perf_counter()
        result = check_roster(path)
        check_s = time.perf_counter() - t
        assert result.roster is not None, [p.format() for p in result.problems[:10]]
        print(f"check:                {check_s:6.2f} s  {rows / check_s:9,.0f} rows/s")

        data = Path(tmp) / "data"
        t = time.perf_counter()
        imported = import_roster(path, data)
        total = time.perf_counter() - t
        assert imported.counts is not None
        print(f"import (check+store): {total:6.2f} s  {rows / total:9,.0f} rows/s  "
              f"({imported.counts.members} members, {imported.counts.pledges} pledges)")
        t = time.perf_counter()
        import_roster(path, data)
        again = time.perf_counter() - t
        print(f"re-import (replace):  {again:6.2f} s  {rows / again:9,.0f} rows/s")
        print(f"target ≤ 5 s end to end: {'met' if max(total, again) <= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
