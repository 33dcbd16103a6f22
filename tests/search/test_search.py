"""Pinyin / number / name search: tricky surnames, polyphones, rare characters, ranking."""

from __future__ import annotations

import itertools
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.roster import MemberRecord
from kiosk.search import (
    EXACT_NUMBER,
    EXACT_PINYIN,
    NAME_PART,
    NUMBER_PART,
    PINYIN_PREFIX,
    SearchIndex,
    normalise,
    split_surname,
)
from kiosk.store.snapshot import MemberCard

ROSTER = [
    ("QSC001", "王喆"),
    ("QSC002", "曾乐"),
    ("QSC003", "单雄信"),
    ("QSC004", "解放"),
    ("QSC005", "仇英"),
    ("QSC006", "朴正"),
    ("QSC007", "区小梅"),
    ("QSC008", "查良镛"),
    ("QSC009", "覃明"),
    ("QSC010", "尉迟恭"),
    ("QSC011", "欧阳修"),
    ("QSC012", "司马光"),
    ("QSC013", "诸葛亮"),
    ("QSC014", "李堃"),
    ("QSC015", "张赟"),
    ("QSC016", "刘䶮"),
    ("QSC017", "王五"),
    ("QSC018", "吕布"),
    ("QSC019", "张三"),
    ("QSC020", "欧阳"),  # two characters: surname 欧, given name 阳
    ("X-7", "阿卜杜·热合曼"),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.from_members(ROSTER)


def names(results) -> list[str]:
    return [e.name for e in results]


def entry(index: SearchIndex, name: str):
    return next(e for e in index.entries if e.name == name)


def test_build_from_cards() -> None:
    cards = [MemberCard.of(MemberRecord(number, name)) for number, name in ROSTER[:3]]
    index = SearchIndex.build(cards)
    assert sorted(e.number for e in index.entries) == ["QSC001", "QSC002", "QSC003"]
    assert names(index.search("wz")) == ["王喆"]


@pytest.mark.parametrize(
    ("name", "initials", "full"),
    [
        ("王喆", "WZ", "WANGZHE"),
        ("单雄信", "SXX", "SHANXIONGXIN"),
        ("曾乐", "ZL", "ZENGLE"),
        ("解放", "XF", "XIEFANG"),
        ("仇英", "QY", "QIUYING"),
        ("朴正", "PZ", "PIAOZHENG"),
        ("区小梅", "OXM", "OUXIAOMEI"),
        ("查良镛", "ZLY", "ZHALIANGYONG"),
        ("覃明", "QM", "QINMING"),
        ("尉迟恭", "YCG", "YUCHIGONG"),
        ("欧阳修", "OYX", "OUYANGXIU"),
        ("司马光", "SMG", "SIMAGUANG"),
        ("诸葛亮", "ZGL", "ZHUGELIANG"),
        ("李堃", "LK", "LIKUN"),
        ("张赟", "ZY", "ZHANGYUN"),
        ("刘䶮", "LY", "LIUYAN"),
        ("吕布", "LB", "LVBU"),
    ],
)
def test_surname_and_rare_character_readings(index, name, initials, full) -> None:
    found = entry(index, name)
    assert (found.initials, found.full) == (initials, full)
    assert found.surname_initial == initials[0]
    assert name in names(index.search(initials.lower()))
    assert name in names(index.search(full.lower()))


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("sx", "单雄信"),
        ("xf", "解放"),
        ("qy", "仇英"),
        ("pz", "朴正"),
        ("oxm", "区小梅"),
        ("zly", "查良镛"),
        ("qm", "覃明"),
        ("ycg", "尉迟恭"),
        ("zgl", "诸葛亮"),
    ],
)
def test_surname_reading_wins_over_common_reading(index, query, name) -> None:
    assert names(index.search(query))[0] == name


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("dxx", "单雄信"),
        ("jf", "解放"),
        ("cy", "仇英"),
        ("puz", "朴正"),
        ("qxm", "区小梅"),
        ("cly", "查良镛"),
        ("tm", "覃明"),
        ("wcg", "尉迟恭"),
        ("cl", "曾乐"),
    ],
)
def test_common_reading_of_a_surname_does_not_match(index, query, name) -> None:
    assert name not in names(index.search(query))


def test_given_name_polyphones_match_every_reading(index) -> None:
    assert names(index.search("zl"))[0] == "曾乐"
    assert set(names(index.search("zy"))) == {"曾乐", "张赟"}  # 乐 yue, 赟 yun
    assert "曾乐" in names(index.search("zengyue"))
    assert "曾乐" in names(index.search("zengle"))


def test_compound_surname_needs_a_given_name() -> None:
    assert split_surname("欧阳修") == ("欧阳", "修")
    assert split_surname("欧阳") == ("欧", "阳")
    assert split_surname("王喆") == ("王", "喆")


def test_pinyin_forms_for_wang_zhe(index) -> None:
    for query in [
        "wz",
        "WZ",
        "wangzhe",
        "wangz",
        "wzhe",
        "w z",
        "Wang Zhe",
        "ｗｚ",
        "ＷＡＮＧＺＨＥ",
    ]:
        assert "王喆" in names(index.search(query)), query
    assert names(index.search("w")) == ["王五", "王喆"]  # every W surname, in pinyin order
    assert index.search("wzz") == []


def test_v_and_u_for_lv(index) -> None:
    assert names(index.search("lvbu")) == ["吕布"]
    assert names(index.search("lubu")) == ["吕布"]
    assert names(index.search("lb")) == ["吕布"]


def test_number_search(index) -> None:
    assert names(index.search("QSC001")) == ["王喆"]
    assert names(index.search("qsc００１")) == ["王喆"]
    assert "王喆" in names(index.search("001"))
    assert set(names(index.search("QSC01"))) >= {"诸葛亮", "张三"}
    assert names(index.search("x-7")) == ["阿卜杜·热合曼"]


def test_chinese_name_substring(index) -> None:
    assert names(index.search("喆")) == ["王喆"]
    assert names(index.search("王")) == ["王五", "王喆"]
    assert names(index.search("欧阳")) == ["欧阳", "欧阳修"]
    assert names(index.search("阿卜杜")) == ["阿卜杜·热合曼"]


def test_ranking_exact_number_then_exact_initials_then_name_then_prefix() -> None:
    index = SearchIndex.from_members(
        [("zs", "周树人"), ("A1", "张三"), ("A2", "张山峰"), ("A3", "赵四")]
    )
    ranked = [(rank, index.entries[row].name) for rank, row in index.ranked("zs")]
    assert ranked == [
        (EXACT_NUMBER, "周树人"),
        (EXACT_PINYIN, "张三"),
        (EXACT_PINYIN, "赵四"),
        (PINYIN_PREFIX, "张山峰"),
    ]
    index = SearchIndex.from_members([("1", "张三丰"), ("2", "三张")])
    assert [(r, index.entries[row].name) for r, row in index.ranked("张三")] == [
        (NAME_PART, "张三丰")
    ]
    index = SearchIndex.from_members([("B12", "李明"), ("12", "王芳")])
    assert [(r, index.entries[row].number) for r, row in index.ranked("12")] == [
        (EXACT_NUMBER, "12"),
        (NUMBER_PART, "B12"),
    ]


def test_entries_sorted_by_pinyin_like_a_paper_roster() -> None:
    index = SearchIndex.from_members(
        [("1", "张三"), ("2", "曾乐"), ("3", "安东"), ("4", "单雄信"), ("5", "邓小"), ("6", "李四")]
    )
    # 单 sorts as Shan (not Dan), 曾 as Zeng (not Ceng)
    assert names(index.entries) == ["安东", "邓小", "李四", "单雄信", "曾乐", "张三"]


def test_surname_strip_and_filter(index) -> None:
    surnames = index.surnames()
    assert surnames.index("单") < surnames.index("王") < surnames.index("曾")
    assert "欧阳" in surnames and "尉迟" in surnames
    assert names(index.by_surname("王")) == ["王五", "王喆"]
    assert names(index.by_surname("欧阳")) == ["欧阳修"]
    assert names(index.by_surname("W")) == ["王五", "王喆"]
    assert "S" in index.surname_letters()
    assert index.by_surname("黄") == []


def test_empty_and_silly_queries(index) -> None:
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("wz", limit=0) == []
    assert index.search("'") == []
    assert SearchIndex.from_members([]).search("w") == []


# --- properties ---------------------------------------------------------------------------


def _oracle_pinyin(query: str, syllables) -> bool:
    """Brute force: some choice of readings, some k, and non-empty prefixes spell the query."""
    for choice in itertools.product(*[s or ("",) for s in syllables]):

        def spell(i: int, k: int, choice: tuple[str, ...] = choice) -> bool:
            if i == len(query):
                return k > 0
            if k == len(choice):
                return False
            reading = choice[k]
            return any(
                reading[:n] == query[i : i + n] and spell(i + n, k + 1, choice)
                for n in range(1, len(reading) + 1)
            )

        if spell(0, 0):
            return True
    return False


def _oracle(index: SearchIndex, query: str, row: int) -> bool:
    q = normalise(query)
    e = index.entries[row]
    typed = q.replace("'", "").replace("’", "")
    return (
        q in normalise(e.number)
        or q in normalise(e.name)
        or (typed.isascii() and typed.isalpha() and _oracle_pinyin(typed, index.syllables(row)))
    )


QUERY_CHARS = "abcdefghijklmnopqrstuvwxyzWZ0123456789 ＷＺ１王喆欧阳曾乐单'’-·"


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet=QUERY_CHARS, max_size=12) | st.text(max_size=8))
def test_random_queries_never_raise_and_every_result_matches(index, query) -> None:
    ranked = index.ranked(query)
    assert len({row for _, row in ranked}) == len(ranked)
    for _, row in ranked:
        assert _oracle(index, query, row), (query, index.entries[row])
    # and nothing that matches is missing
    matching = {
        row for row in range(len(index.entries)) if normalise(query) and _oracle(index, query, row)
    }
    assert {row for _, row in ranked} == matching
    assert index.search(query, limit=5) == [index.entries[row] for _, row in ranked[:5]]


@settings(max_examples=200)
@given(data=st.data())
def test_prefixes_of_any_reading_find_the_member(data) -> None:
    index = SearchIndex.from_members(ROSTER)
    row = data.draw(st.integers(0, len(index.entries) - 1))
    syllables = [s for s in index.syllables(row)]
    count = data.draw(st.integers(1, len(syllables)))
    parts = []
    for syllable in syllables[:count]:
        if not syllable:
            break
        reading = data.draw(st.sampled_from(syllable))
        parts.append(reading[: data.draw(st.integers(1, len(reading)))])
    if parts:
        assert index.entries[row] in index.search("".join(parts), limit=len(index.entries))


# --- size -------------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解仇朴区查"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉春梅海燕文辉晓东乐喆堃赟䶮长重行和朝曾思雨欣怡子涵浩宇轩博俊嘉豪"


def synthetic_members(count: int, seed: int = 1) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    members = []
    for i in range(count):
        surname = (
            rng.choice(SURNAMES)
            if rng.random() > 0.02
            else rng.choice(["欧阳", "司马", "诸葛", "尉迟"])
        )
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
        members.append((f"QSC{i:05d}", surname + given))
    return members


@pytest.mark.slow
def test_build_and_search_20000_members(capsys) -> None:
    members = synthetic_members(20_000)
    start = time.perf_counter()
    index = SearchIndex.from_members(members)
    build = time.perf_counter() - start
    timings = {}
    for query in ["w", "wa", "wang", "wangz", "wz", "z", "zh", "001", "喆", "QSC12345"]:
        start = time.perf_counter()
        index.search(query, limit=200)
        timings[query] = time.perf_counter() - start
    with capsys.disabled():
        slowest = max(timings, key=timings.get)
        print(
            f"\nsearch index: 20,000 members built in {build * 1000:.0f} ms; "
            f"slowest query {slowest!r} {timings[slowest] * 1000:.1f} ms"
        )
    assert len(index) == 20_000
    assert index.search("QSC12345")[0].number == "QSC12345"


def test_pinyin_phrase_dictionary_is_never_loaded() -> None:
    """Single-character readings never use it; it was 44 MB of the kiosk's memory after a search."""
    import subprocess
    import sys

    code = ("import sys; from kiosk.search import SearchIndex; "
            "i = SearchIndex.from_members([('1', '王喆'), ('2', '单丽华')]); "
            "assert [e.name for e in i.search('sl')] == ['单丽华'], i.search('sl'); "
            "print('pypinyin.phrases_dict' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[-1] == "False"
