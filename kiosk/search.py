"""Find a member as you type: pinyin initials, full pinyin, member number or part of the name.

Pure: built once per snapshot from the member cards, no I/O, no clock.

How a name is read:
- The surname takes its surname reading (单 Shan, 曾 Zeng, 解 Xie, 仇 Qiu, 朴 Piao, 区 Ou,
  查 Zha, 覃 Qin …) and compound surnames (欧阳, 司马, 诸葛, 尉迟 Yuchi …) are one surname when
  a given name follows. pypinyin has no surname mode (mozillazg/python-pinyin issue #297, still
  open), so the readings are the table below.
- Given-name characters take pypinyin's most common reading for sorting and display, and every
  other reading (heteronym) also matches: 曾乐 is ZL and ZY.
- ü is typed v (吕 lv), and u is accepted too (lu).

What a query matches (case-insensitive, spaces ignored, full-width folded by NFKC;
apostrophes may separate typed syllables, "xi'an"):
- pinyin: each syllable of the name, from the first, takes a non-empty prefix of one of its
  readings, e.g. "wz", "w", "wangzhe", "wangz", "wzhe", "wazh" for 王喆;
- the member number, exactly or as a substring ("001", "QSC001");
- part of the name ("喆", "王").
Ranked: exact number, exact initials or exact full pinyin, name substring, pinyin prefix,
number substring; ties in roster (pinyin) order.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.store.snapshot import MemberCard

# Surname readings where a character reads differently as a surname, or is polyphonic and a
# surname has one reading. Sources: overtrue/pinyin surnames list (quoted in
# mozillazg/python-pinyin#297), hotoo/pinyin and pinyin-pro surname data, 百家姓.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "覃": "qin",
    "尉": "wei",
    "员": "yun",
    "贠": "yun",
    "召": "shao",
    "隗": "wei",
    "祭": "zhai",
    "缪": "miao",
    "瞿": "qu",
    "翟": "zhai",
    "盖": "ge",
    "乜": "nie",
    "阚": "kan",
    "折": "she",
    "佴": "nai",
    "粘": "nian",
    "藏": "zang",
    "扎": "za",
    "都": "du",
    "六": "lu",
    "薄": "bo",
    "繁": "po",
    "种": "chong",
    "秘": "bi",
    "重": "chong",
    "卜": "bu",
    "句": "gou",
    "乐": "yue",
    "能": "nai",
    "宓": "mi",
    "眭": "sui",
    "朝": "chao",
    "长": "chang",
    "行": "xing",
    "柏": "bai",
    "牟": "mou",
    "盛": "sheng",
    "贾": "jia",
    "塔": "ta",
    "和": "he",
    "冼": "xian",
    "汤": "tang",
    "万": "wan",
    "车": "che",
    "沈": "shen",
    "宿": "su",
    "南": "nan",
    "寻": "xun",
    "於": "yu",
    "余": "yu",
    "俞": "yu",
    "许": "xu",
    "齐": "qi",
    "褚": "chu",
    "莘": "shen",
    "洗": "xian",
    "石": "shi",
    "冯": "feng",
    "那": "na",
    "阿": "a",
    "乘": "cheng",
    "厍": "she",
    "谌": "chen",
    "逄": "pang",
    "訾": "zi",
    "臧": "zang",
    "贲": "ben",
    "郦": "li",
    "仉": "zhang",
    "亓": "qi",
    "要": "yao",
    "曲": "qu",
    "过": "guo",
    "纪": "ji",
    "燕": "yan",
    "幺": "yao",
    "殷": "yin",
    "陆": "lu",
    "叶": "ye",
    "强": "qiang",
    "宁": "ning",
    "华": "hua",
    "蔚": "yu",
    "秦": "qin",
    "朱": "zhu",
    "胥": "xu",
    "应": "ying",
    "相": "xiang",
    "参": "can",
    "尚": "shang",
    "澹": "tan",
    "雍": "yong",
    "鲜": "xian",
    "尾": "wei",
    "夏": "xia",
}

COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"),
    "尉迟": ("yu", "chi"),
    "上官": ("shang", "guan"),
    "东方": ("dong", "fang"),
    "皇甫": ("huang", "fu"),
    "夏侯": ("xia", "hou"),
    "慕容": ("mu", "rong"),
    "长孙": ("zhang", "sun"),
    "宇文": ("yu", "wen"),
    "司徒": ("si", "tu"),
    "司空": ("si", "kong"),
    "令狐": ("ling", "hu"),
    "公孙": ("gong", "sun"),
    "轩辕": ("xuan", "yuan"),
    "端木": ("duan", "mu"),
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "南宫": ("nan", "gong"),
    "闻人": ("wen", "ren"),
    "赫连": ("he", "lian"),
    "西门": ("xi", "men"),
    "独孤": ("du", "gu"),
    "呼延": ("hu", "yan"),
    "申屠": ("shen", "tu"),
    "淳于": ("chun", "yu"),
    "钟离": ("zhong", "li"),
    "百里": ("bai", "li"),
    "东郭": ("dong", "guo"),
    "公羊": ("gong", "yang"),
    "濮阳": ("pu", "yang"),
    "太史": ("tai", "shi"),
    "第五": ("di", "wu"),
    "拓跋": ("tuo", "ba"),
    "左丘": ("zuo", "qiu"),
    "乐正": ("yue", "zheng"),
    "漆雕": ("qi", "diao"),
    "巫马": ("wu", "ma"),
    "司寇": ("si", "kou"),
    "仲孙": ("zhong", "sun"),
    "鲜于": ("xian", "yu"),
    "闾丘": ("lv", "qiu"),
    "亓官": ("qi", "guan"),
    "子车": ("zi", "ju"),
    "颛孙": ("zhuan", "sun"),
    "公西": ("gong", "xi"),
    "壤驷": ("rang", "si"),
    "公良": ("gong", "liang"),
    "夹谷": ("jia", "gu"),
    "宰父": ("zai", "fu"),
    "谷梁": ("gu", "liang"),
    "段干": ("duan", "gan"),
    "梁丘": ("liang", "qiu"),
    "公冶": ("gong", "ye"),
    "宗政": ("zong", "zheng"),
    "东门": ("dong", "men"),
}

# rank of a match, lower first
EXACT_NUMBER, EXACT_PINYIN, NAME_PART, PINYIN_PREFIX, NUMBER_PART = range(5)

_LETTERS = re.compile(r"[a-z]+")
_ALNUM_RUN = re.compile(r"[a-z0-9]+")
_SKIP = "'’‘-·•．.。 "  # separators inside names, not syllables
_APOSTROPHES = "'’‘"  # may separate typed syllables

Syllable = tuple[str, ...]  # alternative readings, the usual one first; () = unreadable


@dataclass(frozen=True, slots=True)
class SearchEntry:
    number: str
    name: str
    initials: str  # "WZ" for 王喆 (usual readings, upper case)
    full: str  # "WANGZHE"
    surname_initial: str  # "W"; "" when the name has no readable first character
    surname: str = ""  # "王", "欧阳"


def normalise(text: str) -> str:
    """Fold full-width forms (NFKC), case and whitespace away: 'ＷＺ 1' → 'wz1'."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ü", "v")
    return "".join(folded.split())


def _fold_pinyin(reading: str) -> str:
    return reading.replace("ü", "v").replace("u:", "v")


@cache
def _pypinyin():  # type: ignore[no-untyped-def]
    """pypinyin, loaded with the first search index and without its phrase dictionary: readings
    here are of single characters, which never use it, and it took 44 of pypinyin's 57 MB (and
    three quarters of its load time). pypinyin reads these switches when it is first imported."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")  # we never add to its dictionaries
    from pypinyin import Style, pinyin

    return Style, pinyin


@lru_cache(maxsize=None)
def char_readings(char: str) -> Syllable:
    """Toneless readings of one character, the usual one first; () if pypinyin has none."""
    Style, pinyin = _pypinyin()
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors=lambda _: [""])
    readings: list[str] = []
    for reading in found[0] if found else ():
        reading = _fold_pinyin(reading)
        if reading and _LETTERS.fullmatch(reading) and reading not in readings:
            readings.append(reading)
    for reading in list(readings):  # 吕 lv is also typed lu
        if "v" in reading and reading.replace("v", "u") not in readings:
            readings.append(reading.replace("v", "u"))
    return tuple(readings)


def _with_u(reading: str) -> Syllable:
    return (reading, reading.replace("v", "u")) if "v" in reading else (reading,)


def split_surname(name: str) -> tuple[str, str]:
    """'欧阳修' → ('欧阳', '修'); '王喆' → ('王', '喆'). A compound needs a given name after it."""
    name = name.strip()
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def name_syllables(name: str) -> tuple[str, tuple[Syllable, ...]]:
    """The surname and the syllables of a name, each with its readings (surname readings fixed)."""
    surname, given = split_surname(name)
    syllables: list[Syllable] = []
    if surname in COMPOUND_SURNAMES:
        syllables.extend(_with_u(r) for r in COMPOUND_SURNAMES[surname])
    elif surname in SURNAME_READINGS:
        syllables.append(_with_u(SURNAME_READINGS[surname]))
    else:
        given = surname + given
    for run in _runs(given):
        syllables.append(run)
    return surname, tuple(syllables)


def _runs(text: str) -> Iterable[Syllable]:
    """Han characters one syllable each; runs of Latin letters/digits one syllable; rest skipped."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    i = 0
    while i < len(folded):
        char = folded[i]
        match = _ALNUM_RUN.match(folded, i)
        if match:
            yield (match.group(),)
            i = match.end()
            continue
        i += 1
        if char in _SKIP or char.isspace() or not char.isprintable():
            continue
        yield char_readings(char)


def _initials(syllables: Sequence[Syllable]) -> str:
    return "".join(s[0][0] for s in syllables if s)


def _full(syllables: Sequence[Syllable]) -> str:
    return "".join(s[0] for s in syllables if s)


def pinyin_prefix_match(query: str, syllables: Sequence[Syllable]) -> bool:
    """True when the query is a run of non-empty prefixes of readings of the first syllables."""
    n = len(query)
    if n == 0:
        return False
    stack = [(0, 0)]
    last = len(syllables)
    while stack:
        i, s = stack.pop()
        if s == last:
            continue
        for reading in syllables[s]:
            common, most = 0, min(len(reading), n - i)
            while common < most and reading[common] == query[i + common]:
                common += 1
            if common == 0:
                continue
            if i + common == n:
                return True
            stack.extend((i + length, s + 1) for length in range(1, common + 1))
    return False


def exact_initials(query: str, syllables: Sequence[Syllable]) -> bool:
    readable = [s for s in syllables if s]
    return (
        len(query) == len(readable)
        and len(readable) == len(syllables)
        and all(any(r[0] == c for r in s) for c, s in zip(query, readable, strict=True))
    )


def exact_full(query: str, syllables: Sequence[Syllable]) -> bool:
    """The query spells one whole reading of every syllable."""
    if any(not s for s in syllables):
        return False
    ends = {0}
    for syllable in syllables:
        ends = {i + len(r) for i in ends for r in syllable if query.startswith(r, i)}
        if not ends:
            return False
    return len(query) in ends


class SearchIndex:
    """All members of a snapshot, in roster (pinyin) order, ready for searching as you type."""

    entries: tuple[SearchEntry, ...]

    def __init__(self, entries: Sequence[SearchEntry], syllables: Sequence[tuple[Syllable, ...]]):
        self.entries = tuple(entries)
        self._syllables = tuple(syllables)
        self._numbers = tuple(normalise(e.number) for e in self.entries)
        self._names = tuple(normalise(e.name) for e in self.entries)
        self._by_start: dict[str, list[int]] = defaultdict(list)  # 1 or 2 typed letters → rows
        for row, sylls in enumerate(self._syllables):
            for key in _start_keys(sylls):
                self._by_start[key].append(row)
        surname_rows: dict[str, list[int]] = defaultdict(list)
        for row, entry in enumerate(self.entries):
            if entry.surname:
                surname_rows[entry.surname].append(row)
        self._surname_rows = dict(surname_rows)
        self._surnames = sorted(  # rows are in pinyin order, so the first row sorts the surname
            surname_rows, key=lambda s: (self._syllables[surname_rows[s][0]][: len(s)], s)
        )

    @classmethod
    def build(cls, cards: Sequence[MemberCard]) -> SearchIndex:
        return cls.from_members((c.member.number, c.member.name) for c in cards)

    @classmethod
    def from_members(cls, members: Iterable[tuple[str, str]]) -> SearchIndex:
        """(number, name) pairs → index; for tests and tools that have no cards."""
        rows = []
        for number, name in members:
            surname, syllables = name_syllables(name)
            initials = _initials(syllables)
            entry = SearchEntry(
                number=number,
                name=name,
                initials=initials.upper(),
                full=_full(syllables).upper(),
                surname_initial=initials[:1].upper() if syllables and syllables[0] else "",
                surname=surname,
            )
            rows.append(
                (tuple(s[0] if s else "\uffff" for s in syllables), name, number, entry, syllables)
            )
        rows.sort(key=lambda row: row[:3])
        return cls([row[3] for row in rows], [row[4] for row in rows])

    def __len__(self) -> int:
        return len(self.entries)

    def syllables(self, entry_index: int) -> tuple[Syllable, ...]:
        """The readings used to match entries[entry_index] (for tests and debugging)."""
        return self._syllables[entry_index]

    def search(self, query: str, limit: int = 50) -> list[SearchEntry]:
        """Best matches first; [] for an empty query."""
        if limit <= 0:
            return []
        return [self.entries[row] for _, row in self.ranked(query)[:limit]]

    def ranked(self, query: str) -> list[tuple[int, int]]:
        """(rank, row) of every match, best first (rank constants above)."""
        q = normalise(query)
        if not q:
            return []
        best: dict[int, int] = {}

        def offer(row: int, rank: int) -> None:
            if rank < best.get(row, 99):
                best[row] = rank

        for row, number in enumerate(self._numbers):
            if q in number:
                offer(row, EXACT_NUMBER if q == number else NUMBER_PART)
        for row, name in enumerate(self._names):
            if q in name:
                offer(row, NAME_PART)
        typed = "".join(c for c in q if c not in _APOSTROPHES)  # xi'an
        if typed and _LETTERS.fullmatch(typed):
            for row in self._by_start.get(typed[:2], ()):
                sylls = self._syllables[row]
                if len(typed) <= 1 or pinyin_prefix_match(typed, sylls):
                    exact = exact_initials(typed, sylls) or exact_full(typed, sylls)
                    offer(row, EXACT_PINYIN if exact else PINYIN_PREFIX)
        return sorted((rank, row) for row, rank in best.items())

    def surnames(self) -> list[str]:
        """Distinct surnames ('王', '欧阳', …) in pinyin order, for a tap-to-filter strip."""
        return list(self._surnames)

    def surname_letters(self) -> list[str]:
        """Distinct surname initials ('W', 'Z', …) in alphabetical order."""
        return sorted({e.surname_initial for e in self.entries if e.surname_initial})

    def by_surname(self, surname: str) -> list[SearchEntry]:
        """Members with this surname ('王', '欧阳'), or whose surname starts with a letter ('W')."""
        key = surname.strip()
        if len(key) == 1 and key.isascii() and key.isalpha():
            letter = key.upper()
            return [e for e in self.entries if e.surname_initial == letter]
        return [self.entries[row] for row in self._surname_rows.get(key, ())]


def _start_keys(syllables: Sequence[Syllable]) -> set[str]:
    """Every 1- and 2-letter start a matching query can have (a query's first two letters)."""
    if not syllables:
        return set()
    keys: set[str] = set()
    nexts = syllables[1] if len(syllables) > 1 else ()
    for reading in syllables[0]:
        keys.add(reading[0])
        if len(reading) > 1:
            keys.add(reading[:2])
        keys.update(reading[0] + r[0] for r in nexts)
    return keys
