#!/usr/bin/env python3
"""Write the demo village 青山村 (data/demo/roster.xlsx + photos/). Deterministic; rerun to refresh.

The portraits are drawn here (head-and-shoulders figures on ID-photo backgrounds): nobody's
likeness, free to ship.
"""

from __future__ import annotations

import random
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
    ("QSC012", "吴海燕", "党员", "", "正式", date(2015, 11, 3)),
    ("QSC013", "郑文斌", "党员", "农技服务岗", "正式", date(1999, 9, 9)),
    ("QSC014", "黄桂英", "党员", "", "正式", date(1976, 3, 8)),
    ("QSC015", "张赟", "党员", "电商服务岗", "预备", date(2025, 6, 30)),
    ("QSC016", "冯晓东", "党员", "", "预备", date(2025, 12, 1)),
    ("QSC017", "何秋菊", "党员", "关爱留守老人岗", "正式", date(2012, 7, 1)),
    ("QSC018", "罗永福", "党员", "", "正式", date(1982, 8, 15)),
]

LONG = ("牵头成立青山村稻虾共养专业合作社，统一采购虾苗和饲料、统一技术指导、统一品牌销售，"
        "带动村里不少于15户农户参与，其中脱贫户和监测户不少于5户，年底前实现户均增收3000元以上，"
        "并在村民大会上公开合作社的收支明细，接受全体村民监督，力争把合作社办成群众信得过、"
        "能致富、可持续的集体产业，为乡村振兴探索一条适合青山村的路子。")

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
    ("QSC009", "服务", "义务巡查山塘水库，汛期每天巡查一次", "", datetime(2026, 9, 30), "已完成", 100, "", ""),
    ("QSC009", "自律", "不参与赌博和封建迷信活动，带头移风易俗", "", datetime(2026, 12, 31), "进行中", 90, "", ""),
    ("QSC010", "服务", "为村小学的留守儿童辅导功课，每周两次", "", datetime(2026, 12, 31), "进行中", 70, "", ""),
    ("QSC010", "工作", "协助做好城乡居民医保缴费动员", "", datetime(2026, 3, 31), "已完成", 100, "", ""),
    ("QSC011", "工作", "排查村内用电和消防隐患，全年整改不少于20处", "", datetime(2026, 12, 31), "进行中", 55, "", ""),
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

NOTICES = [
    ("12月1日（周一）上午9点在村委会召开全体党员大会，开展年度评诺，请准时参加。", datetime(2026, 11, 20), datetime(2026, 12, 1)),
    ("冬季防火：严禁在山林边烧秸秆、烧荒，发现火情请拨打村委会电话或119。", datetime(2026, 11, 1), datetime(2027, 2, 28)),
    ("扫描党员卡片上的二维码，可对党员践诺情况提出意见建议，村党支部每月汇总公开。", None, None),
]


def portrait(seed: int, path: Path, *, older: bool, female: bool) -> None:
    rng = random.Random(seed)
    bg_top, bg_bottom = rng.choice([((74, 126, 192), (44, 88, 156)), ((220, 224, 230), (190, 196, 206)), ((196, 46, 46), (160, 24, 30))])
    image = Image.new("RGB", (600, 800))
    draw = ImageDraw.Draw(image)
    for y in range(800):
        mix = y / 799
        draw.line([(0, y), (600, y)], fill=tuple(round(a + (b - a) * mix) for a, b in zip(bg_top, bg_bottom)))
    skin = rng.choice([(238, 206, 178), (226, 190, 160), (214, 176, 142)])
    hair = (160, 160, 160) if older else rng.choice([(30, 28, 28), (50, 40, 36)])
    draw.ellipse((70, 560, 530, 1060), fill=(34, 38, 48))  # jacket
    draw.polygon([(250, 560), (300, 660), (350, 560)], fill=(245, 245, 245))  # collar
    draw.rectangle((265, 470, 335, 580), fill=skin)  # neck
    if female:
        draw.ellipse((165, 170, 435, 560), fill=hair)
    draw.ellipse((195, 200, 405, 480), fill=skin)
    draw.chord((185, 170, 415, 400), 180, 360, fill=hair)
    draw.ellipse((392, 700, 412, 720), fill=(200, 20, 20))  # badge
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    image.save(path, "JPEG", quality=82)


def main() -> None:
    photos = ROOT / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    settings = book.active
    settings.title = "设置"
    settings.append(["村代码", "村名", "党支部", "乡镇", "反馈链接"])
    settings.append(["QSC", "青山村", "中共青山村支部委员会", "云溪镇", "https://fk.example.cn/qsc?m={member_id}"])
    members = book.create_sheet("党员")
    members.append(["编号", "姓名", "职务", "设岗定责", "党员类别", "入党时间", "照片", "排序"])
    for i, (number, name, post, duty, kind, joined) in enumerate(MEMBERS):
        photo = "" if number == "QSC016" else f"{number}.jpg"
        members.append([number, name, post, duty, kind, datetime(joined.year, joined.month, joined.day), photo, i + 1])
        if photo:
            portrait(i, photos / photo, older=joined.year < 1990, female=name[-1] in "兰梅华燕英菊")
    pledges = book.create_sheet("承诺")
    pledges.append(["编号", "姓名", "年度", "方面", "承诺内容", "践诺措施", "完成时限", "状态", "进度", "未兑现原因", "践诺记录", "承诺编号"])
    names = {m[0]: m[1] for m in MEMBERS}
    for number, area, text, measures, due, status, progress, reason, notes in PLEDGES:
        pledges.append([number, names[number], 2026, area, text, measures, due, status, progress, reason, notes, ""])
    evaluations = book.create_sheet("评诺")
    evaluations.append(["编号", "姓名", "年度", "评定等次", "群众满意度", "评语", "公示"])
    for i, ((number, name, *_), grade) in enumerate(zip(MEMBERS, GRADES)):
        if grade:
            evaluations.append([number, name, 2025, grade, 86 + (i * 7) % 14, "", "是"])
    notices = book.create_sheet("公告")
    notices.append(["内容", "开始日期", "结束日期"])
    for row in NOTICES:
        notices.append(list(row))
    feedback = book.create_sheet("反馈汇总")
    feedback.append(["编号", "承诺编号", "期间", "人数", "满意度", "来源"])
    for i, (number, *_rest) in enumerate(MEMBERS[:8]):
        feedback.append([number, "", "2026年第三季度", 12 + i * 3, 90 + i % 8, "扫码评价"])
    book.save(ROOT / "roster.xlsx")
    print(f"wrote {ROOT / 'roster.xlsx'} and {len(list(photos.glob('*.jpg')))} photos")


if __name__ == "__main__":
    main()
