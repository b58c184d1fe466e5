"""What the reader takes out of bureau prose: kinds, values, roles, subjects (table-tested)."""

from __future__ import annotations

import pytest

from udfs.periods import Period
from workbooks.proofread.numbers import Num, cn_int
from workbooks.proofread.reading import Passage, decode
from workbooks.proofread.statements import read_statements
from workbooks.proofread.vocabulary import canonical


def read(*paragraphs: str):
    passages = [Passage(p, n, f"第{n}段") for n, p in enumerate(paragraphs, start=1)]
    return read_statements(passages)[0]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("增长6.7%", ("growth", 6.7, "current", None)),
        ("同比下降4.8%", ("growth", -4.8, "current", None)),
        ("增速为-2.0%", ("growth", -2.0, "current", None)),
        ("上年同期增长8.1%", ("growth", 8.1, "base", None)),
        ("力争全年增长6.5%", ("growth", 6.5, "target", None)),
        ("两年平均增长4.5%", ("growth", 4.5, "other", None)),
        ("环比增长1.2%", ("growth", 1.2, "other", None)),
        ("高于全市0.1个百分点", ("pp", 0.1, "level", "全市")),
        ("低于全省1.2个百分点", ("pp", -1.2, "level", "全省")),
        ("比全省（6.1%）高0.5个百分点", ("pp", 0.5, "level", "全省")),
        ("较一季度回落1.5个百分点", ("pp", -1.5, "level", "一季度")),
        ("同比提高0.8个百分点", ("pp", 0.8, "level", "上年同期")),
        ("与全市持平", ("pp", 0.0, "level", "全市")),
        ("超序时进度1.3个百分点", ("schedule", 1.3, "level", None)),
        ("欠序时进度8.1个百分点", ("schedule", -8.1, "level", None)),
        ("完成年度目标的76.3%", ("completion", 76.3, "level", None)),
        ("占年度投资计划的16.9%", ("completion", 16.9, "level", None)),
        ("占53个的26.0%", ("share", 26.0, "level", None)),
        ("居全市第3位", ("rank", 3, "level", "全市")),
        ("居全市首位", ("rank", 1, "level", "全市")),
        ("居第十二位", ("rank", 12, "level", None)),
        ("较上季度前移2位", ("rank_change", 2, "level", "上季度")),
        ("后退一位", ("rank_change", -1, "level", None)),
        ("位次与上季度持平", ("rank_change", 0, "level", "上季度")),
        ("完成44.4亿元", ("amount", 44.4, "level", None)),
        ("上年同期为2.95亿元", ("amount", 2.95, "base", None)),
        ("同比增加1870元", ("amount", 1870, "increase", None)),
        ("比上年减少0.3亿元", ("amount", -0.3, "increase", None)),
        ("较年初增加22.1亿元", ("amount", 22.1, "change", None)),
        ("年度目标为41.20亿元", ("amount", 41.2, "target", None)),
        ("还差2.74亿元", ("amount", 2.74, "gap", None)),
        ("17,176万元", ("amount", 17176, "level", None)),
        ("增长６．７％", ("growth", 6.7, "current", None)),
    ],
)
def test_one_figure(sentence: str, expected: tuple) -> None:
    statements = read(sentence)
    assert len(statements) == 1, [(s.kind, s.value) for s in statements]
    s = statements[0]
    assert (s.kind, s.value.value, s.role, s.ref) == expected


def test_a_statement_mixing_several_keeps_its_subject() -> None:
    statements = read(
        "2026年前三季度经济运行情况",
        "一季度，全县地区生产总值完成44.4亿元，按可比价格计算，增长18.6%，高于全市0.1个百分点，"
        "居全市第7位，较上年同期前移2位。",
    )
    assert [s.kind for s in statements] == ["amount", "growth", "pp", "rank", "rank_change"]
    assert {s.indicator for s in statements} == {"地区生产总值"}
    assert {s.period for s in statements} == {
        Period(2026, 1, 3)
    }  # the paragraph's, with the title's year
    assert all(s.period_explicit for s in statements)


def test_the_title_period_holds_where_a_paragraph_names_none() -> None:
    statements = read("2026年1-9月经济运行分析", "社零增长5.1%。")
    assert statements[0].period == Period(2026, 1, 9)
    assert not statements[0].period_explicit
    assert statements[0].indicator == "社会消费品零售总额"


def test_figures_paired_by_fenbie_are_not_read() -> None:
    assert read("一产、二产、三产增加值分别增长3.5%、6.2%和5.8%。") == []


def test_a_comparison_period_is_not_the_subject_period() -> None:
    statements = read("前三季度，固投增长5.0%，较一季度提高0.8个百分点，较上半年加快0.2个百分点。")
    assert {s.period for s in statements} == {Period(None, 1, 9)}


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("固投", "固定资产投资"),
        ("社零", "社会消费品零售总额"),
        ("规上工业增加值", "规模以上工业增加值"),
        ("城镇常住居民人均可支配收入", "城镇居民人均可支配收入"),
        ("ＧＤＰ", "地区生产总值"),
        ("旅游收入", None),
    ],
)
def test_synonyms(word: str, name: str | None) -> None:
    assert canonical(word) == name


def test_numbers_stand_for_their_rounding() -> None:
    assert (Num.parse("26.0").lo, Num.parse("26.0").hi) == pytest.approx((25.95, 26.05))
    assert Num.parse("14", exact=True).half == 0
    assert Num.parse("1,870").value == 1870
    assert [cn_int(t) for t in ("三", "十", "十二", "二十三")] == [3, 10, 12, 23]


def test_text_encodings() -> None:
    text = "前三季度，社零增长5.1%。"
    assert decode(text.encode("utf-8-sig")) == text
    assert decode(text.encode("gb18030")) == text
    assert decode(text.encode("gbk")) == text


def test_an_unknown_name_ends_the_indicator_of_the_sentence() -> None:
    statements = read("社零总额完成18.62亿元，增长4.7%，限额以上零售额12.3亿元，增长6.2%。")
    assert [s.indicator for s in statements] == ["社会消费品零售总额"] * 2 + [None] * 2


def test_brackets_hold_their_own_subject_and_differences_are_not_levels() -> None:
    statements = read(
        "城镇居民人均可支配收入32456元，比全市平均水平高1200元（全市为31256元），增长6.0%。"
    )
    assert [(s.kind, s.role, s.region) for s in statements] == [
        ("amount", "level", "本县"),
        ("amount", "change", "本县"),
        ("amount", "change", "全市"),
        ("growth", "current", "本县"),  # the bracket's 全市 does not hold after it
    ]
