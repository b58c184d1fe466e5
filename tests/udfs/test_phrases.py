"""The phrases of analysis text, table-tested against the conventions (docs/definitions.md §5).

Every expected string is written by hand from the convention; the figures cover negative
numbers, zero, ties at the published decimals, rounding at .05 (half away from zero, on the
figure as Excel shows it) and a missing previous rank.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from udfs.phrases import (
    PhraseError,
    amount_phrase,
    change_phrase,
    completion_phrase,
    growth_phrase,
    published,
    rank_phrase,
    schedule_phrase,
    vs_phrase,
)


@pytest.mark.parametrize(
    ("rate", "decimals", "expected"),
    [
        (6.7, 1, "增长6.7%"),
        (-4.8, 1, "下降4.8%"),
        (18.6, 1, "增长18.6%"),
        (0, 1, "持平"),
        (-0.0, 1, "持平"),
        (0.04, 1, "持平"),  # 0.0 published: never 增长0.0%
        (-0.04, 1, "持平"),  # never 下降0.0%
        (0.05, 1, "增长0.1%"),  # .05 rounds away from zero
        (-0.05, 1, "下降0.1%"),
        (0.0499, 1, "持平"),
        (1.45, 1, "增长1.5%"),
        (-1.45, 1, "下降1.5%"),
        (2.675, 2, "增长2.68%"),  # 2.675 is stored as 2.67499999…; published as Excel shows it
        (1.3999999999999995, 1, "增长1.4%"),  # binary noise of 7.3 − 5.9
        (2.4499999999999997, 1, "增长2.5%"),  # 2.45 at 15 significant digits
        (12, 0, "增长12%"),
        (-100, 1, "下降100.0%"),
        (Decimal("6.70"), None, "增长6.70%"),  # a published figure keeps its decimals
    ],
)
def test_growth(rate, decimals, expected):
    assert growth_phrase(rate, decimals) == expected


@pytest.mark.parametrize(
    ("rate", "other", "name", "expected"),
    [
        (18.6, 18.5, "全市", "高于全市0.1个百分点"),
        (5.1, 6.3, "全省", "低于全省1.2个百分点"),
        (6.7, 6.7, "全市", "与全市持平"),
        (6.74, 6.66, "全市", "与全市持平"),  # both published as 6.7: a tie
        (6.75, 6.74, "全市", "高于全市0.1个百分点"),  # 6.8 against 6.7
        (-4.8, -2.1, "全市", "低于全市2.7个百分点"),
        (-1.0, 1.0, "全国", "低于全国2.0个百分点"),
        (0.05, -0.05, "全市", "高于全市0.2个百分点"),  # 0.1 against −0.1
        (7.3, 5.9, "全市", "高于全市1.4个百分点"),
    ],
)
def test_vs_benchmark(rate, other, name, expected):
    assert vs_phrase(rate, other, name) == expected


def test_vs_benchmark_takes_the_decimals_of_its_operands():
    assert vs_phrase(6.74, 6.66, "全市", 2) == "高于全市0.08个百分点"
    assert vs_phrase(Decimal("6.74"), Decimal("6.7"), "全市", None) == "高于全市0.04个百分点"


@pytest.mark.parametrize(
    ("rate", "before", "reference", "expected"),
    [
        (7.3, 6.5, "一季度", "较一季度提高0.8个百分点"),
        (5.0, 6.5, "", "回落1.5个百分点"),
        (5.0, 6.5, "上半年", "较上半年回落1.5个百分点"),
        (-3.1, -4.6, "一季度", "降幅较一季度收窄1.5个百分点"),
        (-4.6, -3.1, "上半年", "降幅较上半年扩大1.5个百分点"),
        (2.0, -1.0, "一季度", "较一季度提高3.0个百分点"),  # from decline to growth
        (-1.0, 2.0, "一季度", "较一季度回落3.0个百分点"),
        (6.54, 6.46, "一季度", "与一季度持平"),  # both 6.5
        (0.04, -0.04, "", "持平"),
        (-0.05, -0.2, "1-8月", "降幅较1-8月收窄0.1个百分点"),
    ],
)
def test_change_of_a_rate(rate, before, reference, expected):
    assert change_phrase(rate, before, reference) == expected


@pytest.mark.parametrize(
    ("rank", "previous", "scope", "reference", "count", "expected"),
    [
        (3, 5, "全市", "上季度", None, "居全市第3位，较上季度前移2位"),
        (7, 7, "", "上季度", None, "居第7位，与上季度持平"),
        (4, 3, "全省", "上年同期", None, "居全省第4位，较上年同期后退1位"),
        (1, 1, "全市", "上季度", None, "居全市首位，与上季度持平"),
        (1, 4, "全市", "一季度", None, "居全市首位，较一季度前移3位"),
        (8, None, "全市", "上季度", 9, "居全市倒数第2位"),  # no previous rank: nothing said
        (9, 8, "全市", "上季度", 9, "居全市末位，较上季度后退1位"),
        (7, None, "全市", "上季度", 9, "居全市倒数第3位"),
        (6, None, "全市", "上季度", 9, "居全市第6位"),
        (3, None, "全市", "上季度", 4, "居全市倒数第2位"),
        (2, None, "全市", "上季度", 4, "居全市第2位"),  # the upper half is never 倒数
        (8, None, "全市", "上季度", None, "居全市第8位"),  # no count: never 倒数
        (5, 7, "全市", "", None, "居全市第5位，前移2位"),
        (5, 5, "全市", "", None, "居全市第5位，位次持平"),
        (3.0, 5.0, "全市", "上半年", None, "居全市第3位，较上半年前移2位"),
        (3, 9, "全市", "上季度", 9, "居全市第3位，较上季度前移6位"),  # last place before: allowed
        (9, 1, "全市", "上季度", 9, "居全市末位，较上季度后退8位"),
    ],
)
def test_rank(rank, previous, scope, reference, count, expected):
    assert rank_phrase(rank, previous, scope, reference, count) == expected


@pytest.mark.parametrize(
    ("rank", "previous", "count"),
    [
        (0, None, None),
        (2.5, None, None),
        (3, 0, None),
        (10, None, 9),
        (3, 12, 9),  # a previous rank beyond the units ranked: never 「前移9位」
        (3, 10, 9),
        (3, -1, 9),
        (10, 3, 9),
    ],
)
def test_rank_that_is_no_place_is_refused(rank, previous, count):
    with pytest.raises(PhraseError):
        rank_phrase(rank, previous, count=count)


@pytest.mark.parametrize(
    ("completion", "progress", "decimals", "target", "expected"),
    [
        (76.3, 75, 1, "年度目标", "完成年度目标的76.3%，超序时进度1.3个百分点"),
        (16.9, 25, 1, "年度投资计划", "完成年度投资计划的16.9%，差序时进度8.1个百分点"),
        (38.6, 100 / 3, 1, "年度目标", "完成年度目标的38.6%，超序时进度5.3个百分点"),  # 1-4月
        (50.0, 50, 1, "年度任务", "完成年度任务的50.0%，与序时进度持平"),
        (112.34, 75, 1, "年度目标", "完成年度目标的112.3%，超序时进度37.3个百分点"),
        (72.557, 75, 1, "年度目标", "完成年度目标的72.6%，差序时进度2.4个百分点"),
        (74.96, 75, 1, "年度目标", "完成年度目标的75.0%，与序时进度持平"),  # published 75.0
        (76.25, 75, 1, "年度目标", "完成年度目标的76.3%，超序时进度1.3个百分点"),  # .05 up
        (30.0, 200 / 3, 2, "年度目标", "完成年度目标的30.00%，差序时进度36.67个百分点"),  # 1-8月
        (84.2, None, 1, "年度目标", "完成年度目标的84.2%"),
        (0, 25, 1, "年度目标", "完成年度目标的0.0%，差序时进度25.0个百分点"),
    ],
)
def test_completion_and_schedule(completion, progress, decimals, target, expected):
    assert completion_phrase(completion, progress, decimals, target) == expected


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        (1.3, "超序时进度1.3个百分点"),
        (-8.1, "差序时进度8.1个百分点"),
        (-0.04, "与序时进度持平"),
        (0.05, "超序时进度0.1个百分点"),
        (-2.442992134895036, "差序时进度2.4个百分点"),
    ],
)
def test_schedule_gap(gap, expected):
    assert schedule_phrase(gap) == expected


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "to_unit", "expected"),
    [
        (63.2, "亿元", 1, None, "63.2亿元"),
        (1.7346, "万元", 2, None, "1.73万元"),
        (17176, "万元", None, None, "17176万元"),  # no thousands separator in text
        (17176.5, "万元", None, None, "17176.5万元"),  # its own decimal is kept
        (26921, "元", None, None, "26921元"),
        (1.73, "万元", None, None, "1.73万元"),  # the help's own example
        (1.7, "万元", None, None, "1.7万元"),
        (1.7346, "万元", None, None, "1.73万元"),  # own decimals, at most two
        (1.735, "万元", None, None, "1.74万元"),  # half away from zero
        (-1.73, "万元", None, None, "-1.73万元"),
        (44.4, "亿元", None, None, "44.4亿元"),  # not padded to 44.40
        (63.25, "亿元", None, None, "63.25亿元"),
        (
            0.1 + 0.2,
            "亿元",
            None,
            None,
            "0.3亿元",
        ),  # read as Excel shows it, not 0.30000000000000004
        (17176, "万元", None, "亿元", "1.72亿元"),  # 1.7176 after conversion: two decimals
        (146400, "万元", None, "亿元", "14.64亿元"),
        (1.73, "万元", None, "元", "17300元"),
        (1.73, "万元", 0, None, "2万元"),  # fewer decimals only when told
        (146400, "万元", 2, "亿元", "14.64亿元"),
        (14.64, "亿元", 0, "万元", "146400万元"),
        (-3.25, "亿元", 1, None, "-3.3亿元"),
        (0, "万元", None, None, "0万元"),
        (Decimal("128.23"), "亿元", None, None, "128.23亿元"),
    ],
)
def test_amount(value, unit, decimals, to_unit, expected):
    assert amount_phrase(value, unit, decimals, to_unit) == expected


def test_amount_between_units_it_cannot_convert_is_refused():
    with pytest.raises(PhraseError):
        amount_phrase(3, "吨", 0, "亿元")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.05, 1, "0.1"),
        (-0.05, 1, "-0.1"),
        (0.15, 1, "0.2"),  # 0.15 is stored as 0.1499999…; Excel shows 0.2
        (-0.25, 1, "-0.3"),
        (0.35, 1, "0.4"),
        (1.005, 2, "1.01"),
        (-2.5, 0, "-3"),
    ],
)
def test_published_rounds_half_away_from_zero_on_the_shown_figure(value, decimals, expected):
    assert str(published(value, decimals)) == expected


def test_not_finite_is_refused():
    with pytest.raises(PhraseError):
        growth_phrase(float("nan"))
