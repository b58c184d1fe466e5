"""Periods named as comparisons (较上年全年, 比一季度) and the statement's own period: a consistent
statement is never flagged, an inconsistent one is, in the statement's own terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbooks.proofread.drafts import findings


def _findings(tmp_path: Path, text: str) -> list[tuple[str, ...]]:
    return findings(tmp_path, text, "kind", "expected", "certainty")


@pytest.mark.parametrize(
    "text",
    [
        # 22.3 − 3/12·100 = −2.7: the first quarter's schedule; 上年全年 is only compared with
        "一季度，全县地区生产总值增长7.3%，增速较上年全年回落1.1个百分点，完成年度目标的22.3%，"
        "差序时进度2.7个百分点。",
        "一季度，全县地区生产总值增长7.3%，增速比去年全年回落1.1个百分点，完成年度目标的22.3%，"
        "差序时进度2.7个百分点。",
        "一季度，全县地区生产总值增长7.3%，增速比上年四季度回落1.1个百分点，完成年度目标的22.3%，"
        "差序时进度2.7个百分点。",
        "一季度，全县地区生产总值增长7.3%，与去年全年相比回落1.1个百分点，完成年度目标的22.3%，"
        "差序时进度2.7个百分点。",
        "一季度，全县地区生产总值增长7.3%。上年全年，全县完成年度目标的98.3%，超序时进度1.7个百分点。"
        "全县完成年度目标的22.3%，差序时进度2.7个百分点。",
    ],
)
def test_a_previous_year_period_does_not_become_the_current_one(tmp_path: Path, text: str) -> None:
    assert _findings(tmp_path, text) == []


def test_the_schedule_is_still_checked_after_a_previous_year_comparison(tmp_path: Path) -> None:
    text = (
        "一季度，全县地区生产总值增长7.3%，增速较上年全年回落1.1个百分点，完成年度目标的22.3%，"
        "差序时进度4.7个百分点。"
    )
    assert _findings(tmp_path, text) == [("schedule", "差序时进度2.7个百分点", "certain")]


@pytest.mark.parametrize(
    "text",
    [
        "一季度，全县地区生产总值增长6.5%。\n进出口总额完成3.2亿元，同比下降4.8%，降幅较一季度收窄2.1个百分点。",
        "一季度，全县地区生产总值增长6.5%。\n规上工业增加值增速居全市第3位，比一季度前移2位。",
        "一季度，全县地区生产总值增长6.5%。\n规上工业增加值增长8.2%，较一季度加快1.1个百分点。",
    ],
)
def test_a_comparison_with_the_statements_own_period_is_not_made(tmp_path: Path, text: str) -> None:
    assert _findings(tmp_path, text) == []


def test_comparisons_with_an_earlier_period_are_still_checked(tmp_path: Path) -> None:
    text = (
        "一季度，全县进出口总额同比下降6.9%。上半年，进出口总额同比下降4.8%，降幅较一季度收窄2.1个百分点。\n"
        "一季度，规上工业增加值增速居全市第5位。上半年，规上工业增加值增速居全市第3位，比一季度前移2位。"
    )
    assert _findings(tmp_path, text) == []
    wrong = text.replace("收窄2.1", "收窄1.1").replace("前移2位", "前移1位")
    assert [f[:2] for f in _findings(tmp_path, wrong)] == [
        ("pp", "较一季度收窄约2.1个百分点"),
        ("rank_change", "前移2位"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上半年，进出口总额同比下降4.8%，降幅较一季度收窄2.1个百分点。", None),
        (
            "上半年，进出口总额同比下降4.8%，降幅较一季度扩大2.1个百分点。",
            "较一季度收窄约2.1个百分点",
        ),
        ("上半年，进出口总额同比增长7.0%，增幅较一季度收窄1.1个百分点。", None),
        (
            "上半年，进出口总额同比增长7.0%，增幅较一季度扩大1.1个百分点。",
            "较一季度收窄约1.1个百分点",
        ),
    ],
)
def test_a_narrowed_or_widened_rate_is_read_in_its_own_terms(
    tmp_path: Path, text: str, expected: str | None
) -> None:
    first = (
        "一季度，全县进出口总额同比下降6.9%。"
        if "下降" in text
        else "一季度，全县进出口总额同比增长8.1%。"
    )
    found = _findings(tmp_path, first + text)
    assert [f[1] for f in found] == ([expected] if expected else [])


@pytest.mark.parametrize(
    "text",
    [
        "前三季度，GDP增长7.3%，其中一季度增长7.6%，二季度增长7.1%，三季度增长7.2%。\n"
        "地区生产总值增速为7.3%，较一季度回落0.3个百分点，较上半年回落0.2个百分点。上半年增速为7.5%。",
        "前三季度，GDP增长7.3%，其中一季度增长7.6%，第二季度增长7.1%。\n"
        "地区生产总值增速为7.3%，较上半年回落0.2个百分点。上半年增速为7.5%。",
    ],
)
def test_a_single_quarter_is_not_taken_for_the_year_to_its_end(tmp_path: Path, text: str) -> None:
    assert _findings(tmp_path, text) == []


def test_the_year_to_date_rate_is_still_compared(tmp_path: Path) -> None:
    text = (
        "前三季度，GDP增长7.3%，其中一季度增长7.6%，二季度增长7.1%。\n"
        "地区生产总值增速为7.3%，较上半年回落0.4个百分点。上半年，地区生产总值增长7.5%。"
    )
    assert [f[:2] for f in _findings(tmp_path, text)] == [("pp", "低于上半年约0.2个百分点")]
