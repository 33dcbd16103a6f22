#!/usr/bin/env python3
"""Write the demo village 青山村 (data/demo/roster.xlsx + photos/). Deterministic; rerun to refresh.

The portraits are drawn here (head-and-shoulders figures on ID-photo backgrounds): nobody's
likeness, free to ship.
"""

from __future__ import annotations

import math
import random
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent / "data" / "demo"

MEMBERS = [  # 编号, 姓名, 职务, 设岗定责, 党员类别, 入党时间
    ("QSC001", "王建国", "支部书记", "", "正式", date(1998, 7, 1)),
    ("QSC002", "李堃", "副书记", "政策宣传岗", "正式", date(2006, 6, 18)),
    ("QSC003", "张秀兰", "组织委员", "关爱留守老人岗", "正式", date(2003, 3, 12)),
    ("QSC004", "单志强", "宣传委员", "政策宣传岗", "正式", date(2011, 7, 1)),
    ("QSC005", "曾凡荣", "纪检委员", "", "正式", date(1995, 10, 8)),
    ("QSC006", "刘德福", "党小组长", "义务调解员", "正式", date(1978, 5, 4)),
    ("QSC007", "陈玉梅", "党小组长", "环境卫生监督岗", "正式", date(2001, 7, 1)),
    ("QSC008", "王喆", "党员", "青年突击队", "正式", date(2019, 7, 1)),
    ("QSC009", "赵春生", "党员", "义务调解员", "正式", date(1985, 12, 26)),
    ("QSC010", "周丽华", "党员", "", "正式", date(2008, 4, 20)),
    ("QSC011", "孙国强", "党员", "安全生产监督岗", "正式", date(1990, 7, 1)),
    ("QSC012", "吴海燕", "党员", "", "正式", date(2023, 7, 1)),
    ("QSC013", "郑文斌", "党员", "农技服务岗", "正式", date(1999, 9, 9)),
    ("QSC014", "黄桂英", "党员", "", "正式", "1976年3月"),  # text, as some admins type it
    ("QSC015", "张赟", "党员", "电商服务岗", "预备", date(2025, 12, 1)),
    ("QSC016", "冯晓东", "党员", "", "预备", date(2026, 6, 28)),
    ("QSC017", "何秋菊", "党员", "关爱留守老人岗", "正式", date(2012, 7, 1)),
    ("QSC018", "罗永福", "党员", "", "正式", date(1982, 8, 15)),
]

LONG = ("牵头成立青山村稻虾共养专业合作社，统一采购虾苗和饲料、统一技术指导、统一品牌销售，"
        "带动村里不少于15户农户参与，其中脱贫户和监测户不少于5户，年底前实现户均增收3000元以上，"
        "并在村民大会上公开合作社的收支明细，接受全体村民监督，力争把合作社办成群众信得过、"
        "能致富、可持续的集体产业，为乡村振兴探索一条适合青山村的路子；同时请县农技站专家每季度来村现场指导一次，"
        "帮助社员解决病虫害防治、水质调控等实际困难。")

PLEDGES = [  # 编号, 方面, 承诺内容, 践诺措施, 完成时限, 状态, 进度, 未兑现原因, 践诺记录
    ("QSC001", "工作", "争取项目资金修缮村东组道路，安装太阳能路灯12盏", "向镇里申报“一事一议”项目", datetime(2026, 9, 30), "已完成", 100, "", "2026-04-12 项目获批\n2026-08-20 路灯全部亮灯"),
    ("QSC001", "服务", "每月接待群众来访不少于4次，来访事项件件有回音", "", "2026年12月底", "进行中", 85, "", ""),
    ("QSC001", "学习", LONG, "每季度向党员大会报告进展", datetime(2026, 12, 31), "进行中", 60, "", "2026-03-05 合作社完成登记"),
    ("QSC002", "学习", "带头学习党的创新理论，全年讲党课2次", "", datetime(2026, 11, 30), "已完成", 100, "", "2026-06-28 讲党课《走好新时代群众路线》"),
    ("QSC002", "工作", "推进村级档案规范化管理，年底前完成电子化", "", datetime(2026, 12, 31), "进行中", 70, "", ""),
    ("QSC003", "服务", "结对帮扶2户留守老人家庭，每周上门探望", "", datetime(2026, 12, 31), "进行中", 80, "", ""),
    ("QSC003", "工作", "组织全村党员开展“主题党日”活动12次", "", datetime(2026, 12, 31), "进行中", 90, "", ""),
    ("QSC004", "工作", "办好村务公开栏和微信群，政策信息当日发布", "", datetime(2026, 6, 30), "已完成", 100, "", ""),
    ("QSC004", "服务", "为村里老年人开展防电信诈骗宣传4场", "", datetime(2026, 10, 31), "未完成", 50, "汛期抢险占用时间，只办了2场，剩余2场顺延至明年一季度", ""),
    ("QSC005", "自律", "严守廉洁纪律，带头公开个人承诺和履职情况", "", datetime(2026, 12, 31), "已完成", 100, "", ""),
    ("QSC005", "工作", "监督村集体“三资”管理，每季度公开一次账目", "", datetime(2026, 12, 31), "进行中", 75, "", ""),
    ("QSC006", "服务", "调解邻里纠纷，做到小事不出组、大事不出村", "", datetime(2026, 12, 31), "进行中", 80, "", "2026-05-16 调解宅基地边界纠纷1起"),
    ("QSC006", "学习", "每月参加主题党日，全年不缺席", "", datetime(2026, 12, 31), "已完成", 100, "", ""),
    ("QSC007", "服务", "督促落实门前三包，每月评比“美丽庭院”", "", datetime(2026, 12, 31), "进行中", 65, "", ""),
    ("QSC007", "工作", "带领妇女小组清理村西河道垃圾", "", datetime(2026, 7, 31), "已完成", 100, "", "2026-07-12 清理垃圾约3吨"),
    ("QSC008", "工作", "帮助10户村民开通网店，销售本村大米和土鸡蛋", "", datetime(2026, 11, 30), "进行中", 40, "", ""),
    ("QSC008", "学习", "参加镇青年党员培训班并取得结业证书", "", datetime(2026, 5, 31), "已完成", 100, "", ""),
    ("QSC009", "服务", "义务巡查山塘水库，汛期每天巡查一次", "", "2026年9月底", "已完成", 100, "", ""),
    ("QSC009", "自律", "不参与赌博和封建迷信活动，带头移风易俗", "", datetime(2026, 12, 31), "进行中", 90, "", ""),
    ("QSC010", "服务", "为村小学的留守儿童辅导功课，每周两次", "", datetime(2026, 12, 31), "进行中", 70, "", ""),
    ("QSC010", "工作", "协助做好城乡居民医保缴费动员", "", datetime(2026, 3, 31), "已完成", 100, "", ""),
    ("QSC011", "工作", "排查村内用电和消防隐患，整改不少于20处", "", datetime(2026, 10, 31), "进行中", 55, "", ""),
    ("QSC011", "服务", "为独居老人更换老化电线", "", datetime(2026, 8, 31), "未完成", 30, "材料款未筹齐，已申请镇里专项资金", ""),
    ("QSC012", "学习", "学习垃圾分类知识并向左邻右舍宣传", "", datetime(2026, 12, 31), "未开始", 0, "", ""),
    ("QSC012", "服务", "每季度参加一次志愿服务", "", datetime(2026, 12, 31), "进行中", 50, "", ""),
    ("QSC013", "工作", "推广稻虾共养技术，带动5户村民参与", "", datetime(2026, 10, 31), "已完成", 100, "", "2026-04-02 举办技术培训1场"),
    ("QSC013", "服务", "农忙时义务为困难户提供农机服务", "", datetime(2026, 11, 15), "已完成", 100, "", ""),
    ("QSC014", "自律", "带头节俭办红白喜事，劝导大操大办", "", datetime(2026, 12, 31), "进行中", 80, "", ""),
    ("QSC014", "学习", "坚持收看《新闻联播》，每月与小组交流一次", "", datetime(2026, 12, 31), "已完成", 100, "", ""),
    ("QSC015", "工作", "帮村里建一个农产品直播间", "", datetime(2026, 12, 31), "进行中", 35, "", ""),
    ("QSC015", "学习", "预备期内按时向党组织汇报思想", "", datetime(2026, 12, 31), "进行中", 60, "", ""),
    ("QSC016", "服务", "参加村里应急抢险队，汛期随叫随到", "", datetime(2026, 9, 30), "未开始", 0, "", ""),
    ("QSC016", "学习", "读完《习近平谈治国理政》第四卷", "", "2026年12月底", "未开始", 0, "", ""),
    ("QSC017", "服务", "每月为3位空巢老人理发、打扫卫生", "", datetime(2026, 12, 31), "进行中", 85, "", ""),
    ("QSC017", "工作", "协助开展全村人口信息核查", "", datetime(2026, 4, 30), "已完成", 100, "", ""),
    ("QSC018", "自律", "管好自家养殖场粪污，不污染水源", "", datetime(2026, 6, 30), "未完成", 60, "沼气池改造因连续降雨停工，预计明年3月完成", ""),
    ("QSC018", "服务", "为村里修路义务出工10天", "", datetime(2026, 9, 30), "已完成", 100, "", ""),
    ("QSC002", "服务", "每月走访联系的10户群众，收集意见建议", "", datetime(2026, 12, 31), "进行中", 80, "", ""),
    ("QSC004", "学习", "订阅并学习《农村党员》杂志", "", datetime(2026, 12, 31), "未开始", 0, "", ""),
    ("QSC012", "工作", "协助做好秋季秸秆禁烧巡查", "", datetime(2026, 11, 10), "已完成", 100, "", ""),
]

GRADES = ["优秀", "合格", "合格", "优秀", "合格", "优秀", "合格", "合格", "基本合格", "合格", "合格", "合格", "优秀", "合格", None, None, "合格", "基本合格"]
REMARKS = {  # 评语 for a few; most villages leave it blank
    "QSC001": "带头争取路灯项目，群众评价高",
    "QSC004": "宣传工作有亮点，承诺兑现及时",
    "QSC006": "调解纠纷经验足，威信高",
    "QSC009": "部分承诺进度偏慢，需加强",
    "QSC018": "养殖污染整改未按期完成，限期整改",
}
FEMALE = {"QSC003", "QSC007", "QSC010", "QSC012", "QSC014", "QSC017"}
NO_PHOTO = "QSC016"  # shows the placeholder

NOTICES = [
    ("12月1日（周一）上午9点在村委会二楼会议室召开全体党员大会，开展2026年度评诺，请准时参加。",
     datetime(2026, 11, 20), datetime(2026, 12, 1)),
    ("冬季防火：严禁在山林边烧秸秆、烧荒、上坟烧纸，发现火情请立即拨打村委会值班电话或119。",
     datetime(2026, 11, 1), datetime(2027, 2, 28)),
    ("扫描党员卡片上的二维码，可对党员践诺情况提出意见建议。村党支部每月汇总一次，在本屏和村务公开栏公布"
     "汇总结果（只公布人数和满意度，不公布评价人）。对承诺未兑现的，党员本人须在下次主题党日上说明原因和"
     "整改措施；连续两个季度群众满意度低于80%的，由支部委员会约谈提醒。欢迎全体村民监督。",
     datetime(2026, 11, 1), datetime(2026, 12, 31)),
]

FEEDBACK = [  # 编号, 承诺编号 ("" = the member as a whole), 期间, 人数, 满意度, 来源
    ("QSC001", "", "2026年第三季度", 46, 97.8, "扫码评价"),
    ("QSC001", "QSC001-1", "2026年第三季度", 31, 100, "扫码评价"),
    ("QSC002", "", "2026年第三季度", 18, 94.4, "扫码评价"),
    ("QSC004", "QSC004-2", "2026年第三季度", 12, 75, "扫码评价"),
    ("QSC006", "", "2026年第三季度", 22, 95.5, "村民代表测评"),
    ("QSC011", "QSC011-2", "2026年第三季度", 9, 66.7, "扫码评价"),
    ("QSC013", "", "2026年第三季度", 15, 93.3, "扫码评价"),
    ("QSC018", "", "2026年第三季度", 14, 78.6, "村民代表测评"),
]
FIXED_TIME = datetime(2026, 11, 20, 9, 0, 0)  # workbook properties and zip entries: same bytes on every run


S = 2  # drawn at twice the size, then reduced: smooth edges without a blur that softens everything

BACKGROUNDS = {  # ID-photo backdrops: top and bottom of the studio gradient
    "blue": ((92, 160, 226), (52, 112, 190)),
    "white": ((246, 247, 249), (214, 218, 226)),
    "red": ((214, 58, 54), (170, 28, 30)),
}
SKINS = [(241, 210, 184), (232, 196, 166), (222, 182, 148), (205, 160, 124)]
JACKETS = [(30, 36, 52), (42, 46, 56), (24, 26, 30), (48, 56, 74)]


def _box(*values: float) -> tuple[int, ...]:
    return tuple(round(v * S) for v in values)


def _shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)  # type: ignore[return-value]


def _gradient(top: tuple[int, int, int], bottom: tuple[int, int, int], size: tuple[int, int]) -> Image.Image:
    ramp = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), ramp)


def portrait(number: str, *, female: bool, born: int) -> Image.Image:
    """A dignified head-and-shoulders figure on an ID-photo backdrop; the same member always looks the same.

    No facial features: a placeholder likeness of nobody, readable at card size (~150 px wide).
    """
    rng = random.Random(number)
    age = 2026 - born
    width, height = 600 * S, 800 * S
    backdrop = rng.choices(["blue", "white", "red"], weights=[6, 3, 2])[0]
    image = _gradient(*BACKGROUNDS[backdrop], (width, height))
    glow = Image.new("L", (width, height), 0)  # a studio light behind the head
    ImageDraw.Draw(glow).ellipse(_box(120, 60, 480, 520), fill=70)
    image = Image.composite(Image.new("RGB", (width, height), (255, 255, 255)), image,
                            glow.filter(ImageFilter.GaussianBlur(80 * S)))

    skin = rng.choice(SKINS)
    if age >= 62:
        hair = rng.choice([(178, 176, 172), (150, 148, 146), (196, 194, 190)])
    elif age >= 50:
        hair = rng.choice([(92, 88, 86), (70, 66, 64)])
    else:
        hair = rng.choice([(26, 24, 24), (38, 30, 26), (48, 38, 32)])
    jacket = rng.choice(JACKETS)
    face_w = rng.uniform(186, 204) + (0 if female else 8)
    face_h = face_w * rng.uniform(1.27, 1.34)
    cx, top = 300 + rng.uniform(-4, 4), 160 + rng.uniform(-6, 6)
    face = (cx - face_w / 2, top, cx + face_w / 2, top + face_h)
    chin = top + face_h
    collar = chin + rng.uniform(70, 84)
    shoulder = rng.uniform(232, 256) - (16 if female else 0)
    style = rng.choice(["long", "bob", "short"] if female else ["short", "side", "crew"])
    if female and age >= 60:
        style = "curls"
    if not female and age >= 62:
        style = "receding"

    figure = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(figure)
    if style == "long":  # hair falls behind the shoulders
        draw.rounded_rectangle(_box(face[0] - 28, top - 16, face[2] + 28, chin + 140), radius=100 * S, fill=hair)
    elif style == "bob":
        draw.rounded_rectangle(_box(face[0] - 24, top - 18, face[2] + 24, chin + 16), radius=90 * S, fill=hair)
    # sloping shoulders and jacket
    draw.ellipse(_box(cx - shoulder, collar - 10, cx + shoulder, collar + 250), fill=jacket)
    draw.rectangle(_box(cx - shoulder, collar + 120, cx + shoulder, 800), fill=jacket)
    # neck, darker in the chin's shadow
    neck_w = face_w * (0.42 if female else 0.48)
    draw.rectangle(_box(cx - neck_w / 2, chin - 60, cx + neck_w / 2, collar + 40), fill=_shade(skin, 0.86))
    # white shirt (or blouse) and its collar points
    draw.polygon([_box(cx - 62, collar), _box(cx + 62, collar), _box(cx, collar + 140)], fill=(244, 244, 242))
    for side in (-1, 1):
        draw.polygon([_box(cx + side * (neck_w / 2 + 4), collar - 14), _box(cx + side * 6, collar + 62),
                      _box(cx + side * 42, collar + 76), _box(cx + side * 64, collar + 6)], fill=(255, 255, 255))
    if not female and rng.random() < 0.55:  # a tie
        tie = rng.choice([(150, 24, 30), (40, 60, 110), (90, 30, 40)])
        draw.polygon([_box(cx - 11, collar + 62), _box(cx + 11, collar + 62), _box(cx + 17, collar + 140),
                      _box(cx, collar + 158), _box(cx - 17, collar + 140)], fill=tie)
        draw.polygon([_box(cx - 13, collar + 46), _box(cx + 13, collar + 46), _box(cx + 9, collar + 64),
                      _box(cx - 9, collar + 64)], fill=_shade(tie, 0.85))
    lapel = _shade(jacket, 1.45)
    for side in (-1, 1):
        draw.polygon([_box(cx + side * 66, collar + 4), _box(cx, collar + 166), _box(cx + side * 28, collar + 178),
                      _box(cx + side * 108, collar + 38)], fill=lapel)
    bx, by = cx + 130, collar + 110  # party badge on the left breast (the viewer's right)
    draw.ellipse(_box(bx - 11, by - 11, bx + 11, by + 11), fill=(200, 22, 26))
    draw.ellipse(_box(bx - 4, by - 4, bx + 4, by + 4), fill=(240, 196, 60))

    # head: the hair as a cap behind, ears, then the face showing below a rounded hairline
    spread = {"short": 10, "side": 10, "crew": 7, "receding": 8, "long": 16, "bob": 16, "curls": 18}[style]
    reach = {"short": 0.62, "side": 0.62, "crew": 0.55, "receding": 0.55, "long": 0.8, "bob": 0.8, "curls": 0.62}[style]
    draw.ellipse(_box(face[0] - spread, top - 22, face[2] + spread, top + face_h * reach * 1.3), fill=hair)
    if style == "curls":
        for i in range(7):
            angle = 3.1416 * (0.08 + 0.84 * i / 6)
            x = cx - (face_w / 2 + 10) * math.cos(angle)
            y = top + 40 - (62 + 8 * (i % 2)) * math.sin(angle)
            draw.ellipse(_box(x - 34, y - 30, x + 34, y + 30), fill=hair)
    ear_y = top + face_h * 0.42
    for side in (-1, 1):
        ex = cx + side * face_w / 2
        draw.ellipse(_box(ex - 15, ear_y, ex + 15, ear_y + 56), fill=_shade(skin, 0.93))
    fringe = top + face_h * {"short": 0.27, "side": 0.30, "crew": 0.22, "receding": 0.13,
                             "long": 0.30, "bob": 0.34, "curls": 0.22}[style]
    shift = rng.choice([-1, 1]) * (30 if style in ("side", "long", "bob") else 0)  # a side parting
    hairline = Image.new("L", (width, height), 0)
    ImageDraw.Draw(hairline).ellipse(_box(face[0] - 60 + shift, fringe, face[2] + 60 + shift, fringe + face_h * 2), fill=255)
    lower = 0.45 if style in ("short", "side", "crew", "receding") else 0.6  # hair beside the temples above it
    ImageDraw.Draw(hairline).rectangle(_box(0, top + face_h * lower, 600, 800), fill=255)
    skin_mask = Image.composite(hairline, Image.new("L", (width, height), 0), _face_mask(face, (width, height)))
    figure.paste(Image.new("RGBA", (width, height), (*skin, 255)), mask=skin_mask)
    # a soft shadow of the figure on the backdrop, then the figure
    alpha = figure.getchannel("A")
    shadow = Image.new("L", (width, height), 0)
    shadow.paste(alpha, (6 * S, 10 * S))
    image = Image.composite(_shade_image(image, 0.82), image, shadow.filter(ImageFilter.GaussianBlur(12 * S)))
    image.paste(figure, mask=alpha)
    return image.resize((600, 800), Image.Resampling.LANCZOS)


def _face_mask(face: tuple[float, float, float, float], size: tuple[int, int]) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse(_box(*face), fill=255)
    return mask


def _shade_image(image: Image.Image, factor: float) -> Image.Image:
    return image.point(lambda v: round(v * factor))


def _joined_year(joined: date | str) -> int:
    return joined.year if isinstance(joined, date) else int(joined[:4])


def _cell_date(value: date | str) -> datetime | str:
    return datetime(value.year, value.month, value.day) if isinstance(value, date) else value


def pledge_codes() -> list[str]:
    counts: dict[str, int] = {}
    codes = []
    for number, *_ in PLEDGES:
        counts[number] = counts.get(number, 0) + 1
        codes.append(f"{number}-{counts[number]}")
    return codes


def main() -> None:
    photos = ROOT / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    for old in photos.glob("*.jpg"):
        old.unlink()
    book = Workbook()
    settings = book.active
    settings.title = "设置"
    settings.append(["村代码", "村名", "党支部", "乡镇", "反馈链接"])
    settings.append(["QSC", "青山村", "中共青山村支部委员会", "云溪镇", "https://fk.example.cn/qsc?m={member_id}"])
    members = book.create_sheet("党员")
    members.append(["编号", "姓名", "职务", "设岗定责", "党员类别", "入党时间", "照片", "排序"])
    for i, (number, name, post, duty, kind, joined) in enumerate(MEMBERS):
        photo = "" if number == NO_PHOTO else f"{number}.jpg"
        members.append([number, name, post, duty, kind, _cell_date(joined), photo, i + 1])
        if photo:
            born = _joined_year(joined) - (24 if number in FEMALE else 26)
            picture = portrait(number, female=number in FEMALE, born=born)
            picture.save(photos / photo, "JPEG", quality=86, optimize=True)
    pledges = book.create_sheet("承诺")
    pledges.append(["编号", "姓名", "年度", "方面", "承诺内容", "践诺措施", "完成时限", "状态", "进度", "未兑现原因", "践诺记录", "承诺编号"])
    names = {m[0]: m[1] for m in MEMBERS}
    for (number, area, text, measures, due, status, progress, reason, notes), code in zip(PLEDGES, pledge_codes()):
        pledges.append([number, names[number], 2026, area, text, measures, due, status, progress, reason, notes, code])
    evaluations = book.create_sheet("评诺")
    evaluations.append(["编号", "姓名", "年度", "评定等次", "群众满意度", "评语", "公示"])
    for i, ((number, name, *_), grade) in enumerate(zip(MEMBERS, GRADES)):
        if grade:
            evaluations.append([number, name, 2025, grade, 86 + (i * 7) % 14, REMARKS.get(number, ""), "是"])
    notices = book.create_sheet("公告")
    notices.append(["内容", "开始日期", "结束日期"])
    for row in NOTICES:
        notices.append(list(row))
    feedback = book.create_sheet("反馈汇总")
    feedback.append(["编号", "承诺编号", "期间", "人数", "满意度", "来源"])
    for row in FEEDBACK:
        feedback.append(list(row))
    for sheet in book.worksheets:  # readable when an admin opens it
        for column, width in zip("ABCDEFGHIJKL", (10, 8, 8, 8, 40, 24, 14, 8, 6, 30, 30, 11)):
            sheet.column_dimensions[column].width = width
    book.properties.creator = "pledgewall make_demo_data.py"
    book.properties.created = book.properties.modified = FIXED_TIME
    target = ROOT / "roster.xlsx"
    book.save(target)
    _fix_zip_times(target)
    size = sum(f.stat().st_size for f in ROOT.rglob("*") if f.is_file())
    print(f"wrote {target} and {len(list(photos.glob('*.jpg')))} photos; data/demo is {size / 1024:.0f} KB")


def _fix_zip_times(path: Path) -> None:
    """openpyxl stamps the save time into docProps/core.xml and every zip entry; pin both."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


if __name__ == "__main__":
    main()
