"""Shared test setup: headless SDL, and a fresh data directory per test."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from kiosk.roster import (  # noqa: E402
    EvaluationRecord,
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


def make_roster(members: int = 4, *, code: str = "QSC", name: str = "青山村", seed: int = 0) -> Roster:
    """A small but complete village: every status, notes, an evaluation, a notice."""
    statuses = list(PledgeStatus)
    member_records = []
    pledges = []
    evaluations = []
    posts = ["支部书记", "组织委员", "党员", "党小组长"]
    names = ["王喆", "李堃", "张赟", "单丽华", "曾国强", "刘䶮"]
    for i in range(members):
        number = f"{code}{i + 1:03d}"
        member_records.append(
            MemberRecord(
                number=number,
                name=names[i % len(names)] + ("" if i < len(names) else str(i)),
                post=posts[i % len(posts)],
                duty_post="义务调解员" if i % 3 == 0 else "",
                status=MemberStatus.PROBATIONARY if i == 2 else MemberStatus.FULL,
                joined=date(1990 + (i * 3 + seed) % 34, 7, 1),
            )
        )
        for j in range(2 + i % 3):
            status = statuses[(i + j + seed) % 4]
            pledges.append(
                PledgeRecord(
                    member_number=number,
                    text=f"第{j + 1}项承诺：带头修缮村东组道路，安装路灯{12 + j}盏，方便群众夜间出行",
                    status=status,
                    year=2026,
                    code=f"{number}-{j + 1}",
                    area="服务",
                    due=date(2026, 6 + j, 30),
                    progress=100 if status == PledgeStatus.DONE else (40 if status == PledgeStatus.IN_PROGRESS else 0),
                    reason_not_kept="资金未到位，已顺延至明年" if status == PledgeStatus.NOT_KEPT else "",
                    notes=(FulfilmentNote(date(2026, 3, 5), "已完成选址"),) if j == 0 else (),
                )
            )
        evaluations.append(EvaluationRecord(number, 2025, list(Grade)[i % 4], 90.0 + i % 10, published=i != 1))
    village = VillageRecord(code, name, f"{name}党支部", "某某镇", "https://fk.example.cn/q?m={member_id}")
    return Roster(
        (
            VillageRoster(
                village,
                tuple(member_records),
                tuple(pledges),
                tuple(evaluations),
                (),
                (NoticeRecord("本周六上午召开党员大会", date(2026, 1, 1), date(2026, 12, 31)),),
            ),
        )
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The same store tests on SQLite (a file) and on PostgreSQL (a fresh schema per test).

    PostgreSQL comes from $PLEDGEWALL_TEST_PG (scripts/ci-postgres sets it up; .ci/run does so).
    Without it the PostgreSQL half skips, saying why, unless PLEDGEWALL_REQUIRE_PG=1 (CI with a
    server that started), where a missing server is a failure.
    """
    if request.param == "sqlite":
        yield tmp_path / "data"
        return
    url = os.environ.get("PLEDGEWALL_TEST_PG", "")
    if not url:
        if os.environ.get("PLEDGEWALL_REQUIRE_PG") == "1":
            pytest.fail("PLEDGEWALL_REQUIRE_PG=1 but PLEDGEWALL_TEST_PG is not set")
        pytest.skip("PostgreSQL not available: run `eval \"$(scripts/ci-postgres)\"` first (as .ci/run does)")
    import uuid

    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
