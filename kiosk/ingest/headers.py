"""Header aliases: which column of which sheet means what, in Chinese and English.

A header is compared after normalising (spaces, "*" required markers, trailing "(单位)" and
case removed), so "姓 名", "姓名*", "进度（%）" and "Name" all find their field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.ingest.tables import Sheet
from kiosk.ingest.values import narrow, text


@dataclass(frozen=True)
class Field:
    key: str
    header: str  # the canonical Chinese header (template, messages)
    en: str  # the canonical English header
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, self.en, *self.aliases)


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    name: str  # canonical Chinese sheet name
    en: str
    aliases: tuple[str, ...]
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


def _f(key: str, header: str, en: str, aliases: str = "", required: bool = False) -> Field:
    return Field(key, header, en, tuple(a for a in aliases.split("|") if a), required)


NUMBER = _f("number", "编号", "id", "党员编号|编码|党员代码|工号|no|no.|number|member id|member no|member number|member_id", True)
NAME = _f("name", "姓名", "name", "名字|党员姓名|full name|member name")
YEAR = _f("year", "年度", "year", "年份|承诺年度|评议年度|评诺年度")
VILLAGE = _f("village", "村", "village", "所属村|村名|村庄|行政村|村代码|村名称|village code|village name")

SETTINGS = SheetSpec(
    "settings", "设置", "settings", ("基本信息", "村信息", "支部信息", "配置", "village"),
    (
        _f("code", "村代码", "village code", "村编码|村代号|村编号|代码|code|village_code|village id"),
        _f("village", "村名", "village", "村|村名称|村庄|行政村|村庄名称|village name"),
        _f("branch", "党支部", "branch", "支部|党支部名称|支部名称|党组织|党组织名称|party branch"),
        _f("township", "乡镇", "township", "镇|乡|乡镇(街道)|乡镇街道|街道|所属乡镇|town"),
        _f("feedback_url", "反馈链接", "feedback url", "反馈网址|反馈地址|二维码链接|反馈二维码|链接|网址|feedback|url|feedback link"),
    ),
)
MEMBERS = SheetSpec(
    "members", "党员", "members", ("党员名单", "党员信息", "党员花名册", "花名册", "member", "roster"),
    (
        NUMBER,
        _f("name", "姓名", "name", "名字|党员姓名|full name|member name", True),
        _f("post", "职务", "post", "党内职务|职位|post|position|title|role"),
        _f("duty_post", "设岗定责", "duty post", "岗位|设岗|党员岗位|责任岗|定责岗位|duty"),
        _f("member_status", "党员类别", "member status", "党员身份|党员状态|正式/预备|member type|membership"),
        _f("joined", "入党时间", "joined", "入党日期|入党年月|入党年份|join date|date joined|joined party"),
        _f("photo", "照片", "photo", "相片|头像|照片文件|照片文件名|picture|image|photo file"),
        VILLAGE,
        _f("order", "排序", "order", "顺序|显示顺序|排列顺序|排序号|sort|display order"),
    ),
)
PLEDGES = SheetSpec(
    "pledges", "承诺", "pledges", ("承诺事项", "党员承诺", "承诺书", "承诺清单", "pledge"),
    (
        NUMBER,
        NAME,
        YEAR,
        _f("area", "方面", "area", "承诺方面|承诺类别|承诺类型|类别|类型|category|type"),
        _f("text", "承诺内容", "pledge", "承诺|承诺事项|承诺事项内容|具体承诺|pledge text|commitment", True),
        _f("measures", "践诺措施", "measures", "措施|具体措施|践诺举措|举措|actions"),
        _f("due", "完成时限", "due", "时限|完成时间|完成期限|截止时间|期限|计划完成时间|due date|deadline"),
        _f("status", "状态", "status", "完成状态|兑现情况|践诺状态|承诺状态|完成情况|state"),
        _f("progress", "进度", "progress", "完成进度|进度(%)|完成比例|完成率|百分比|percent"),
        _f("reason", "未兑现原因", "reason not kept", "未完成原因|原因|未兑现说明|原因说明|reason"),
        _f("notes", "践诺记录", "notes", "践诺情况|进展记录|落实情况|落实记录|践诺纪实|records|fulfilment notes|progress notes"),
        _f("code", "承诺编号", "pledge id", "承诺代码|承诺号|pledge code|pledge_id|pledge no"),
        VILLAGE,
    ),
)
EVALUATIONS = SheetSpec(
    "evaluations", "评诺", "evaluations", ("评议", "评议结果", "评诺结果", "年终评议", "evaluation", "grades"),
    (
        NUMBER,
        NAME,
        YEAR,
        _f("grade", "评定等次", "grade", "等次|评议等次|评定结果|评议结果|评诺等次|rating", True),
        _f("satisfaction", "群众满意度", "satisfaction", "满意度|满意率|群众满意率"),
        _f("remarks", "评语", "remarks", "评价|评议意见|comment|comments"),
        _f("published", "公示", "published", "是否公示|公开|是否公开|publish|public"),
        VILLAGE,
    ),
)
NOTICES = SheetSpec(
    "notices", "公告", "notices", ("通知", "公告栏", "notice"),
    (
        _f("text", "内容", "text", "公告内容|通知内容|公告|通知|notice|content", True),
        _f("start", "开始日期", "start", "开始|开始时间|起始日期|生效日期|start date|from"),
        _f("end", "结束日期", "end", "结束|结束时间|到期日期|截止日期|end date|until"),
        VILLAGE,
    ),
)
FEEDBACK = SheetSpec(
    "feedback", "反馈汇总", "feedback", ("反馈", "群众反馈", "满意度汇总", "反馈统计"),
    (
        NUMBER,
        _f("pledge_code", "承诺编号", "pledge id", "承诺代码|承诺号|pledge code|pledge_id"),
        _f("period", "期间", "period", "时段|统计期间|统计时段|月份|季度"),
        _f("count", "人数", "count", "评价人数|参评人数|反馈人数|人次|responses", True),
        _f("satisfaction", "满意度", "satisfaction", "群众满意度|满意率"),
        _f("source", "来源", "source", "渠道|数据来源|反馈渠道"),
        VILLAGE,
    ),
)
SHEETS = (SETTINGS, MEMBERS, PLEDGES, EVALUATIONS, NOTICES, FEEDBACK)

# One row per pledge with the member's columns repeated (a single sheet or a CSV).
COMBINED = SheetSpec(
    "combined", "承诺", "pledges", (),
    (
        *PLEDGES.fields,
        *(f for f in MEMBERS.fields if f.key not in {"number", "name", "village"}),
    ),
)

# Key/value settings: first column names the item, second holds it.
SETTINGS_KEY_HEADERS = ("项目", "item", "key", "名称", "设置项")
SETTINGS_VALUE_HEADERS = ("内容", "value", "值", "设置值")

# Columns that must never be imported. Substrings of the normalised header.
PRIVATE = (
    "身份证", "身份号码", "证件号", "住址", "家庭地址", "居住地", "地址", "电话", "手机", "联系方式",
    "微信", "qq", "邮箱", "党费", "收入", "工资", "存款", "处分", "处罚", "违纪", "病史", "健康状况",
    "银行", "idcard", "idnumber", "identity", "address", "phone", "mobile", "tel", "email",
    "wechat", "dues", "income", "salary", "discipline", "punishment", "bank",
)

_STRIP = re.compile(r"[\s*＊※:：_\-]+")
_TRAILING = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]$")


def normalize(header: object) -> str:
    s = narrow(text(header)).lower()
    s = _STRIP.sub("", s)
    while True:
        shorter = _TRAILING.sub("", s)
        if shorter == s or not shorter:
            return s
        s = shorter


def _index(spec: SheetSpec) -> dict[str, Field]:
    result: dict[str, Field] = {}
    for field in spec.fields:
        for name in field.names:
            result.setdefault(normalize(name), field)
    return result


_INDEXES = {spec.kind: _index(spec) for spec in (*SHEETS, COMBINED)}
_SHEET_NAMES = {normalize(n): spec for spec in SHEETS for n in (spec.name, spec.en, *spec.aliases)}


def match(header: object, spec: SheetSpec) -> Field | None:
    key = normalize(header)
    if not key:
        return None
    index = _INDEXES.get(spec.kind)
    if index is None:  # a spec defined elsewhere (feedback answers): indexed on first use
        index = _INDEXES[spec.kind] = _index(spec)
    found = index.get(key)
    if found is None and not key.isascii():
        # "进度(%)" is handled by normalize; "党员姓名" style prefixes by the alias lists.
        return None
    return found


def is_private(header: object) -> bool:
    key = normalize(header)
    return any(word in key for word in PRIVATE)


def sheet_spec(name: str) -> SheetSpec | None:
    key = normalize(name)
    return _SHEET_NAMES.get(key)


@dataclass(frozen=True)
class HeaderRow:
    index: int  # row index within Sheet.rows
    columns: dict[int, Field]  # column index → field (the first column wins for each field)
    duplicates: tuple[int, ...]  # column indexes naming a field already taken
    private: tuple[int, ...]
    extra: tuple[int, ...]  # non-blank headers matching nothing


SCAN_ROWS = 10


def find_header(sheet: Sheet, spec: SheetSpec) -> HeaderRow | None:
    """The header row among the first rows (below any title rows): the one naming most fields."""
    best: tuple[int, int] | None = None  # (score, index)
    for i, row in enumerate(sheet.rows[:SCAN_ROWS]):
        fields = {match(v, spec) for v in row if v is not None}
        fields.discard(None)
        score = len(fields) + sum(1 for f in fields if f and f.required)
        if score and (best is None or score > best[0]):
            best = (score, i)
    if best is None:
        return None
    return header_at(sheet, best[1], spec)


def header_at(sheet: Sheet, index: int, spec: SheetSpec) -> HeaderRow:
    columns: dict[int, Field] = {}
    taken: set[str] = set()
    duplicates, private, extra = [], [], []
    for j, value in enumerate(sheet.rows[index]):
        if value is None or not text(value):
            continue
        field = match(value, spec)
        if field is not None:
            if field.key in taken:
                duplicates.append(j)
            else:
                taken.add(field.key)
                columns[j] = field
        elif is_private(value):
            private.append(j)
        else:
            extra.append(j)
    return HeaderRow(index, columns, tuple(duplicates), tuple(private), tuple(extra))
