"""Mapping roster sheets to records, and validating them: every fault with its location.

Pure: takes a `Workbook` (already read) and returns records plus problems. Reading files and
looking for photos is `kiosk.ingest.importer`'s business.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.ingest import headers as H
from kiosk.ingest import values as V
from kiosk.ingest.headers import HeaderRow, SheetSpec
from kiosk.ingest.problems import Location, Problem, Problems, Severity
from kiosk.ingest.tables import Sheet, Workbook
from kiosk.roster import (
    EvaluationRecord,
    FeedbackRecord,
    MemberRecord,
    MemberStatus,
    NoticeRecord,
    PledgeRecord,
    PledgeStatus,
    Roster,
    VillageRecord,
    VillageRoster,
)

MAX_NAME = 20  # characters; longer is almost always two cells run together or a note
MAX_CODE = 64  # the store's limit for village codes and member numbers
MAX_PLEDGE_CODE = 80
URL_PLACEHOLDERS = ("village", "member_id", "pledge_id")
_MISSING = object()


@dataclass(frozen=True)
class PhotoRequest:
    """A photo file named in the 照片 column."""

    village: str
    number: str
    name: str
    location: Location


@dataclass(frozen=True)
class Mapped:
    roster: Roster | None  # None when there is any ERROR
    problems: tuple[Problem, ...]
    members: dict[tuple[str, str], Location]  # (village code, member number) → the member's row
    photo_requests: tuple[PhotoRequest, ...]


# -- rows -------------------------------------------------------------------------------------


@dataclass
class _Table:
    """A sheet with its header row found: iterates data rows as {field key: raw value}."""

    sheet: Sheet
    spec: SheetSpec
    header: HeaderRow
    file: str

    def __post_init__(self) -> None:
        self.by_key = {f.key: j for j, f in self.header.columns.items()}
        self.keys = set(self.by_key)
        header = self.sheet.rows[self.header.index]
        self._names = {j: (self.sheet.letter(j), V.line(header[j])) for j in range(len(header))}

    def column(self, key: str) -> int | None:
        return self.by_key.get(key)

    def header_text(self, j: int) -> str:
        return self._names[j][1] if j in self._names else ""

    def loc(self, i: int | None = None, key: str | None = None, j: int | None = None) -> Location:
        if key is not None:
            j = self.by_key.get(key)
        row = None if i is None else self.sheet.first_row + i
        if j is None:
            return Location(self.file, self.sheet.name, row)
        letter, header = self._names.get(j) or (self.sheet.letter(j), "")
        return Location(self.file, self.sheet.name, row, letter, header)

    def ref(self, i: int, key: str | None = None) -> _Ref:
        return _Ref(self, i, key)


    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        cols = list(self.header.columns.items())
        rows = self.sheet.rows
        for i in range(self.header.index + 1, len(rows)):
            row = rows[i]
            n = len(row)
            values = {f.key: row[j] for j, f in cols if j < n and row[j] is not None}
            if not values or all(V.is_blank(v) for v in values.values()):
                continue
            yield i, values

    def values(self, key: str) -> list[Any]:
        j = self.column(key)
        if j is None:
            return []
        start = self.header.index + 1
        return [row[j] if j < len(row) else None for row in self.sheet.rows[start:]]


class _Ref:
    """A cell's place, turned into a Location only when a message needs it."""

    __slots__ = ("table", "i", "key")

    def __init__(self, table: _Table, i: int, key: str | None) -> None:
        self.table, self.i, self.key = table, i, key

    @property
    def row(self) -> int:
        return self.table.sheet.first_row + self.i

    @property
    def location(self) -> Location:
        return self.table.loc(self.i, self.key)


def _located(where: Location | _Ref) -> Location:
    return where if isinstance(where, Location) else where.location


@dataclass
class _Member:
    number: str
    village: str  # raw 村 value ("" when none), resolved later
    village_loc: _Ref | None
    loc: _Ref  # the cell that defined the member
    fields: dict[str, Any] = field(default_factory=dict)  # parsed values
    sources: dict[str, _Ref] = field(default_factory=dict)  # where each field came from
    village_code: str = ""
    pledge_count: int = 0


@dataclass
class _Village:
    code: str
    name: str
    branch: str = ""
    township: str = ""
    feedback_url: str = ""
    loc: Location | None = None


# -- the mapper -------------------------------------------------------------------------------


def map_roster(book: Workbook, *, today: date | None = None, check_fonts: bool = True) -> Mapped:
    """Records and problems from a workbook. Never raises for bad cell contents."""
    return _Mapper(book, today or date.today(), check_fonts).run()


class _Mapper:
    def __init__(self, book: Workbook, today: date, check_fonts: bool) -> None:
        self.book = book
        self.file = book.file
        self.today = today
        self.check_fonts = check_fonts
        self.p = Problems()
        self.villages: dict[str, _Village] = {}
        self.settings_given = False
        self.members: dict[str, _Member] = {}
        self.pledges: list[tuple[_Member, dict[str, Any], _Table, int]] = []
        self.pledge_records: list[tuple[_Member, PledgeRecord, int]] = []
        self.evaluations: list[tuple[_Member, EvaluationRecord, Location]] = []
        self.feedback: list[tuple[_Member, FeedbackRecord, Location]] = []
        self.notices: list[tuple[str, NoticeRecord]] = []  # (village code or "" for all)
        self.display_text: list[tuple[str, Location | _Ref]] = []
        self.has_village_column = False

    # -- problem helpers

    def error(self, loc: Location, code: str, zh: str, en: str) -> None:
        self.p.error(loc, code, zh, en)

    def file_loc(self, sheet: str = "") -> Location:
        return Location(self.file, sheet)

    def parse(self, t: _Table, i: int, row: dict[str, Any], key: str, parser: Callable[[Any], Any],
              default: Any = None, *, severity: Severity = Severity.ERROR) -> Any:
        value = row.get(key)
        if value is None or V.is_blank(value):
            return default
        try:
            return parser(value)
        except V.BadValue as bad:
            self.p.add(severity, t.loc(i, key), f"value.{key}", bad.zh, bad.en)
            return _MISSING

    # -- overall flow

    def run(self) -> Mapped:
        tables = self.classify()
        if tables is not None:
            self.read(tables)
        problems = tuple(self.p.items)
        members = {(m.village_code, m.number): m.loc.location for m in self.members.values()}
        requests = tuple(
            PhotoRequest(m.village_code, m.number, m.fields["photo"], m.sources["photo"].location)
            for m in self.members.values()
            if m.fields.get("photo")
        )
        roster = None if self.p.has_errors else self.build()
        return Mapped(roster, problems, members, requests)

    def classify(self) -> dict[str, _Table] | None:
        """Find the sheets by name (or the one sheet of a single-table roster) and their headers."""
        named: dict[str, Sheet] = {}
        unnamed: list[Sheet] = []
        for sheet in self.book.sheets:
            spec = H.sheet_spec(sheet.name)
            if spec is None:
                unnamed.append(sheet)
            elif spec.kind in named:
                self.p.note(self.file_loc(sheet.name), "sheet.duplicate",
                            f"已有名为“{named[spec.kind].name}”的{spec.name}表，这张表未导入；如需导入请合并到那张表",
                            f"a {spec.en} sheet “{named[spec.kind].name}” already exists; this sheet was not imported")
            else:
                named[spec.kind] = sheet
        if not self.book.sheets or all(not s.rows for s in self.book.sheets):
            self.error(self.file_loc(), "file.empty", "文件是空的，没有任何数据，请填好党员和承诺后再导入",
                       "the file is empty; fill in members and pledges first")
            return None

        tables: dict[str, _Table] = {}
        combined = "members" not in named
        if combined:
            candidates = ([named["pledges"]] if "pledges" in named else []) + [s for s in unnamed if s.rows]
            for sheet in candidates:
                header = H.find_header(sheet, H.COMBINED)
                if header and {"text"} <= {f.key for f in header.columns.values()}:
                    tables["combined"] = _Table(sheet, H.COMBINED, header, self.file)
                    break
            if "combined" not in tables:
                if "pledges" in named or named:
                    self.error(self.file_loc(), "sheet.missing",
                               "缺少“党员”工作表：请按模板（pledgewall roster template）添加“党员”表，"
                               "或在“承诺”表中加上“姓名”“职务”等党员列",
                               "the 党员 (members) sheet is missing: add it as in the template, or put member "
                               "columns (姓名/name …) in the 承诺 (pledges) sheet")
                else:
                    self.error(self.file_loc((unnamed[0].name if unnamed else "")), "header.missing",
                               "找不到表头：前 10 行里没有“编号”“姓名”“承诺内容”等列名，请按模板填写表头",
                               "no header row found: none of the first 10 rows names columns such as "
                               "编号/id, 姓名/name, 承诺内容/pledge")
                    return None
        for kind, sheet in named.items():
            if combined and kind == "pledges" and "combined" in tables and tables["combined"].sheet is sheet:
                continue
            spec = next(s for s in H.SHEETS if s.kind == kind)
            if kind == "settings":
                tables.update(self.settings_table(sheet))
                continue
            header = H.find_header(sheet, spec)
            if header is None:
                if not any(any(v is not None for v in r) for r in sheet.rows):
                    if kind in ("members", "pledges"):
                        self.error(self.file_loc(sheet.name), "sheet.empty",
                                   f"“{sheet.name}”表是空的，请填写表头和数据",
                                   f"sheet “{sheet.name}” is empty; fill in the header and rows")
                    continue
                names = "、".join(f.header for f in spec.fields if f.required)
                self.error(self.file_loc(sheet.name), "header.missing",
                           f"找不到表头：前 {H.SCAN_ROWS} 行里没有“{names}”等列名，请按模板填写表头",
                           f"no header row found in the first {H.SCAN_ROWS} rows; expected columns such as "
                           + ", ".join(f"{f.header}/{f.en}" for f in spec.fields if f.required))
                continue
            tables[kind] = _Table(sheet, spec, header, self.file)
        if not combined and "pledges" not in named:
            self.error(self.file_loc(), "sheet.missing",
                       "缺少“承诺”工作表：请按模板添加“承诺”表（编号、承诺内容、状态……）",
                       "the 承诺 (pledges) sheet is missing; add it as in the template")
        for sheet in unnamed:
            if sheet.rows and not ("combined" in tables and tables["combined"].sheet is sheet):
                self.p.note(self.file_loc(sheet.name), "sheet.ignored",
                            "这张工作表的名称不是 设置/党员/承诺/评诺/公告/反馈汇总 之一，未导入",
                            "sheet name is not one of 设置/党员/承诺/评诺/公告/反馈汇总; not imported")
        for t in tables.values():
            self.check_columns(t)
        return tables

    def check_columns(self, t: _Table) -> None:
        h = t.header
        row = h.index
        for j in h.private:
            self.p.note(t.loc(row, j=j), "column.private",
                        f"“{t.header_text(j)}”属于个人隐私信息，这一列没有导入，也不会保存或显示",
                        f"“{t.header_text(j)}” is private information; this column was not imported and is never stored or shown")
        for j in h.extra:
            self.p.note(t.loc(row, j=j), "column.ignored",
                        f"不认识的列“{t.header_text(j)}”，已忽略（需要的话请改成模板里的列名）",
                        f"unknown column “{t.header_text(j)}” ignored (rename it as in the template if it is needed)")
        for j in h.duplicates:
            self.p.warning(t.loc(row, j=j), "column.duplicate",
                           f"“{t.header_text(j)}”与前面的列重复，只导入了前一列，请删除其中一列",
                           f"“{t.header_text(j)}” repeats an earlier column; only the first was imported")
        required = [f for f in t.spec.fields if f.required]
        if t.spec.kind == "combined":
            required.append(H.NAME)
        for f in required:
            if f.key not in t.keys:
                self.error(Location(self.file, t.sheet.name, t.sheet.row_number(row)), "column.missing",
                           f"缺少必填列“{f.header}”，请在表头（第 {t.sheet.row_number(row)} 行）加上这一列",
                           f"required column “{f.header}” ({f.en}) is missing from the header row")

    # -- settings

    def settings_table(self, sheet: Sheet) -> dict[str, _Table]:
        self.settings_given = True
        header = H.find_header(sheet, H.SETTINGS)
        if header is not None and len(header.columns) >= 2:
            return {"settings": _Table(sheet, H.SETTINGS, header, self.file)}
        self.settings_key_value(sheet)
        return {}

    def settings_key_value(self, sheet: Sheet) -> None:
        """项目 | 内容 rows: 村名 | 青山村, 党支部 | 青山村党支部, …"""
        found: dict[str, tuple[Any, Location]] = {}
        for i, row in enumerate(sheet.rows):
            if not row or row[0] is None:
                continue
            key = H.normalize(row[0])
            if key in {H.normalize(h) for h in (*H.SETTINGS_KEY_HEADERS,)}:
                continue
            f = H.match(row[0], H.SETTINGS)
            value = next((v for v in row[1:] if v is not None and not V.is_blank(v)), None)
            j = next((k for k, v in enumerate(row) if k > 0 and v is value), 1)
            loc = Location(self.file, sheet.name, sheet.row_number(i), sheet.letter(j), V.line(row[0]))
            if f is None:
                if H.is_private(row[0]):
                    self.p.note(loc, "setting.private", f"“{V.line(row[0])}”属于个人隐私信息，未导入",
                                f"“{V.line(row[0])}” is private information; not imported")
                elif value is not None:
                    self.p.note(loc, "setting.ignored", f"不认识的设置项“{V.line(row[0])}”，已忽略",
                                f"unknown setting “{V.line(row[0])}” ignored")
                continue
            found.setdefault(f.key, (value, loc))
        if not found:
            self.error(self.file_loc(sheet.name), "settings.empty",
                       "设置表里没有“村名”等设置项：请写成一行表头（村代码、村名、党支部、乡镇、反馈链接）加每村一行",
                       "the settings sheet names no village: use a header row (村代码, 村名, 党支部, 乡镇, 反馈链接) and one row per village")
            return
        row = {k: v for k, (v, _loc) in found.items()}
        locs = {k: loc for k, (_v, loc) in found.items()}
        self.add_village(row, lambda key: locs.get(key, self.file_loc(sheet.name)), self.file_loc(sheet.name))

    def read_settings(self, t: _Table) -> None:
        for i, row in t.rows():
            self.add_village(row, lambda key, i=i: t.loc(i, key), t.loc(i))

    def add_village(self, row: dict[str, Any], loc: Callable[[str], Location], row_loc: Location) -> None:
        name = V.line(row.get("village"))
        code = V.code(row.get("code")) or name
        if not name:
            if code:
                name = code
            else:
                self.error(row_loc, "village.blank", "村名为空，请填写村名",
                           "village name is blank; fill it in")
                return
        if len(code) > MAX_CODE:
            self.error(loc("code"), "village.code_long", f"村代码太长（{len(code)} 个字符，最多 {MAX_CODE}）",
                       f"village code too long ({len(code)} characters, at most {MAX_CODE})")
            return
        if code in self.villages:
            self.error(loc("code") if row.get("code") else loc("village"), "village.duplicate",
                       f"村代码“{code}”重复，每个村只能写一行",
                       f"village code “{code}” appears twice; one row per village")
            return
        url = V.text(row.get("feedback_url")).strip()
        if url:
            self.check_url(url, loc("feedback_url"))
        village = _Village(code, name, V.line(row.get("branch")), V.line(row.get("township")), url, row_loc)
        self.villages[code] = village
        self.display_text.append((village.name + village.branch + village.township, row_loc))

    def check_url(self, url: str, loc: Location) -> None:
        if not re.match(r"https?://[^\s/]+", url, re.I) or re.search(r"\s", url):
            self.error(loc, "url.scheme",
                       f"反馈链接“{V.show(url)}”不是 http:// 或 https:// 开头的网址，请填写完整网址",
                       f"feedback link “{V.show(url)}” is not an http:// or https:// address")
            return
        try:
            names = [name for _lit, name, _spec, _conv in string.Formatter().parse(url) if name is not None]
        except ValueError:
            self.error(loc, "url.braces", "反馈链接里的花括号不成对，占位符应写成 {village}、{member_id}、{pledge_id}",
                       "unbalanced braces in the feedback link; placeholders are {village}, {member_id}, {pledge_id}")
            return
        for name in names:
            if name not in URL_PLACEHOLDERS:
                self.error(loc, "url.placeholder",
                           f"反馈链接里有不认识的占位符“{{{name}}}”，只能用 {{village}}、{{member_id}}、{{pledge_id}}",
                           f"unknown placeholder “{{{name}}}” in the feedback link; use {{village}}, {{member_id}}, {{pledge_id}}")

    # -- reading everything

    def read(self, tables: dict[str, _Table]) -> None:
        if "settings" in tables:
            self.read_settings(tables["settings"])
        if "combined" in tables:
            self.read_combined(tables["combined"])
        elif "members" in tables:
            self.read_members(tables["members"])
            if "pledges" in tables:
                self.read_pledges(tables["pledges"])
        self.resolve_villages(tables.get("combined") or tables.get("members"))
        self.check_pledges()
        if "evaluations" in tables:
            self.read_evaluations(tables["evaluations"])
        if "notices" in tables:
            self.read_notices(tables["notices"])
        if "feedback" in tables:
            self.read_feedback(tables["feedback"])
        used = {m.village_code for m in self.members.values()}
        for code, v in self.villages.items():
            if code not in used:
                self.p.warning(v.loc or self.file_loc(), "village.no_members",
                               f"村“{v.name}”没有任何党员；导入后这个村的公示屏将是空的",
                               f"village “{v.name}” has no members; after import its wall will be empty")
        if self.check_fonts:
            self.check_glyphs()

    _MEMBER_PARSERS: dict[str, Callable[[Any], Any]] = {
        "name": V.line,
        "post": V.line,
        "duty_post": V.line,
        "member_status": V.member_status,
        "joined": V.parse_date,
        "photo": lambda v: V.text(v).strip(),
        "order": V.integer,
    }

    def member_fields(self, t: _Table, i: int, row: dict[str, Any]) -> dict[str, Any]:
        result = {}
        for key, parser in self._MEMBER_PARSERS.items():
            value = self.parse(t, i, row, key, parser)
            if value is not None and value is not _MISSING and value != "":
                result[key] = value
        return result

    def member_number(self, t: _Table, i: int, row: dict[str, Any]) -> str | None:
        number = V.code(row.get("number"))
        if not number:
            self.error(t.loc(i, "number"), "member.number_blank", "编号为空，请给每名党员填写编号（在本村内不重复）",
                       "member number is blank; give every member a number (unique in the village)")
            return None
        if len(number) > MAX_CODE:
            self.error(t.loc(i, "number"), "member.number_long", f"编号太长（最多 {MAX_CODE} 个字符）",
                       f"member number too long (at most {MAX_CODE} characters)")
            return None
        return number

    def new_member(self, t: _Table, i: int, row: dict[str, Any], number: str) -> _Member:
        village_raw = V.line(row.get("village"))
        m = _Member(number, village_raw, t.ref(i, "village") if "village" in t.keys else None, t.ref(i, "number"))
        m.fields = self.member_fields(t, i, row)
        m.sources = {key: t.ref(i, key) for key in m.fields}
        self.check_name(t, i, m)
        return m

    def check_name(self, t: _Table, i: int, m: _Member) -> None:
        name = m.fields.get("name", "")
        if not name:
            self.error(t.loc(i, "name"), "member.name_blank", f"编号“{m.number}”的党员姓名为空，请填写姓名",
                       f"member “{m.number}” has no name; fill it in")
        elif len(name) > MAX_NAME:
            self.error(t.loc(i, "name"), "member.name_long",
                       f"姓名“{V.show(name)}”有 {len(name)} 个字，超过 {MAX_NAME} 个字；请只写姓名，别的内容放到相应的列",
                       f"name “{V.show(name)}” has {len(name)} characters (more than {MAX_NAME}); put other details in their own columns")
        else:
            self.display_text.append((name, t.ref(i, "name")))
        for key in ("post", "duty_post"):
            if m.fields.get(key):
                self.display_text.append((m.fields[key], t.ref(i, key)))

    def read_members(self, t: _Table) -> None:
        self.has_village_column = "village" in t.keys
        for i, row in t.rows():
            number = self.member_number(t, i, row)
            if number is None:
                continue
            if number in self.members:
                first = self.members[number].loc
                where = "本文件" if self.has_village_column else "本村"
                self.error(t.loc(i, "number"), "member.duplicate",
                           f"编号“{number}”重复（第 {first.row} 行已经用过）：{where}内党员编号不能重复",
                           f"member number “{number}” is used twice (first in row {first.row}); numbers must be unique"
                           + (" in the whole file" if self.has_village_column else " in the village"))
                continue
            self.members[number] = self.new_member(t, i, row, number)

    def read_combined(self, t: _Table) -> None:
        """One row per pledge; member columns repeated, and they must agree."""
        self.has_village_column = "village" in t.keys
        pledge_keys = {"year", "area", "text", "measures", "due", "status", "progress", "reason", "notes", "code"}
        for i, row in t.rows():
            number = self.member_number(t, i, row)
            if number is None:
                continue
            m = self.members.get(number)
            if m is None:
                m = self.members[number] = self.new_member(t, i, row, number)
            else:
                self.agree(t, i, row, m)
            if any(not V.is_blank(row.get(k)) for k in pledge_keys):
                self.pledges.append((m, row, t, i))

    def agree(self, t: _Table, i: int, row: dict[str, Any], m: _Member) -> None:
        fields = self.member_fields(t, i, row)
        village = V.line(row.get("village"))
        if village:
            fields["village"] = village
        for key, value in fields.items():
            old = m.village if key == "village" else m.fields.get(key)
            if key == "village" and not old:
                m.village, m.village_loc = value, t.ref(i, "village")
                continue
            if old is None:
                m.fields[key] = value
                m.sources[key] = t.ref(i, key)
            elif old != value:
                first = m.village_loc if key == "village" else m.sources[key]
                assert first is not None
                self.error(t.loc(i, key), "member.disagree",
                           f"编号“{m.number}”的{t.header_text(t.column(key) or 0)}“{V.show(value)}”与第 {first.row} 行的“{V.show(old)}”不一致，"
                           "同一党员的各行应填写相同内容",
                           f"member “{m.number}”: “{V.show(value)}” differs from “{V.show(old)}” in row {first.row}; "
                           "rows of the same member must agree")

    def resolve_villages(self, t: _Table | None) -> None:
        """Give every member a village code: the 村 column, else the only village."""
        by_name = {v.name: v.code for v in self.villages.values()}
        for m in self.members.values():
            if m.village:
                if m.village in self.villages:
                    m.village_code = m.village
                elif m.village in by_name:
                    m.village_code = by_name[m.village]
                elif self.settings_given:
                    assert m.village_loc is not None
                    self.error(m.village_loc.location, "member.village_unknown",
                               f"村“{m.village}”不在“设置”表中，请在设置表加上这个村，或改成设置表里的村名/村代码",
                               f"village “{m.village}” is not in the settings sheet; add it there or use a listed name/code")
                else:
                    loc = m.village_loc.location if m.village_loc else None
                    self.villages[m.village] = _Village(m.village, m.village, loc=loc)
                    by_name[m.village] = m.village
                    m.village_code = m.village
        unassigned = [m for m in self.members.values() if not m.village_code and not m.village]
        if not unassigned:
            return
        if not self.villages:
            stem = Path(self.file).stem
            self.villages[stem] = _Village(stem, stem)
            self.p.warning(self.file_loc(t.sheet.name if t else ""), "village.from_filename",
                           f"没有“设置”表，也没有“村”列：村名暂用文件名“{stem}”。请按模板加上“设置”表（村名、党支部）",
                           f"no settings sheet and no 村 (village) column: the village is named after the file, “{stem}”; "
                           "add a settings sheet as in the template")
        if len(self.villages) == 1:
            code = next(iter(self.villages))
            for m in unassigned:
                m.village_code = code
            return
        for m in unassigned:
            self.error((m.village_loc or m.loc).location, "member.village_blank",
                       f"文件里有多个村，但编号“{m.number}”的党员没有填“村”，请填写所属村",
                       f"the file has several villages but member “{m.number}” has no 村 (village); fill it in")

    # -- pledges

    def read_pledges(self, t: _Table) -> None:
        for i, row in t.rows():
            number = V.code(row.get("number"))
            if not number:
                self.error(t.loc(i, "number"), "pledge.number_blank", "编号为空：请填写承诺人的党员编号（与“党员”表一致）",
                           "member number is blank; enter the pledging member's number as in the members sheet")
                continue
            m = self.members.get(number)
            if m is None:
                self.error(t.loc(i, "number"), "pledge.member_unknown",
                           f"编号“{number}”的党员不在“党员”表中，请先在党员表添加，或改正编号",
                           f"member “{number}” is not in the members sheet; add them there or correct the number")
                continue
            self.cross_check(t, i, row, m)
            self.pledges.append((m, row, t, i))

    def cross_check(self, t: _Table, i: int, row: dict[str, Any], m: _Member) -> None:
        name = V.line(row.get("name"))
        if name and m.fields.get("name") and name != m.fields["name"]:
            self.error(t.loc(i, "name"), "member.name_mismatch",
                       f"姓名“{V.show(name)}”与“党员”表中编号“{m.number}”的“{m.fields['name']}”不一致，请核对编号和姓名",
                       f"name “{V.show(name)}” does not match member “{m.number}” (“{m.fields['name']}”) in the members sheet")
        village = V.line(row.get("village"))
        if village and m.village and village != m.village and village != m.village_code:
            self.error(t.loc(i, "village"), "member.village_mismatch",
                       f"村“{village}”与“党员”表中该党员的村“{m.village}”不一致",
                       f"village “{village}” differs from the member's village “{m.village}” in the members sheet")

    def check_pledges(self) -> None:
        """Parse pledge rows (after members are known) into records, and check them."""
        by_table: dict[int, bool] = {}
        defaulted_year: dict[int, list[int]] = defaultdict(list)
        inferred_status: dict[int, list[int]] = defaultdict(list)
        tables: dict[int, _Table] = {}
        codes: dict[tuple[str, str], _Ref] = {}
        for m, row, t, i in self.pledges:
            if id(t) not in by_table:
                by_table[id(t)] = V.fraction_scale(t.values("progress"))
                tables[id(t)] = t
            fractions = by_table[id(t)]
            m.pledge_count += 1
            text = V.text(row.get("text"))
            ok = True
            if not text:
                self.error(t.loc(i, "text"), "pledge.text_blank", "承诺内容为空，请填写承诺内容（或删除这一行）",
                           "pledge text is blank; fill it in (or delete the row)")
                ok = False
            due = self.parse(t, i, row, "due", lambda v: V.parse_date(v, period_end=True))
            year = self.parse(t, i, row, "year", V.year)
            status = self.parse(t, i, row, "status", V.status)
            progress = self.parse(t, i, row, "progress", lambda v: V.progress(v, fractions=fractions))
            notes = self.parse(t, i, row, "notes", V.notes, ())
            if _MISSING in (due, year, status, progress, notes):
                ok = False
            if year is None and ok:
                year = due.year if isinstance(due, date) else self.today.year
                defaulted_year[id(t)].append(i)
            if status is None and ok:
                p = progress or 0
                status = PledgeStatus.DONE if p >= 100 else PledgeStatus.IN_PROGRESS if p > 0 else PledgeStatus.NOT_STARTED
                inferred_status[id(t)].append(i)
            if progress is None and ok:
                progress = 100 if status == PledgeStatus.DONE else 0
            reason = V.text(row.get("reason"))
            code = V.code(row.get("code")) or f"{m.number}-{m.pledge_count}"
            code_loc = t.ref(i, "code" if row.get("code") is not None and not V.is_blank(row.get("code")) else None)
            if len(code) > MAX_PLEDGE_CODE:
                self.error(code_loc.location, "pledge.code_long", f"承诺编号太长（最多 {MAX_PLEDGE_CODE} 个字符）",
                           f"pledge id too long (at most {MAX_PLEDGE_CODE} characters)")
                ok = False
            key = (m.village_code, code)
            if key in codes:
                first = codes[key]
                self.error(code_loc.location, "pledge.code_duplicate",
                           f"承诺编号“{code}”重复（第 {first.row} 行已经用过），同一村内承诺编号不能重复；"
                           "留空则自动编为“党员编号-序号”",
                           f"pledge id “{code}” is used twice (first in row {first.row}); ids must be unique in a village "
                           "(leave blank for automatic “member-n”)")
                ok = False
            else:
                codes[key] = code_loc
            if not ok:
                continue
            if status == PledgeStatus.DONE and progress < 100:
                self.p.warning(t.loc(i, "progress"), "pledge.done_progress",
                               f"状态为“已完成”但进度只有 {progress}%，请核对（墙上按“已完成”显示）",
                               f"status is 已完成 (done) but progress is {progress}%; please check")
            if status == PledgeStatus.NOT_KEPT and not reason:
                self.p.warning(t.loc(i, "reason") if "reason" in t.keys else t.loc(i, "status"), "pledge.reason_missing",
                               "状态为“未完成”但没有填写未兑现原因；群众需要知道原因，请补上",
                               "status is 未完成 (not kept) but no reason is given; villagers are owed one, please add it")
            record = PledgeRecord(
                member_number=m.number, text=text, status=status, year=year, code=code,
                area=V.line(row.get("area")), measures=V.text(row.get("measures")), due=due,
                progress=progress, reason_not_kept=reason, notes=notes,
            )
            self.pledge_records.append((m, record, i))
            self.display_text.append((text, _Ref(t, i, "text")))
            for key, value in (("area", record.area), ("measures", record.measures), ("reason", reason)):
                if value:
                    self.display_text.append((value, _Ref(t, i, key)))
            if notes:
                self.display_text.append(("".join(n.text for n in notes), _Ref(t, i, "notes")))
        for tid, rows in defaulted_year.items():
            t = tables[tid]
            self.p.note(self._rows_loc(t, rows, "year"), "pledge.year_default",
                        f"{len(rows)} 条承诺没有填年度（第 {_row_list(t, rows)} 行），已按完成时限的年份填写，"
                        f"没有完成时限的按今年（{self.today.year} 年）；不对的话请填写年度",
                        f"{len(rows)} pledges have no year (rows {_row_list(t, rows)}): taken from the due date, "
                        f"or this year ({self.today.year}) when there is none; fill in 年度 if that is wrong")
        for tid, rows in inferred_status.items():
            t = tables[tid]
            self.p.warning(self._rows_loc(t, rows, "status"), "pledge.status_blank",
                           f"{len(rows)} 条承诺没有填状态（第 {_row_list(t, rows)} 行），已按进度推定"
                           "（100% 为已完成，大于 0 为进行中，否则未开始），请核对",
                           f"{len(rows)} pledges have no status (rows {_row_list(t, rows)}); inferred from progress "
                           "(100% done, above 0 in progress, else not started); please check")

    def _rows_loc(self, t: _Table, rows: list[int], key: str) -> Location:
        return t.loc(rows[0], key) if key in t.keys else t.loc(rows[0])

    # -- evaluations, notices, feedback

    def member_for(self, t: _Table, i: int, row: dict[str, Any], what_zh: str, what_en: str) -> _Member | None:
        number = V.code(row.get("number"))
        if not number:
            self.error(t.loc(i, "number"), f"{t.spec.kind}.number_blank", f"编号为空：请填写{what_zh}对应的党员编号",
                       f"member number is blank; enter the member the {what_en} belongs to")
            return None
        m = self.members.get(number)
        if m is None:
            self.error(t.loc(i, "number"), f"{t.spec.kind}.member_unknown",
                       f"编号“{number}”的党员不在党员名单中，请改正编号",
                       f"member “{number}” is not in the members list; correct the number")
            return None
        self.cross_check(t, i, row, m)
        return m

    def read_evaluations(self, t: _Table) -> None:
        fractions = V.fraction_scale(t.values("satisfaction"))
        seen: dict[tuple[str, int], int] = {}
        latest = defaultdict(int)
        for m, record, _loc in self.pledge_records:
            latest[m.number] = max(latest[m.number], record.year)
        defaulted: list[int] = []
        for i, row in t.rows():
            m = self.member_for(t, i, row, "评诺", "evaluation")
            year = self.parse(t, i, row, "year", V.year)
            grade = self.parse(t, i, row, "grade", V.grade)
            satisfaction = self.parse(t, i, row, "satisfaction", lambda v: V.percent(v, fractions=fractions))
            published = self.parse(t, i, row, "published", V.yes_no, True)
            if grade is None:
                self.error(t.loc(i, "grade"), "evaluation.grade_blank", "评定等次为空，请填写 优秀/合格/基本合格/不合格",
                           "grade is blank; use 优秀/合格/基本合格/不合格")
                continue
            if m is None or _MISSING in (year, grade, satisfaction, published):
                continue
            if year is None:
                year = latest.get(m.number) or self.today.year
                defaulted.append(i)
            key = (m.number, year)
            if key in seen:
                self.error(t.loc(i, "year") if "year" in t.keys else t.loc(i, "number"), "evaluation.duplicate",
                           f"编号“{m.number}”的 {year} 年评诺已在第 {t.sheet.row_number(seen[key])} 行填写过，每人每年只能一条",
                           f"member “{m.number}” already has a {year} evaluation in row {t.sheet.row_number(seen[key])}")
                continue
            seen[key] = i
            remarks = V.text(row.get("remarks"))
            if remarks:
                self.display_text.append((remarks, t.loc(i, "remarks")))
            record = EvaluationRecord(m.number, year, grade, satisfaction, remarks, published)
            self.evaluations.append((m, record, t.loc(i)))
        if defaulted:
            self.p.note(self._rows_loc(t, defaulted, "year"), "evaluation.year_default",
                        f"{len(defaulted)} 条评诺没有填年度（第 {_row_list(t, defaulted)} 行），已按该党员承诺的最近年度填写"
                        f"（没有承诺的按今年 {self.today.year} 年）；不对的话请填写年度",
                        f"{len(defaulted)} evaluations have no year (rows {_row_list(t, defaulted)}): taken as the member's "
                        f"latest pledge year (or {self.today.year}); fill in 年度 if that is wrong")

    def read_notices(self, t: _Table) -> None:
        by_name = {v.name: v.code for v in self.villages.values()}
        for i, row in t.rows():
            text = V.text(row.get("text"))
            start = self.parse(t, i, row, "start", V.parse_date)
            end = self.parse(t, i, row, "end", lambda v: V.parse_date(v, period_end=True))
            if not text:
                self.error(t.loc(i, "text"), "notice.text_blank", "公告内容为空，请填写内容或删除这一行",
                           "notice text is blank; fill it in or delete the row")
                continue
            if _MISSING in (start, end):
                continue
            if start and end and end < start:
                self.error(t.loc(i, "end"), "notice.end_before_start", "结束日期早于开始日期，请改正",
                           "the end date is before the start date")
                continue
            village = V.line(row.get("village"))
            code = ""
            if village:
                code = village if village in self.villages else by_name.get(village, "")
                if not code:
                    self.error(t.loc(i, "village"), "notice.village_unknown", f"村“{village}”不在本文件的村里",
                               f"village “{village}” is not one of this file's villages")
                    continue
            self.display_text.append((text, t.loc(i, "text")))
            self.notices.append((code, NoticeRecord(text, start, end)))

    def read_feedback(self, t: _Table) -> None:
        fractions = V.fraction_scale(t.values("satisfaction"))
        codes = {(m.number, r.code) for m, r, _loc in self.pledge_records}
        for i, row in t.rows():
            m = self.member_for(t, i, row, "反馈", "feedback")
            count = self.parse(t, i, row, "count", V.integer)
            satisfaction = self.parse(t, i, row, "satisfaction", lambda v: V.percent(v, fractions=fractions))
            if m is None or _MISSING in (count, satisfaction):
                continue
            if count is None or count < 0:
                self.error(t.loc(i, "count"), "feedback.count", "人数应为 0 或正整数",
                           "count should be 0 or a positive whole number")
                continue
            pledge_code = V.code(row.get("pledge_code"))
            if pledge_code and (m.number, pledge_code) not in codes:
                self.error(t.loc(i, "pledge_code"), "feedback.pledge_unknown",
                           f"承诺编号“{pledge_code}”不是编号“{m.number}”党员的承诺，请核对（留空表示对该党员的总体反馈）",
                           f"pledge id “{pledge_code}” is not a pledge of member “{m.number}” (leave blank for the member overall)")
                continue
            record = FeedbackRecord(m.number, V.line(row.get("period")), count, satisfaction, pledge_code,
                                    V.line(row.get("source")))
            self.feedback.append((m, record, t.loc(i)))

    # -- fonts

    def check_glyphs(self) -> None:
        """Characters no font of the wall's chain can draw: one error per character, first place."""
        try:
            from kiosk.render.fonts import uncovered_chars
        except ImportError:
            # TODO(lead): kiosk.render.fonts is not there yet; the font check is skipped until it is.
            return
        where: dict[str, Location | _Ref] = {}
        for value, loc in self.display_text:
            for ch in set(value).difference(where):
                where[ch] = loc
        missing = uncovered_chars("".join(sorted(where)))
        first = {ch: _located(where[ch]) for ch in missing}
        for ch in sorted(missing, key=lambda c: (first[c].sheet, first[c].row or 0, c)):
            if ch.isspace():
                continue
            self.error(first[ch], "text.glyph",
                       f"字符“{ch}”（U+{ord(ch):04X}）公示屏的字体里没有，无法显示；请换成常用字或同音字说明",
                       f"character “{ch}” (U+{ord(ch):04X}) is not in any of the wall's fonts and cannot be shown; replace it")

    # -- records

    def build(self) -> Roster:
        by_village: dict[str, list[_Member]] = defaultdict(list)
        for m in self.members.values():
            by_village[m.village_code].append(m)
        pledges = defaultdict(list)
        for m, r, _loc in self.pledge_records:
            pledges[m.village_code].append(r)
        evaluations = defaultdict(list)
        for m, e, _loc in self.evaluations:
            evaluations[m.village_code].append(e)
        feedback = defaultdict(list)
        for m, f, _loc in self.feedback:
            feedback[m.village_code].append(f)
        result = []
        for code, v in self.villages.items():
            members = tuple(
                MemberRecord(
                    number=m.number,
                    name=m.fields["name"],
                    post=m.fields.get("post") or "党员",
                    duty_post=m.fields.get("duty_post", ""),
                    status=m.fields.get("member_status", MemberStatus.FULL),
                    joined=m.fields.get("joined"),
                    order=m.fields.get("order", 0),
                )
                for m in by_village.get(code, ())
            )
            notices = tuple(n for c, n in self.notices if c in ("", code))
            result.append(
                VillageRoster(
                    VillageRecord(code, v.name, v.branch, v.township, v.feedback_url),
                    members,
                    tuple(pledges.get(code, ())),
                    tuple(evaluations.get(code, ())),
                    tuple(feedback.get(code, ())),
                    notices,
                )
            )
        return Roster(tuple(result))


def _row_list(t: _Table, rows: list[int], limit: int = 5) -> str:
    shown = "、".join(str(t.sheet.row_number(i)) for i in rows[:limit])
    return shown + ("……" if len(rows) > limit else "")
