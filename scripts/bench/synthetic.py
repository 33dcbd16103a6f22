"""Synthetic villages of any size for benchmarks (records straight into a store, no Excel)."""

from __future__ import annotations

import io
import random
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

from kiosk.roster import (
    MemberRecord,
    NoticeRecord,
    PledgeRecord,
    PledgeStatus,
    Roster,
    VillageRecord,
    VillageRoster,
)
from kiosk.store.db import open_engine
from kiosk.store.photos import PhotoStore
from kiosk.store.write import replace_villages

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "国建文华明志伟军强平东海金玉兰英秀芳丽红梅霞德福寿春秋喆堃赟"
PLEDGES = [
    "带头参加每月主题党日活动，按时足额交纳党费",
    "修缮村东组道路，安装太阳能路灯12盏",
    "帮扶2户低保家庭发展庭院经济，户均增收3000元",
    "调解邻里纠纷，做到小事不出组、大事不出村",
    "推广稻虾共养技术，带动10户村民参与",
    "每季度走访村里的留守老人和困境儿童",
]


def portrait_jpegs(count: int) -> list[bytes]:
    """A few distinct 600×800 portraits (shared by many members, like real repeated uploads)."""
    images = []
    for i in range(count):
        image = Image.new("RGB", (600, 800), (60 + 30 * i % 190, 60 + 7 * i % 190, 170))
        draw = ImageDraw.Draw(image)
        draw.ellipse((200, 150, 400, 380), fill=(235, 200, 170))
        draw.ellipse((90, 420, 510, 900), fill=(40, 40, 50))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        images.append(buffer.getvalue())
    return images


def synthetic_roster(members: int, photos: list[str], *, seed: int = 1) -> Roster:
    rng = random.Random(seed)
    member_records, pledges = [], []
    for i in range(members):
        number = f"M{i + 1:06d}"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        member_records.append(
            MemberRecord(
                number=number,
                name=name,
                post="支部书记" if i == 0 else rng.choice(["党员", "党员", "党员", "党小组长", "组织委员"]),
                joined=date(rng.randint(1970, 2024), rng.randint(1, 12), 1),
                photo=photos[i % len(photos)] if photos and i % 10 else "",
            )
        )
        for j in range(4):
            status = rng.choice(list(PledgeStatus))
            pledges.append(
                PledgeRecord(
                    member_number=number,
                    text=rng.choice(PLEDGES),
                    status=status,
                    year=2026,
                    code=f"{number}-{j + 1}",
                    due=date(2026, rng.randint(1, 12), 28),
                    progress=100 if status == PledgeStatus.DONE else rng.randint(0, 90),
                )
            )
    village = VillageRecord("SYN", "试验村", "试验村党支部", "某某镇", "https://fk.example.cn/s?m={member_id}")
    notices = (NoticeRecord("本周六上午九点在村委会召开党员大会"),)
    return Roster((VillageRoster(village, tuple(member_records), tuple(pledges), notices=notices),))


def build_store(data_dir: Path, members: int) -> None:
    store = PhotoStore(data_dir / "photos")
    hashes = [store.put_bytes(jpeg) for jpeg in portrait_jpegs(8)]
    engine = open_engine(data_dir)
    replace_villages(engine, synthetic_roster(members, hashes))
    engine.dispose()
